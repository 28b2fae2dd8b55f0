"""One running policy pack: started at once (``preflight.pack_launch`` says how), its port read later so that
start-up overlaps the program run, its stderr kept for error messages, and always ended: by ``close``, at
exit, and by the kernel if preflight itself dies.
"""

from __future__ import annotations

import atexit
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

from .pack_launch import PolicyPackError, launch_command, launch_env, read_pack_project

PORT_TIMEOUT = float(os.environ.get("PREFLIGHT_PACK_START_TIMEOUT", "120"))

_LIVE: set["PackProcess"] = set()
_LIVE_LOCK = threading.Lock()


def kill_all() -> None:
    with _LIVE_LOCK:
        procs = list(_LIVE)
    for p in procs:
        p.close()


atexit.register(kill_all)


# Exec'd in front of the pack command: asks Linux to kill the pack if preflight dies (even by SIGKILL),
# then becomes exactly the pack's command (same pid). Doing this in a preexec_fn would force a fork()
# while gRPC threads run; this keeps the cheap vfork path.
_PDEATHSIG_EXEC = (
    "import ctypes,os,signal,sys\n"
    "try:\n ctypes.CDLL('libc.so.6').prctl(1, signal.SIGKILL)\n"
    "except Exception:\n pass\n"
    # preflight may have died before prctl took effect: then nobody would ever end this pack.
    "if str(os.getppid()) != os.environ.pop('PREFLIGHT_PARENT_PID', str(os.getppid())):\n os._exit(1)\n"
    "os.execv(sys.argv[1], sys.argv[1:])"
)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_JS_FRAME = re.compile(r"^\s+at\s.*(?:\d+:\d+\)?|\((?:<anonymous>|native)\))$")
_JS_ERROR = re.compile(r"^\s*(?:[A-Za-z_$][\w$.]*)?(?:Error|Exception)\b(?:\s*\[[^\]]*\])?(?::.*)?$")


def error_message(lines: list[str]) -> str:
    """The line that names the error in a pack's stderr (or an RPC's details).

    Python prints the exception last (``RuntimeError: ...``). Node.js prints its error first and the stack
    after it (``Error: ...`` then ``    at ...`` frames, and sometimes the error's fields), so the message is
    the last error line before the first frame, not the last line.
    """
    clean = [_ANSI.sub("", ln).rstrip() for ln in lines]
    clean = [ln for ln in clean if ln.strip()]
    first_frame = next((i for i, ln in enumerate(clean) if _JS_FRAME.match(ln)), None)
    if first_frame is not None:
        for ln in reversed(clean[:first_frame]):
            if _JS_ERROR.match(ln):
                return ln.strip()
        if first_frame:
            return clean[first_frame - 1].strip()
    return clean[-1].strip() if clean else ""


class PackProcess:
    """One running pack: started at once, its port read later, so start-up overlaps the program run."""

    def __init__(self, pack_dir: str, project: str, stack: str, dry_run: bool, config: dict[str, str],
                 engine_address: str, organization: str = "organization"):
        self.display = pack_dir
        self.project_info = read_pack_project(pack_dir)
        self.path = self.project_info.path
        env = launch_env(self.project_info, stack_project=project, stack=stack, dry_run=dry_run, config=config,
                         organization=organization)
        env["PREFLIGHT_PARENT_PID"] = str(os.getpid())
        self.stdout_lines: list[str] = []
        self.stderr_lines: list[str] = []
        self._first: queue.Queue = queue.Queue()
        self._closed = False
        self.port: int | None = None
        command = launch_command(self.project_info, engine_address)
        if sys.platform.startswith("linux"):
            launcher = self.project_info.interpreter or sys.executable
            command = [launcher, "-S", "-c", _PDEATHSIG_EXEC] + command
        self.command = command
        try:
            self.proc = subprocess.Popen(
                command, cwd=self.path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, start_new_session=True,
            )
        except OSError as e:
            raise PolicyPackError(f"policy pack {pack_dir} could not be started: {e.strerror}") from None
        with _LIVE_LOCK:
            _LIVE.add(self)
        self._threads = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _read_stdout(self) -> None:
        first = True
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if first:
                self._first.put(line)
                first = False
            else:
                self.stdout_lines.append(line)
        if first:
            self._first.put(None)

    def _read_stderr(self) -> None:
        for raw in iter(self.proc.stderr.readline, b""):
            self.stderr_lines.append(raw.decode("utf-8", "replace").rstrip("\r\n"))

    def last_error_line(self) -> str:
        """What the pack said about its failure on stderr, once it has exited."""
        for t in self._threads[1:]:
            t.join(timeout=2)
        return error_message(self.stderr_lines) or "no output on stderr"

    def wait_port(self, timeout: float = PORT_TIMEOUT) -> int:
        if self.port is not None:
            return self.port
        deadline = time.monotonic() + timeout
        line = None
        while True:
            try:
                line = self._first.get(timeout=0.05)
                break
            except queue.Empty:
                if time.monotonic() > deadline:
                    self.close()
                    raise PolicyPackError(
                        f"policy pack {self.display} did not report its port within {timeout:.0f}s") from None
        if line is None:
            code = self.proc.wait(timeout=10)
            reason = self.last_error_line()
            self.close()
            raise PolicyPackError(
                f"policy pack {self.display} exited with code {code} before reporting its port: {reason}")
        if not re.fullmatch(r"\s*\d+\s*", line):
            self.close()
            shown = line if len(line) <= 80 else line[:77] + "..."
            raise PolicyPackError(
                f"policy pack {self.display} printed {shown!r} before its port; a pack must print nothing "
                "before the port (keep policies importable and let the pack's entry point only build the pack)")
        self.port = int(line)
        return self.port

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    self.proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    try:
                        os.killpg(self.proc.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    self.proc.wait(timeout=3)
            else:
                # The pack may have left children of its own in its session.
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        finally:
            for s in (self.proc.stdout, self.proc.stderr):
                try:
                    s.close()
                except Exception:  # noqa: BLE001
                    pass
            with _LIVE_LOCK:
                _LIVE.discard(self)
