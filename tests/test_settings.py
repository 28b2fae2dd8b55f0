"""The stack settings: secure defaults, every bad input named with its key, value and rule, all at once."""

import json
from pathlib import Path

import pytest
import yaml

from components.network.settings import subnet_cidr
from components.schema import config_block
from components.settings import SettingsError, all_keys, load_settings
from components.validation import dr_region_problem

ROOT = Path(__file__).resolve().parent.parent


def problems(raw: dict) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        load_settings(raw, "staging")
    return caught.value.problems


BAD_INPUTS = [
    ({"azCount": "1"}, "portal:azCount = 1: the portal must survive the loss of an Availability Zone, so at least "
                       "2 are needed"),
    ({"azCount": "0"}, "portal:azCount = 0: the portal must survive the loss of an Availability Zone, so at least "
                       "2 are needed"),
    ({"azCount": "9"}, "portal:azCount = 9: the subnet plan has room for at most 8 Availability Zones"),
    ({"azCount": "three"}, "portal:azCount = three: must be a whole number"),
    ({"azCount": "2.5"}, "portal:azCount = 2.5: must be a whole number"),
    ({"availabilityZones": '["eu-west-1a"]'},
     'portal:availabilityZones = ["eu-west-1a"]: the portal must survive the loss of an Availability Zone, so at '
     'least 2 are needed'),
    ({"availabilityZones": '["eu-west-1a", "eu-west-1a"]'},
     'portal:availabilityZones = ["eu-west-1a", "eu-west-1a"]: lists an Availability Zone twice'),
    ({"availabilityZones": '["eu-west-1a", "us-east-1b"]'},
     'portal:availabilityZones = ["eu-west-1a", "us-east-1b"]: all Availability Zones must be in one region'),
    ({"availabilityZones": '["eu-west-1a", "moon-1z"]'},
     'portal:availabilityZones = ["eu-west-1a", "moon-1z"]: moon-1z is not an Availability Zone name like '
     'eu-west-1a (letters a-h)'),
    ({"availabilityZones": "eu-west-1a,eu-west-1b"},
     "portal:availabilityZones = eu-west-1a,eu-west-1b: must be a list of strings"),
    ({"vpcCidr": "8.8.0.0/16"}, "portal:vpcCidr = 8.8.0.0/16: must be a private (RFC 1918) range: 10.0.0.0/8, "
                                "172.16.0.0/12 or 192.168.0.0/16"),
    ({"vpcCidr": "10.40.0.0/24"}, "portal:vpcCidr = 10.40.0.0/24: is too small for the subnets: 3 tiers x 8 AZ "
                                  "slots need a /22 or larger, so each subnet is at least a /27"),
    ({"vpcCidr": "10.0.0.0/8"}, "portal:vpcCidr = 10.0.0.0/8: AWS allows VPC ranges of /16 to /28; use /16 to /22"),
    ({"vpcCidr": "10.40.0.1/16"}, "portal:vpcCidr = 10.40.0.1/16: is not an IPv4 network in CIDR notation with no "
                                  "host bits, e.g. 10.40.0.0/16"),
    ({"vpcCidr": "10.40.0.0/16", "reservedCidrs": '["10.40.128.0/20"]'},
     "portal:vpcCidr = 10.40.0.0/16: overlaps 10.40.128.0/20 listed in portal:reservedCidrs; peered or "
     "VPN-connected networks must not overlap"),
    ({"reservedCidrs": '["office"]'}, 'portal:reservedCidrs = ["office"]: office is not an IPv4 network in CIDR '
                                      'notation'),
    ({"flowLogRetentionDays": "45"}, "portal:flowLogRetentionDays = 45: CloudWatch Logs accepts only 1, 3, 5, 7, "
                                     "14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, "
                                     "2922, 3288, 3653 days"),
    ({"domain": "Shop.Example.com"}, "portal:domain = Shop.Example.com: must be a lower-case DNS name with at "
                                     "least two labels, e.g. shop.example.com"),
    ({"domain": "localhost"}, "portal:domain = localhost: must be a lower-case DNS name with at least two labels, "
                              "e.g. shop.example.com"),
    ({"domain": "-shop.example.com"}, "portal:domain = -shop.example.com: must be a lower-case DNS name with at "
                                      "least two labels, e.g. shop.example.com"),
    ({"environment": "Prod_1"}, "portal:environment = Prod_1: must start with a lower-case letter and hold at "
                                "most 13 lower-case letters, digits and single hyphens, with no hyphen at the end, "
                                "because it becomes part of resource names (a target group name holds 32 "
                                "characters, an RDS identifier no double or trailing hyphen)"),
    ({"protect": "yes"}, "portal:protect = yes: must be true or false"),
    ({"tags": '["a"]'}, 'portal:tags = ["a"]: must be an object whose values are strings'),
    ({"tags": '{"aws:owner": "me"}'}, "portal:tags = {\"aws:owner\": \"me\"}: tag key 'aws:owner': the aws: "
                                      "prefix is reserved by AWS"),
    ({"drRegion": "Frankfurt"},
     "portal:drRegion = Frankfurt: must be an AWS region name such as eu-central-1, or empty for no copy"),
    ({"drRegion": "eu-central-1a"},
     "portal:drRegion = eu-central-1a: must be an AWS region name such as eu-central-1, or empty for no copy"),
    ({"drRegion": "42"}, "portal:drRegion = 42: must be an AWS region name such as eu-central-1, or empty for no copy"),
    ({"azCont": "3"}, "portal:azCont = 3: unknown key: the portal does not read it; did you mean portal:azCount?"),
    ({"frobnicate": "1"}, "portal:frobnicate = 1: unknown key: the portal does not read it"),
]


