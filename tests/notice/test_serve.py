"""`notice serve --watch`: a saved edit is rebuilt and served; bad content keeps the last site."""

from __future__ import annotations

import shutil
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from notice.serve import Watcher, make_server, serve_in_thread, snapshot, wait_for

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small"
PAGE = "en/newsletter/"
OLD = "For as long as the subscription lasts."
NEW = "Until you unsubscribe, and 30 days after."


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Watcher, str, list[str]]]:
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    messages: list[str] = []
    watcher = Watcher(content, tmp_path / "site", report=messages.append)
    assert watcher.build()
    server = make_server(tmp_path / "site", 0)
    serve_in_thread(server)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop, 0.02), daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield watcher, f"http://{host}:{port}/", messages
    finally:
        stop.set()
        thread.join(5)
        server.shutdown()
        server.server_close()


def fetch(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.read().decode("utf-8"), response.headers.get("Cache-Control", "")


def edit(watcher: Watcher, old: str, new: str) -> None:
    path = watcher.content_dir / "registers" / "uutiskirje.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_saved_edit_is_served_on_reload(preview: tuple[Watcher, str, list[str]]) -> None:
    watcher, base, _ = preview
    page, cache = fetch(base + PAGE)
    assert OLD in page and cache == "no-cache"
    edit(watcher, OLD, NEW)
    assert wait_for(lambda: NEW in fetch(base + PAGE)[0], timeout=30) is not None
    # The page comes first; the incremental build then brings the rest of the site along.
    assert wait_for(lambda: watcher.builds == 2, timeout=30) is not None
    exported = base + "registers/uutiskirje.json"
    assert wait_for(lambda: NEW in fetch(exported)[0], timeout=30) is not None


def test_an_edited_register_page_is_written_before_the_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    watcher = Watcher(content, tmp_path / "site", report=lambda line: None)
    assert watcher.build()
    edit(watcher, OLD, NEW)
    watcher.preview_registers([content / "registers" / "uutiskirje.yaml"])
    page = tmp_path / "site" / PAGE / "index.html"
    assert NEW in page.read_text(encoding="utf-8")
    assert NEW not in (tmp_path / "site" / "registers" / "uutiskirje.json").read_text("utf-8")
    built = page.read_text(encoding="utf-8")
    assert watcher.poll()  # the build writes the same page and the rest
    assert page.read_text(encoding="utf-8") == built
    assert NEW in (tmp_path / "site" / "registers" / "uutiskirje.json").read_text("utf-8")


def test_a_broken_register_is_left_to_the_build_to_report(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    messages: list[str] = []
    watcher = Watcher(content, tmp_path / "site", report=messages.append)
    assert watcher.build()
    page = tmp_path / "site" / PAGE / "index.html"
    before = page.read_text(encoding="utf-8")
    edit(watcher, "legal_basis: consent", "legal_basis: [consent")
    assert watcher.poll() is False
    assert page.read_text(encoding="utf-8") == before
    assert any("uutiskirje.yaml" in message for message in messages)


def test_broken_content_keeps_the_last_site_and_says_where(
    preview: tuple[Watcher, str, list[str]],
) -> None:
    watcher, base, messages = preview
    edit(watcher, "legal_basis: consent", "legal_basis: consnet")
    assert wait_for(lambda: any("still serving" in m for m in messages), timeout=30) is not None
    assert any("uutiskirje.yaml" in m and "consnet" in m for m in messages)
    assert OLD in fetch(base + PAGE)[0]
    edit(watcher, "legal_basis: consnet", "legal_basis: consent")
    edit(watcher, OLD, NEW)
    assert wait_for(lambda: NEW in fetch(base + PAGE)[0], timeout=30) is not None


def test_snapshot_sees_added_and_removed_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    before = snapshot(tmp_path)
    (tmp_path / "b.yaml").write_text("b: 2\n", encoding="utf-8")
    assert set(snapshot(tmp_path)) == set(before) | {tmp_path / "b.yaml"}
    (tmp_path / "a.yaml").unlink()
    assert set(snapshot(tmp_path)) == {tmp_path / "b.yaml"}
