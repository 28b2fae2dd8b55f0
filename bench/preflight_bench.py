"""Prints preflight's speed on this machine (a benchmark, never a timed test).

    venv/bin/python bench/preflight_bench.py [--stack staging --stack prod] [--policy-pack policies] [--repeat 3]

1. The floor: a fresh interpreter importing pulumi and pulumi_aws and evaluating the program under the
   SDK's plain mocks (no recording, no analysis).
2. `python -m preflight --stack S --policy-pack P` wall time per stack, and its ratio to the floor (goal <= 1.5x).
3. Policy analysis alone (the whole analyzer protocol, pack already started) on synthetic stacks of 100, 1,000
   and 10,000 resources: time per resource (goal: grows <= 1.2x from 100 to 10,000; 10,000 in under 10 s).
   The minimal pack (bench/pack: one resource and one stack policy) and the real one are measured size by size
   in the same run, so both meet the same load on a shared machine; their ratio is the real pack's own cost.
   Besides wall time, the CPU seconds (user + sys) of the pack's process and of this one (the host: building
   the requests, gRPC client) during the analysis, which load on the machine does not inflate.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

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


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a live process has used (Linux /proc), None where that cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


@dataclass
class Analysis:
    resources: int
    wall: float  # seconds, from the first Analyze request built to the AnalyzeStack response
    pack_cpu: float | None  # the pack process's CPU seconds in that time
    host_cpu: float  # this process's CPU seconds in that time (request building, gRPC client, results)
    timings: dict

    @property
    def per_resource(self) -> float:
        return self.wall / self.resources


def analysis_alone(pack: str, n: int, engine_address: str) -> Analysis:
    from preflight.analyze_session import analyze
    from preflight.analyzer_wire import wire_resources
    from preflight.pack_process import PackProcess

    run = synthetic_run(n)
    proc = PackProcess(pack, run.project, run.stack, True, run.config, engine_address)
    proc.wait_port()
    used = {}
    close = proc.close

    def close_after_reading_cpu() -> None:  # the session ends the pack itself once AnalyzeStack has answered
        used.setdefault("pack", _cpu_seconds(proc.proc.pid))
        close()

    proc.close = close_after_reading_cpu
    try:
        pack_before, host_before, t = _cpu_seconds(proc.proc.pid), time.process_time(), time.perf_counter()
        wire = wire_resources(run)
        res = analyze(proc, run, wire, None, engine_address=engine_address)
        wall, host = time.perf_counter() - t, time.process_time() - host_before
    finally:
        close_after_reading_cpu()
    pack_cpu = used["pack"] - pack_before if used.get("pack") is not None and pack_before is not None else None
    return Analysis(n, wall, pack_cpu, host, res.timings)


def _cpu_text(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds:.2f}"


def scaling(packs: list[str], sizes: list[int]) -> None:
    from preflight.engine_stand_in import EngineServer
    from preflight.pack_process import kill_all

    names = [os.path.relpath(p, ROOT) for p in packs]
    rows: dict[str, list[Analysis]] = {name: [] for name in names}
    print("\n3. policy analysis alone (pack started beforehand; every RPC; the packs alternate size by size)")
    print(f"    {'pack':12} {'resources':>9} {'total s':>8} {'per resource ms':>16} {'growth':>7} "
          f"{'pack cpu s':>10} {'host cpu s':>10}   analyze / analyzeStack s")
    engine = EngineServer()
    try:
        for n in sizes:
            for pack, name in zip(packs, names):
                a = analysis_alone(pack, n, engine.address)
                rows[name].append(a)
                base = rows[name][0].per_resource
                print(f"    {name:12} {n:9d} {a.wall:8.2f} {a.per_resource * 1000:16.3f} {a.per_resource / base:6.2f}x "
                      f"{_cpu_text(a.pack_cpu):>10} {a.host_cpu:10.2f}   "
                      f"{a.timings.get('analyze', 0):.2f} / {a.timings.get('analyzeStack', 0):.2f}", flush=True)
    finally:
        kill_all()
        engine.stop()
    for name in names:
        first, last = rows[name][0], rows[name][-1]
        print(f"    {name}: growth {last.per_resource / first.per_resource:.2f}x (goal <= 1.20x); "
              f"{last.resources} resources in {last.wall:.2f} s (goal < 10 s)")
    if len(names) > 1:
        minimal, real = rows[names[0]][-1], rows[names[-1]][-1]
        cpu = ""
        if minimal.pack_cpu and real.pack_cpu is not None:
            cpu = (f"; pack CPU {real.pack_cpu:.2f} s against {minimal.pack_cpu:.2f} s = "
                   f"{real.pack_cpu / minimal.pack_cpu:.2f}x")
        print(f"    {names[-1]} against {names[0]} at {real.resources} resources: wall {real.wall:.2f} s against "
              f"{minimal.wall:.2f} s = {real.wall / minimal.wall:.2f}x{cpu}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cwd", default=ROOT)
    ap.add_argument("--stack", action="append", default=[])
    ap.add_argument("--policy-pack", action="append", default=[])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--quick", action="store_true", help="scale only the minimal pack")
    ap.add_argument("--analysis-only", action="store_true", help="skip 1-2 (the whole programs)")
    args = ap.parse_args()
    stacks = args.stack or ["staging", "prod"]
    packs = args.policy_pack or ([os.path.join(ROOT, "policies")] if os.path.isdir(os.path.join(ROOT, "policies")) else [])
    py = sys.executable
    print(f"machine: {os.cpu_count()} CPUs, python {sys.version.split()[0]}; median of {args.repeat} runs")
    if not args.analysis_only:
        print("\n1-2. whole program (fresh interpreter each time)")
        print(f"    {'stack':10} {'floor s':>8} {'preflight s':>12} {'ratio':>6}   (preflight = run + {len(packs)} pack(s))")
    for s in [] if args.analysis_only else stacks:
        floor = _time([py, "-c", FLOOR.format(root=ROOT, cwd=os.path.abspath(args.cwd), stack=s)], args.repeat)
        cmd = [py, "-m", "preflight", "--cwd", args.cwd, "--stack", s]
        for p in packs:
            cmd += ["--policy-pack", p]
        pf = _time(cmd + ["--json"], args.repeat)
        print(f"    {s:10} {floor:8.2f} {pf:12.2f} {pf / floor:5.2f}x   goal <= 1.50x")
    sizes = [int(x) for x in args.sizes.split(",")]
    scaling([os.path.join(ROOT, "bench", "pack")] + ([] if args.quick else packs), sizes)

if __name__ == "__main__":
    main()
