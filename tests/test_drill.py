"""The failover drill (`python -m drill`) with real MariaDB, memcached, PHP and HAProxy: every scenario passes within
the staging stack's own health-check bounds, and no process of the drill survives it, however the drill ends."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from drill.processes import RUN_TAG
from drill.run import table, Row
from drill.services import haproxy_files
from drill.stack import health_check
from preflight.config import load_stack_config
from components.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("0 concurrent boot", "1 sticky server dies", "2 dead server leaves rotation", "3 cache outage",
             "4a database down", "4b database back", "5 broken release")


def staging_edge():
    config = load_stack_config(str(ROOT), "staging")
    return load_settings({k.split(":", 1)[1]: v for k, v in config.values.items() if k.startswith("portal:")},
                         "staging").edge


def leftovers(tag: str) -> list[str]:
    """Live processes (not zombies) that carry this drill run's tag in their environment."""
    found = []
    marker = f"{RUN_TAG}={tag}".encode()
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker not in environ.read_bytes().split(b"\0"):
                continue
            state = (environ.parent / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (environ.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if state != "Z":
            found.append(f"{environ.parent.name}: {cmdline}")
    return found


def wait_for_no_leftovers(tag: str, seconds: float = 10) -> list[str]:
    deadline = time.monotonic() + seconds
    while (found := leftovers(tag)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def start_drill(tag: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "drill"], cwd=ROOT, env={**os.environ, RUN_TAG: tag},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def drill_run():
    tag = f"test-{uuid.uuid4().hex[:12]}"
    proc = start_drill(tag)
    stdout, stderr = proc.communicate(timeout=170)
    return proc.returncode, stdout, stderr, tag


def rows_of(stdout: str) -> dict[str, list[str]]:
    rows = {}
    for line in stdout.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4:
            rows[cells[0]] = cells[1:]
    return rows


def test_every_scenario_passes_and_is_in_the_table(drill_run):
    code, stdout, stderr, _ = drill_run
    rows = rows_of(stdout)
    assert list(rows) == list(SCENARIOS), stdout + stderr
    assert {name: row[2] for name, row in rows.items()} == {name: "pass" for name in SCENARIOS}, stdout + stderr
    assert code == 0
    assert f"{len(SCENARIOS)}/{len(SCENARIOS)} passed" in stdout


def test_times_are_measured_against_the_staging_stack_health_check(drill_run):
    _, stdout, stderr, _ = drill_run
    edge = staging_edge()
    rows = rows_of(stdout)
    detection = edge.health_check_interval_seconds * edge.unhealthy_threshold
    recovery = edge.health_check_interval_seconds * edge.healthy_threshold
    assert (f"= {edge.health_check_interval_seconds} x {edge.unhealthy_threshold} = {detection} s"
            in rows["2 dead server leaves rotation"][0])
    assert f"= {edge.health_check_interval_seconds} x {edge.healthy_threshold} = {recovery} s" in rows["4b database back"][0]
    for name, bound in (("2 dead server leaves rotation", detection), ("4a database down", detection),
                        ("4b database back", recovery)):
        times = [float(t) for t in re.findall(r"app\d (\d+\.\d+) s", rows[name][1])]
        assert times, rows[name]
        # The drill itself passes a time only within the bound plus the deciding check's duration and 10 ms of
        # polling; this looser cap holds whatever a check took.
        assert all(0 < t <= bound + 0.5 for t in times), (name, times)
    # A dead server cannot be detected before its unhealthy threshold's checks: interval x (threshold - 1) at least.
    dead = float(re.search(r"app\d (\d+\.\d+) s", rows["2 dead server leaves rotation"][1]).group(1))
    assert dead >= edge.health_check_interval_seconds * (edge.unhealthy_threshold - 1)


def test_the_drill_leaves_no_process_behind(drill_run):
    _, _, _, tag = drill_run
    assert wait_for_no_leftovers(tag) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_drill_leaves_no_process_behind(signum):
    tag = f"test-{uuid.uuid4().hex[:12]}"
    proc = start_drill(tag)
    run_dir = None
    try:
        for line in proc.stderr:
            if line.startswith("drill: run folder "):
                run_dir = Path(line.split("drill: run folder ", 1)[1].strip())
            if "in service behind HAProxy" in line:
                break
        else:
            pytest.fail(f"the drill ended before its services were up: {proc.wait()}")
        assert len(leftovers(tag)) >= 8  # guardian, MariaDB, memcached, 4 servers (with workers), HAProxy
        proc.send_signal(signum)
        code = proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert code == (128 + signum if signum != signal.SIGKILL else -signal.SIGKILL)
    assert wait_for_no_leftovers(tag) == []
    if signum == signal.SIGKILL:
        # Nothing in the drill runs after SIGKILL; only its processes are the guardian's job, not its folder.
        subprocess.run(["rm", "-rf", str(run_dir)], check=True)
    else:
        assert not run_dir.exists()


def test_the_table_has_a_row_per_scenario_with_its_result():
    text = table([Row("1 a", "x <= 2 s", "1.00 s", True), Row("2 b", "y", "z", False)])
    assert text.splitlines() == [
        "| scenario | expectation | measured | result |",
        "|----------|-------------|----------|--------|",
        "| 1 a      | x <= 2 s    | 1.00 s   | pass   |",
        "| 2 b      | y           | z        | FAIL   |",
    ]


def test_haproxy_checks_exactly_as_the_stack_load_balancer_does(tmp_path):
    edge = staging_edge()
    config, state = haproxy_files(health_check("staging"), [("app1", 8001), ("app2", 8002)], [("app3", 8003)], 8000,
                                  tmp_path / "admin.sock", tmp_path / "servers.state")
    assert f"    option httpchk GET {edge.health_check_path}\n    http-check expect status 200\n" in config
    assert (f"    default-server inter {edge.health_check_interval_seconds}s rise {edge.healthy_threshold} "
            f"fall {edge.unhealthy_threshold}\n") in config
    assert f"    timeout check {edge.health_check_timeout_seconds}s\n" in config
    assert f"maxlife {edge.stickiness_seconds}s" in config
    # Nothing that would make HAProxy faster than the ALB it stands in for.
    settings = "\n".join(line for line in config.splitlines() if not line.strip().startswith("#"))
    for faster in ("fastinter", "downinter", "observe", "on-error", "spread-checks"):
        assert faster not in settings
    healthy = edge.healthy_threshold + edge.unhealthy_threshold - 1
    assert state.splitlines()[2:] == [
        f"3 web 1 app1 127.0.0.1 2 0 1 1 0 1 0 {healthy} 6 0 0 0 - 8001 - 0 0 - - 0",
        f"3 web 2 app2 127.0.0.1 2 0 1 1 0 1 0 {healthy} 6 0 0 0 - 8002 - 0 0 - - 0",
        "3 web 3 app3 127.0.0.1 0 0 1 1 0 1 0 0 6 0 0 0 - 8003 - 0 0 - - 0",
    ]
