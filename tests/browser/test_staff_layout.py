"""The staff request page: the request beside the work on it on a wide screen, one column on a
phone, read from where Chromium draws each part; no horizontal scrolling down to 320 px, and no
axe violation at either width."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, FloatRect, Page

from tests.browser.axe import assert_no_violations, run_axe
from tests.browser.test_staff_flow import (
    Served,
    make_admin,
    submit_as_person,
)
from tests.browser.test_staff_languages import sign_in

pytestmark = pytest.mark.browser

REQUEST_PARTS = ("due-title", "seal-title", "submitted-title")
"""The request's sections: its due date, its seal and what was submitted."""
WORK_PARTS = ("actions-title", "timeline-title")
"""The work on it: the actions and the timeline."""


def box(page: Page, heading_id: str) -> FloatRect:
    """Return where the section headed by `heading_id` is drawn."""
    found = page.locator(f"section[aria-labelledby={heading_id}]").bounding_box()
    assert found is not None, heading_id
    return found


def no_horizontal_scroll(page: Page) -> None:
    """Assert the page is no wider than the window; name the first elements that stick out."""
    widths = page.evaluate(
        """() => {
            const root = document.documentElement;
            const wide = [...document.body.querySelectorAll('*')]
                .filter(el => el.getBoundingClientRect().right > root.clientWidth + 0.5)
                .slice(0, 8)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                     + (el.className && typeof el.className === 'string'
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
            return {scroll: root.scrollWidth, client: root.clientWidth, wide};
        }"""
    )
    assert widths["scroll"] <= widths["client"], widths


def test_request_beside_the_work_on_a_wide_screen_and_above_it_on_a_phone(
    served: Served,  # noqa: F811 - the fixture imported above
    new_context: Callable[..., BrowserContext],
) -> None:
    submit_as_person(served, new_context().new_page())
    secret = make_admin(served.app)
    staff = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(served, staff, secret)
    staff.locator("table.queue tbody th a").first.click()
    staff.wait_for_url(re.compile(r"/requests/staff/r/[^/?]+$"))

    request = {part: box(staff, part) for part in REQUEST_PARTS}
    work = {part: box(staff, part) for part in WORK_PARTS}
    right_edge = max(b["x"] + b["width"] for b in request.values())
    for part, drawn in work.items():
        assert drawn["x"] >= right_edge, (part, drawn, right_edge)
    assert work["timeline-title"]["x"] == work["actions-title"]["x"]
    # Side by side: the actions start at the top of the request, not below its last section.
    first = staff.locator(".detail-request").bounding_box()
    second = staff.locator(".detail-work").bounding_box()
    assert first is not None and second is not None
    assert second["y"] == first["y"]
    assert work["actions-title"]["y"] < request["submitted-title"]["y"]
    no_horizontal_scroll(staff)
    assert_no_violations(run_axe(staff), "1280 px")

    staff.set_viewport_size({"width": 375, "height": 740})
    request = {part: box(staff, part) for part in REQUEST_PARTS}
    work = {part: box(staff, part) for part in WORK_PARTS}
    lefts = {b["x"] for b in (*request.values(), *work.values())}
    assert len(lefts) == 1, lefts
    below = max(b["y"] + b["height"] for b in request.values())
    assert work["actions-title"]["y"] >= below
    assert (
        work["timeline-title"]["y"] >= work["actions-title"]["y"] + work["actions-title"]["height"]
    )
    no_horizontal_scroll(staff)

    staff.set_viewport_size({"width": 320, "height": 640})
    no_horizontal_scroll(staff)
    assert_no_violations(run_axe(staff), "320 px")


FILTERS = ("filter-q", "filter-right", "filter-register", "filter-assignee", "filter-due",
           "filter-language")  # fmt: skip
"""The queue's filter controls, in the form's order."""


def test_the_queue_filters_line_up_their_boxes(
    served: Served,  # noqa: F811 - the fixture imported above
    new_context: Callable[..., BrowserContext],
) -> None:
    """The search box's hint hangs below it: its box is level with the dropdowns beside it."""
    secret = make_admin(served.app)
    staff = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(served, staff, secret)

    def boxes() -> dict[str, FloatRect]:
        found = {name: staff.locator(f"#{name}").bounding_box() for name in FILTERS}
        assert all(found.values()), found
        return found  # type: ignore[return-value]

    wide = boxes()
    first_row = [name for name in FILTERS if wide[name]["x"] > wide["filter-q"]["x"]]
    first_row = ["filter-q", *[n for n in first_row if wide[n]["y"] < wide["filter-q"]["y"] + 40]]
    assert len(first_row) >= 4, wide  # four or more side by side at 1280 px
    assert {wide[name]["y"] for name in first_row} == {wide["filter-q"]["y"]}
    hint = staff.locator("#filter-q-hint").bounding_box()
    assert hint is not None and hint["y"] >= wide["filter-q"]["y"] + wide["filter-q"]["height"]
    no_horizontal_scroll(staff)

    staff.set_viewport_size({"width": 375, "height": 740})
    narrow = boxes()
    assert len({narrow[name]["x"] for name in FILTERS}) == 1  # one column
    label = staff.locator("label[for=filter-q]").bounding_box()
    hint = staff.locator("#filter-q-hint").bounding_box()
    assert label is not None and hint is not None
    q = narrow["filter-q"]
    assert label["y"] + label["height"] <= q["y"] < hint["y"]  # label, box, then its hint
    assert hint["y"] + hint["height"] <= narrow["filter-right"]["y"]
    no_horizontal_scroll(staff)


BROKEN_WORDS = """() => {
    // Every word of the request's label-value list: one drawn line box, or it broke mid-word.
    const broken = [];
    for (const dl of document.querySelectorAll('dl.summary')) {
        const walker = document.createTreeWalker(dl, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (tops.size > 1) broken.push(match[0]);
            }
        }
    }
    return broken;
}"""


def test_on_a_phone_the_request_facts_stack_and_no_word_breaks(
    served: Served,  # noqa: F811 - the fixture imported above
    new_context: Callable[..., BrowserContext],
) -> None:
    submit_as_person(served, new_context().new_page())
    secret = make_admin(served.app)
    staff = new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(served, staff, secret)
    staff.locator("table.queue tbody th a").first.click()
    staff.wait_for_url(re.compile(r"/requests/staff/r/[^/?]+$"))
    assert staff.evaluate(BROKEN_WORDS) == []
    label = staff.locator("dl.summary dt").first.bounding_box()
    value = staff.locator("dl.summary dd").first.bounding_box()
    assert label is not None and value is not None
    assert value["y"] >= label["y"] + label["height"]  # the value below its label
    assert value["x"] == label["x"]
    no_horizontal_scroll(staff)
    staff.set_viewport_size({"width": 1280, "height": 900})
    label = staff.locator("dl.summary dt").first.bounding_box()
    value = staff.locator("dl.summary dd").first.bounding_box()
    assert label is not None and value is not None
    assert value["x"] > label["x"] + label["width"]  # side by side where there is room
