"""`python -m release` end to end against moto: upload, deploy, promote, rollback and status.

The world (tests/release/world.py) runs staging and prod on release 2026-12-01.1; instance refreshes follow a
scripted plan because moto has no instance refresh calls.
"""

from __future__ import annotations

import io
import json

import pytest

from release.aws import record_key
from release.cli import Deps, main
from tests.release.conftest import run_tool
from tests.release.world import FIRST_IMAGE, build_archive, client, record_history

NEW = "2026-12-06.1"
NEWER = "2026-12-06.2"
OTHER_IMAGE = "ami-0fedcba9876543210"


@pytest.fixture
def archive(tmp_path):
    return build_archive(NEW, path=tmp_path / "portal.tar.gz")


def s3():
    return client("s3")


def bucket(world, stack):
    return world.stacks[stack].outputs["releasesBucketName"]


def read(world, stack, key):
    return s3().get_object(Bucket=bucket(world, stack), Key=key)["Body"].read()


def parameter(name):
    return client("ssm").get_parameter(Name=name)["Parameter"]["Value"]


def set_alarm(name, state):
    client("cloudwatch").set_alarm_state(AlarmName=name, StateValue=state, StateReason="set by the test")


def alarm_refusal(stack, alarm, flag="--stack"):
    return (f"release: {flag} '{stack}': rollback alarm {alarm} is in ALARM, so an instance refresh started now "
            "would fail at once and roll back; wait until it is OK, or investigate what sets it off "
            "(docs/releases.md: \"The alarm must be OK before a roll-out starts\"); nothing was changed")


def upload_and_deploy(world, tmp_path, release, stack="staging", *extra):
    path = build_archive(release, path=tmp_path / f"{release}.tar.gz")
    assert run_tool(world, "upload", "--stack", stack, "--archive", str(path)).code == 0
    return run_tool(world, "deploy", "--stack", stack, "--release", release, *extra)


# -- upload ------------------------------------------------------------------------------------------------------

def test_upload_puts_the_archive_and_its_checksum_and_verifies_them(world, archive):
    import hashlib

    result = run_tool(world, "upload", "--stack", "staging", "--archive", str(archive))
    sha = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert (result.code, result.err) == (0, "")
    assert result.out == (f"{NEW}: uploaded; verified s3://portal-staging-releases-a1b2c3d/releases/{NEW}/"
                          f"portal.tar.gz (SHA-256 {sha})\n")
    assert read(world, "staging", f"releases/{NEW}/portal.tar.gz") == archive.read_bytes()
    assert read(world, "staging", f"releases/{NEW}/portal.tar.gz.sha256") == f"{sha}  portal.tar.gz\n".encode()


def test_upload_reads_outputs_from_a_file(world, archive, tmp_path):
    outputs = tmp_path / "staging.json"
    outputs.write_text(json.dumps(world.stacks["staging"].outputs))
    staging_bucket = bucket(world, "staging")
    world.stacks.clear()  # no stack to ask: the file is the only source
    result = run_tool(world, "upload", "--stack", "staging", "--archive", str(archive), "--outputs", str(outputs))
    assert result.code == 0, result.err
    assert s3().get_object(Bucket=staging_bucket, Key=f"releases/{NEW}/portal.tar.gz")["Body"].read() == \
        archive.read_bytes()


def test_uploading_the_same_archive_again_changes_nothing(world, archive):
    run_tool(world, "upload", "--stack", "staging", "--archive", str(archive))
    result = run_tool(world, "upload", "--stack", "staging", "--archive", str(archive))
    assert result.code == 0 and result.out.startswith(f"{NEW}: already uploaded with the same content; verified")
    versions = s3().list_object_versions(Bucket=bucket(world, "staging"), Prefix=f"releases/{NEW}/")["Versions"]
    assert len(versions) == 2


