"""Load and check content, as `notice check` reports and `notice build` obeys.

Apart from the build so that `notice check` imports the loader and the checks, not the renderer
(Jinja, the PDF machinery, the banner): about a tenth of a second of every check's start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from notice import forked
from notice.buildcache import BuildCache, CheckPlan
from notice.loader import Content, ContentError, LoadError, PartWork, load_content
from notice.page_share import CheckShare
from notice.paths import RESERVED_SLUGS


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading, checking or building: these make
    millions of small objects and keep most until they end (models, findings, pages), so the
    collector would walk them again and again for nothing.

    The collector resumes with everything there is set aside (`gc.freeze`): resumed as it was,
    its first pass walked every one of those objects once more (0.1 s after a check of 500
    registers, in the command's time, which mostly ends soon after). Objects freed by their count
    go as always. What was set aside returns to the collector's care when the next pause begins
    (`gc.unfreeze`), and that pause sets nothing aside, so a process that loads again and again
    (`notice serve`, the tests) holds cyclic garbage for one run at most. What others set aside
    stays so, and then nothing is set aside here.
    """
    global _set_aside_by_us  # noqa: PLW0603 - one collector per process, one mark of it
    collecting = gc.isenabled()
    # `gc.get_freeze_count` counts the set-aside objects one by one (40 ms after a build of 500
    # registers, a fifth of `notice serve`'s rebuild): it is asked only when this module has
    # nothing set aside, so as to leave alone what someone else set aside (a server before it
    # forks, say), and then set nothing aside here.
    set_aside = collecting and not _set_aside_by_us and gc.get_freeze_count() == 0
    if collecting and _set_aside_by_us:
        gc.unfreeze()
        _set_aside_by_us = False
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if set_aside:
                gc.freeze()
                _set_aside_by_us = True
            gc.enable()


_set_aside_by_us = False
"""Whether the last pause set its objects aside (`gc.freeze`) and they are still set aside."""


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def refuse_bad_slugs(content: Content) -> None:
    """Raise ContentError for a slug that is not `[a-z0-9-]`, used twice in a language or taken."""
    errors = []
    for lang in content.site.languages:
        seen: dict[str, str] = {}
        for register in content.registers:
            slug = register.slug[lang]
            valid = _SLUG.fullmatch(slug) is not None
            if valid and slug not in RESERVED_SLUGS and slug not in seen:
                seen[slug] = register.id
                continue
            path, line = content.locate(register.id, ("slug", lang.value))
            if not valid:
                message = (
                    f"slug {slug!r} may hold only lowercase letters a-z, digits and hyphens "
                    "(it becomes part of the page's address)"
                )
                errors.append(LoadError(path, line, f"slug.{lang.value}", message))
            elif slug in RESERVED_SLUGS:
                errors.append(LoadError(path, line, f"slug.{lang.value}", f"{slug!r} is reserved"))
            elif slug in seen:
                message = f"slug {slug!r} is also used by register {seen[slug]!r}"
                errors.append(LoadError(path, line, f"slug.{lang.value}", message))
            seen.setdefault(slug, register.id)
    if errors:
        raise ContentError(errors)


def load_and_check(
    content_dir: Path | str, *, cache: BuildCache | None = None, today: dt.date | None = None
) -> tuple[Content, list[Any]]:
    """Load, validate and check content: what `notice check` reports and `notice build` obeys.

    Both commands come here (the build through `load` and `notice.build.start_checks`, the same
    steps), so they report the same findings with the same severities. Raw HTML in a text loads
    (Markdown escapes it) and is the checker's finding, not a load error, so a check still lists
    everything else. Raises ContentError for content that cannot be loaded or has a bad slug (with
    the site's own findings, `site_findings`, when site.yaml itself loaded). The
    collector pauses as in a build, so `notice check` costs what a build's checks cost (about
    half the CPU at 500 registers without it).
    """
    from notice.checks import memo

    today = today or dt.date.today()  # one day for both processes, even across midnight
    with no_cyclic_gc(), memo.fresh_run():
        # One memory of the checker's per-text work for the checks made while loading and after.
        as_loaded = CheckAsLoaded(today)
        try:
            content = load(content_dir, cache, on_part=as_loaded)
        except ContentError as exc:
            if exc.partial is not None:  # site.yaml loaded: its own findings still count
                from notice.checks import run_checks

                found = run_checks(exc.partial, today=today)
                exc.site_findings = [finding for finding in found if finding.owner == "site"]
            raise
        known = as_loaded.findings_of(content)
        plan = CheckPlan(content, cache.findings if cache else None, today=today, known=known)
        return content, plan.finish(check_in_parts(plan))


