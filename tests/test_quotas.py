"""Two stacks with a NAT gateway per AZ in one region and account need more Elastic IPs than a new account's
default quota (5): the preview says so before the second stack's first `pulumi up` fails halfway."""

import pytest

from components.quotas import (
    StackFootprint, footprint_from_stack_config, other_stack_footprints, shared_region_quota_warning)
from tests.conftest import ROOT

STAGING = StackFootprint("staging", "eu-west-1", 3, ("123456789012",))
PROD = StackFootprint("prod", "eu-west-1", 3)


def test_two_three_az_stacks_in_one_region_exceed_the_elastic_ip_quota():
    assert shared_region_quota_warning(STAGING, [PROD]) == (
        "stacks staging (3), prod (3) run their NAT gateways in eu-west-1, in the same account as far as their "
        "stack files tell: 6 NAT gateways need 6 Elastic IPs, and the default quota is 5 per region. Raise "
        "\"EC2-VPC Elastic IPs\" (Service Quotas: ec2 L-0263D0A3) to at least 6 in eu-west-1 before `pulumi up`, "
        "or the last stack's NAT gateways fail to be created")


@pytest.mark.parametrize("other", [
    StackFootprint("prod", "eu-central-1", 3),                       # another region
    StackFootprint("prod", "eu-west-1", 2),                          # 5 fit the default quota
    StackFootprint("prod", "eu-west-1", 3, ("210987654321",)),       # pinned to another account
])
def test_no_warning_when_the_stacks_cannot_exhaust_the_quota_together(other):
    assert shared_region_quota_warning(STAGING, [other]) is None


def test_a_pinned_account_that_matches_still_counts():
    assert shared_region_quota_warning(STAGING, [StackFootprint("prod", "eu-west-1", 3, ("123456789012",))])


def test_the_other_stack_files_footprint_comes_from_its_config():
    assert footprint_from_stack_config("prod", {"aws:region": "eu-west-1"}, 3) == PROD
    assert footprint_from_stack_config("prod", {"aws:region": "eu-west-1", "portal:azCount": "2"}, 3).nat_gateways == 2
    zones = {"aws:region": "eu-west-1", "portal:availabilityZones": ["eu-west-1a", "eu-west-1b"],
             "aws:allowedAccountIds": ["210987654321"]}
    assert footprint_from_stack_config("prod", zones, 3) == StackFootprint("prod", "eu-west-1", 2, ("210987654321",))
    assert footprint_from_stack_config("prod", {"portal:azCount": 3}, 3) is None, "no region: nothing to compare"


def test_the_project_stack_files_are_read():
    from pathlib import Path

    assert other_stack_footprints(Path(ROOT), "staging", 3) == [PROD]


def test_the_preview_warns_once_about_the_shared_quota(portal_run):
    preview = portal_run("staging", "preview")
    assert preview.error is None, preview.error and preview.error.details
    warnings = [e.message for e in preview.logs if e.severity == "warning" and "Elastic IPs" in e.message]
    assert warnings == [shared_region_quota_warning(STAGING, [PROD])]
    update = portal_run("staging", "update")
    assert not [e for e in update.logs if "Elastic IPs" in e.message]


def test_stacks_that_fit_the_quota_get_no_warning(portal_run):
    result = portal_run("staging", "preview", {"portal:azCount": "2"})
    assert result.error is None, result.error and result.error.details
    assert not [e for e in result.logs if "Elastic IPs" in e.message]
