"""Lookups of existing infrastructure answered offline, shaped by what the program asks for."""

from __future__ import annotations

import base64
import os
import re

import pytest

from preflight import fabricate
from preflight.runner import run_program
from preflight.shapes import result_class

from .conftest import PROGRAMS

LOOKUPS = os.path.join(PROGRAMS, "lookups")
DEFAULT_VPC = "vpc-02f316da8dac15910"  # the default VPC of us-west-1, deterministic


@pytest.fixture(scope="module")
def lookups():
    return {mode: run_program(LOOKUPS, "dev", mode) for mode in ("preview", "update")}


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_a_program_built_on_lookups_runs_with_every_lookup_answered(lookups, mode):
    r = lookups[mode]
    assert r.error is None, r.error and r.error.details
    assert r.unanswered_invokes == []
    o = r.outputs
    assert o["vpcId"] == DEFAULT_VPC
    assert o["vpcCidr"] == "172.31.0.0/16" and o["vpcDefault"] is True and o["vpcAssociation"] == "172.31.0.0/16"
    assert o["pinnedArn"] == "arn:aws:ec2:us-west-1:123456789012:vpc/vpc-0aaaabbbbccccdddd"
    # One default subnet per zone the region offers, each answering getSubnet with its own zone.
    assert [(az, zid, vpc) for _, az, zid, vpc in o["subnets"]] == [
        ("us-west-1a", "usw1-az1", DEFAULT_VPC), ("us-west-1c", "usw1-az3", DEFAULT_VPC)]
    assert all(re.fullmatch(r"subnet-0[0-9a-f]{16}", sid) for sid, *_ in o["subnets"])
    assert o["appCidr"] == "172.31.128.0/24"
    assert o["sg"] == [True, True, True]
    assert o["policyArn"] == "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
    assert o["roleArn"] == "arn:aws:iam::123456789012:role/deployer"
    assert o["ecr"] == ["https://123456789012.dkr.ecr.us-west-1.amazonaws.com", "AWS", True, "AWS"]
    assert o["credsEndpoint"] == "https://210987654321.dkr.ecr.us-west-1.amazonaws.com"
    assert o["azs"] == ["us-west-1a", "us-west-1c"] and o["azIds"] == ["usw1-az1", "usw1-az3"]
    app = r.get("aws:ec2/subnet:Subnet", "app")
    assert app.inputs["availabilityZone"] == "us-west-1a" and app.inputs["vpcId"] == DEFAULT_VPC


def test_lookups_echo_what_was_asked_for(lookups):
    calls = {(i.token, tuple(sorted(i.args))): i for i in lookups["preview"].invokes}
    sg = calls[("aws:ec2/getSecurityGroup:getSecurityGroup", ("name", "vpcId"))]
    assert sg.result["name"] == "default" and sg.result["vpcId"] == DEFAULT_VPC
    subnets = calls[("aws:ec2/getSubnets:getSubnets", ("filters",))]
    assert subnets.result["filters"] == [{"name": "vpc-id", "values": [DEFAULT_VPC]}]
    vpc = calls[("aws:ec2/getVpc:getVpc", ("id",))]
    assert vpc.result["id"] == "vpc-0aaaabbbbccccdddd" and vpc.result["default"] is False
    assert vpc.result["filters"] == [] and vpc.result["tags"] == {}


BUILTIN_CALLS = [
    ("aws:ec2/getVpc:getVpc", {"default": True}),
    ("aws:ec2/getSubnets:getSubnets", {}),
    ("aws:ec2/getSubnet:getSubnet", {"id": "subnet-0123"}),
    ("aws:ec2/getSecurityGroup:getSecurityGroup", {"id": "sg-0123"}),
    ("aws:iam/getPolicy:getPolicy", {"arn": "arn:aws:iam::123456789012:policy/team/deploy"}),
    ("aws:iam/getRole:getRole", {"name": "deployer"}),
    ("aws:ecr/getAuthorizationToken:getAuthorizationToken", {}),
    ("aws:ecr/getCredentials:getCredentials", {"registryId": "123456789012"}),
    ("aws:index/getAvailabilityZones:getAvailabilityZones", {}),
    ("aws:index/getCallerIdentity:getCallerIdentity", {}),
    ("aws:index/getRegion:getRegion", {}),
    ("aws:index/getPartition:getPartition", {}),
    ("aws:ec2/getAmi:getAmi", {"mostRecent": True}),
    ("aws:route53/getZone:getZone", {"name": "example.com"}),
    ("aws:iam/getPolicyDocument:getPolicyDocument", {"statements": []}),
    ("aws:ssm/getParameter:getParameter", {"name": "/app/ami"}),
    ("aws:elb/getServiceAccount:getServiceAccount", {}),
]