def test_upload_refuses_to_overwrite_a_release_with_different_content(world, archive, tmp_path):
    run_tool(world, "upload", "--stack", "staging", "--archive", str(archive))
    before = read(world, "staging", f"releases/{NEW}/portal.tar.gz")
    other = build_archive(NEW, path=tmp_path / "other.tar.gz", extra=b"// changed\n")
    result = run_tool(world, "upload", "--stack", "staging", "--archive", str(other))
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(f"release: --release '{NEW}': s3://portal-staging-releases-a1b2c3d/releases/{NEW}/ "
                                 "already holds different content (portal.tar.gz (SHA-256 ")
    assert result.err.endswith("choose a new id\n") and result.err.count("\n") == 1
    assert read(world, "staging", f"releases/{NEW}/portal.tar.gz") == before


def test_upload_reports_every_input_problem_at_once(world, tmp_path):
    broken = build_archive("x", path=tmp_path / "portal.tar.gz", members=("RELEASE",))
    result = run_tool(world, "upload", "--stack", "staging", "--archive", str(broken), "--release", "Bad id!")
    assert result.code == 2
    assert result.err.splitlines() == [
        f"release: --archive '{broken}': must hold RELEASE, public/index.php, public/healthz.php at its root "
        "(missing: public/index.php, public/healthz.php)",
        "release: --release 'Bad id!': must be 1 to 64 letters, digits, dots, underscores or hyphens, starting "
        "with a letter or digit (it becomes an S3 prefix and a directory name)"]
    assert s3().list_objects_v2(Bucket=bucket(world, "staging")).get("KeyCount") == 0


def test_archive_and_outputs_problems_come_together(world, tmp_path):
    broken = tmp_path / "portal.tar.gz"
    broken.write_bytes(b"")
    outputs = tmp_path / "outputs.json"
    outputs.write_text("{not json")
    result = run_tool(world, "upload", "--stack", "staging", "--archive", str(broken), "--outputs", str(outputs))
    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"release: --archive '{broken}': must be a gzip-compressed tar archive")
    assert lines[1].startswith(f"release: --outputs '{outputs}': must be the JSON `pulumi stack output --json` "
                               "prints (Expecting property name")


def test_missing_flags_and_outputs_are_one_line_each(world, archive, tmp_path):
    result = run_tool(world, "deploy", "--stack", "staging")
    assert (result.code, result.err) == (
        2, "release: python -m release deploy: the following arguments are required: --release\n")
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"parameterPrefix": "/portal/staging/"}))
    result = run_tool(world, "upload", "--stack", "staging", "--archive", str(archive), "--outputs", str(outputs))
    assert (result.code, result.err) == (
        2, f"release: --outputs '{outputs}': output releasesBucketName is missing (the release tool reads it)\n")


# -- deploy ------------------------------------------------------------------------------------------------------

def test_deploy_refuses_a_release_that_is_not_uploaded(world):
    result = run_tool(world, "deploy", "--stack", "staging", "--release", NEW)
    assert result.code == 2
    assert result.err == (f"release: --release '{NEW}': is not uploaded (portal.tar.gz, portal.tar.gz.sha256 missing "
                          f"under s3://portal-staging-releases-a1b2c3d/releases/{NEW}/); upload it first with "
                          "`python -m release upload`\n")
    assert world.stacks["staging"].calls == []


def test_deploy_refuses_a_tampered_archive(world, archive, tmp_path):
    run_tool(world, "upload", "--stack", "staging", "--archive", str(archive))
    tampered = build_archive(NEW, path=tmp_path / "tampered.tar.gz", extra=b"evil();\n")
    s3().put_object(Bucket=bucket(world, "staging"), Key=f"releases/{NEW}/portal.tar.gz", Body=tampered.read_bytes())
    result = run_tool(world, "deploy", "--stack", "staging", "--release", NEW)
    assert result.code == 2
    assert result.err.startswith(f"release: --release '{NEW}': s3://portal-staging-releases-a1b2c3d/releases/{NEW}/"
                                 "portal.tar.gz does not match its checksum (SHA-256 ")
    assert result.err.endswith("the archive was changed after upload\n")
    assert world.stacks["staging"].calls == [] and world.stacks["staging"].config["portal:release"] == "2026-12-01.1"


