"""Shared pytest fixtures. The runner fixtures (owned by preflight) come first; add yours below."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import io
import os
import pickle
import signal
import subprocess
import sys
import warnings

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from preflight.runner import RunResult, run_program  # noqa: E402

PROGRAMS = os.path.join(ROOT, "tests", "programs")


def pytest_configure(config):
    # The tests hold large object graphs for the whole session (pulumi_aws, the cached program runs, policy
    # graphs); with CPython's default thresholds the cyclic collector rescans them thousands of times, a fifth
    # of the suite's CPU. Nothing under test relies on prompt collection of cycles.
    gc.set_threshold(50_000, 50, 1000)
POLICY_PACKS = os.path.join(ROOT, "tests", "policy_packs")


class SharedRuns:
    """Program runs computed once per test session, shared by the test processes of one `pytest -n` run.

    Each key is run by one process (under an exclusive lock on its file) and pickled beside the others; every
    other process loads the pickle. Each process also keeps the runs it used in memory. The folder belongs to
    this session (pytest's base temp), so nothing outlives it.
    """

    def __init__(self, folder: str):
        self.folder = folder
        self.memory: dict = {}

    def get(self, key: tuple, compute) -> RunResult:
        if key not in self.memory:
            self.memory[key] = self._shared(key, compute)
        return self.memory[key]

    def _shared(self, key: tuple, compute) -> RunResult:
        name = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
        path = os.path.join(self.folder, name + ".pickle")
        with open(path + ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    return pickle.load(f)
            result = compute()
            with open(path + ".tmp", "wb") as f:
                pickle.dump(result, f)
            os.replace(path + ".tmp", path)
            return result


@pytest.fixture(scope="session")
def shared_runs(tmp_path_factory) -> SharedRuns:
    base = tmp_path_factory.getbasetemp()
    # Under pytest-xdist each process has its own base temp inside the session's; the runs go beside them.
    folder = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    os.makedirs(folder / "program-runs", exist_ok=True)
    return SharedRuns(str(folder / "program-runs"))


@pytest.fixture(scope="session")
def portal_run(shared_runs):
    """``portal_run(stack, mode="preview", overrides=None) -> RunResult`` of the project root program.

    Cached per (stack, mode, overrides) for the whole session: treat the result as read-only.
    """

    def run(stack: str, mode: str = "preview", overrides: dict | None = None) -> RunResult:
        key = ("portal", stack, mode, tuple(sorted((overrides or {}).items())))
        return shared_runs.get(key, lambda: run_program(ROOT, stack, mode, overrides))

    return run


@pytest.fixture(scope="session")
def run_stack(portal_run):
    """Alias of ``portal_run`` (the name docs/conventions.md uses)."""
    return portal_run


@pytest.fixture(scope="session")
def program_run(shared_runs):
    """``program_run(name, stack, mode="preview", overrides=None)`` for a program in tests/programs/, cached."""

    def run(name: str, stack: str, mode: str = "preview", overrides: dict | None = None) -> RunResult:
        key = ("program", name, stack, mode, tuple(sorted((overrides or {}).items())))
        return shared_runs.get(key, lambda: run_program(os.path.join(PROGRAMS, name), stack, mode, overrides))

    return run


# ---- fixtures owned by others go below this line ----

STACKS = ("staging", "prod")
MODES = ("preview", "update")


@pytest.fixture(params=[(s, m) for s in STACKS for m in MODES], ids=lambda p: f"{p[0]}-{p[1]}")
def run(request, portal_run) -> RunResult:
    """The portal program for each stack in each runner mode (a first preview, and an update)."""
    result = portal_run(*request.param)
    assert result.error is None, result.error
    return result


def linked(resource, key: str) -> set[str]:
    """The URNs an input was built from: the resource's property dependencies for that input key.

    In preview mode every ID is unknown, so links between resources are asserted through these, never IDs.
    """
    return set(resource.property_dependencies.get(key, ()))


def run_preflight_here(*args: str) -> subprocess.CompletedProcess:
    """``python -m preflight ARGS`` run from the repository root in this process, with what a subprocess run
    returns (exit code, stdout, stderr).

    The same main function a subprocess runs, without a second interpreter importing pulumi and pulumi_aws;
    tests about processes themselves (signals, timeouts, leftovers, what reaches a real stderr at exit)
    start ``python -m preflight`` instead."""
    from preflight import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            warnings.catch_warnings():
        code = cli.main(list(args))
        # A failed program leaves SDK coroutines nobody awaits; the CLI silences their warnings for the rest of
        # its process, so they are collected here, while that filter still holds, not in a later test.
        gc.collect()
    return subprocess.CompletedProcess(["python", "-m", "preflight", *args], code, out.getvalue(), err.getvalue())


def start_interruptible(args: list[str], **popen) -> subprocess.Popen:
    """``subprocess.Popen(args)`` with Ctrl-C (SIGINT) raising KeyboardInterrupt in the child, as for a command
    typed at a terminal.

    A shell starts background jobs with SIGINT ignored, and Python keeps an ignored SIGINT ignored: when these
    tests run under such a job, a child started plainly would never see the SIGINT a test sends it. A handled
    signal is reset to its default across exec, so handling it here for the moment of the start is enough."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(args, **popen)
    finally:
        signal.signal(signal.SIGINT, previous)
