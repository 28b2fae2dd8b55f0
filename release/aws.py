"""What the tool reads and writes in AWS: release archives and records in S3, the web fleet's state.

Everything goes through boto3 clients handed in, so tests run it against moto (and replace the one Auto Scaling
call moto lacks, `describe_instance_refreshes`, at the client).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shlex
from dataclasses import dataclass, field
from typing import Any, Iterator

from components.edge.settings import rollback_alarm_name
from release.errors import Refused
from release.rules import ARCHIVE_NAME

CHECKSUM_NAME = ARCHIVE_NAME + ".sha256"
RECORDS = "promotions"
_CHUNK = 1 << 20


def release_prefix(release: str) -> str:
    return f"releases/{release}/"


def record_key(release: str, stack: str) -> str:
    return f"{release_prefix(release)}{RECORDS}/{stack}.json"


def checksum_line(sha256: str) -> bytes:
    """The .sha256 file exactly as `sha256sum portal.tar.gz` prints it (the boot script reads this)."""
    return f"{sha256}  {ARCHIVE_NAME}\n".encode()


@dataclass(frozen=True)
class Verified:
    bucket: str
    release: str
    sha256: str

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{release_prefix(self.release)}{ARCHIVE_NAME}"


class Releases:
    """Release archives and success records in one releases bucket."""

    def __init__(self, s3: Any, bucket: str):
        self.s3, self.bucket = s3, bucket

    def _body(self, key: str) -> Iterator[bytes] | None:
        try:
            body = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"]
        except self.s3.exceptions.NoSuchKey:
            return None
        return iter(lambda: body.read(_CHUNK), b"")

    def _read(self, key: str) -> bytes | None:
        chunks = self._body(key)
        return None if chunks is None else b"".join(chunks)

    def _sha256_of(self, key: str) -> str | None:
        chunks = self._body(key)
        if chunks is None:
            return None
        digest = hashlib.sha256()
        for chunk in chunks:
            digest.update(chunk)
        return digest.hexdigest()

    def _recorded_sha256(self, release: str) -> str | None:
        line = self._read(release_prefix(release) + CHECKSUM_NAME)
        if line is None:
            return None
        words = line.decode("utf-8", "replace").split()
        return words[0].lower() if words and re.fullmatch(r"[0-9a-fA-F]{64}", words[0]) else ""

    def verify(self, release: str) -> Verified:
        """The release when both objects exist and the archive's SHA-256 is the one recorded beside it."""
        where = f"s3://{self.bucket}/{release_prefix(release)}"
        recorded = self._recorded_sha256(release)
        actual = self._sha256_of(release_prefix(release) + ARCHIVE_NAME)
        if actual is None or recorded is None:
            missing = [name for name, found in ((ARCHIVE_NAME, actual), (CHECKSUM_NAME, recorded)) if found is None]
            raise Refused(f"--release {release!r}: is not uploaded ({', '.join(missing)} missing under {where}); "
                          "upload it first with `python -m release upload`")
        if recorded == "":
            raise Refused(f"--release {release!r}: {where}{CHECKSUM_NAME} holds no SHA-256")
        if actual != recorded:
            raise Refused(f"--release {release!r}: {where}{ARCHIVE_NAME} does not match its checksum (SHA-256 "
                          f"{actual}, {CHECKSUM_NAME} says {recorded}): the archive was changed after upload")
        return Verified(self.bucket, release, actual)

    def upload(self, release: str, data: bytes) -> tuple[Verified, bool]:
        """Uploads the archive and its checksum and verifies what landed; (verified, False) when it was there."""
        sha256 = hashlib.sha256(data).hexdigest()
        prefix = release_prefix(release)
        there = {name: found for name, found in ((ARCHIVE_NAME, self._sha256_of(prefix + ARCHIVE_NAME)),
                                                 (CHECKSUM_NAME, self._recorded_sha256(release)))
                 if found is not None}
        if any(found != sha256 for found in there.values()):
            differing = ", ".join(f"{name} (SHA-256 {found or 'none'})" for name, found in there.items())
            raise Refused(f"--release {release!r}: s3://{self.bucket}/{prefix} already holds different content "
                          f"({differing}, the archive given is {sha256}); a release id names one archive "
                          "forever: choose a new id")
        if len(there) < 2:
            # The archive first: a checksum never names an archive that is not there yet.
            self.s3.upload_fileobj(io.BytesIO(data), self.bucket, prefix + ARCHIVE_NAME)
            self.s3.put_object(Bucket=self.bucket, Key=prefix + CHECKSUM_NAME, Body=checksum_line(sha256))
        verified = self.verify(release)
        if verified.sha256 != sha256:
            raise Refused(f"--release {release!r}: {verified.url} has SHA-256 {verified.sha256} after the upload, "
                          f"not the archive's {sha256} (someone else uploaded the same id at the same time)")
        return verified, len(there) < 2

    def copy_from(self, source: "Releases", release: str) -> tuple[Verified, bool]:
        """Copies a verified release from another bucket, with upload's rules (never overwrite other content)."""
        source.verify(release)
        data = source._read(release_prefix(release) + ARCHIVE_NAME) or b""
        return self.upload(release, data)

    def put_record(self, release: str, stack: str, record: dict[str, Any]) -> None:
        self.s3.put_object(Bucket=self.bucket, Key=record_key(release, stack),
                           Body=(json.dumps(record, indent=2) + "\n").encode(), ContentType="application/json")

    def record(self, release: str, stack: str) -> dict[str, Any] | None:
        body = self._read(record_key(release, stack))
        if body is None:
            return None
        try:
            found = json.loads(body)
        except ValueError:
            return None
        return found if isinstance(found, dict) else None

    def records(self, stack: str) -> list[dict[str, Any]]:
        """Every success recorded for the stack in this bucket, oldest first."""
        found = []
        suffix = f"/{RECORDS}/{stack}.json"
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix="releases/"):
            for item in page.get("Contents", []):
                if item["Key"].endswith(suffix):
                    release = item["Key"][len("releases/"):-len(suffix)]
                    record = self.record(release, stack)
                    if record and record.get("outcome") == "Successful" and record.get("release") == release:
                        found.append(record)
        return sorted(found, key=lambda r: str(r.get("finishedAt", "")))


