"""Settings of the web tier: instances, the Auto Scaling group, scaling targets and the release rolled out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.validation import ConfigReader, settings_keys


# A release id becomes an S3 key prefix (`releases/<release>/`) and a directory name on the instances.
RELEASE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
INSTANCE_TYPE_PATTERN = r"[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.[0-9a-z-]+"
AMI_ID_PATTERN = r"ami-([0-9a-f]{8}|[0-9a-f]{17})"

# Ports a web server process may bind without being one of the well-known system services.
APP_PORT_RANGE = (80, 65535)


@dataclass(frozen=True)
class WebSettings:
    release: str = ""
    instance_type: str = "t3.small"
    min_size: int = 3
    max_size: int = 6
    ami_id: str = ""
    app_port: int = 8080
    cpu_target: int = 50
    requests_per_target: int = 1000
    root_volume_gb: int = 20
    health_check_grace_seconds: int = 300
    instance_warmup_seconds: int = 300
    refresh_min_healthy_percentage: int = 100
    refresh_max_healthy_percentage: int = 150


_key = settings_keys(WebSettings)
KEYS = (
    _key("release", "string",
         "The application release the web tier runs: its archive is releases/<release>/portal.tar.gz (with "
         "a .sha256 beside it) in the releases bucket. Changing it rolls the fleet; promotion is setting the "
         "same value on prod.", "release"),
    _key("instanceType", "string", "EC2 instance type of the web servers.", "instance_type"),
    _key("minSize", "integer",
         "Fewest web servers; at least the number of Availability Zones, so every AZ serves.", "min_size"),
    _key("maxSize", "integer", "Most web servers scaling may run (at least minSize).", "max_size"),
    _key("amiId", "string",
         "The base image id (ami-...) the web servers boot; required with release. Pinned per stack and "
         "promoted together with the release, so prod only runs an image staging ran.", "ami_id"),
    _key("appPort", "integer", "Port the web servers serve HTTP on behind the load balancer.", "app_port"),
    _key("cpuTarget", "integer", "Average CPU percent target tracking keeps the group at (10 to 90).", "cpu_target"),
    _key("requestsPerTarget", "integer",
         "Requests per minute per server that target tracking keeps the group at.", "requests_per_target"),
    _key("rootVolumeGb", "integer", "Size of the encrypted gp3 root volume in GiB (8 to 200).", "root_volume_gb"),
    _key("healthCheckGraceSeconds", "integer",
         "Seconds a new server has to boot before failed health checks replace it (60 to 1800).",
         "health_check_grace_seconds"),
    _key("instanceWarmupSeconds", "integer",
         "Seconds until a new server counts in scaling metrics and in an instance refresh (0 to 1800).",
         "instance_warmup_seconds"),
    _key("refreshMinHealthyPercentage", "integer",
         "Capacity an instance refresh keeps in service, in percent of desired (0 to 100).",
         "refresh_min_healthy_percentage"),
    _key("refreshMaxHealthyPercentage", "integer",
         "Capacity an instance refresh may grow to while replacing, in percent of desired (100 to 200).",
         "refresh_max_healthy_percentage"),
)


def parse(reader: ConfigReader) -> WebSettings:
    # An empty release is allowed here (the settings of a stack without a web tier stay valid); the web tier
    # refuses to build without one (`components.web.component.require_release`).
    release = reader.raw("release")
    if release != "":
        release = reader.string("release", pattern=RELEASE_PATTERN,
                                rule="must be 1 to 64 letters, digits, dots, underscores or hyphens, starting with "
                                     "a letter or digit (it becomes an S3 prefix and a directory name)")
    min_size = reader.integer("minSize", minimum=1, maximum=100)
    max_size = reader.integer("maxSize", minimum=1, maximum=100)
    reader.check(max_size >= min_size, "maxSize", max_size, f"must be at least minSize ({min_size})")
    # No image lookup at deploy time: a moving "latest" would give prod an image staging never ran and roll the
    # whole fleet on any unrelated `pulumi up`.
    ami_id = reader.string("amiId")
    if ami_id:
        if not reader.check(bool(re.fullmatch(AMI_ID_PATTERN, ami_id)), "amiId", ami_id,
                            "must be an image id like ami-0123456789abcdef0"):
            ami_id = ""
    elif release:
        reader.check(False, "amiId", ami_id,
                     "must be set when portal:release is: pin the base image in Pulumi.<stack>.yaml")
    min_healthy = reader.integer("refreshMinHealthyPercentage", minimum=0, maximum=100)
    max_healthy = reader.integer("refreshMaxHealthyPercentage", minimum=100, maximum=200)
    if reader.check(max_healthy - min_healthy <= 100, "refreshMaxHealthyPercentage", max_healthy,
                    f"may exceed refreshMinHealthyPercentage ({min_healthy}) by at most 100"):
        reader.check(min_healthy < 100 or max_healthy > 100, "refreshMaxHealthyPercentage", max_healthy,
                     "must be above 100 when refreshMinHealthyPercentage is 100, or the refresh cannot replace "
                     "anything")
    return WebSettings(
        release=release,
        instance_type=reader.string("instanceType", pattern=INSTANCE_TYPE_PATTERN,
                                    rule="must be an EC2 instance type like t3.small or m7i.large"),
        min_size=min_size,
        max_size=max_size,
        ami_id=ami_id,
        app_port=reader.integer("appPort", minimum=APP_PORT_RANGE[0], maximum=APP_PORT_RANGE[1]),
        cpu_target=reader.integer("cpuTarget", minimum=10, maximum=90),
        requests_per_target=reader.integer("requestsPerTarget", minimum=1, maximum=1_000_000),
        root_volume_gb=reader.integer("rootVolumeGb", minimum=8, maximum=200),
        health_check_grace_seconds=reader.integer("healthCheckGraceSeconds", minimum=60, maximum=1800),
        instance_warmup_seconds=reader.integer("instanceWarmupSeconds", minimum=0, maximum=1800),
        refresh_min_healthy_percentage=min_healthy,
        refresh_max_healthy_percentage=max_healthy,
    )


def check_against_network(reader: ConfigReader, web: WebSettings, az_count: int) -> None:
    """Every AZ must have a web server, or losing the AZ that has two loses more than its share."""
    reader.check(web.min_size >= az_count, "minSize", web.min_size,
                 f"must be at least the number of Availability Zones ({az_count}), so every AZ serves")