@pytest.mark.parametrize("raw, expected", BAD_INPUTS, ids=[next(iter(r)) + "=" + str(next(iter(r.values())))
                                                           for r, _ in BAD_INPUTS])
def test_each_bad_input_is_named_with_key_value_and_rule(raw, expected):
    assert expected in problems(raw)


def test_every_problem_is_reported_at_once():
    found = problems({"azCount": "1", "vpcCidr": "8.8.0.0/16", "domain": "x", "flowLogRetentionDays": "2",
                      "nope": "1"})
    assert [p.split(" = ")[0] for p in found] == [
        "portal:nope", "portal:domain", "portal:azCount", "portal:vpcCidr", "portal:flowLogRetentionDays"]
    assert "5 problem(s)" in str(SettingsError(found))


def test_defaults_are_secure_and_highly_available():
    settings = load_settings({}, "staging")
    assert settings.general.protect is True
    assert settings.general.environment == "staging"
    assert settings.network.az_count == 3
    assert settings.name == "portal-staging"


def test_an_explicit_az_list_sets_the_count():
    settings = load_settings({"availabilityZones": '["eu-west-1b", "eu-west-1c"]', "azCount": "3"}, "prod")
    assert settings.network.availability_zones == ("eu-west-1b", "eu-west-1c")
    assert settings.network.az_count == 2


def test_subnet_cidrs_are_stable_per_az_name_and_disjoint():
    # Adding eu-west-1c must not move a or b: the CIDR depends on the tier and the AZ letter only.
    assert subnet_cidr("10.40.0.0/16", "public", "eu-west-1a") == "10.40.0.0/21"
    assert subnet_cidr("10.40.0.0/16", "public", "eu-west-1b") == "10.40.8.0/21"
    assert subnet_cidr("10.40.0.0/16", "private", "eu-west-1a") == "10.40.64.0/21"
    assert subnet_cidr("10.40.0.0/16", "data", "eu-west-1c") == "10.40.144.0/21"
    assert subnet_cidr("10.40.0.0/22", "data", "eu-west-1h") == "10.40.2.224/27"


@pytest.mark.parametrize("vpc", ["10.40.0.0/16", "172.20.0.0/20", "192.168.4.0/22"])
def test_the_subnet_plan_fits_in_the_vpc_without_overlap(vpc):
    import ipaddress
    from itertools import combinations

    cidrs = [ipaddress.IPv4Network(subnet_cidr(vpc, tier, f"eu-west-1{letter}"))
             for tier in ("public", "private", "data") for letter in "abcdefgh"]
    assert all(c.subnet_of(ipaddress.IPv4Network(vpc)) for c in cidrs)
    assert not any(a.overlaps(b) for a, b in combinations(cidrs, 2))


def test_pulumi_yaml_declares_every_key_with_description_and_default():
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    assert project["name"] == "ecommerce-portal"
    assert project["config"] == config_block(), "run: venv/bin/python -m components.schema --write"
    for key in all_keys():
        declared = project["config"][f"portal:{key.name}"]
        assert declared["description"].startswith(f"({key.type}) ")
        # The CLI rejects type/default on keys outside the project's namespace.
        assert set(declared) == {"description", "value"}


@pytest.mark.parametrize("stack", ["staging", "prod"])
def test_the_stack_files_hold_valid_settings(stack):
    config = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
    raw = {k.split(":", 1)[1]: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()
           if k.startswith("portal:")}
    load_settings(raw, stack)


def test_the_dr_region_is_a_general_setting_and_optional():
    assert load_settings({}, "staging").general.dr_region == ""
    assert load_settings({"drRegion": "eu-central-1"}, "staging").general.dr_region == "eu-central-1"
    assert load_settings({"drRegion": "us-gov-west-1"}, "staging").general.dr_region == "us-gov-west-1"


@pytest.mark.parametrize("stack", ["staging", "prod"])
def test_the_stack_files_keep_their_dr_region(stack):
    """The key kept its name when it moved to the general settings: the stack files mean what they meant."""
    config = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
    raw = {k.split(":", 1)[1]: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()
           if k.startswith("portal:")}
    assert load_settings(raw, stack).general.dr_region == "eu-central-1"


@pytest.mark.parametrize("dr_region, region, expected", [
    ("", "eu-west-1", None),
    ("eu-central-1", "eu-west-1", None),
    ("eu-west-1", "eu-west-1", "portal:drRegion = eu-west-1: must differ from the portal's own region (eu-west-1, "
                               "aws:region); a copy in the same region does not survive the loss of the region"),
])
def test_dr_region_must_be_another_region(dr_region, region, expected):
    assert dr_region_problem(dr_region, region) == expected
