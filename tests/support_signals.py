"""Signals for tests that stop a command with Ctrl+C (SIGINT)."""

from __future__ import annotations

import signal


def ctrl_c_as_at_a_terminal() -> None:
    """Run in the child before exec: SIGINT unblocked and at its default, as a shell gives it.

    A child inherits an ignored or blocked SIGINT from the test process (something earlier in a
    full run can leave it so), and Python then installs no KeyboardInterrupt handler: the
    command would never see the Ctrl+C the test sends.
    """
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)
