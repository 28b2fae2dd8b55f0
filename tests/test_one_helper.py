"""One helper for tags and one for IAM policy documents: no component writes either by hand."""

from pathlib import Path

import pytest

from components.iam import assume_role_policy, policy_document
from components.tagging import tagger

COMPONENTS = Path(__file__).resolve().parent.parent / "components"
SOURCES = sorted(p for p in COMPONENTS.rglob("*.py") if p.name != "__init__.py")


def _users_of(text: str, *, besides: str) -> list[str]:
    return [str(p.relative_to(COMPONENTS)) for p in SOURCES if p.name != besides and text in p.read_text()]


def test_policy_documents_are_written_by_the_iam_helper_only():
    assert _users_of("2012-10-17", besides="iam.py") == []
    assert _users_of('"Version":', besides="iam.py") == []


def test_tags_are_built_by_the_tagger_only():
    assert _users_of("stack_tags(", besides="tagging.py") == []
    assert _users_of('"ManagedBy"', besides="tagging.py") == []


def test_the_documents_keep_their_json():
    """A different layout of the same policy shows as a change in every preview: the text is fixed."""
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    assert policy_document(statement) == ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
                                          '"s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}')
    assert policy_document(statement, indent=2).startswith('{\n  "Version": "2012-10-17",\n  "Statement": [\n')
    assert assume_role_policy("ec2.amazonaws.com") == (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": '
        '{"Service": "ec2.amazonaws.com"}}]}')


@pytest.mark.parametrize("extra", [{}, {"Project": "other", "CostCentre": "42"}])
def test_the_tagger_names_the_resource_and_keeps_the_portal_tags(extra):
    tags = tagger("staging", extra)
    assert tags("portal-staging-vpc", Purpose="logs") == {
        **({"CostCentre": "42"} if extra else {}), "Project": "ecommerce-portal", "Environment": "staging",
        "ManagedBy": "pulumi", "Name": "portal-staging-vpc", "Purpose": "logs"}
