"""Every process the drill starts runs in its own process group, and none outlives the drill.

Three layers, because each misses a case the next one covers: the drill stops its services in a `finally`; atexit
and handlers for SIGTERM, SIGINT and SIGHUP turn a signal into a normal exit that runs the same code; and a guardian
process kills the remaining groups when the drill's pipe to it closes, which also happens on SIGKILL. Killing a
whole group matters because `php -S` with workers is several processes, and its workers survive their parent.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from drill.stack import ROOT, DrillError

# Every process of one drill run carries this variable, so a test can prove none is left.
RUN_TAG = "PORTAL_DRILL_RUN"


class Supervisor:
    def __init__(self, run_dir: Path, run_id: str):
        self.run_dir = run_dir
        self.env = {**os.environ, RUN_TAG: run_id}
        self._procs: dict[str, subprocess.Popen] = {}
        self._lock = threading.Lock()
        self._guardian = subprocess.Popen([sys.executable, "-m", "drill.guardian"], stdin=subprocess.PIPE,
                                          cwd=ROOT, env=self.env, start_new_session=True, text=True)
        atexit.register(self.stop_all)
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, _exit_on_signal)

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None,
              cwd: Path | None = None) -> subprocess.Popen:
        log = open(self.run_dir / f"{name}.log", "ab")
        with self._lock:
            try:
                proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                        cwd=cwd, env={**self.env, **(env or {})}, start_new_session=True)
            except FileNotFoundError:
                raise DrillError(f"{argv[0]} is not installed: run the Debian package installation in .ci/run") \
                    from None
            finally:
                log.close()
            self._procs[name] = proc
            self._tell_guardian(f"+{proc.pid}")
        return proc

    def wait(self, name: str, timeout: float) -> int:
        """Waits for a short command started with `start`; returns its exit status."""
        try:
            code = self._procs[name].wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill(name)
            raise DrillError(f"{name}: still running after {timeout:.0f} s") from None
        self._forget(name)
        return code

    def run(self, name: str, argv: list[str], env: dict[str, str] | None = None, timeout: float = 60) -> str:
        """Runs a short command to completion; returns its output, raises DrillError with it on failure."""
        self.start(name, argv, env)
        code = self.wait(name, timeout)
        output = (self.run_dir / f"{name}.log").read_text(errors="replace")
        if code != 0:
            raise DrillError(f"{name} failed (exit {code}): {output.strip()[-2000:]}")
        return output

    def kill(self, name: str) -> float:
        """SIGKILL to the whole group: a server dying, not shutting down. Returns when the signal was sent (so a
        time measured from it is never shorter than the truth); on return no process of the group is left."""
        return self.stop(name, signal.SIGKILL)

    def stop(self, name: str, signum: int = signal.SIGTERM, grace: float = 10) -> float:
        proc = self._procs.get(name)
        if proc is None:
            return time.monotonic()
        _killpg(proc.pid, signum)
        died = time.monotonic()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            _killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        # The rest of the group (php -S workers) may outlive the leader by a moment, still accepting connections.
        deadline = time.monotonic() + 5
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            _killpg(proc.pid, signal.SIGKILL)
            time.sleep(0.005)
        self._forget(name)
        return died

    def running(self, name: str) -> bool:
        proc = self._procs.get(name)
        return proc is not None and proc.poll() is None

    def stop_all(self) -> None:
        for name in list(self._procs):
            self.stop(name, grace=5)
        if self._guardian.poll() is None:
            self._guardian.stdin.close()
            self._guardian.wait(10)

    def _forget(self, name: str) -> None:
        with self._lock:
            proc = self._procs.pop(name, None)
            if proc is not None:
                self._tell_guardian(f"-{proc.pid}")

    def _tell_guardian(self, line: str) -> None:
        try:
            self._guardian.stdin.write(line + "\n")
            self._guardian.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass


def _killpg(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _group_alive(pgid: int) -> bool:
    """Whether a process of group `pgid` still runs (zombies, which hold no socket, do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


def _exit_on_signal(signum: int, _frame) -> None:
    # SystemExit unwinds the main thread through its `finally` blocks, then atexit runs: the services stop.
    signal.signal(signum, signal.SIG_IGN)
    raise SystemExit(128 + signum)
