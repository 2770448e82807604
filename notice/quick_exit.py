"""End a one-shot command's process without taking apart what it built.

After `notice check` or `notice build` has said everything it has to say, the interpreter's own
ending frees every model, text and finding one by one and runs a last garbage collection: at 500
registers about a quarter of a second more that the person at the terminal waits for, and does
nothing for them. A command that leaves nothing to that ending (no thread still running, no file
left open, no `atexit` handler of its own) says so with `allow()`; once it has returned, `run`
flushes the output and ends the process at once (as mypy does).

Only the console script ends this way (`run`): a command invoked in-process (click's test
runner, another program importing `notice.cli`) returns as usual.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

_allowed = False


def allow() -> None:
    """Let `run` end the process at once when the command returns: it leaves nothing behind."""
    global _allowed
    _allowed = True


def run(command: Callable[[], object]) -> None:
    """Run a click command as the console script does; end at once if it allowed so."""
    try:
        command()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if not _allowed:
        sys.exit(code)
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # as the interpreter prints sys.exit("message")
        code = 1
    if "logging" in sys.modules:  # its handlers flush at the end; `notice --help` never imports it
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`notice check | head`): nothing to add
            code = code or 1
    os._exit(code or 0)
