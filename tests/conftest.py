"""Shared pytest fixtures. The runner fixtures (owned by preflight) come first; add yours below."""

from __future__ import annotations

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from preflight.runner import RunResult, run_program  # noqa: E402

PROGRAMS = os.path.join(ROOT, "tests", "programs")
POLICY_PACKS = os.path.join(ROOT, "tests", "policy_packs")


@pytest.fixture(scope="session")
def portal_run():
    """``portal_run(stack, mode="preview", overrides=None) -> RunResult`` of the project root program.

    Cached per (stack, mode, overrides) for the whole session: treat the result as read-only.
    """
    cache: dict = {}

    def run(stack: str, mode: str = "preview", overrides: dict | None = None) -> RunResult:
        key = (stack, mode, tuple(sorted((overrides or {}).items())))
        if key not in cache:
            cache[key] = run_program(ROOT, stack, mode, overrides)
        return cache[key]

    return run


@pytest.fixture(scope="session")
def run_stack(portal_run):
    """Alias of ``portal_run`` (the name docs/conventions.md uses)."""
    return portal_run


@pytest.fixture(scope="session")
def program_run():
    """``program_run(name, stack, mode="preview", overrides=None)`` for a program in tests/programs/, cached."""
    cache: dict = {}

    def run(name: str, stack: str, mode: str = "preview", overrides: dict | None = None) -> RunResult:
        key = (name, stack, mode, tuple(sorted((overrides or {}).items())))
        if key not in cache:
            cache[key] = run_program(os.path.join(PROGRAMS, name), stack, mode, overrides)
        return cache[key]

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
