"""A release that is not in the releases bucket never reaches a server: the deploy stops before the group is
pointed at it, with one message saying what is missing and how to upload it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from components.web.release import ReleaseNotUploaded, release_keys, release_problems, require_uploaded
from preflight.offline_facts import InvokeAnswer, OfflineFacts
from preflight.runner import run_program

ROOT = Path(__file__).resolve().parent.parent
RELEASE = "2026.11.26-1"  # what both stack files pin
GET_OBJECT = "aws:s3/getObject:getObject"
ASG = "aws:autoscaling/group:Group"


def not_found(key: str):
    raise Exception(f"invoke of {GET_OBJECT} failed: reading S3 Object ({key}): couldn't find resource")


def present(size: int):
    return lambda key: SimpleNamespace(content_length=size)


def test_a_release_that_was_never_uploaded_names_both_objects_and_how_to_upload_them():
    with pytest.raises(ReleaseNotUploaded) as raised:
        require_uploaded("portal-staging-releases-abc", "1.2.3", not_found)
    message = str(raised.value)
    archive, checksum = release_keys("1.2.3")
    assert (archive, checksum) == ("releases/1.2.3/portal.tar.gz", "releases/1.2.3/portal.tar.gz.sha256")
    assert f"portal:release = 1.2.3: {archive} is not in the releases bucket portal-staging-releases-abc" in message
    assert f"portal:release = 1.2.3: {checksum} is not in the releases bucket" in message
    assert "couldn't find resource" in message, "the provider's reason is kept (not found, access denied, ...)"
    assert f"aws s3 cp portal.tar.gz s3://portal-staging-releases-abc/{archive}" in message
    assert f"aws s3 cp portal.tar.gz.sha256 s3://portal-staging-releases-abc/{checksum}" in message
    assert "docs/releases.md" in message and "first deploy" in message


def test_an_archive_without_its_checksum_does_not_deploy():
    def only_archive(key: str):
        return SimpleNamespace(content_length=1024) if key.endswith(".tar.gz") else not_found(key)

    problems = release_problems("b", "1.2.3", only_archive)
    assert problems == ["releases/1.2.3/portal.tar.gz.sha256 is not in the releases bucket b "
                        f"(invoke of {GET_OBJECT} failed: reading S3 Object (releases/1.2.3/portal.tar.gz.sha256): "
                        "couldn't find resource)"]


def test_an_empty_upload_does_not_deploy():
    assert release_problems("b", "1.2.3", present(0)) == [
        "releases/1.2.3/portal.tar.gz in the releases bucket b is empty",
        "releases/1.2.3/portal.tar.gz.sha256 in the releases bucket b is empty"]


def test_an_uploaded_release_passes():
    assert require_uploaded("b", "1.2.3", present(2048)) == "b"


@pytest.mark.parametrize("stack", ["staging", "prod"])
def test_a_release_missing_from_the_bucket_stops_the_deploy_before_the_group(stack):
    # The lookup answered as S3 would for an interrupted upload: the archive is there but holds nothing.
    facts = OfflineFacts(invokes=(InvokeAnswer(GET_OBJECT, {"key": f"releases/{RELEASE}/portal.tar.gz"},
                                               {"contentLength": 0}),))
    result = run_program(ROOT, stack, "update", offline_facts=facts)
    assert result.error is not None, "pulumi up must not report success"
    message = result.error.message
    assert f"portal:release = {RELEASE}: releases/{RELEASE}/portal.tar.gz in the releases bucket " \
           f"portal-{stack}-releases" in message
    assert "is empty" in message and "aws s3 cp portal.tar.gz s3://" in message
    assert not [r for r in result.resources if r.type == ASG], "no group is pointed at the release"
