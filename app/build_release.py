"""Builds dist/<release>/portal.tar.gz (+ .sha256) from app/, byte for byte the same on every machine."""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import sys
import tarfile
from pathlib import Path

APP = Path(__file__).resolve().parent
# Only what a server runs goes in the archive; the builder itself does not.
INCLUDE = ("public", "src", "migrations")
MTIME = 0


def build(release: str, out_root: Path) -> Path:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        files = sorted(p for top in INCLUDE for p in (APP / top).rglob("*") if p.is_file())
        for path in files:
            info = tarfile.TarInfo(path.relative_to(APP).as_posix())
            data = path.read_bytes()
            info.size, info.mtime, info.mode = len(data), MTIME, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            tar.addfile(info, io.BytesIO(data))
    out = out_root / release
    out.mkdir(parents=True, exist_ok=True)
    archive = out / "portal.tar.gz"
    with open(archive, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=MTIME) as gz:
        gz.write(buf.getvalue())
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    (out / "portal.tar.gz.sha256").write_text(f"{digest}  portal.tar.gz\n")
    return archive


def main(argv: list[str]) -> int:
    release = argv[1] if len(argv) > 1 else ""
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", release):
        print(f"RELEASE = {release!r}: a release id is 1 to 64 letters, digits, dots, underscores or hyphens",
              file=sys.stderr)
        return 2
    print(build(release, APP.parent / "dist"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
