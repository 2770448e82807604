"""`notice serve --watch`: a saved edit is rebuilt and served; bad content keeps the last site."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from notice.serve import (
    Problems,
    SiteHandler,
    Watcher,
    make_server,
    serve_in_thread,
    snapshot,
    wait_for,
)
from tests.portal.support.mailserver import free_port
from tests.support_signals import ctrl_c_as_at_a_terminal

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
    server = make_server(tmp_path / "site", 0, watcher.current)
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


def fetch_any(url: str) -> tuple[int, str]:
    """GET `url`; return the status and the body, an error status included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_broken_content_is_shown_in_the_page_until_fixed(
    preview: tuple[Watcher, str, list[str]],
) -> None:
    watcher, base, messages = preview
    register = watcher.content_dir / "registers" / "uutiskirje.yaml"
    edit(watcher, "legal_basis: consent", "legal_basis: consnet")
    assert wait_for(lambda: fetch_any(base + PAGE)[0] == 500, timeout=30) is not None
    status, page = fetch_any(base + PAGE)
    line = (
        f"{register}:17: purposes.0.legal_basis: &#x27;consnet&#x27; is not one of "
        "&#x27;consent&#x27;, &#x27;contract&#x27;, &#x27;legal_obligation&#x27;, "
        "&#x27;vital_interests&#x27;, &#x27;public_task&#x27; or &#x27;legitimate_interests&#x27; "
        "(did you mean &#x27;consent&#x27;?)"
    )
    assert "<h1>1 error in content: the site was not rebuilt</h1>" in page
    assert f"<ul>\n<li><code>{line}</code></li>\n</ul>" in page
    assert OLD not in page
    # Every page says so, and the terminal too; files that are not pages are served as they are.
    assert fetch_any(base + "fi/")[0] == 500 and fetch_any(base + "index.html")[0] == 500
    css = watcher.out_dir / "static" / "css" / "notice.css"
    assert fetch_any(base + "static/css/notice.css") == (200, css.read_text(encoding="utf-8"))
    assert any(m.startswith(f"{register}:17: purposes.0.legal_basis:") for m in messages)
    assert "1 error in content; the preview's pages list them until they are fixed" in messages
    # A YAML syntax error the same way, at the line to fix (the '[' left open), with its fix.
    edit(watcher, "legal_basis: consnet", "legal_basis: [consent")
    assert wait_for(lambda: "is not closed" in fetch_any(base + PAGE)[1], timeout=30) is not None
    assert (
        f"<li><code>{register}:17: purposes.0.legal_basis: the &#x27;[&#x27; on this line is not "
        "closed: add &#x27;]&#x27; after its last item</code></li>" in fetch_any(base + PAGE)[1]
    )
    edit(watcher, "legal_basis: [consent", "legal_basis: consent")
    edit(watcher, OLD, NEW)
    assert wait_for(lambda: NEW in fetch_any(base + PAGE)[1], timeout=30) is not None
    assert fetch_any(base + PAGE)[0] == 200


def test_each_page_carries_the_check_summary_and_findings(
    preview: tuple[Watcher, str, list[str]],
) -> None:
    watcher, base, messages = preview
    register = watcher.content_dir / "registers" / "uutiskirje.yaml"
    # A finding of another kind than the fixture's: a placeholder left in a text.
    edit(watcher, OLD, "TODO ask the newsletter team")
    assert wait_for(lambda: "placeholder" in fetch_any(base + PAGE)[1], timeout=30) is not None
    status, page = fetch_any(base + PAGE)
    assert status == 200
    problems = watcher.current()
    assert problems.summary.startswith("1 error, ")
    assert page.startswith(
        (watcher.out_dir / PAGE / "index.html").read_text(encoding="utf-8").split("<body")[0]
    )
    banner = page.split("<body>\n", 1)[1].split("</details>\n", 1)[0]
    assert banner.splitlines()[:2] == [
        '<details class="preview-checks" lang="en" open>',
        f"<summary><strong>notice check: {problems.summary}</strong> "
        "(this preview only; the built site has no such list)</summary>",
    ]
    assert (
        f"<li><code>{register}:44: ERROR placeholder: retention: placeholder left in the text: "
        "&quot;TODO&quot; (en) (hint: replace it with the real content in each language named)"
        "</code></li>"
    ) in banner
    assert f"notice check: {problems.summary}" in messages
    # The built file itself has no banner: it is the preview's only.
    built = (watcher.out_dir / PAGE / "index.html").read_text(encoding="utf-8")
    assert "preview-checks" not in built and "TODO ask the newsletter team" in built


