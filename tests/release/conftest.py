"""Fixtures of the release tool tests: a moto world (staging and prod) and a runner of `python -m release`."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from moto import mock_aws
from rich.console import Console

from release.cli import Deps, main
from tests.release.world import World, WorldImage, capture_world, new_world, restore_world


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


AWS_ENVIRONMENT = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
                   "AWS_DEFAULT_REGION": "eu-west-1",
                   # The portal pins its own image ids; moto's catalogue of public images only costs seconds.
                   "MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}


@pytest.fixture(scope="session")
def world_image() -> WorldImage:
    """The two stacks built once per process; each test starts from its own copy, not from a rebuild."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        for key, value in AWS_ENVIRONMENT.items():
            monkeypatch.setenv(key, value)
        with mock_aws():
            return capture_world(new_world())


@pytest.fixture
def world(monkeypatch, world_image):
    for key, value in AWS_ENVIRONMENT.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        yield restore_world(world_image)
