"""`make release` (app/build.py): the archive the boot script unpacks, byte-identical on every rebuild."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("portal_release_build", ROOT / "app" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)


def test_a_rebuild_is_byte_identical_whatever_the_source_files_times(tmp_path):
    first = build.build("2026.12.06-1", tmp_path / "a").read_bytes()
    source = ROOT / "app" / "public" / "index.php"
    stat = source.stat()
    os.utime(source, (stat.st_atime + 3600, stat.st_mtime + 3600))
    try:
        second = build.build("2026.12.06-1", tmp_path / "b").read_bytes()
    finally:
        os.utime(source, (stat.st_atime, stat.st_mtime))
    assert first == second
    assert ((tmp_path / "a" / "2026.12.06-1" / "portal.tar.gz.sha256").read_bytes()
            == (tmp_path / "b" / "2026.12.06-1" / "portal.tar.gz.sha256").read_bytes())


def test_the_checksum_file_is_what_sha256sum_prints(tmp_path):
    archive = build.build("r1", tmp_path)
    line = (tmp_path / "r1" / "portal.tar.gz.sha256").read_text()
    assert line == f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  portal.tar.gz\n"
    assert subprocess.run(["sha256sum", "--check", "--strict", "--quiet", "portal.tar.gz.sha256"],
                          cwd=tmp_path / "r1").returncode == 0


def test_the_archive_has_the_contract_layout_with_fixed_metadata(tmp_path):
    archive = build.build("2026.12.06-1", tmp_path)
    data = archive.read_bytes()
    # gzip -n: no file name flag (FLG bit 3) and a zero MTIME in the header.
    assert data[3] & 0x08 == 0 and data[4:8] == b"\0\0\0\0"
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names)
        assert {"RELEASE", "public/index.php", "public/healthz.php", "bin/migrate.php",
                "migrations/0001_sessions.sql"} <= set(names)
        assert not [n for n in names if n.startswith(("/", "..")) or n.endswith(".py") or "__pycache__" in n]
        assert {(m.uid, m.gid, m.uname, m.gname, m.mtime) for m in members} == {(0, 0, "root", "root", 315532800)}
        assert {m.mode for m in members if m.isfile()} == {0o644}
        assert {m.mode for m in members if m.isdir()} == {0o755}
        assert tar.extractfile("RELEASE").read() == b"2026.12.06-1\n"
        # The sessions table comes from the portal's own DDL file, unchanged.
        assert (tar.extractfile("migrations/0001_sessions.sql").read()
                == (ROOT / "components" / "database" / "sessions.sql").read_bytes())
    with gzip.open(archive) as raw:
        assert raw.read()  # a complete gzip stream


def test_source_date_epoch_sets_every_time(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765000000")
    with tarfile.open(build.build("r2", tmp_path)) as tar:
        assert {m.mtime for m in tar.getmembers()} == {1765000000}


def test_release_ids_follow_the_stack_rule(capsys, tmp_path):
    assert build.release_problem("2026.11.26-1") is None  # staging's portal:release
    assert build.main(["bad id", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "app/build.py: release 'bad id': must be 1 to 64 letters, digits, dots, underscores or hyphens, starting "
        "with a letter or digit (the rule of portal:release)\n")
    assert list(tmp_path.iterdir()) == []
    assert build.release_problem("-leading-hyphen") is not None
    assert build.release_problem("x" * 65) is not None


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT).as_posix() for folder in ("app", "drill")
                                        for p in (ROOT / folder).rglob("*.php")))
def test_php_files_parse(path):
    result = subprocess.run(["php", "-l", path], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.match(r"No syntax errors detected", result.stdout)


def test_hidden_files_and_bytecode_never_ship(tmp_path, monkeypatch):
    app = tmp_path / "app"
    shutil.copytree(ROOT / "app", app)
    (app / "public" / ".DS_Store").write_bytes(b"x")
    (app / "src" / "__pycache__").mkdir()
    (app / "src" / "__pycache__" / "x.pyc").write_bytes(b"x")
    monkeypatch.setattr(build, "APP", app)
    names = set(build.release_files("r3"))
    assert "public/index.php" in names
    assert not [n for n in names if ".DS_Store" in n or "__pycache__" in n]