def test_a_page_without_findings_is_served_byte_for_byte(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "fi").mkdir(parents=True)
    (site / "fi" / "index.html").write_text("<html><body><p>Hei</p></body></html>", "utf-8")
    server = make_server(site, 0, Problems)
    serve_in_thread(server)
    try:
        host, port = server.server_address[:2]
        assert fetch_any(f"http://{host}:{port}/fi/") == (
            200,
            "<html><body><p>Hei</p></body></html>",
        )
    finally:
        server.shutdown()
        server.server_close()


def test_snapshot_sees_added_and_removed_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    before = snapshot(tmp_path)
    (tmp_path / "b.yaml").write_text("b: 2\n", encoding="utf-8")
    assert set(snapshot(tmp_path)) == set(before) | {tmp_path / "b.yaml"}
    (tmp_path / "a.yaml").unlink()
    assert set(snapshot(tmp_path)) == {tmp_path / "b.yaml"}


def notice_serve(
    args: list[str], *, port: int, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """Start `notice serve ARGS --port PORT` as a person would, its output read line by line."""
    return subprocess.Popen(
        [sys.executable, "-m", "notice.cli", "serve", *args, "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )


def test_cli_watch_serves_the_error_page_when_the_content_never_built(
    repo_root: Path, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    register = content / "registers" / "uutiskirje.yaml"
    register.write_text(
        register.read_text(encoding="utf-8").replace("id: uutiskirje", "id: [uutiskirje"),
        encoding="utf-8",
    )
    port = free_port()
    process = notice_serve(
        ["--watch", "--content", str(content), "--out", str(tmp_path / "site")],
        port=port,
        cwd=repo_root,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        assert lines[0] == (
            f"{register}:1: id: the '[' on this line is not closed: add ']' after its last item\n"
        )
        assert lines[1] == (
            "1 error in content; the preview's pages list them until they are fixed\n"
        )
        assert (
            lines[2]
            == f"Serving {tmp_path / 'site'} at http://127.0.0.1:{port}/ (Ctrl+C to stop)\n"
        )
        status, page = fetch_any(f"http://127.0.0.1:{port}/")
        assert status == 500
        assert f"<li><code>{register}:1: id: the &#x27;[&#x27; on this line is not closed" in page
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


def test_the_receipt_key_is_served_as_a_pem_file_not_a_certificate_chain() -> None:
    handler = object.__new__(SiteHandler)  # guess_type reads only the class's extension map
    guessed = handler.guess_type(".well-known/seloste/receipt-key.pem")
    assert guessed == "application/x-pem-file"


def test_cli_watch_builds_its_preview_beside_the_published_site(
    repo_root: Path, tmp_path: Path
) -> None:
    # `notice build` made site/ for publishing (with its PDFs); a preview without --out must not
    # rebuild it without them: it goes to site-preview/.
    shutil.copytree(SMALL, tmp_path / "content")
    published = tmp_path / "site"
    published.mkdir()
    (published / "kept.pdf").write_bytes(b"%PDF- the published build's")
    port = free_port()
    process = notice_serve(
        ["--watch"], port=port, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(repo_root)}
    )
    try:
        assert process.stdout is not None
        serving = process.stdout.readline()
        while serving and not serving.startswith("Serving "):  # the build's lines come first
            serving = process.stdout.readline()
        assert serving == f"Serving site-preview at http://127.0.0.1:{port}/ (Ctrl+C to stop)\n"
        status, page = fetch_any(f"http://127.0.0.1:{port}/")
        assert status == 200 and "<html" in page
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
    assert [p.name for p in published.iterdir()] == ["kept.pdf"]
    assert (tmp_path / "site-preview" / "index.html").is_file()


def test_cli_says_which_port_is_taken_instead_of_a_traceback(tmp_path: Path) -> None:
    import socket

    from click.testing import CliRunner

    from notice.cli import main

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--out", str(site), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == (
        f"port {port} is in use (another server?); choose another with --port, "
        "or --port 0 for any free port\n"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