class CheckAsLoaded:
    """Check the registers each loading process parsed, there, as soon as it parsed them
    (`loader.PartWork`): a forked child parses half the files of large content, and checking
    its half before it sends them saves `notice check` the wait for the whole load before any
    check starts (and a second child for the checks). The site and the website registers are
    checked after the load, with everything (`CheckPlan`); what compares registers, at the end.

    A register's findings depend on the site and that register only (`engine.collect`), so
    checked apart they are what a check of everything finds for it; `findings_of` hands them on
    only for the very files the content holds.
    """

    def __init__(self, today: dt.date | None) -> None:
        self.today = today
        self.found: dict[str, tuple[Path, str, list[Any]]] = {}

    def work(self, part: Content) -> dict[str, tuple[Path, str, list[Any]]]:
        """Check the registers of `part` (not website registers); their findings by id, with the
        file and digest they were checked from."""
        plan = CheckPlan(part, None, today=self.today)
        registers = [item for item in plan.items if item is not None]
        if not registers:
            return {}
        found = plan.run(registers)
        return {
            register.id: (part.files[register.id], part.digests[register.id], findings)
            for register, findings in zip(registers, found, strict=True)
        }

    def take(self, result: dict[str, tuple[Path, str, list[Any]]]) -> None:
        """Keep one process's findings."""
        self.found.update(result)

    def findings_of(self, content: Content) -> dict[str, list[Any]]:
        """Return the findings kept of the registers `content` holds from the same files."""
        return {
            register_id: findings
            for register_id, (path, digest, findings) in self.found.items()
            if content.files.get(register_id) == path and content.digests.get(register_id) == digest
        }


def check_in_parts(plan: CheckPlan, *, cores: int | None = None) -> list[list[Any]]:
    """Run `plan`, sharing its items out with a forked child as they go when a core is to spare
    and there is much to check (`page_share.CheckShare`); each item's findings in the plan's
    order, either way.

    A child that fails to send its findings (killed, out of memory) only costs time: the items
    it had taken are then checked here (and a rule that raises, raises here as it would anyway).
    """
    items = plan.items
    if (cores or os.cpu_count() or 1) < 2 or len(items) < 2 * FORK_AT_ITEMS or not only_thread():
        return plan.run()
    share = CheckShare(items, plan.run, plan.session)
    try:
        try:
            child = forked.Forked(share.check)
        except OSError:  # no process to spare
            return plan.run()
        try:
            found = share.check()
            found.update(child.result() or {})
        finally:
            child.close()
    finally:
        share.close()
    return in_item_order(plan, found)


def in_item_order(plan: CheckPlan, found: dict[int, Any]) -> list[list[Any]]:
    """Return each item's findings in the plan's order, checking here any item nobody did (the
    items a child had taken when it died)."""
    missing = [index for index in range(len(plan.items)) if index not in found]
    if missing:
        found.update(zip(missing, plan.run([plan.items[i] for i in missing]), strict=True))
    return [found[index] for index in range(len(plan.items))]


def load(
    content_dir: Path | str, cache: BuildCache | None, *, on_part: PartWork | None = None
) -> Content:
    """Load and validate content as the checks and the build need it (slugs included)."""
    models = cache.models if cache else None
    content = load_content(content_dir, allow_html=True, cache=models, on_part=on_part)
    refuse_bad_slugs(content)
    return content


FORK_AT_ITEMS = 16
"""How many registers (or the site) left to check make a checking process worth its start. An
edit of a register or a few leaves one to a few: checked here they cost a few tens of
milliseconds (after the checks' one import per process), less than a new process that imports
the checks again while this one has little to render beside it."""


def only_thread() -> bool:
    """Whether this process runs no thread but the calling one (so that it may fork)."""
    return forked.can_fork()


def severity_of(finding: Any) -> str | None:
    """A finding's severity as a word (error, warning, info), from a string or an enum."""
    severity = getattr(finding, "severity", None)
    return None if severity is None else str(getattr(severity, "value", severity))


def is_error(finding: Any) -> bool:
    """Whether a finding blocks publishing (its severity is `error`)."""
    return severity_of(finding) == "error"
