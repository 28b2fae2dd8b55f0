"""Renders the web servers' boot script (boot.sh beside this file) into user data."""

from __future__ import annotations

import base64
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

BOOT_SCRIPT = Path(__file__).with_name("boot.sh")
# What the CloudWatch agent the boot script configures publishes, for the alarms and the role that need to match it:
# disk used_percent per mount point (the root volume and the release's volume) by Auto Scaling group.
AGENT_NAMESPACE = "CWAgent"
WATCHED_DISK_PATHS = {"root": "/", "release": "/opt/portal"}
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


@dataclass(frozen=True)
class BootConfig:
    parameter_prefix: str
    release: str
    app_port: int
    health_check_path: str


def render_boot_script(config: BootConfig) -> str:
    """The boot script with every placeholder replaced by a shell-quoted value; plain text, known at preview."""
    values = {
        "PARAMETER_PREFIX": config.parameter_prefix,
        "RELEASE": config.release,
        "APP_PORT": str(config.app_port),
        "HEALTH_CHECK_PATH": config.health_check_path,
    }
    template = BOOT_SCRIPT.read_text()
    missing = sorted(set(_PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise ValueError(f"{BOOT_SCRIPT.name} uses placeholders with no value: {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda m: shlex.quote(values[m.group(1)]), template)


def user_data(config: BootConfig) -> str:
    """Launch templates take user data base64-encoded."""
    return base64.b64encode(render_boot_script(config).encode()).decode()
