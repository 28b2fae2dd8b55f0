"""What the preflight is doing right now: a status line on a terminal, and the stage a timeout names.

A preview of a large program with several packs takes tens of seconds; on a terminal the person waiting
sees the stage and a resource count (on stderr, so stdout stays the report). In CI, where stderr is not a
terminal, nothing is drawn; the stage is still kept, so ``--timeout`` can say where the run was stuck.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Callable

DEFAULT_TIMEOUT = 1800.0  # a large program with several packs takes minutes at most; an hour would hide a hang
_REDRAW_EVERY = 0.1


class Progress:
    def __init__(self, console=None):
        """``console``: a rich Console to draw on; by default one on stderr when stderr is a terminal."""
        self._lock = threading.Lock()
        self._stage = "starting"
        self._stack = ""
        self._resources = 0
        self._drawn_at = 0.0
        self._status = None
        if console is None and sys.stderr.isatty() and not os.environ.get("PREFLIGHT_NO_PROGRESS"):
            from rich.console import Console

            console = Console(stderr=True)
        self._console = console

    def start(self) -> None:
        if self._console is not None:
            self._status = self._console.status(self.describe())
            self._status.start()

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def enter(self, stage: str, stack: str = "") -> None:
        """``stage`` reads after "while": "running the program", "analysing the resources"."""
        with self._lock:
            self._stage, self._stack, self._resources = stage, stack, 0
        self._draw(force=True)

    def resource_registered(self, _resource=None) -> None:
        with self._lock:
            self._resources += 1
        self._draw()

    def describe(self) -> str:
        with self._lock:
            text = self._stage
            if self._stack:
                text += f" of stack {self._stack}"
            if self._stage == "running the program":
                text += f" ({self._resources} resource(s) registered)"
            return text

    def _draw(self, force: bool = False) -> None:
        if self._status is None:
            return
        now = time.monotonic()
        if force or now - self._drawn_at >= _REDRAW_EVERY:
            self._drawn_at = now
            self._status.update(self.describe())


class Watchdog:
    """Calls ``on_expiry`` with the stage the run was in if it has not finished after ``seconds``.

    A thread, not a signal: a program stuck in a blocking call or a pack that stopped answering holds the
    main thread, and the expiry has to end the process from outside it.
    """

    def __init__(self, seconds: float, progress: Progress, on_expiry: Callable[[str], None]):
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._wait, args=(seconds, progress, on_expiry), daemon=True)

    def _wait(self, seconds: float, progress: Progress, on_expiry: Callable[[str], None]) -> None:
        if not self._done.wait(seconds):
            on_expiry(progress.describe())

    def start(self) -> "Watchdog":
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._done.set()