def test_a_successful_refresh_is_shown_waited_for_and_recorded(world, tmp_path):
    result = upload_and_deploy(world, tmp_path, NEW, "staging", "--image", OTHER_IMAGE)
    assert (result.code, result.err) == (0, "")
    staging = world.stacks["staging"]
    assert staging.config == {"portal:release": NEW, "portal:amiId": OTHER_IMAGE}
    assert ("up",) in staging.calls
    refresh = world.refreshes.started[0]
    lines = result.out.splitlines()
    assert lines[0] == (f"staging: portal:release = {NEW}, portal:amiId = {OTHER_IMAGE} (s3://portal-staging-releases-"
                        f"a1b2c3d/releases/{NEW}/portal.tar.gz verified); pulumi up --policy-pack policies")
    assert "  | Resources: 3 updated, 209 unchanged" in lines
    progress = [line for line in lines if line.startswith("refresh ") and ":" in line.split()[1]]
    healthy = "healthy: eu-west-1a 1, eu-west-1b 1, eu-west-1c 1"
    assert progress == [f"refresh {refresh['InstanceRefreshId']}: InProgress 0%, 0/3 replaced, {healthy}",
                        f"refresh {refresh['InstanceRefreshId']}: InProgress 33%, 1/3 replaced, {healthy}",
                        f"refresh {refresh['InstanceRefreshId']}: InProgress 66%, 2/3 replaced, {healthy}",
                        f"refresh {refresh['InstanceRefreshId']}: Successful 100%, 3/3 replaced, {healthy}"]
    assert lines[-1] == (f"staging: release {NEW} (image {OTHER_IMAGE}) is live: refresh "
                         f"{refresh['InstanceRefreshId']} Successful")
    # Waited on the injected clock only: one 15 s poll between the four states shown.
    assert world.slept == [15.0, 15.0, 15.0]
    record = json.loads(read(world, "staging", record_key(NEW, "staging")))
    assert record == {"stack": "staging", "release": NEW, "amiId": OTHER_IMAGE,
                      "refreshId": refresh["InstanceRefreshId"], "finishedAt": "2026-12-06T09:20:00+00:00",
                      "outcome": "Successful"}
    assert parameter("/portal/staging/release") == NEW


def test_a_rolled_back_refresh_names_the_alarm_and_puts_config_back_to_what_runs(world, tmp_path):
    world.refreshes.plan = "rollback"
    result = upload_and_deploy(world, tmp_path, NEW, "staging", "--image", OTHER_IMAGE)
    refresh_id = world.refreshes.started[0]["InstanceRefreshId"]
    assert result.code == 1
    assert result.err == (f"release: staging: release {NEW} rolled back (refresh {refresh_id} RollbackSuccessful): "
                          "alarm portal-staging-alb-5xx fired; running 2026-12-01.1 (image ami-0123456789abcdef0), so "
                          "portal:release, portal:amiId and /portal/staging/release are back to it\n")
    assert (f"refresh {refresh_id}: RollbackInProgress 50%, rolling back to the previous version, healthy: "
            "eu-west-1a 0, eu-west-1b 1, eu-west-1c 1") in result.out
    assert world.stacks["staging"].config == {"portal:release": "2026-12-01.1", "portal:amiId": FIRST_IMAGE}
    assert parameter("/portal/staging/release") == "2026-12-01.1"
    with pytest.raises(s3().exceptions.NoSuchKey):
        read(world, "staging", record_key(NEW, "staging"))


def test_a_failed_pulumi_up_rolls_nothing_out_and_puts_config_back(world, tmp_path):
    world.stacks["staging"].up_error = RuntimeError("stderr: error: update failed\n  policy violation")
    result = upload_and_deploy(world, tmp_path, NEW)
    assert result.code == 1
    assert result.err == ("release: staging: pulumi up failed (policy violation); nothing was rolled out and "
                          "portal:release is back to 2026-12-01.1\n")
    assert world.stacks["staging"].config["portal:release"] == "2026-12-01.1"