@dataclass(frozen=True)
class Running:
    """What the group's launch template version really boots."""

    version: str
    release: str | None
    image: str | None


@dataclass(frozen=True)
class Refresh:
    id: str
    status: str
    percentage: int
    instances_to_update: int | None
    alarms: tuple[str, ...] = ()
    reason: str = ""
    start: str = ""
    end: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, item: dict[str, Any]) -> "Refresh":
        alarms = ((item.get("Preferences") or {}).get("AlarmSpecification") or {}).get("Alarms") or []
        when = {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in item.items()
                if k in ("StartTime", "EndTime")}
        return cls(id=item["InstanceRefreshId"], status=item["Status"],
                   percentage=int(item.get("PercentageComplete") or 0),
                   instances_to_update=item.get("InstancesToUpdate"), alarms=tuple(alarms),
                   reason=item.get("StatusReason") or "", start=when.get("StartTime", ""),
                   end=when.get("EndTime", ""), raw=item)


# The boot script carries the release as a shell assignment (components/web/boot.sh, rendered by boot.py).
_RELEASE_LINE = re.compile(r"^RELEASE=(.*)$", re.MULTILINE)


def release_in_user_data(user_data_b64: str | None) -> str | None:
    if not user_data_b64:
        return None
    try:
        script = base64.b64decode(user_data_b64).decode("utf-8", "replace")
    except ValueError:
        return None
    found = _RELEASE_LINE.search(script)
    if not found:
        return None
    words = shlex.split(found.group(1))
    return words[0] if len(words) == 1 else None


# The web tier's parameter prefix is /portal/<environment>/ (components/web), and every physical name of the stack
# starts with portal-<environment> (PortalSettings.name).
_PARAMETER_PREFIX = re.compile(r"/portal/([^/]+)/")


