"""Running a program with the virtualenv its Pulumi.yaml names, as the CLI's Python language host does.

`runtime.options.virtualenv` points the CLI at the program's own environment, so what is previewed is
the program with its own pinned pulumi and pulumi-aws. When that virtualenv exists and has pulumi, the
program runs in a child process on that interpreter (preflight/program_child.py) and its resources stream
back over a pipe as they register; otherwise it runs in this process.

The child finds the program's packages first and the preflight's own modules (and any library they need
that the program's environment lacks) after them, so the program's versions are the ones judged.
"""

from __future__ import annotations

import dataclasses
import glob
import json
import os
import subprocess
import sys
import sysconfig
import threading
from typing import Any, Callable

_REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _has_pulumi(venv: str) -> bool:
    return bool(glob.glob(os.path.join(venv, "lib", "python*", "site-packages", "pulumi", "__init__.py"))
                or os.path.isfile(os.path.join(venv, "Lib", "site-packages", "pulumi", "__init__.py")))


def program_python(venv: str) -> str | None:
    """The interpreter to run the program with, or None to run it here.

    None when no virtualenv is named, when it does not exist or has no pulumi (the CLI would fail to start
    such a program; here it runs with the preflight's own SDK, as before), or when it is the environment
    this process already runs in.
    """
    if not venv or not _has_pulumi(venv):
        return None
    for candidate in (os.path.join(venv, "bin", "python"), os.path.join(venv, "Scripts", "python.exe")):
        if os.path.isfile(candidate):
            if os.path.realpath(venv) == os.path.realpath(sys.prefix):
                return None
            return candidate
    return None


def _our_paths() -> list[str]:
    paths = [_REPO_ROOT]
    for key in ("purelib", "platlib"):
        p = sysconfig.get_paths().get(key)
        if p and p not in paths:
            paths.append(p)
    return paths


from .config import StackConfigError


class ChildError(StackConfigError):
    """The program's virtualenv could not run the program at all (not the program's own failure)."""


def run_in_child(python: str, cfg: Any, mode: str, on_resource: Callable | None, offline_facts: Any = None):
    """Run ``cfg``'s program on ``python`` and rebuild its RunResult here; ``on_resource`` sees each resource
    as the child registers it."""
    from . import runner

    read_fd, write_fd = os.pipe()
    request = {"config": dataclasses.asdict(cfg), "mode": mode, "fd": write_fd, "paths": _our_paths(),
               "stream": on_resource is not None,
               "facts": dataclasses.asdict(offline_facts) if offline_facts is not None else None}
    bootstrap = ("import json, sys; request = json.loads(sys.stdin.readline()); sys.path += request['paths'];"
                 " from preflight.program_child import main; main(request)")
    # The child sends its own stdout to stderr (the program's prints never mix with a report).
    proc = subprocess.Popen([python, "-c", bootstrap], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, pass_fds=(write_fd,), cwd=cfg.program_dir, text=True)
    os.close(write_fd)
    stderr_lines: list[str] = []

    def drain_stderr() -> None:
        for line in proc.stderr:
            stderr_lines.append(line)
            sys.stderr.write(line)  # the program's own prints and warnings, as in a run here

    drainer = threading.Thread(target=drain_stderr, daemon=True)
    drainer.start()
    proc.stdin.write(json.dumps(request) + "\n")
    proc.stdin.close()
    try:
        result, listener_error, child_error = _receive(read_fd, on_resource, runner)
    except BaseException:  # Ctrl-C or a broken message: the child must not outlive the run
        proc.kill()
        proc.wait()
        raise
    proc.wait()
    drainer.join(timeout=5)
    if listener_error is not None:
        raise runner.ListenerError(listener_error)
    if child_error is not None:
        raise ChildError(f"the program's virtualenv interpreter {python} cannot load the Pulumi SDK: {child_error}")
    if result is None:
        last = next((ln.strip() for ln in reversed(stderr_lines) if ln.strip()), "no output")
        raise ChildError(f"the program's virtualenv interpreter {python} exited with code {proc.returncode} "
                         f"before the program finished: {last}")
    return result


def _receive(read_fd: int, on_resource, runner):
    result = listener_error = child_error = None
    with os.fdopen(read_fd, encoding="utf-8") as messages:
        for line in messages:
            msg = json.loads(line)
            if "resource" in msg and on_resource is not None and listener_error is None:
                res = runner.resource_from_json(msg["resource"])
                try:
                    on_resource(res)
                except Exception as e:  # noqa: BLE001 - reported as the run's ListenerError below
                    listener_error = f"the resource listener failed on {res.urn}: {type(e).__name__}: {e}"
            elif "result" in msg:
                result = runner.run_result_from_json(msg["result"])
            elif "childError" in msg:
                child_error = msg["childError"]
    return result, listener_error, child_error