def test_ctrl_c_during_pulumi_up_exits_130_with_config_restored(world, tmp_path):
    world.stacks["staging"].up_error = KeyboardInterrupt()
    result = upload_and_deploy(world, tmp_path, NEW, "staging", "--image", OTHER_IMAGE)
    assert result.code == 130
    assert result.err.startswith("release: interrupted during pulumi up: staging's config put back to portal:release "
                                 "2026-12-01.1")
    assert world.stacks["staging"].config == {"portal:release": "2026-12-01.1", "portal:amiId": FIRST_IMAGE}


def test_ctrl_c_while_writing_config_exits_130_and_leaves_it_as_it_was(world, tmp_path):
    staging = world.stacks["staging"]
    interrupts = iter([KeyboardInterrupt()])
    staging.set_config_error = lambda key: next(interrupts, None) if key == "portal:amiId" else None
    result = upload_and_deploy(world, tmp_path, NEW, "staging", "--image", OTHER_IMAGE)
    assert (result.code, result.err) == (130, "release: interrupted; the stack's config was not changed\n")
    assert staging.config == {"portal:release": "2026-12-01.1", "portal:amiId": FIRST_IMAGE}
    assert ("up",) not in staging.calls


def test_a_refresh_that_does_not_end_in_time_fails_without_touching_config(world, tmp_path):
    world.refreshes.plan = "never-ends"
    result = upload_and_deploy(world, tmp_path, NEW, "staging", "--timeout-minutes", "1")
    refresh_id = world.refreshes.started[0]["InstanceRefreshId"]
    assert result.code == 1
    assert result.err == (f"release: staging: refresh {refresh_id} is still InProgress after 1 minutes; "
                          f"portal:release stays {NEW}; `python -m release status --stack staging` shows the outcome\n")
    assert world.now >= 60 and world.stacks["staging"].config["portal:release"] == NEW


def test_deploying_what_already_runs_starts_no_refresh(world, tmp_path):
    result = upload_and_deploy(world, tmp_path, "2026-12-01.1")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[-1] == ("staging: release 2026-12-01.1 (image ami-0123456789abcdef0) runs: no "
                                           "instance refresh was needed")
    assert world.refreshes.started == []


def test_deploy_reports_bad_release_and_image_together(world):
    result = run_tool(world, "deploy", "--stack", "staging", "--release", "../x", "--image", "latest")
    assert result.code == 2
    assert result.err.splitlines() == [
        "release: --release '../x': must be 1 to 64 letters, digits, dots, underscores or hyphens, starting with a "
        "letter or digit (it becomes an S3 prefix and a directory name)",
        "release: --image 'latest': must be an image id like ami-0123456789abcdef0"]


# -- promote -----------------------------------------------------------------------------------------------------

def test_promotion_is_refused_without_a_staging_success(world, archive):
    run_tool(world, "upload", "--stack", "staging", "--archive", str(archive))
    result = run_tool(world, "promote", "--from", "staging", "--to", "prod", "--release", NEW)
    assert result.code == 2
    assert result.err == (f"release: --release '{NEW}': staging has not run it to a successful instance refresh (no "
                          f"success in s3://portal-staging-releases-a1b2c3d/releases/{NEW}/promotions/staging.json); "
                          "deploy it on staging first\n")
    assert s3().list_objects_v2(Bucket=bucket(world, "prod")).get("KeyCount") == 0
    assert world.stacks["prod"].calls == []


def test_promotion_is_refused_after_a_staging_rollback(world, tmp_path):
    world.refreshes.plan = "rollback"
    assert upload_and_deploy(world, tmp_path, NEW).code == 1
    result = run_tool(world, "promote", "--from", "staging", "--to", "prod", "--release", NEW)
    assert result.code == 2 and "staging has not run it to a successful instance refresh" in result.err