def stack_rollback_alarm(parameter_prefix: str) -> str | None:
    """The rollback alarm the stack creates, by its name (None for a prefix the web tier does not make)."""
    found = _PARAMETER_PREFIX.fullmatch(parameter_prefix)
    return rollback_alarm_name(f"portal-{found.group(1)}") if found else None


class Fleet:
    """One stack's web tier: its group, launch template, target health, alarms and release parameter."""

    def __init__(self, clients: Any, group: str, parameter_prefix: str):
        self.autoscaling, self.ec2 = clients.client("autoscaling"), clients.client("ec2")
        self.elbv2, self.cloudwatch = clients.client("elbv2"), clients.client("cloudwatch")
        self.ssm = clients.client("ssm")
        self.group_name, self.parameter = group, f"{parameter_prefix}release"
        self.stack_alarm = stack_rollback_alarm(parameter_prefix)

    def group(self) -> dict[str, Any]:
        found = self.autoscaling.describe_auto_scaling_groups(
            AutoScalingGroupNames=[self.group_name])["AutoScalingGroups"]
        if not found:
            raise Refused(f"autoScalingGroupName {self.group_name!r}: no such Auto Scaling group in this account "
                          "and region")
        return found[0]

    def running(self, group: dict[str, Any] | None = None) -> Running:
        template = (group or self.group()).get("LaunchTemplate") or {}
        version = str(template.get("Version", ""))
        if not template.get("LaunchTemplateId") or not version:
            return Running(version, None, None)
        data = self.ec2.describe_launch_template_versions(
            LaunchTemplateId=template["LaunchTemplateId"], Versions=[version],
        )["LaunchTemplateVersions"][0]["LaunchTemplateData"]
        return Running(version, release_in_user_data(data.get("UserData")), data.get("ImageId"))

    def healthy_per_az(self, zones: list[str], group: dict[str, Any] | None = None) -> dict[str, int]:
        """Healthy targets of the group's target groups, per Availability Zone (every zone listed, even at 0)."""
        group = group or self.group()
        zone_of = {i["InstanceId"]: i["AvailabilityZone"] for i in group.get("Instances", [])}
        counts = {zone: 0 for zone in zones}
        for arn in group.get("TargetGroupARNs", []):
            for target in self.elbv2.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]:
                if target["TargetHealth"]["State"] == "healthy":
                    zone = target["Target"].get("AvailabilityZone") or zone_of.get(target["Target"]["Id"], "?")
                    counts[zone] = counts.get(zone, 0) + 1
        return counts

    def latest_refresh(self) -> Refresh | None:
        found = self.autoscaling.describe_instance_refreshes(
            AutoScalingGroupName=self.group_name, MaxRecords=1)["InstanceRefreshes"]
        return Refresh.of(found[0]) if found else None

    def rollback_alarms(self, latest: Refresh | None) -> tuple[str, ...]:
        """The alarms the group's next instance refresh rolls back on. pulumi up starts every refresh with the same
        preferences, so the last refresh's alarms are the next one's; before the first refresh (or once Auto
        Scaling no longer lists it), the stack's own rollback alarm by name."""
        if latest is not None and latest.alarms:
            return latest.alarms
        return (self.stack_alarm,) if self.stack_alarm else ()

    def alarms_in_alarm(self, names: tuple[str, ...]) -> list[str]:
        if not names:
            return []
        # An instance refresh takes composite alarms too; without AlarmTypes only metric alarms are listed.
        found = self.cloudwatch.describe_alarms(AlarmNames=list(names), AlarmTypes=["MetricAlarm", "CompositeAlarm"])
        return sorted(a["AlarmName"] for kind in ("MetricAlarms", "CompositeAlarms") for a in found.get(kind, [])
                      if a["StateValue"] == "ALARM")

    def recorded_release(self) -> str | None:
        try:
            return self.ssm.get_parameter(Name=self.parameter)["Parameter"]["Value"]
        except self.ssm.exceptions.ParameterNotFound:
            return None

    def record_release(self, release: str) -> None:
        self.ssm.put_parameter(Name=self.parameter, Value=release, Type="String", Overwrite=True)
