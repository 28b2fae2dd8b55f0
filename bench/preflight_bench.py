"""Prints preflight's speed on this machine (a benchmark, never a timed test).

    venv/bin/python bench/preflight_bench.py [--stack staging --stack prod] [--policy-pack policies] [--repeat 3]

1. The floor: a fresh interpreter importing pulumi and pulumi_aws and evaluating the program under the
   SDK's plain mocks (no recording, no analysis).
2. `python -m preflight --stack S --policy-pack P` wall time per stack, and its ratio to the floor (goal <= 1.5x).
3. Policy analysis alone (the whole analyzer protocol, pack already started) on synthetic stacks of 100, 1,000
   and 10,000 resources: time per resource (goal: grows <= 1.2x from 100 to 10,000; 10,000 in under 10 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

FLOOR = r"""
import runpy, sys
import pulumi, pulumi_aws
from pulumi.runtime import mocks, set_all_config
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await
sys.path.insert(0, {root!r})
from preflight.config import load_stack_config
cfg = load_stack_config({cwd!r}, {stack!r})

class Plain(mocks.Mocks):
    def new_resource(self, args):
        return "", args.inputs
    def call(self, args):
        if args.token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            r = cfg.values.get("aws:region", "us-east-1")
            return {{"names": [r + c for c in "abcdef"], "zoneIds": ["az%d" % i for i in range(6)]}}
        return {{}}

mocks.set_mocks(Plain(), project=cfg.project, stack=cfg.stack, preview=True)
set_all_config(cfg.values, cfg.secret_keys)
sys.path.insert(0, cfg.program_dir)
import os; os.chdir(cfg.program_dir)
_sync_await(run_pulumi_func(lambda: runpy.run_path(cfg.main, run_name="__main__")))
"""


def _time(cmd: list[str], repeat: int, ok=(0, 1)) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if p.returncode not in ok:
            raise SystemExit(f"{' '.join(cmd[:4])}... failed ({p.returncode}): {p.stderr.strip()[-300:]}")
    return statistics.median(times)


def synthetic_run(n: int):
    """A RunResult shaped like a real stack: components with children, dependencies, secrets."""
    from preflight.runner import Resource, RunResult

    project, stack = "bench", "synthetic"
    root = f"urn:pulumi:{stack}::{project}::pulumi:pulumi:Stack::{project}-{stack}"
    resources = [Resource(root, "pulumi:pulumi:Stack", f"{project}-{stack}", False, None, (), {}, False, {}, {},
                          None, None, {}, ())]
    comp = None
    for i in range(n - 1):
        if i % 20 == 0:
            comp = f"urn:pulumi:{stack}::{project}::bench:index:Tier::tier-{i}"
            resources.append(Resource(comp, "bench:index:Tier", f"tier-{i}", False, root, (), {}, False, {}, {},
                                      None, None, {}, ()))
            continue
        kind = i % 3
        typ = ["aws:s3/bucket:Bucket", "aws:ec2/subnet:Subnet", "aws:rds/instance:Instance"][kind]
        urn = f"urn:pulumi:{stack}::{project}::bench:index:Tier${typ}::r-{i}"
        prev = resources[-1].urn
        inputs = {"tags": {"n": str(i)} if i % 7 else {}, "cidrBlock": f"10.{i % 250}.0.0/24",
                  "multiAz": True, "password": "s3cret", "nested": {"a": [1.0, 2.0, {"b": "c"}]}}
        resources.append(Resource(urn, typ, f"r-{i}", True, comp, (prev,), {"vpcId": (prev,)}, False, inputs,
                                  dict(inputs, arn="04da6b54-80e4-46f7-96ec-b56ff0331ba9"), None, None,
                                  {"version": "7.51.1"}, ("password",)))
    return RunResult(project, stack, "preview", resources, [], {}, {"aws:region": "eu-west-1"}, [], None)


def analysis_alone(pack: str, sizes: list[int]) -> list[tuple[int, float, float]]:
    from preflight.analyze_session import analyze
    from preflight.analyzer_wire import wire_resources
    from preflight.engine_stand_in import EngineServer
    from preflight.pack_process import PackProcess, kill_all

    rows = []
    engine = EngineServer()
    try:
        for n in sizes:
            run = synthetic_run(n)
            proc = PackProcess(pack, run.project, run.stack, True, run.config, engine.address)
            proc.wait_port()
            t = time.perf_counter()
            wire = wire_resources(run)
            res = analyze(proc, run, wire, None, engine_address=engine.address)
            elapsed = time.perf_counter() - t
            rows.append((n, elapsed, elapsed / n, res.timings))
    finally:
        kill_all()
        engine.stop()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cwd", default=ROOT)
    ap.add_argument("--stack", action="append", default=[])
    ap.add_argument("--policy-pack", action="append", default=[])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--quick", action="store_true", help="scale only the minimal pack (the real one takes minutes)")
    args = ap.parse_args()
    stacks = args.stack or ["staging", "prod"]
    packs = args.policy_pack or ([os.path.join(ROOT, "policies")] if os.path.isdir(os.path.join(ROOT, "policies")) else [])
    py = sys.executable
    print(f"machine: {os.cpu_count()} CPUs, python {sys.version.split()[0]}; median of {args.repeat} runs")
    print("\n1-2. whole program (fresh interpreter each time)")
    print(f"    {'stack':10} {'floor s':>8} {'preflight s':>12} {'ratio':>6}   (preflight = run + {len(packs)} pack(s))")
    for s in stacks:
        floor = _time([py, "-c", FLOOR.format(root=ROOT, cwd=os.path.abspath(args.cwd), stack=s)], args.repeat)
        cmd = [py, "-m", "preflight", "--cwd", args.cwd, "--stack", s]
        for p in packs:
            cmd += ["--policy-pack", p]
        pf = _time(cmd + ["--json"], args.repeat)
        print(f"    {s:10} {floor:8.2f} {pf:12.2f} {pf / floor:5.2f}x   goal <= 1.50x")
    sizes = [int(x) for x in args.sizes.split(",")]
    for pack in [os.path.join(ROOT, "bench", "pack")] + ([] if args.quick else packs):
        print(f"\n3. policy analysis alone, pack {os.path.relpath(pack, ROOT)} (started beforehand; all RPCs)")
        print(f"    {'resources':>9} {'total s':>8} {'per resource ms':>16} {'growth':>7}   analyze / analyzeStack s")
        rows = analysis_alone(pack, sizes)
        base = rows[0][2]
        for n, total, per, tm in rows:
            print(f"    {n:9d} {total:8.2f} {per * 1000:16.3f} {per / base:6.2f}x   "
                  f"{tm.get('analyze', 0):.2f} / {tm.get('analyzeStack', 0):.2f}")
        print(f"    goals: growth <= 1.20x (got {rows[-1][2] / base:.2f}x); "
              f"{rows[-1][0]} resources < 10 s (got {rows[-1][1]:.2f} s)")


if __name__ == "__main__":
    main()