def test_promotion_copies_the_verified_archive_and_deploys_staging_s_image_on_prod(world, tmp_path):
    assert upload_and_deploy(world, tmp_path, NEW, "staging", "--image", OTHER_IMAGE).code == 0
    result = run_tool(world, "promote", "--from", "staging", "--to", "prod", "--release", NEW)
    assert (result.code, result.err) == (0, "")
    for name in ("portal.tar.gz", "portal.tar.gz.sha256"):
        assert read(world, "prod", f"releases/{NEW}/{name}") == read(world, "staging", f"releases/{NEW}/{name}")
    assert world.stacks["prod"].config == {"portal:release": NEW, "portal:amiId": OTHER_IMAGE}
    prod_record = json.loads(read(world, "prod", record_key(NEW, "prod")))
    assert prod_record["amiId"] == OTHER_IMAGE and prod_record["refreshId"] == \
        world.refreshes.started[1]["InstanceRefreshId"]
    assert result.out.splitlines()[-1].startswith(f"prod: release {NEW} (image {OTHER_IMAGE}) is live")


def test_promotion_refuses_a_staging_archive_changed_after_its_success(world, tmp_path):
    assert upload_and_deploy(world, tmp_path, NEW).code == 0
    s3().put_object(Bucket=bucket(world, "staging"), Key=f"releases/{NEW}/portal.tar.gz", Body=b"other bytes")
    result = run_tool(world, "promote", "--from", "staging", "--to", "prod", "--release", NEW)
    assert result.code == 2 and "does not match its checksum" in result.err
    assert world.stacks["prod"].calls == []


def test_promotion_to_the_same_stack_is_refused(world):
    result = run_tool(world, "promote", "--from", "staging", "--to", "staging", "--release", NEW)
    assert (result.code, result.err) == (2, "release: --to 'staging': must name another stack than --from\n")


# -- rollback ----------------------------------------------------------------------------------------------------

def test_rollback_redeploys_the_last_release_that_succeeded_before_the_running_one(world, tmp_path):
    assert upload_and_deploy(world, tmp_path, NEW).code == 0
    assert upload_and_deploy(world, tmp_path, NEWER, "staging", "--image", OTHER_IMAGE).code == 0
    result = run_tool(world, "rollback", "--stack", "staging")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[0] == (f"staging: rolling back from {NEWER} to {NEW} (image {FIRST_IMAGE}), which "
                                          "succeeded there at 2026-12-06T09:20:00+00:00")
    assert world.stacks["staging"].config == {"portal:release": NEW, "portal:amiId": FIRST_IMAGE}
    assert parameter("/portal/staging/release") == NEW


def test_a_second_rollback_goes_further_back_instead_of_returning(world, tmp_path):
    record_history(world, tmp_path)  # 2026-12-01.1 succeeded on staging on 1 December
    assert upload_and_deploy(world, tmp_path, NEW).code == 0
    assert upload_and_deploy(world, tmp_path, NEWER, "staging", "--image", OTHER_IMAGE).code == 0
    first = run_tool(world, "rollback", "--stack", "staging")
    assert (first.code, first.err) == (0, "")
    rollback_refresh = world.refreshes.started[2]["InstanceRefreshId"]
    assert json.loads(read(world, "staging", record_key(NEW, "staging"))) == {
        "stack": "staging", "release": NEW, "amiId": FIRST_IMAGE, "refreshId": rollback_refresh,
        "finishedAt": "2026-12-06T11:20:00+00:00", "outcome": "Successful", "rolledBackFrom": NEWER}
    left = json.loads(read(world, "staging", record_key(NEWER, "staging")))
    assert (left["outcome"], left["rolledBackAt"], left["rolledBackTo"]) == (
        "Successful", "2026-12-06T11:20:00+00:00", NEW)

    second = run_tool(world, "rollback", "--stack", "staging")
    assert (second.code, second.err) == (0, "")
    assert second.out.splitlines()[0] == (
        f"staging: rolling back from {NEW} to 2026-12-01.1 (image {FIRST_IMAGE}), which succeeded there at "
        f"2026-12-01T10:00:00+00:00; skipped: {NEWER} (rolled back from at 2026-12-06T11:20:00+00:00)")
    assert world.stacks["staging"].config == {"portal:release": "2026-12-01.1", "portal:amiId": FIRST_IMAGE}

    third = run_tool(world, "rollback", "--stack", "staging")
    assert (third.code, third.out) == (2, "")
    assert third.err == ("release: --stack 'staging': no release other than the running one (2026-12-01.1) "
                         f"succeeded on it, except those rollback left since ({NEWER}, {NEW}); nothing to roll back "
                         "to (deploy one by name to run it again)\n")


