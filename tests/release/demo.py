"""A recorded session of `python -m release` against moto, in-process: `python -m tests.release.demo`.

Prints each command as a shell line, then what the tool printed (stdout, then stderr) and its exit code. The
stacks, the Pulumi side and the instance refresh progression are the test world's (tests/release/world.py):
staging and prod both run 2026-12-01.1; a refresh succeeds unless the world's plan says "rollback".
"""

from __future__ import annotations

import io
import os
import shlex
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from moto import mock_aws
from rich.console import Console

from release.cli import Deps, main
from tests.release.world import World, build_archive, new_world, record_history

WIDTH = 118


def run(world: World, *argv: str) -> int:
    out, err = io.StringIO(), io.StringIO()
    deps = Deps(stack=lambda name: world.stacks[name], aws=world.session, sleep=world.sleep, clock=world.clock,
                now=lambda: datetime.now(timezone.utc),
                console=Console(file=out, width=WIDTH, force_terminal=False, color_system=None), errors=err)
    print(f"$ python -m release {shlex.join(argv)}")
    code = main(list(argv), deps)
    sys.stdout.write(out.getvalue() + err.getvalue())
    print(f"[exit {code}]\n")
    return code


def session(directory: Path) -> list[int]:
    world = new_world()
    record_history(world, directory)
    os.chdir(directory)
    first = build_archive("2026-12-06.1", path=Path("portal-2026-12-06.1.tar.gz")).name
    bad = build_archive("2026-12-06.2", path=Path("portal-2026-12-06.2.tar.gz")).name
    codes = [
        run(world, "status", "--stack", "staging", "--stack", "prod"),
        run(world, "upload", "--stack", "staging", "--archive", first),
        run(world, "promote", "--from", "staging", "--to", "prod", "--release", "2026-12-06.1"),
        run(world, "deploy", "--stack", "staging", "--release", "2026-12-06.1", "--image", "ami-0fedcba9876543210"),
        run(world, "promote", "--from", "staging", "--to", "prod", "--release", "2026-12-06.1"),
        run(world, "upload", "--stack", "staging", "--archive", bad),
    ]
    world.refreshes.plan = "rollback"  # 2026-12-06.2 answers 500: the rollback alarm fires during its refresh
    codes.append(run(world, "deploy", "--stack", "staging", "--release", "2026-12-06.2"))
    world.refreshes.plan = "succeed"
    # The alarm that rolled it back still fires: a refresh started now would fail at once, so the tool refuses.
    codes.append(run(world, "deploy", "--stack", "staging", "--release", "2026-12-06.1"))
    codes += [run(world, "rollback", "--stack", "prod"),
              run(world, "status", "--stack", "staging", "--stack", "prod")]
    return codes


def main_demo() -> int:
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "eu-west-1", "MOTO_EC2_LOAD_DEFAULT_AMIS": "false"})
    here = os.getcwd()
    with mock_aws(), tempfile.TemporaryDirectory() as directory:
        try:
            codes = session(Path(directory))
        finally:
            os.chdir(here)
    expected = [0, 0, 2, 0, 0, 0, 1, 2, 0, 0]
    if codes != expected:
        print(f"demo: exit codes {codes}, expected {expected}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main_demo())