@pytest.mark.parametrize("token, args", BUILTIN_CALLS, ids=[t.split(":")[-1] for t, _ in BUILTIN_CALLS])
def test_builtin_answers_have_every_field_of_the_result_class(token, args):
    import importlib

    from pulumi import _types

    mod = token.split(":")[1].split("/")[0]
    sdk = importlib.import_module("pulumi_aws" if mod == "index" else f"pulumi_aws.{mod}")
    getattr(sdk, re.sub(r"([A-Z])", r"_\1", token.split(":")[2]).lower())  # loads it, as a program's call does
    cls = result_class(token)
    assert cls is not None, token
    result = fabricate.invoke(token, args, "eu-west-1")
    assert sorted(set(_types.output_type_types(cls)) - set(result)) == []


def test_policy_arn_is_taken_apart():
    r = fabricate.invoke("aws:iam/getPolicy:getPolicy", {"arn": "arn:aws:iam::123456789012:policy/team/deploy"},
                         "eu-west-1")
    assert (r["name"], r["path"], r["arn"]) == ("deploy", "/team/", "arn:aws:iam::123456789012:policy/team/deploy")
    own = fabricate.invoke("aws:iam/getPolicy:getPolicy", {"name": "deploy"}, "eu-west-1")
    assert own["arn"] == "arn:aws:iam::123456789012:policy/deploy"


def test_ecr_token_is_base64_of_aws_and_the_password():
    r = fabricate.invoke("aws:ecr/getAuthorizationToken:getAuthorizationToken", {}, "eu-central-1")
    assert base64.b64decode(r["authorizationToken"]).decode() == "AWS:" + r["password"]
    assert r["proxyEndpoint"] == "https://123456789012.dkr.ecr.eu-central-1.amazonaws.com"


def test_subnets_filtered_by_zone():
    r = fabricate.invoke("aws:ec2/getSubnets:getSubnets",
                         {"filters": [{"name": "availability-zone", "values": ["eu-west-1b"]}]}, "eu-west-1")
    assert len(r["ids"]) == 1
    one = fabricate.invoke("aws:ec2/getSubnet:getSubnet", {"id": r["ids"][0]}, "eu-west-1")
    assert one["availabilityZone"] == "eu-west-1b" and one["availabilityZoneId"] == "euw1-az2"


@pytest.mark.parametrize("region, names", [
    ("us-east-1", ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]),
    ("us-west-1", ["us-west-1a", "us-west-1c"]),
    ("eu-west-1", ["eu-west-1a", "eu-west-1b", "eu-west-1c"]),
    ("ap-northeast-1", ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]),
    ("ca-central-1", ["ca-central-1a", "ca-central-1b", "ca-central-1d"]),
    ("sa-east-1", ["sa-east-1a", "sa-east-1b", "sa-east-1c"]),
    ("us-west-2", ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"]),
    ("xx-unknown-1", ["xx-unknown-1a", "xx-unknown-1b", "xx-unknown-1c"]),
])
def test_availability_zones_are_the_regions_own(region, names):
    r = fabricate.invoke("aws:index/getAvailabilityZones:getAvailabilityZones", {"state": "available"}, region)
    assert r["names"] == names


def test_every_commercial_region_has_zones():
    assert len(fabricate.COMMERCIAL_REGIONS) == len(set(fabricate.COMMERCIAL_REGIONS)) == 33
    for region in fabricate.COMMERCIAL_REGIONS:
        zones = fabricate.region_zones(region)
        assert len(zones) >= 2, region
        assert all(z.startswith(fabricate.region_abbrev(region) + "-az") for _, z in zones), region


def test_zone_filters_and_exclusions():
    token = "aws:index/getAvailabilityZones:getAvailabilityZones"
    args = {"excludeZoneIds": ["apne1-az2"],
            "filters": [{"name": "opt-in-status", "values": ["opt-in-not-required"]}]}
    assert fabricate.invoke(token, args, "ap-northeast-1")["names"] == ["ap-northeast-1a", "ap-northeast-1d"]
    opted = {"filters": [{"name": "opt-in-status", "values": ["opted-in"]}]}
    assert fabricate.invoke(token, opted, "ap-northeast-1")["names"] == []