def test_a_release_deployed_again_after_a_rollback_is_a_rollback_target_again(world, tmp_path):
    assert upload_and_deploy(world, tmp_path, NEW).code == 0
    assert upload_and_deploy(world, tmp_path, NEWER).code == 0
    assert run_tool(world, "rollback", "--stack", "staging").code == 0  # leaves NEWER
    assert run_tool(world, "deploy", "--stack", "staging", "--release", NEWER, "--image", OTHER_IMAGE).code == 0
    record = json.loads(read(world, "staging", record_key(NEWER, "staging")))
    assert "rolledBackAt" not in record and record["amiId"] == OTHER_IMAGE
    assert run_tool(world, "deploy", "--stack", "staging", "--release", NEW).code == 0
    result = run_tool(world, "rollback", "--stack", "staging")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines()[0] == (f"staging: rolling back from {NEW} to {NEWER} (image {OTHER_IMAGE}), which "
                                          "succeeded there at 2026-12-06T12:20:00+00:00")


def test_rollback_without_an_earlier_success_is_refused(world):
    result = run_tool(world, "rollback", "--stack", "staging")
    assert (result.code, result.err) == (2, "release: --stack 'staging': no release other than the running one "
                                            "(2026-12-01.1) succeeded on it; nothing to roll back to\n")


# -- the rollback alarm must not be in ALARM before a roll-out -----------------------------------------------

def test_deploy_is_refused_while_the_stacks_rollback_alarm_is_in_alarm(world, tmp_path):
    set_alarm("portal-staging-alb-5xx", "ALARM")  # no refresh yet: the stack's own alarm, by its name
    result = upload_and_deploy(world, tmp_path, NEW, "staging", "--image", OTHER_IMAGE)
    assert (result.code, result.out) == (2, "")
    assert result.err == alarm_refusal("staging", "portal-staging-alb-5xx") + "\n"
    staging = world.stacks["staging"]
    assert staging.calls == [] and world.refreshes.started == []
    assert staging.config == {"portal:release": "2026-12-01.1", "portal:amiId": FIRST_IMAGE}


def test_an_alarm_in_alarm_is_reported_with_the_other_problems(world):
    set_alarm("portal-staging-alb-5xx", "ALARM")
    result = run_tool(world, "deploy", "--stack", "staging", "--release", NEW)
    assert result.code == 2
    assert result.err.splitlines() == [
        f"release: --release '{NEW}': is not uploaded (portal.tar.gz, portal.tar.gz.sha256 missing under "
        f"s3://portal-staging-releases-a1b2c3d/releases/{NEW}/); upload it first with `python -m release upload`",
        alarm_refusal("staging", "portal-staging-alb-5xx")]


def test_a_missing_group_output_is_reported_with_the_other_problems(world):
    del world.stacks["staging"].outputs["autoScalingGroupName"]
    result = run_tool(world, "deploy", "--stack", "staging", "--release", NEW)
    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"release: --release '{NEW}': is not uploaded")
    assert lines[1] == "release: stack 'staging': output autoScalingGroupName is missing (the release tool reads it)"


def test_a_deploy_right_after_an_automatic_rollback_waits_for_the_alarm(world, tmp_path):
    world.refreshes.plan = "rollback"
    assert upload_and_deploy(world, tmp_path, NEW).code == 1  # the alarm fired and is still in ALARM
    world.refreshes.plan = "succeed"
    result = run_tool(world, "deploy", "--stack", "staging", "--release", NEW)
    assert (result.code, result.err) == (2, alarm_refusal("staging", "portal-staging-alb-5xx") + "\n")
    assert len(world.refreshes.started) == 1
    set_alarm("portal-staging-alb-5xx", "OK")
    assert run_tool(world, "deploy", "--stack", "staging", "--release", NEW).code == 0


