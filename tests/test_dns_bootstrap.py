"""A stack that creates its hosted zone deploys nothing that waits on ACM until the zone is delegated: ACM reads
public DNS, so a certificate validated through an undelegated zone makes `pulumi up` wait 75 minutes and fail."""

import pytest

from components.dns import settings as dns_settings
from components.dns.component import lookup_error
from components.dns.settings import delegated_zone_problem, delegation_warning, existing_zone_problem
from components.settings import SettingsError, load_settings
from components.validation import ConfigReader
from tests.conftest import MODES, STACKS

ZONE = "aws:route53/zone:Zone"
DOMAINS = {"staging": "staging.shop.example.com", "prod": "shop.example.com"}
FIRST_RUN = {"portal:zoneDelegated": "false"}


def _run(portal_run, stack, mode, overrides=None):
    result = portal_run(stack, mode, overrides)
    assert result.error is None, result.error and result.error.details
    return result


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("mode", MODES)
def test_an_undelegated_zone_is_deployed_alone_with_no_certificate_waiting_on_it(portal_run, stack, mode):
    result = _run(portal_run, stack, mode, FIRST_RUN)
    assert sorted(r.type for r in result.resources) == sorted(
        ["pulumi:pulumi:Stack", "ecommerce:portal:Portal", "ecommerce:dns:Dns", ZONE])
    (zone,) = result.find(ZONE)
    assert zone.inputs["name"] == DOMAINS[stack]
    assert zone.protect is (stack == "prod")
    assert set(result.outputs) == {"hostedZoneId", "nameServers"}
    if mode == "update":
        assert result.outputs["hostedZoneId"] == zone.outputs["zoneId"]
        assert result.outputs["nameServers"] == zone.outputs["nameServers"] and len(zone.outputs["nameServers"]) == 4


@pytest.mark.parametrize("mode", MODES)
def test_the_first_run_says_once_where_to_delegate_and_what_to_run_next(portal_run, mode):
    result = _run(portal_run, "prod", mode, FIRST_RUN)
    warnings = [entry.message for entry in result.logs if entry.severity == "warning"]
    servers = result.find(ZONE)[0].outputs["nameServers"] if mode == "update" else None
    assert warnings == [delegation_warning("shop.example.com", servers)]
    (text,) = warnings
    assert "Delegate shop.example.com to " in text
    assert "`pulumi config set portal:zoneDelegated true` and `pulumi up` again" in text
    if mode == "update":
        assert all(server in text for server in servers)
    else:
        assert "`pulumi stack output nameServers`" in text


@pytest.mark.parametrize("stack", STACKS)
def test_declaring_the_delegation_keeps_the_zone_and_adds_the_rest(portal_run, stack):
    first = _run(portal_run, stack, "preview", FIRST_RUN)
    full = _run(portal_run, stack, "preview")
    assert [z.urn for z in first.find(ZONE)] == [z.urn for z in full.find(ZONE)], "the zone must not be replaced"
    assert len(full.find("aws:acm/certificate:Certificate")) == 2
    assert {"hostedZoneId", "nameServers"} <= set(full.outputs)
    assert not [e for e in full.logs if e.severity == "warning" and "zoneDelegated" in e.message]


@pytest.mark.parametrize("stack", STACKS)
def test_a_delegated_zone_must_exist_before_anything_waits_on_it(portal_run, stack):
    full = _run(portal_run, stack, "preview")
    lookups = [i.args for i in full.invokes if i.token == "aws:route53/getZone:getZone"]
    assert lookups == [{"name": DOMAINS[stack], "privateZone": False}]


def test_a_zone_that_does_not_exist_yet_stops_the_run_with_what_to_do():
    missing = "invoke of aws:route53/getZone:getZone failed: no matching Route 53 Hosted Zone found"
    assert delegated_zone_problem("shop.example.com", missing) == (
        "portal:zoneDelegated = true: this account has no public hosted zone named shop.example.com, so it cannot "
        "have been delegated yet. Run `pulumi config set portal:zoneDelegated false` and `pulumi up`: that run "
        "creates only the zone and prints its name servers to delegate to")
    several = "invoke failed: multiple Route 53 Hosted Zones matched; use additional constraints"
    assert delegated_zone_problem("shop.example.com", several) == (
        "portal:zoneDelegated = true: this account has several public hosted zones named shop.example.com; set "
        "portal:hostedZoneId to the one its parent zone or registrar delegates to")
    assert delegated_zone_problem("shop.example.com", None) is None
    assert existing_zone_problem("Z0123", "no zone").startswith("portal:hostedZoneId = Z0123: this account has no "
                                                                 "hosted zone with that ID (no zone)")


def test_a_failed_lookup_is_caught_as_its_message():
    def fails():
        raise Exception("invoke of aws:route53/getZone:getZone failed: no matching Route 53 Hosted Zone found")

    assert lookup_error(fails).endswith("no matching Route 53 Hosted Zone found")
    assert lookup_error(lambda: {"zoneId": "Z1"}) is None


def test_zone_delegated_is_a_boolean_defaulting_to_the_first_run():
    reader = ConfigReader({}, dns_settings.KEYS)
    parsed = dns_settings.parse(reader)
    assert (parsed.zone_delegated, parsed.awaiting_delegation) == (False, True)
    assert not dns_settings.DnsSettings(hosted_zone_id="Z1").awaiting_delegation
    assert not dns_settings.DnsSettings(zone_delegated=True).awaiting_delegation
    with pytest.raises(SettingsError) as caught:
        load_settings({"zoneDelegated": "yes"}, "staging")
    assert "portal:zoneDelegated = yes: must be true or false" in caught.value.problems
