"""Proving the AZ failover: the FIS experiment templates (one per AZ), their role, and ARC zonal autoshift on the load
balancer, for both stacks and both runner modes; and that moving resources never replaces a deployed one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.resilience import settings as resilience_settings
from components.security import child_urn
from components.validation import ConfigReader

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate"
AUTOSHIFT = "aws:arczonalshift/zonalAutoshiftConfiguration:ZonalAutoshiftConfiguration"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
CASES = [(s, m) for s in ("staging", "prod") for m in ("preview", "update")]


@pytest.fixture(params=CASES, ids=[f"{s}-{m}" for s, m in CASES])
def run(request, portal_run):
    result = portal_run(*request.param)
    assert result.error is None, result.error
    return result


def deps(resource, key):
    return set(resource.property_dependencies.get(key, ()))


def test_every_az_has_a_power_interruption_experiment_named_after_it(run):
    name = f"portal-{run.stack}"
    azs = run.outputs["availabilityZones"]
    templates = {t.name: t for t in run.find(TEMPLATE)}
    assert set(templates) == {f"{name}-az-power-{az}" for az in azs}
    group = run.get("aws:autoscaling/group:Group", f"{name}-web")
    database = run.get("aws:rds/instance:Instance", f"{name}-mysql")
    for az in azs:
        template = templates[f"{name}-az-power-{az}"]
        actions = {a["name"]: a for a in template.inputs["actions"]}
        assert {n: (a["actionId"], a["target"]) for n, a in actions.items()} == {
            "web-servers": ("aws:ec2:stop-instances", {"key": "Instances", "value": "web-servers"}),
            "web-group": ("aws:ec2:asg-insufficient-instance-capacity-error",
                          {"key": "AutoScalingGroups", "value": "web-group"}),
            "database": ("aws:rds:reboot-db-instances", {"key": "DBInstances", "value": "database"}),
            "subnets": ("aws:network:disrupt-connectivity", {"key": "Subnets", "value": "subnets"})}
        params = {n: {p["key"]: p["value"] for p in a.get("parameters", [])} for n, a in actions.items()}
        assert params["database"] == {"forceFailover": "true"}
        assert params["subnets"] == {"duration": "PT30M", "scope": "all"}
        assert params["web-group"] == {"availabilityZoneIdentifiers": az, "duration": "PT30M", "percentage": "100"}
        targets = {t["name"]: t for t in template.inputs["targets"]}
        servers = targets["web-servers"]
        assert (servers["resourceType"], servers["selectionMode"]) == ("aws:ec2:instance", "ALL")
        assert {f["path"]: f["values"] for f in servers["filters"]} == {
            "Placement.AvailabilityZone": [az], "State.Name": ["running"]}
        (tag,) = servers["resourceTags"]
        assert tag["key"] == "aws:autoscaling:groupName"
        assert group.urn in deps(template, "targets") and database.urn in deps(template, "targets")
        subnets = {s.urn for s in run.find("aws:ec2/subnet:Subnet")
                   if s.inputs["availabilityZone"] == az and s.inputs["tags"]["Tier"] in ("private", "data")}
        assert len(subnets) == 2 and subnets <= deps(template, "targets")
        others = {s.urn for s in run.find("aws:ec2/subnet:Subnet") if s.inputs["availabilityZone"] != az}
        assert not others & deps(template, "targets"), "only this AZ's subnets are cut"
        assert template.inputs["experimentOptions"] == {"accountTargeting": "single-account",
                                                        "emptyTargetResolutionMode": "skip"}
        if run.mode == "update":
            assert tag["value"] == group.outputs["name"]
            assert servers  # target ARNs resolved
            assert targets["database"]["resourceArns"] == [database.outputs["arn"]]


def test_an_experiment_stops_when_the_portal_answers_5xx(run):
    name = f"portal-{run.stack}"
    stop = {run.get(ALARM, f"{name}-alb-5xx").urn, run.get(ALARM, f"{name}-lb-target-5xx").urn}
    for template in run.find(TEMPLATE):
        conditions = template.inputs["stopConditions"]
        assert [c["source"] for c in conditions] == ["aws:cloudwatch:alarm"] * 2
        assert deps(template, "stopConditions") == stop
        if run.mode == "update":
            assert sorted(c["value"] for c in conditions) == sorted(
                run.by_urn(urn).outputs["arn"] for urn in stop)


def test_the_experiment_role_can_touch_only_this_stacks_servers_database_and_vpc(run):
    name = f"portal-{run.stack}"
    role = run.get("aws:iam/role:Role", f"{name}-fis")
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert trust == [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "fis.amazonaws.com"},
                      "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]
    assert not [a for a in run.find("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                if deps(a, "role") == {role.urn}], "no managed policy: nothing beyond the statements below"
    for template in run.find(TEMPLATE):
        assert deps(template, "roleArn") == {role.urn}
    if run.mode == "preview":
        return
    policy = run.get("aws:iam/rolePolicy:RolePolicy", f"{name}-fis")
    statements = {s["Sid"]: s for s in json.loads(policy.inputs["policy"])["Statement"]}
    group = run.get("aws:autoscaling/group:Group", f"{name}-web").outputs["name"]
    vpc = run.outputs["vpcId"]
    assert statements["StopThisStacksWebServers"]["Condition"] == {
        "StringEquals": {"aws:ResourceTag/aws:autoscaling:groupName": group}}
    assert statements["FailOverThisStacksDatabase"]["Resource"] == run.get(
        "aws:rds/instance:Instance", f"{name}-mysql").outputs["arn"]
    assert statements["CreateFisNetworkAclsInThisVpc"]["Resource"] == f"arn:aws:ec2:eu-west-1:123456789012:vpc/{vpc}"
    assert statements["ChangeOnlyFisNetworkAcls"]["Condition"] == {
        "StringEquals": {"ec2:ResourceTag/managedByFIS": "true"}}
    unscoped = {sid for sid, s in statements.items() if s["Resource"] == "*"}
    assert unscoped == {"BlockLaunchesInTheZone", "FindTargets"}
    assert all(a.split(":")[1].startswith(("Describe", "InjectApiError"))
               for sid in unscoped for a in ([statements[sid]["Action"]] if isinstance(statements[sid]["Action"], str)
                                             else statements[sid]["Action"]))


def test_an_impaired_az_is_shifted_away_from_automatically(run):
    name = f"portal-{run.stack}"
    lb = run.get("aws:lb/loadBalancer:LoadBalancer", f"{name}-alb")
    assert lb.inputs["enableZonalShift"] is True
    assert lb.inputs["clientKeepAlive"] == 300.0
    assert "enableCrossZoneLoadBalancing" not in lb.inputs  # always on for an ALB; stickiness needs it
    (autoshift,) = run.find(AUTOSHIFT)
    assert autoshift.inputs["zonalAutoshiftStatus"] == "ENABLED"
    assert deps(autoshift, "resourceArn") == {lb.urn}
    alarm = lambda key: run.get(ALARM, f"{name}-{key}").urn  # noqa: E731
    assert deps(autoshift, "outcomeAlarms") == {alarm("alb-5xx"), alarm("lb-target-5xx")}
    assert deps(autoshift, "blockingAlarms") == {alarm("alb-5xx"), alarm("lb-unhealthy-hosts"),
                                                 alarm("web-in-service")}
    assert all(a["type"] == "CLOUDWATCH" for a in autoshift.inputs["outcomeAlarms"] + autoshift.inputs[
        "blockingAlarms"])


@pytest.mark.parametrize("overrides,absent", [({"portal:faultInjection": "false"}, TEMPLATE),
                                              ({"portal:zonalAutoshift": "false"}, AUTOSHIFT)])
def test_each_resilience_feature_can_be_switched_off(portal_run, overrides, absent):
    result = portal_run("staging", "preview", overrides)
    assert result.error is None, result.error
    assert result.find(absent) == []


def test_fault_duration_is_bounded():
    reader = ConfigReader({"faultDurationMinutes": 120}, resilience_settings.KEYS)
    resilience_settings.parse(reader)
    assert reader.problems == [
        "portal:faultDurationMinutes = 120: an AZ experiment lasts 5 to 60 minutes: long enough to watch the "
        "failover, short enough that a forgotten one ends on its own"]


# -- protected stacks are never replaced by a move ---------------------------------------------------

# Every resource of the deployed stacks, recorded from the program before the security-group chain moved their
# groups: each must keep its URN or carry an alias to it, unless it was removed on purpose (listed, with why).
DEPLOYED = json.loads((ROOT / "tests" / "fixtures" / "urns_before_security_chain.json").read_text())
REMOVED_ON_PURPOSE = {
    # The master secret's ARN no longer reaches the servers.
    "ecommerce:portal:Portal$ecommerce:web:WebTier$aws:ssm/parameter:Parameter::portal-{stack}-param-database-"
    "secret-arn",
}


def aliased_urns(resource) -> set[str]:
    found = set()
    for alias in resource.options.get("aliases", []):
        if isinstance(alias, str):
            found.add(alias)
            continue
        spec = alias["spec"]
        _, _, types, _ = resource.urn.split("::", 3)
        own_type = types.rsplit("$", 1)[-1]
        # An alias without a parent keeps the resource's own parent.
        parent = spec.get("parentUrn") or resource.parent
        found.add(child_urn(parent, spec.get("type", own_type), spec.get("name", resource.name)))
    return found


@pytest.mark.parametrize("stack", ["staging", "prod"])
def test_no_deployed_resource_is_replaced_by_moving_it(portal_run, stack):
    result = portal_run(stack, "update")
    assert result.error is None, result.error
    now = {r.urn for r in result.resources}
    aliased = {urn for r in result.resources for urn in aliased_urns(r)}
    removed = {f"urn:pulumi:{stack}::ecommerce-portal::{entry.format(stack=stack)}" for entry in REMOVED_ON_PURPOSE}
    missing = [urn for urn in DEPLOYED[stack] if urn not in now | aliased | removed]
    assert missing == []
    # The moved security groups and rules really are the aliased ones (the test above would pass vacuously
    # if nothing had moved).
    moved = [urn for urn in DEPLOYED[stack] if urn in aliased]
    assert len(moved) == 15
    assert all(urn.split("::")[2].rsplit("$", 1)[-1].startswith(("aws:ec2/securityGroup:", "aws:vpc/securityGroup"))
               for urn in moved)


@pytest.mark.parametrize("stack", ["staging", "prod"])
def test_stateful_resources_keep_their_urns(portal_run, stack):
    result = portal_run(stack, "update")
    now = {r.urn for r in result.resources}
    stateful = ("aws:rds/instance:Instance", "aws:s3/bucket:Bucket", "aws:route53/zone:Zone", "aws:kms/key:Key",
                "aws:backup/vault:Vault", "aws:elasticache/cluster:Cluster", "aws:lb/loadBalancer:LoadBalancer",
                "aws:cloudfront/distribution:Distribution")
    deployed = [urn for urn in DEPLOYED[stack] if urn.split("::")[2].rsplit("$", 1)[-1] in stateful]
    assert len(deployed) >= 12
    assert [urn for urn in deployed if urn not in now] == []
