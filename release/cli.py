"""`python -m release`: upload, deploy, promote, roll back and report portal releases."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

from release.core import (ROLLED_BACK, AsgRefreshes, Aws, Refused, RolloutFailed, now, release_problems,
                          wait_for_refresh, no_interrupt)
from release.stacks import AutomationStack

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Env:
    """What the commands talk to; tests replace each part."""
    stack: Callable[[str], Any] = lambda name: AutomationStack(name, str(REPO))
    session: Callable[[], Any] = None
    refreshes: Callable[[Aws], Any] = lambda aws: AsgRefreshes(aws.asg)
    sleep: Callable[[float], None] = time.sleep
    out: Any = field(default_factory=lambda: Console(highlight=False))

    def aws(self) -> Aws:
        if self.session is None:
            import boto3
            return Aws(boto3.Session())
        return Aws(self.session())


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m release", description=(
        "Ship a portal release: upload the archive to a stack's releases bucket, roll it out with pulumi up and "
        "wait for the instance refresh, promote what staging ran to prod, roll back, and report status. "
        "Exit codes: 0 done, 1 the rollout failed or rolled back, 2 bad input or a precondition not met."))
    sub = p.add_subparsers(dest="command", required=True)
    outputs_help = "stack outputs JSON (`pulumi stack output --json`) instead of reading them from the stack; " \
                   "STACK=FILE when the command touches two stacks"

    u = sub.add_parser("upload", help="upload and verify a release archive",
                       description="Upload ARCHIVE and its .sha256 under releases/<id>/ in the stack's "
                                   "releasesBucketName, refuse to overwrite a release with different content, "
                                   "and verify what landed.")
    u.add_argument("--stack", required=True)
    u.add_argument("--archive", required=True, type=Path)
    u.add_argument("--release", help="release id (default: sha-<first 12 hex digits of the archive's SHA-256>)")
    d = sub.add_parser("deploy", help="roll a verified release out on a stack and wait for the refresh",
                       description="Set portal:release (and portal:amiId with --image) on the stack, run pulumi up "
                                   "with the policies pack, wait for the instance refresh and report its outcome; "
                                   "after a rollback, put the config and /portal/<env>/release back.")
    d.add_argument("--stack", required=True)
    d.add_argument("--release", required=True)
    d.add_argument("--image", default="", help="pin this image (portal:amiId) with the release")
    pr = sub.add_parser("promote", help="deploy to prod a release staging ran successfully",
                        description="Refuse unless the source stack ran the release (and image) to a successful "
                                    "refresh; copy the archive and that record to the target's bucket, then deploy.")
    pr.add_argument("--from", dest="source", required=True)
    pr.add_argument("--to", dest="target", required=True)
    pr.add_argument("--release", required=True)
    r = sub.add_parser("rollback", help="redeploy the last release that succeeded on a stack",
                       description="Deploy the newest release recorded as succeeded on the stack, other than the "
                                   "one its config names now.")
    r.add_argument("--stack", required=True)
    s = sub.add_parser("status", help="release, image, last refresh and healthy targets per AZ",
                       description="For each stack: the release and image it runs, the last instance refresh and "
                                   "its outcome, and healthy targets per Availability Zone.")
    s.add_argument("--stack", required=True, action="append")
    s.add_argument("--json", action="store_true", help="print JSON instead of text")
    for each in (u, d, pr, r, s):
        each.add_argument("--outputs", action="append", default=[], metavar="[STACK=]FILE", help=outputs_help)
        each.add_argument("--poll-seconds", type=float, default=15, help=argparse.SUPPRESS)
    return p


class Tool:
    def __init__(self, args: argparse.Namespace, env: Env):
        self.args, self.env, self.out = args, env, env.out
        self.aws = env.aws()
        self._stacks: dict[str, Any] = {}
        self._files: dict[str, Path] = {}
        for given in args.outputs:
            name, _, path = given.rpartition("=")
            self._files[name] = Path(path)

    def stack(self, name: str) -> Any:
        if name not in self._stacks:
            self._stacks[name] = self.env.stack(name)
        return self._stacks[name]

    def outputs(self, name: str) -> dict:
        path = self._files.get(name) or self._files.get("")
        if path is None:
            return self.stack(name).outputs()
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise Refused(f"--outputs {path}: cannot read stack outputs JSON ({error})")

    def output(self, name: str, key: str) -> Any:
        values = self.outputs(name)
        if key not in values:
            raise Refused(f"stack {name}: output {key} is missing (the release tool reads it)")
        return values[key]

    # -- commands ------------------------------------------------------------------------------------

    def upload(self) -> int:
        a = self.args
        try:
            data = a.archive.read_bytes()
        except OSError as error:
            raise Refused(f"--archive {a.archive}: cannot read it ({error.strerror})")
        from release.core import digest
        release = a.release or f"sha-{digest(data)[:12]}"
        self.check_release(release)
        bucket = self.output(a.stack, "releasesBucketName")
        sha = self.aws.upload(bucket, release, data)
        self.out.print(f"uploaded release {release} to s3://{bucket}/releases/{release}/ (sha256 {sha}, verified)")
        return 0

    def check_release(self, release: str, image: str = "") -> None:
        problems = release_problems(release, image)
        if problems:
            raise Refused("; ".join(p.replace("portal:release", "--release").replace("portal:amiId", "--image")
                                    for p in problems))

    def deploy(self, stack_name: str, release: str, image: str = "") -> int:
        self.check_release(release, image)
        outputs = self.outputs(stack_name)
        bucket, group = outputs["releasesBucketName"], outputs["autoScalingGroupName"]
        prefix = outputs["parameterPrefix"]
        self.aws.verify(bucket, release)
        stack = self.stack(stack_name)
        previous = {"portal:release": stack.get_config("portal:release"),
                    "portal:amiId": stack.get_config("portal:amiId")}
        wanted = {"portal:release": release} | ({"portal:amiId": image} if image else {})
        refreshes = self.env.refreshes(self.aws)
        before = (refreshes.latest(group) or {}).get("InstanceRefreshId")
        with no_interrupt():
            stack.set_config(wanted)
        self.out.print(f"{stack_name}: portal:release = {release}"
                       + (f", portal:amiId = {image}" if image else "") + "; running pulumi up")
        lines: list[str] = []
        try:
            stack.up(on_output=lines.append)
        except Exception as error:
            detail = (str(error).strip().splitlines() or ["no output"])[-1]
            raise RolloutFailed(f"{stack_name}: pulumi up failed: {detail}")
        with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                      TextColumn("{task.fields[detail]}"), console=self.out) as progress:
            refresh = wait_for_refresh(self.aws, refreshes, group, before, progress, self.env.sleep,
                                       self.args.poll_seconds)
        running_image = image or previous["portal:amiId"]
        if refresh["Status"] in ROLLED_BACK:
            alarms = (refresh.get("Preferences", {}).get("AlarmSpecification", {}) or {}).get("Alarms", [])
            fired = self.aws.alarms_firing(alarms)
            restore = {k: v for k, v in previous.items() if v or k in wanted}
            with no_interrupt():
                stack.set_config(restore)
                self.aws.record_running_release(prefix, previous["portal:release"])
            cause = f"alarm {', '.join(fired)} fired" if fired else \
                f"{refresh.get('StatusReason') or 'no alarm is in ALARM state now'}"
            raise RolloutFailed(f"{stack_name}: release {release} rolled back ({refresh['Status']}): {cause}; "
                                f"config and {prefix}release put back to {previous['portal:release']}")
        record = {"release": release, "image": running_image, "stack": stack_name,
                  "refreshId": refresh["InstanceRefreshId"], "outcome": refresh["Status"], "finishedAt": now()}
        self.aws.put_record(bucket, f"releases/{release}/succeeded-in-{stack_name}.json", record)
        self.out.print(f"{stack_name}: release {release} is live (refresh {refresh['InstanceRefreshId']} "
                       f"{refresh['Status']})")
        return 0

    def promote(self) -> int:
        a = self.args
        self.check_release(a.release)
        source = self.output(a.source, "releasesBucketName")
        record = self.aws.get_record(source, f"releases/{a.release}/succeeded-in-{a.source}.json")
        if record is None:
            raise Refused(f"--release {a.release}: {a.source} has not run it to a successful refresh; "
                          f"deploy it on {a.source} first")
        self.aws.verify(source, a.release)
        target = self.output(a.target, "releasesBucketName")
        self.aws.copy_release(source, target, a.release)
        self.aws.verify(target, a.release)
        self.aws.put_record(target, f"releases/{a.release}/verified-in-{a.source}.json", record)
        self.out.print(f"promoting {a.release} (image {record['image'] or 'unchanged'}) from {a.source} "
                       f"(refresh {record['refreshId']}) to {a.target}")
        return self.deploy(a.target, a.release, record["image"])

    def rollback(self) -> int:
        name = self.args.stack
        bucket = self.output(name, "releasesBucketName")
        current = self.stack(name).get_config("portal:release")
        earlier = [r for r in self.aws.successes(bucket, name) if r["release"] != current]
        if not earlier:
            raise Refused(f"--stack {name}: no earlier release succeeded on it, nothing to roll back to")
        last = earlier[-1]
        self.out.print(f"{name}: rolling back from {current} to {last['release']}")
        return self.deploy(name, last["release"], last["image"])

    def status(self) -> int:
        report = []
        for name in self.args.stack:
            outputs = self.outputs(name)
            group = outputs["autoScalingGroupName"]
            refresh = self.env.refreshes(self.aws).latest(group) or {}
            stack = self.stack(name)
            report.append({
                "stack": name, "release": stack.get_config("portal:release"),
                "image": stack.get_config("portal:amiId"),
                "recordedRelease": self.aws.recorded_release(outputs["parameterPrefix"]),
                "lastRefresh": {"id": refresh.get("InstanceRefreshId"), "status": refresh.get("Status"),
                                "percentage": refresh.get("PercentageComplete")} if refresh else None,
                "healthyTargetsPerAz": self.aws.healthy_per_az(group)})
        if self.args.json:
            print(json.dumps(report, indent=2, default=str), file=self.out.file)
            return 0
        for s in report:
            last = s["lastRefresh"]
            recorded = s["recordedRelease"] or "(none)"
            self.out.print(f"{s['stack']}: release {s['release'] or '(none)'} (recorded {recorded}), "
                           f"image {s['image'] or '(from amiParameter)'}")
            self.out.print(f"  last refresh: {last['id']} {last['status']} {last['percentage']}%" if last
                           else "  last refresh: none")
            self.out.print("  healthy targets: " + (", ".join(f"{az} {n}" for az, n in
                                                              s["healthyTargetsPerAz"].items()) or "none"))
        return 0


def main(argv: list[str], env: Env | None = None) -> int:
    env = env or Env()
    args = parser().parse_args(argv)
    try:
        tool = Tool(args, env)
        command = {"upload": tool.upload, "promote": tool.promote, "rollback": tool.rollback,
                   "status": tool.status,
                   "deploy": lambda: tool.deploy(args.stack, args.release, args.image)}[args.command]
        return command()
    except Refused as error:
        print(f"release: {error}", file=sys.stderr)
        return 2
    except RolloutFailed as error:
        print(f"release: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # AWS and Pulumi errors (no region, no credentials, access denied): one line
        if type(error).__module__.split(".")[0] not in ("botocore", "boto3", "pulumi"):
            raise
        print(f"release: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("release: interrupted; the stack config is complete (never half-written); "
              "an instance refresh already started continues in AWS (see `python -m release status`)",
              file=sys.stderr)
        return 1
