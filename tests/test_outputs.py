"""The stack outputs are a contract with deploy tools (docs/outputs.md): the exact set, for both stacks and both
runner modes, so a rename is a deliberate change. No output may carry a password."""

import json
import re
from pathlib import Path

import pytest

from preflight.runner import UNKNOWN

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = {
    "hostedZoneId", "nameServers", "siteUrl", "staticUrl", "loadBalancerDnsName", "cloudFrontDistributionId", "assetsBucketName",
    "releasesBucketName", "backupsBucketName", "logsBucketName", "autoScalingGroupName", "launchTemplateId",
    "parameterPrefix", "databaseEndpoint", "databaseSecretArn", "cacheEndpoint", "alertTopicArn", "dashboardUrl",
    "vpcId", "availabilityZones", "publicSubnetIds", "privateSubnetIds", "dataSubnetIds",
}
# The first run of a stack that creates its zone (portal:zoneDelegated false) deploys and exports only the zone.
ZONE_ONLY_OUTPUTS = {"hostedZoneId", "nameServers"}
DOMAINS = {"staging": "staging.shop.example.com", "prod": "shop.example.com"}
CASES = [(stack, mode) for stack in DOMAINS for mode in ("preview", "update")]


@pytest.fixture(params=CASES, ids=[f"{s}-{m}" for s, m in CASES])
def run(request, portal_run):
    stack, mode = request.param
    result = portal_run(stack, mode)
    assert result.error is None, result.error and result.error.details
    return stack, result


def test_exact_output_names(run):
    _, result = run
    assert set(result.outputs) == OUTPUTS


def test_outputs_documented_exactly():
    documented = set(re.findall(r"^\| `([A-Za-z]+)` \|", (ROOT / "docs" / "outputs.md").read_text(), re.M))
    assert documented == OUTPUTS


def test_no_output_carries_a_password(run):
    _, result = run
    text = json.dumps(result.outputs).lower()
    assert "password" not in text
    assert "password" not in " ".join(result.outputs).lower()


def test_output_values(run):
    stack, result = run
    out = result.outputs
    domain = DOMAINS[stack]
    assert out["siteUrl"] == f"https://www.{domain}"
    assert out["staticUrl"] == f"https://static.{domain}"
    assert out["parameterPrefix"] == f"/portal/{stack}/"
    assert out["dashboardUrl"].endswith(f"#dashboards/dashboard/portal-{stack}")
    if result.mode == "preview":
        return
    assert out["alertTopicArn"] == f"arn:aws:sns:eu-west-1:123456789012:portal-{stack}-alerts"
    assert out["loadBalancerDnsName"].endswith(".eu-west-1.elb.amazonaws.com")
    assert out["databaseEndpoint"].endswith(".rds.amazonaws.com:3306")
    assert out["databaseSecretArn"].startswith("arn:aws:secretsmanager:eu-west-1:")
    assert out["cacheEndpoint"].endswith(":11211")
    assert out["launchTemplateId"].startswith("lt-")
    assert out["vpcId"].startswith("vpc-")
    for purpose in ("assets", "releases", "backups", "logs"):
        assert purpose in out[f"{purpose}BucketName"]
    assert out["hostedZoneId"].startswith("Z")
    assert len(out["nameServers"]) == 4 and all(".awsdns-" in server for server in out["nameServers"])
    assert UNKNOWN not in json.dumps(out)


@pytest.mark.parametrize("stack", DOMAINS)
def test_a_zone_awaiting_delegation_exports_only_the_zone(portal_run, stack):
    result = portal_run(stack, "update", {"portal:zoneDelegated": "false"})
    assert result.error is None, result.error and result.error.details
    assert set(result.outputs) == ZONE_ONLY_OUTPUTS
