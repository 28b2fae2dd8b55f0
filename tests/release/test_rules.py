"""The release tool's input rules: the stack's own release id and image rules, and the archive layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components.validation import ConfigReader
from components.web import settings as web_settings
from components.web.boot import BootConfig, user_data
from components.edge.settings import rollback_alarm_name
from release.aws import checksum_line, release_in_user_data, stack_rollback_alarm
from release.rules import release_of_archive, release_problems
from tests.release.world import build_archive

RULE = ("must be 1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit (it becomes "
        "an S3 prefix and a directory name)")


def stack_accepts(release: str) -> bool:
    reader = ConfigReader({"release": release, "amiId": "ami-0123456789abcdef0"}, web_settings.KEYS)
    web_settings.parse(reader)
    return not reader.problems


@pytest.mark.parametrize("release", ["2026-12-06.1", "a", "A" * 64, "v1_2-rc.3", "-leading", "a" * 65, "has space",
                                     "a/b", "é1", ".hidden"])
def test_the_tool_accepts_exactly_what_the_stack_accepts(release):
    assert (release_problems(release) == []) == stack_accepts(release)


def test_a_bad_release_names_the_flag_the_value_and_the_stacks_rule():
    assert release_problems("Bad id!") == [f"--release 'Bad id!': {RULE}"]
    assert release_problems("a" * 65, flag="--to-release") == [f"--to-release '{'a' * 65}': {RULE}"]


def test_an_empty_release_is_refused_although_the_stack_allows_one():
    assert release_problems("") == ["--release '': must not be empty"]


def test_release_and_image_problems_come_together():
    assert release_problems("no good", image="ami-nope") == [
        f"--release 'no good': {RULE}",
        "--image 'ami-nope': must be an image id like ami-0123456789abcdef0"]
    assert release_problems("2026-12-06.1", image="ami-0123456789abcdef0") == []


def test_the_release_comes_from_the_archives_release_file(tmp_path):
    archive = build_archive("2026-12-06.1", path=tmp_path / "portal.tar.gz")
    data, release, problems = release_of_archive(archive, None)
    assert (release, problems) == ("2026-12-06.1", [])
    assert data == archive.read_bytes()


def test_a_release_flag_that_disagrees_with_the_archive_is_refused(tmp_path):
    archive = build_archive("2026-12-06.1", path=tmp_path / "portal.tar.gz")
    assert release_of_archive(archive, "2026-12-06.2")[2] == [
        "--release '2026-12-06.2': must match the archive's RELEASE file ('2026-12-06.1')"]


def test_every_archive_problem_is_reported_at_once(tmp_path):
    archive = build_archive("x", path=tmp_path / "portal.tar.gz", members=("RELEASE", "public/index.php"))
    assert release_of_archive(archive, "Bad id!")[2] == [
        f"--archive '{archive}': must hold RELEASE, public/index.php, public/healthz.php at its root (missing: "
        "public/healthz.php)",
        f"--release 'Bad id!': {RULE}"]


def test_a_release_without_a_schema_needs_no_migration_script(tmp_path):
    archive = build_archive("2026-12-06.1", path=tmp_path / "portal.tar.gz",
                            members=("RELEASE", "public/index.php", "public/healthz.php"))
    assert release_of_archive(archive, None)[1:] == ("2026-12-06.1", [])


def test_the_boot_script_runs_the_migration_script_only_when_the_release_has_one():
    # The archive rule above and the boot script must agree: a release without bin/migrate.php boots.
    boot = (Path(__file__).resolve().parents[2] / "components/web/boot.sh").read_text()
    assert 'if [[ -f "${RELEASE_DIR}/bin/migrate.php" ]]; then' in boot


def test_an_archive_that_is_not_a_gzip_tar_or_missing_is_named(tmp_path):
    text = tmp_path / "portal.tar.gz"
    text.write_text("not an archive")
    problems = release_of_archive(text, None)[2]
    assert len(problems) == 1 and problems[0].startswith(f"--archive '{text}': must be a gzip-compressed tar archive")
    missing = tmp_path / "nowhere.tar.gz"
    assert release_of_archive(missing, "r1")[2] == [
        f"--archive '{missing}': cannot be read (No such file or directory)"]


@pytest.mark.parametrize("release", ["2026-12-06.1", "v1_2-rc.3"])
def test_the_running_release_is_read_back_from_the_boot_script_the_stack_renders(release):
    rendered = user_data(BootConfig(parameter_prefix="/portal/prod/", release=release, app_port=8080,
                                    health_check_path="/healthz"))
    assert release_in_user_data(rendered) == release


def test_user_data_without_a_release_line_names_no_release():
    assert release_in_user_data("") is None
    assert release_in_user_data("IyEvYmluL2Jhc2gKZWNobyBoaQo=") is None  # "#!/bin/bash\necho hi\n"


@pytest.mark.parametrize("environment", ["staging", "prod", "qa-2"])
def test_the_tool_names_the_rollback_alarm_the_stack_creates(environment):
    from components.settings import load_settings
    from components.web.component import parameter_prefix

    settings = load_settings({"environment": environment}, environment)
    assert stack_rollback_alarm(parameter_prefix(environment)) == rollback_alarm_name(settings.name)
    assert stack_rollback_alarm("/shop/") is None


def test_the_checksum_file_is_what_sha256sum_prints():
    line = checksum_line("ab" * 32).decode()
    assert re.fullmatch(r"[0-9a-f]{64}  portal\.tar\.gz\n", line)
