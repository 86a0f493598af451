"""A time limit on one rule's run, for rules that loop or take far too long.

SIGALRM through ``signal.setitimer``: it interrupts Python code between bytecodes, so a rule
stuck in a Python loop is stopped; it does not interrupt one long call into C (a regular
expression that backtracks for minutes). It works in the main thread of any process — the
command's, or a worker's that runs rules in its main thread — and is a no-op elsewhere (another
thread, or a platform without ``setitimer``), where a rule runs unlimited. An outer timer (a
per-file limit set by the caller) is saved and restored, less the time spent inside.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from types import FrameType
from typing import Any

from nianbao.i18n import _

#: seconds one rule may take on one report (cross-report rules: on each report of the run)
DEFAULT_RULE_SECONDS = 5.0

#: characters of text a report may have and still be held to the rule time limit as it is; a
#: longer one (the longest real reports have about 60,000) gets proportionally more time, since
#: a rule's time grows linearly with the text: the limit stops a rule stuck, not a report long
RULE_CHARS = 1_000_000

#: bytes of a file the per-file time limit (--time-limit) is for as it is; a larger file gets
#: proportionally more time (a real report is under 8 MB but for its photos)
FILE_BYTES = 8 * 1024 * 1024


def rule_seconds(seconds: float | None, chars: int) -> float | None:
    """The time limit of one rule on a report of ``chars`` characters of text."""
    return seconds * max(1.0, chars / RULE_CHARS) if seconds and seconds > 0 else None


def file_seconds(seconds: float | None, size: int) -> float | None:
    """The time limit to read and check a file of ``size`` bytes."""
    return seconds * max(1.0, size / FILE_BYTES) if seconds and seconds > 0 else None


# a BaseException, so that a rule's own `except Exception` cannot swallow it
class RuleTimeout(BaseException):
    """Raised inside a rule that ran past its time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(_("ran past its time limit of {seconds:g} s and was stopped", seconds=seconds))
        self.seconds = seconds


def available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RuleTimeout` in the block when it runs longer than ``seconds`` (None or
    ≤ 0: no limit)."""
    if not seconds or seconds <= 0 or not available():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise RuleTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay > 0:
            # the caller's own timer goes on with what was left of it (at least a tick, so it fires)
            left = max(outer_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


class RuleTimer:
    """Time limits for a run of rules on one report, each rule under its own limit, at the
    cost of one clock reading a rule: the SIGALRM handler is installed and the timer armed once
    for the run (:func:`time_limit` swaps the handler and sets the timer for every rule, most of
    the engine's own time per rule). A rule notes when its limit falls; when the timer fires
    before that (it was set for an earlier rule, or between rules) it is set again for what is
    left, so each rule is still stopped at its own limit.

        timer = RuleTimer(5.0).open()
        try:
            for rule in rules:
                with timer.limit():
                    ...  # RuleTimeout after 5 s
        finally:
            timer.close()

    When no limit applies (None, ≤ 0, not the main thread) or a caller's timer is already running
    (whose time a rule's must be taken from), each ``with timer`` is :func:`time_limit`'s.
    """

    __slots__ = ("_armed", "_previous", "_shared", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds if seconds and seconds > 0 else None
        self._shared = False
        self._previous: Any = None
        self._armed = _Armed(self.seconds or 0)

    def open(self) -> RuleTimer:
        if self.seconds is not None and available() and signal.getitimer(signal.ITIMER_REAL)[0] == 0:
            self._previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self._shared = True
        return self

    def close(self) -> None:
        if self._shared:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self._shared = False

    def _expired(self, signum: int, frame: FrameType | None) -> None:
        armed = self._armed
        if armed.deadline is None:  # between rules: the next one notes its own limit
            signal.setitimer(signal.ITIMER_REAL, armed.seconds)
            return
        left = armed.deadline - time.monotonic()
        if left > 0:  # set for an earlier rule: this one has time left
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.0001))
            return
        raise RuleTimeout(armed.seconds)

    def limit(self) -> AbstractContextManager[None]:
        """The block of one rule: stopped past the limit."""
        if self._shared:
            return self._armed
        return time_limit(self.seconds)


class _Armed:
    __slots__ = ("deadline", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        #: when the running rule's limit falls (None between rules)
        self.deadline: float | None = None

    def __enter__(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def __exit__(self, *exc: object) -> None:
        self.deadline = None
