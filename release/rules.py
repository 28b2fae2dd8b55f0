"""Input rules: the release id and image as the stack itself validates them, and the archive layout.

The release id and image rules are the web tier's own (`components.web.settings.parse`): the tool never accepts
a value `pulumi up` would refuse, and the two cannot drift apart.
"""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

from components.validation import ConfigReader
from components.web import settings as web_settings

ARCHIVE_NAME = "portal.tar.gz"
# What the boot script and the servers rely on inside the archive (the release archive contract). bin/migrate.php
# is not among them: the boot script runs it only when the release has one (a shop without a schema of its own).
REQUIRED_MEMBERS = ("RELEASE", "public/index.php", "public/healthz.php")


class _Problems(ConfigReader):
    """Collects (key, value, rule) instead of formatted lines, so the tool can name its own flags."""

    def __init__(self, raw: dict[str, Any]):
        super().__init__(raw, web_settings.KEYS)
        self.found: list[tuple[str, Any, str]] = []

    def problem(self, key: str, value: Any, rule: str) -> None:
        self.found.append((key, value, rule))


def release_problems(release: str, *, flag: str = "--release", image: str | None = None,
                     image_flag: str = "--image") -> list[str]:
    """Every problem of a release id (and image id, when given), each naming the flag, the value and the rule."""
    if release == "":
        # The stack allows an empty release (a stack without a web tier); a release to ship needs a name.
        problems = [f"{flag} '': must not be empty"]
    else:
        problems = []
    raw: dict[str, Any] = {"release": release}
    if image is not None:
        raw["amiId"] = image
    reader = _Problems(raw)
    web_settings.parse(reader)
    flags = {"release": flag, "amiId": image_flag}
    for key, value, rule in reader.found:
        # parse() also insists on an image beside a release; whether one is given is this tool's decision.
        if key == "release" or (key == "amiId" and image):
            problems.append(f"{flags[key]} {value!r}: {rule}")
    return problems


def _member_name(name: str) -> str:
    while name.startswith("./"):
        name = name[2:]
    return name


def read_archive(path: Path, *, flag: str = "--archive") -> tuple[bytes, str | None, list[str]]:
    """(content, the id in its RELEASE file or None, problems) of a release archive on disk."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return b"", None, [f"{flag} {str(path)!r}: cannot be read ({error.strerror or error})"]
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            members = {_member_name(m.name): m for m in tar.getmembers()}
            missing = [name for name in REQUIRED_MEMBERS if name not in members or not members[name].isfile()]
            if missing:
                return data, None, [f"{flag} {str(path)!r}: must hold {', '.join(REQUIRED_MEMBERS)} at its root "
                                    f"(missing: {', '.join(missing)})"]
            handle = tar.extractfile(members["RELEASE"])
            inside = handle.read().decode("utf-8", "replace").strip() if handle else ""
    except (tarfile.TarError, OSError, EOFError) as error:
        return data, None, [f"{flag} {str(path)!r}: must be a gzip-compressed tar archive ({error})"]
    return data, inside, []


def release_of_archive(path: Path, release: str | None) -> tuple[bytes, str, list[str]]:
    """The archive's bytes and its release id, checked: --release (when given) must match its RELEASE file."""
    data, inside, problems = read_archive(path)
    if inside is not None and release is not None and release != inside:
        problems.append(f"--release {release!r}: must match the archive's RELEASE file ({inside!r})")
    chosen = release if release is not None else (inside or "")
    if not problems:
        problems.extend(release_problems(chosen))
    elif release is not None:
        problems.extend(release_problems(release))
    return data, chosen, problems