def test_the_alarms_checked_are_those_the_groups_refresh_uses(world, tmp_path):
    cloudwatch = client("cloudwatch")
    staging = world.stacks["staging"]
    staging.alarms = ("portal-staging-alb-5xx", "portal-staging-web-errors")
    cloudwatch.put_metric_alarm(AlarmName="portal-staging-web-errors", Namespace="Portal", MetricName="Errors",
                                Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1,
                                ComparisonOperator="GreaterThanThreshold")
    assert upload_and_deploy(world, tmp_path, NEW).code == 0  # its refresh names both alarms
    set_alarm("portal-staging-web-errors", "ALARM")
    result = upload_and_deploy(world, tmp_path, NEWER)
    assert (result.code, result.err) == (2, alarm_refusal("staging", "portal-staging-web-errors") + "\n")
    set_alarm("portal-staging-alb-5xx", "ALARM")
    result = run_tool(world, "deploy", "--stack", "staging", "--release", NEWER)
    assert result.err.splitlines() == [alarm_refusal("staging", "portal-staging-alb-5xx"),
                                       alarm_refusal("staging", "portal-staging-web-errors")]
    assert staging.config["portal:release"] == NEW and len(world.refreshes.started) == 1


def test_an_alarm_without_data_does_not_block_a_deploy(world, tmp_path):
    set_alarm("portal-staging-alb-5xx", "INSUFFICIENT_DATA")
    result = upload_and_deploy(world, tmp_path, NEW)
    assert (result.code, result.err) == (0, "")
    assert world.stacks["staging"].config["portal:release"] == NEW


def test_promote_is_refused_while_the_targets_alarm_is_in_alarm(world, tmp_path):
    assert upload_and_deploy(world, tmp_path, NEW).code == 0
    set_alarm("portal-prod-alb-5xx", "ALARM")
    set_alarm("portal-staging-alb-5xx", "OK")
    result = run_tool(world, "promote", "--from", "staging", "--to", "prod", "--release", NEW)
    assert (result.code, result.out) == (2, "")
    assert result.err == alarm_refusal("prod", "portal-prod-alb-5xx", "--to") + "\n"
    assert world.stacks["prod"].calls == []
    assert s3().list_objects_v2(Bucket=bucket(world, "prod")).get("KeyCount") == 0


def test_rollback_is_refused_while_the_alarm_is_in_alarm(world, tmp_path):
    assert upload_and_deploy(world, tmp_path, NEW).code == 0
    assert upload_and_deploy(world, tmp_path, NEWER).code == 0
    set_alarm("portal-staging-alb-5xx", "ALARM")
    result = run_tool(world, "rollback", "--stack", "staging")
    assert (result.code, result.out) == (2, "")
    assert result.err == alarm_refusal("staging", "portal-staging-alb-5xx") + "\n"
    assert world.stacks["staging"].config["portal:release"] == NEWER and len(world.refreshes.started) == 2


# -- status ------------------------------------------------------------------------------------------------------

def test_status_shows_what_runs_the_last_refresh_and_healthy_targets(world, tmp_path):
    world.refreshes.plan = "rollback"
    upload_and_deploy(world, tmp_path, NEW)
    refresh_id = world.refreshes.started[0]["InstanceRefreshId"]
    result = run_tool(world, "status", "--stack", "staging", "--stack", "prod")
    assert result.code == 0
    assert result.out.splitlines() == [
        "staging",
        "  running   release 2026-12-01.1, image ami-0123456789abcdef0 (launch template version 1)",
        "  config    portal:release 2026-12-01.1, portal:amiId ami-0123456789abcdef0",
        "  recorded  /portal/staging/release = 2026-12-01.1",
        f"  refresh   {refresh_id} RollbackSuccessful 100% (started 2026-12-06T09:01:00+00:00, ended "
        "2026-12-06T09:20:00+00:00): An alarm went into ALARM state.",
        "  healthy   eu-west-1a 1, eu-west-1b 1, eu-west-1c 1",
        "  last success  none recorded",
        "prod",
        "  running   release 2026-12-01.1, image ami-0123456789abcdef0 (launch template version 1)",
        "  config    portal:release 2026-12-01.1, portal:amiId ami-0123456789abcdef0",
        "  recorded  /portal/prod/release = 2026-12-01.1",
        "  refresh   none",
        "  healthy   eu-west-1a 1, eu-west-1b 1, eu-west-1c 1",
        "  last success  none recorded"]


