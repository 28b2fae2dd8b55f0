"""Builds the application release: releases/<release>/portal.tar.gz and its .sha256, byte-identical on every rebuild.

    venv/bin/python app/build.py <release> [--out DIR]     # or: make release RELEASE=<release>

The archive holds exactly what a web server unpacks into /opt/portal/releases/<release>/: public/ (the document
root), src/, bin/migrate.php, migrations/ and a RELEASE file with the id. The portal's sessions table is applied
from components/database/sessions.sql itself (as migrations/0001_sessions.sql), so the application never carries a
second copy of its DDL. Reproducible: entries sorted by name, owner root:root (0:0), modes 0755/0644, every mtime
SOURCE_DATE_EPOCH (default 1980-01-01), and gzip without a name or time stamp (like `gzip -n`).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import re
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components.web.settings import RELEASE_PATTERN  # noqa: E402

APP = ROOT / "app"
SHIPPED_FOLDERS = ("public", "src", "bin", "migrations")
SESSIONS_SQL = ROOT / "components" / "database" / "sessions.sql"
SESSIONS_MIGRATION = "migrations/0001_sessions.sql"
DEFAULT_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time every archive format can hold


def release_problem(release: str) -> str | None:
    """The stack's own rule for portal:release, so a release this builds is one a stack accepts."""
    if re.fullmatch(RELEASE_PATTERN, release):
        return None
    return (f"release {release!r}: must be 1 to 64 letters, digits, dots, underscores or hyphens, starting with a "
            "letter or digit (the rule of portal:release)")


def release_files(release: str) -> dict[str, bytes]:
    """Archive path -> content of every file of the release."""
    files: dict[str, bytes] = {}
    for folder in SHIPPED_FOLDERS:
        for path in sorted((APP / folder).rglob("*")):
            # Editor and OS droppings (.DS_Store, .swp) and bytecode never ship.
            relative = path.relative_to(APP)
            if path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
                files[relative.as_posix()] = path.read_bytes()
    files[SESSIONS_MIGRATION] = SESSIONS_SQL.read_bytes()
    files["RELEASE"] = f"{release}\n".encode()
    return files


def archive(files: dict[str, bytes], mtime: int) -> bytes:
    """A gzipped tar of `files` whose bytes depend on nothing but the files' names and contents."""
    folders = sorted({"/".join(name.split("/")[:i]) for name in files for i in range(1, name.count("/") + 1)})
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name in sorted([*folders, *files]):
            info = tarfile.TarInfo(name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "root", "root"
            if name in files:
                info.size, info.mode = len(files[name]), 0o644
                tar.addfile(info, io.BytesIO(files[name]))
            else:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(tar_bytes.getvalue())
    return out.getvalue()


def build(release: str, out_dir: Path) -> Path:
    """Writes <out_dir>/<release>/portal.tar.gz and portal.tar.gz.sha256; returns the archive's path."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    data = archive(release_files(release), epoch)
    target = out_dir / release
    target.mkdir(parents=True, exist_ok=True)
    (target / "portal.tar.gz").write_bytes(data)
    # The format `sha256sum` prints, which the boot script checks the download against.
    (target / "portal.tar.gz.sha256").write_text(f"{hashlib.sha256(data).hexdigest()}  portal.tar.gz\n")
    return target / "portal.tar.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="app/build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("release", help="release id, e.g. 2026.12.06-1")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "releases",
                        help="folder that receives <release>/portal.tar.gz (default: build/releases)")
    args = parser.parse_args(argv)
    if problem := release_problem(args.release):
        print(f"app/build.py: {problem}", file=sys.stderr)
        return 2
    path = build(args.release, args.out)
    print(f"{path} ({path.stat().st_size} bytes)\n{path}.sha256: {(path.parent / 'portal.tar.gz.sha256').read_text().split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
