"""Run a function in a forked child process while this one goes on, and take its result back.

With a core to spare, a forked child parses about half the register files while this process
parses the others (`notice.loader`; for `notice check`, each process then checks the registers
it parsed, `notice.checking.CheckAsLoaded`), and checks beside the rendering or beside this
process's own checks (`notice.build`); it sends back what it made, pickled. A child that fails
in any way (killed, out of memory, a result that does not pickle) sends nothing usable, and
`result()` says so with None: the loader and `notice check` then do the work themselves, a build
reports how its checks' process ended.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import tempfile
import threading
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """Whether this process may fork: it can, and runs no thread but the calling one (a fork
    copies only the calling thread, and a lock another thread held would stay held)."""
    return hasattr(os, "fork") and threading.active_count() == 1


_NOTHING = object()

_ENDING: list[int] = []
"""Children whose whole result was taken and which were not yet seen to end."""


def reap_ended(*, wait: bool = False) -> None:
    """Reap the children in `_ENDING` that have ended (with `wait`, wait for each): a child
    whose result was taken is not waited for, and stays a zombie until this runs (at the next
    fork, the next result, and when the interpreter exits)."""
    for pid in list(_ENDING):
        try:
            done, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:  # reaped by someone else (a SIGCHLD handler, say)
            done = pid
        if done:
            _ENDING.remove(pid)


atexit.register(reap_ended, wait=True)


class Forked:
    """`work()` started in a forked child; `result()` waits for it, None if it sent nothing."""

    exit_code: int | None = None
    """The child's exit status once `result()` has it (negative: the signal it died of); 0 when
    a whole result came, without waiting for the child's end."""

    def __init__(self, work: Callable[[], Any], *, spill: Spill | None = None) -> None:
        """`spill`: a `Spill` made before, which `work` may put an object into."""
        reap_ended()
        read_end, write_end = os.pipe()
        try:
            self._pid = os.fork()
        except BaseException:
            os.close(read_end)
            os.close(write_end)
            raise
        if self._pid == 0:  # the child: work, send, end without running the parent's cleanup
            code = 1
            try:
                os.close(read_end)
                if spill is not None:
                    spill.forked(child=True)
                payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        if spill is not None:
            spill.forked(child=False)
        self._pipe = os.fdopen(read_end, "rb")

    def result(self) -> Any | None:
        """Return what the child's `work()` returned, or None if the child failed to send it.

        A result that unpickles whole is returned at once, without waiting for the child's end:
        the child writes only once its work has returned, and then only exits, which for a
        process of a few hundred megabytes (unmapping its memory) took 20 ms of `notice check`'s
        500 registers. It is reaped later (`reap_ended`). Otherwise this waits for the child's
        end and sets `exit_code`.
        """
        with self._pipe:
            data = self._pipe.read()
        pid, self._pid = self._pid, 0
        try:
            value = pickle.loads(data) if data else _NOTHING
        except Exception:  # noqa: BLE001 - half a result is none
            value = _NOTHING
        if value is not _NOTHING:
            self.exit_code = 0
            _ENDING.append(pid)
            reap_ended()
            return value
        _, status = os.waitpid(pid, 0)
        self.exit_code = os.waitstatus_to_exitcode(status)
        return None

    def close(self) -> None:
        """Kill and reap the child if its result was not taken (the caller failed meanwhile)."""
        if self._pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = 0
            self._pipe.close()


class Spill:
    """An anonymous file that both processes of a fork hold: the child puts an object into it
    while both go on working, and the parent takes it as soon as it is there.

    What the child sends back with its result is pickled after its work, while this process
    waits, and unpickled after that. A spill is pickled by the child and unpickled here while
    the other process works: `notice check`'s child spills the registers it parsed before
    checking them, and this process takes them between two batches of its own checks, so only
    the findings are sent at the end. The file has no name (O_TMPFILE where there is one) and is
    gone when both have closed it; a pipe tells this process when the object is whole, or that
    the child ended without putting it.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        try:
            self._ready_read, self._ready_write = os.pipe()
        except OSError:
            self._file.close()
            raise
        self._taken = False

    @classmethod
    def open(cls) -> Spill | None:
        """Return a new spill, or None when no file or pipe can be made (the result then
        carries everything, as without one)."""
        try:
            return cls()
        except OSError:
            return None

    def forked(self, *, child: bool) -> None:
        """Keep, in each process, only its end of the pipe (`Forked` calls it after the fork)."""
        os.close(self._ready_read if child else self._ready_write)

    def put(self, value: Any) -> None:
        """In the child: pickle `value` into the file, then say it is there."""
        self._file.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        self._file.flush()
        os.write(self._ready_write, b"1")

    def take(self) -> Any | None:
        """In the parent: wait until the child has put its object and return it, or None if
        the child ended without putting one (or it does not read back whole). Once only."""
        if self._taken:
            raise RuntimeError("a spill is taken once")
        self._taken = True
        try:
            if os.read(self._ready_read, 1) != b"1":
                return None
            self._file.seek(0)
            return pickle.loads(self._file.read())
        except Exception:  # noqa: BLE001 - half a value is none
            return None

    def close(self) -> None:
        """Close this process's hold of the file and of its end of the pipe."""
        self._file.close()
        for end in (self._ready_read, self._ready_write):
            with contextlib.suppress(OSError):
                os.close(end)