def test_status_json_is_one_document(world, tmp_path):
    assert upload_and_deploy(world, tmp_path, NEW).code == 0
    client("ec2").stop_instances(InstanceIds=[
        sorted(i["InstanceId"] for i in client("autoscaling").describe_auto_scaling_groups(
            AutoScalingGroupNames=["portal-staging-web"])["AutoScalingGroups"][0]["Instances"])[0]])
    result = run_tool(world, "status", "--stack", "staging", "--json")
    report = json.loads(result.out)["stacks"][0]
    assert report["running"] == {"release": NEW, "image": FIRST_IMAGE, "launchTemplateVersion": "2"}
    assert report["config"] == {"release": NEW, "image": FIRST_IMAGE}
    assert report["recordedRelease"] == NEW
    assert report["lastRefresh"]["status"] == "Successful"
    assert sum(report["healthyTargetsPerAz"].values()) == 2 and list(report["healthyTargetsPerAz"]) == [
        "eu-west-1a", "eu-west-1b", "eu-west-1c"]
    assert report["lastSuccess"]["release"] == NEW


def test_help_says_what_each_command_does(capsys):
    for argv, phrase in ((["--help"], "Exit codes: 0 done, 1 the rollout failed"),
                         (["upload", "--help"], "Upload a release archive and its .sha256"),
                         (["deploy", "--help"], "Roll an uploaded, verified release out on a stack"),
                         (["deploy", "--help"], "Refused before any change while a rollback alarm of the group's "
                                                "instance refresh is in ALARM"),
                         (["promote", "--help"], "Refused unless the source stack recorded a successful refresh"),
                         (["rollback", "--help"], "Deploy again the last release that succeeded"),
                         (["rollback", "--help"], "a second rollback goes further back instead of returning to the "
                                                  "release the first one left"),
                         (["status", "--help"], "Show the release and image each stack runs")):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 0
        assert phrase in " ".join(capsys.readouterr().out.split())


def test_status_from_an_outputs_file_does_not_open_the_stack(world, tmp_path):
    outputs = tmp_path / "prod.json"
    outputs.write_text(json.dumps(world.stacks["prod"].outputs))
    world.stacks.clear()
    result = run_tool(world, "status", "--stack", "prod", "--outputs", str(outputs))
    assert result.code == 0, result.err
    assert "  config    not read (--outputs given)" in result.out.splitlines()
    assert "  running   release 2026-12-01.1, image ami-0123456789abcdef0 (launch template version 1)" in result.out


def test_no_pulumi_cli_is_a_precondition_named_in_one_line():
    def no_cli(name):
        raise FileNotFoundError(2, "No such file or directory", "pulumi")

    err = io.StringIO()
    code = main(["status", "--stack", "staging"], Deps(stack=no_cli, errors=err))
    assert (code, err.getvalue()) == (2, "release: --stack 'staging': cannot open the stack: the Pulumi CLI is not on "
                                         "PATH (the Automation API runs it); give --outputs where the command takes "
                                         "it\n")


def test_aws_refusing_a_call_is_one_line_and_exit_2(world, archive, tmp_path):
    from botocore.exceptions import NoCredentialsError

    class NoCredentials:
        def client(self, service):
            raise NoCredentialsError()

    world.session = lambda region: NoCredentials()
    result = run_tool(world, "upload", "--stack", "staging", "--archive", str(archive))
    assert (result.code, result.err) == (2, "release: AWS: Unable to locate credentials\n")
