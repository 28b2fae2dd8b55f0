"""The release a web tier runs must be in its releases bucket before any server is pointed at it.

A server whose release is missing fails its boot, the group replaces it, and the replacement fails the same way:
without this check `pulumi up` would report success while no server ever serves.
"""

from __future__ import annotations

from typing import Any, Callable

from components.validation import SettingsError

ARCHIVE = "portal.tar.gz"
CHECKSUM = "portal.tar.gz.sha256"


def release_keys(release: str) -> tuple[str, str]:
    """The archive and its checksum file, in the order the boot script downloads them."""
    return f"releases/{release}/{ARCHIVE}", f"releases/{release}/{CHECKSUM}"


def release_problems(bucket: str, release: str, head: Callable[[str], Any]) -> list[str]:
    """Every object of the release that is missing or empty. `head(key)` returns the object's metadata (anything
    with a `content_length`) or raises when the object cannot be read."""
    problems = []
    for key in release_keys(release):
        try:
            found = head(key)
        except Exception as exc:  # the provider's not-found, access-denied or no-such-bucket error
            reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            problems.append(f"{key} is not in the releases bucket {bucket} ({reason})")
            continue
        if getattr(found, "content_length", None) == 0:
            problems.append(f"{key} in the releases bucket {bucket} is empty")
    return problems


class ReleaseNotUploaded(SettingsError):
    """The release named in portal:release is not (completely) in the releases bucket."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        self.args = (f"the release is not in the releases bucket; no web server is pointed at it:\n{lines}",)

    def __str__(self) -> str:
        return self.args[0]


def release_error(bucket: str, release: str, problems: list[str]) -> ReleaseNotUploaded:
    """One message saying what is missing and how to deploy it."""
    archive, checksum = release_keys(release)
    upload = (f"upload the release first (docs/releases.md, 'Upload the release'): "
              f"sha256sum {ARCHIVE} > {CHECKSUM}; "
              f"aws s3 cp {ARCHIVE} s3://{bucket}/{archive}; aws s3 cp {CHECKSUM} s3://{bucket}/{checksum}; "
              f"then run pulumi up again. On a stack's first deploy this run has just created the bucket, empty: "
              f"the rest of the stack is deployed, the web servers (and what watches them) are not; upload now and run "
              f"pulumi up again")
    return ReleaseNotUploaded([f"portal:release = {release}: {problem}" for problem in problems]
                         + [f"portal:release = {release}: {upload}"])


def require_uploaded(bucket: str, release: str, head: Callable[[str], Any]) -> str:
    """The bucket name, once both objects of the release are there; raises with every problem otherwise."""
    problems = release_problems(bucket, release, head)
    if problems:
        raise release_error(bucket, release, problems)
    return bucket
