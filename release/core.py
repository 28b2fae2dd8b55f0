"""Release operations on S3, SSM, Auto Scaling, ELBv2 and CloudWatch, reading the stacks' outputs."""

from __future__ import annotations

import hashlib
import json
import signal
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Callable

from components.validation import ConfigReader
from components.web import settings as web_settings

ARCHIVE = "portal.tar.gz"
DONE = {"Successful"}
ROLLED_BACK = {"Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"}


class Refused(Exception):
    """Bad input or a precondition not met (exit 2)."""


class RolloutFailed(Exception):
    """The rollout failed or rolled back (exit 1)."""


def release_problems(release: str, image: str = "") -> list[str]:
    # The portal's own validation of portal:release (and portal:amiId), so the tool never accepts what the
    # stack would refuse.
    raw = {"release": release} | ({"amiId": image} if image else {})
    reader = ConfigReader(raw, web_settings.KEYS)
    web_settings.parse(reader)
    keys = ("portal:release", "portal:amiId") if image else ("portal:release",)
    return [p for p in reader.problems if p.startswith(tuple(f"{k} =" for k in keys))]


@contextmanager
def no_interrupt():
    """Ctrl-C waits until the block ends, so a config write is never cut in half."""
    caught = []
    previous = signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            raise KeyboardInterrupt


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Aws:
    def __init__(self, session: Any):
        self.s3 = session.client("s3")
        self.ssm = session.client("ssm")
        self.asg = session.client("autoscaling")
        self.elb = session.client("elbv2")
        self.cw = session.client("cloudwatch")

    # -- releases in S3 ------------------------------------------------------------------------

    def _get(self, bucket: str, key: str) -> bytes | None:
        try:
            return self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except self.s3.exceptions.NoSuchKey:
            return None

    def verify(self, bucket: str, release: str) -> str:
        """The archive's digest when both objects exist and agree; Refused otherwise."""
        prefix = f"releases/{release}/"
        archive = self._get(bucket, prefix + ARCHIVE)
        recorded = self._get(bucket, prefix + ARCHIVE + ".sha256")
        if archive is None or recorded is None:
            raise Refused(f"release {release} is not uploaded: s3://{bucket}/{prefix}{ARCHIVE} "
                          "and its .sha256 must both exist (run `python -m release upload`)")
        expected = recorded.decode().split()[0] if recorded.split() else ""
        actual = digest(archive)
        if actual != expected:
            raise Refused(f"release {release} failed verification: s3://{bucket}/{prefix}{ARCHIVE} has SHA-256 "
                          f"{actual}, its .sha256 says {expected or '(empty)'}")
        return actual

    def upload(self, bucket: str, release: str, data: bytes) -> str:
        prefix = f"releases/{release}/"
        sha = digest(data)
        existing = self._get(bucket, prefix + ARCHIVE + ".sha256")
        if existing is not None:
            if existing.split()[:1] != [sha.encode()]:
                raise Refused(f"--release {release}: already uploaded to s3://{bucket}/{prefix} with different "
                              "content; a release id names one archive forever, choose a new id")
        else:
            self.s3.put_object(Bucket=bucket, Key=prefix + ARCHIVE, Body=data)
            self.s3.put_object(Bucket=bucket, Key=prefix + ARCHIVE + ".sha256",
                               Body=f"{sha}  {ARCHIVE}\n".encode())
        landed = self.verify(bucket, release)
        if landed != sha:
            raise Refused(f"--release {release}: the archive in s3://{bucket}/{prefix} is not the one given")
        return sha

    def copy_release(self, source: str, target: str, release: str) -> None:
        for name in (ARCHIVE, ARCHIVE + ".sha256"):
            key = f"releases/{release}/{name}"
            self.s3.copy_object(Bucket=target, Key=key, CopySource={"Bucket": source, "Key": key})

    def put_record(self, bucket: str, key: str, record: dict) -> None:
        self.s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(record, indent=2).encode())

    def get_record(self, bucket: str, key: str) -> dict | None:
        body = self._get(bucket, key)
        return json.loads(body) if body is not None else None

    def successes(self, bucket: str, stack: str) -> list[dict]:
        records = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="releases/"):
            for item in page.get("Contents", []):
                if item["Key"].endswith(f"/succeeded-in-{stack}.json"):
                    records.append(self.get_record(bucket, item["Key"]))
        return sorted(records, key=lambda r: r["finishedAt"])

    # -- the web tier ------------------------------------------------------------------------------

    def group(self, name: str) -> dict:
        groups = self.asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"]
        if not groups:
            raise Refused(f"autoScalingGroupName {name}: no such Auto Scaling group")
        return groups[0]

    def healthy_per_az(self, group_name: str) -> dict[str, int]:
        group = self.group(group_name)
        zone = {i["InstanceId"]: i["AvailabilityZone"] for i in group.get("Instances", [])}
        counts = {az: 0 for az in sorted(group.get("AvailabilityZones", []))}
        for arn in group.get("TargetGroupARNs", []):
            for target in self.elb.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]:
                if target["TargetHealth"]["State"] == "healthy":
                    az = zone.get(target["Target"]["Id"], target["Target"].get("AvailabilityZone", "?"))
                    counts[az] = counts.get(az, 0) + 1
        return counts

    def alarms_firing(self, names: list[str]) -> list[str]:
        if not names:
            return []
        found = self.cw.describe_alarms(AlarmNames=names, StateValue="ALARM")["MetricAlarms"]
        return sorted(a["AlarmName"] for a in found)

    def record_running_release(self, prefix: str, release: str) -> None:
        self.ssm.put_parameter(Name=f"{prefix.rstrip('/')}/release", Value=release, Type="String", Overwrite=True)

    def recorded_release(self, prefix: str) -> str:
        try:
            return self.ssm.get_parameter(Name=f"{prefix.rstrip('/')}/release")["Parameter"]["Value"]
        except self.ssm.exceptions.ParameterNotFound:
            return ""


class AsgRefreshes:
    """Instance refreshes as Auto Scaling reports them."""

    def __init__(self, asg: Any):
        self._asg = asg

    def latest(self, group: str) -> dict | None:
        found = self._asg.describe_instance_refreshes(AutoScalingGroupName=group, MaxRecords=1)
        return (found.get("InstanceRefreshes") or [None])[0]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def wait_for_refresh(aws: Aws, refreshes: Any, group: str, before: str | None, progress: Any,
                     sleep: Callable[[float], None] = time.sleep, interval: float = 15) -> dict:
    """Polls the refresh started by this deploy until it ends; `before` is the id of the one before it."""
    task = progress.add_task("instance refresh", total=100, detail="waiting for the refresh to start")
    while True:
        refresh = refreshes.latest(group)
        if refresh and refresh["InstanceRefreshId"] != before:
            desired = aws.group(group).get("DesiredCapacity", 0)
            left = refresh.get("InstancesToUpdate", desired)
            healthy = aws.healthy_per_az(group)
            detail = (f"{refresh['Status']}: {max(desired - left, 0)}/{desired} replaced; healthy "
                      + ", ".join(f"{az} {n}" for az, n in healthy.items()))
            progress.update(task, completed=refresh.get("PercentageComplete", 0), detail=detail)
            if refresh["Status"] in DONE | ROLLED_BACK:
                return refresh
        sleep(interval)
