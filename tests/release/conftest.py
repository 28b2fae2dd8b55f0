"""Fixtures of the release tool tests: a moto world (staging and prod) and a runner of `python -m release`."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from moto import mock_aws
from rich.console import Console

from release.cli import Deps, main
from tests.release.world import World, new_world


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_tool(world: World, *argv: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    deps = Deps(stack=lambda name: world.stacks[name], aws=world.session, sleep=world.sleep, clock=world.clock,
                now=lambda: datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc),
                console=Console(file=out, width=200, force_terminal=False, color_system=None), errors=err)
    code = main(list(argv), deps)
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def world(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "eu-west-1",
                       # The portal pins its own image ids; moto's catalogue of public images only costs seconds.
                       "MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        yield new_world()
