"""DNS settings: each bad input is reported with its key, the value given and the rule, and nothing else."""

import pytest

from components.dns import settings as dns_settings
from components.settings import SettingsError, load_settings
from components.validation import ConfigReader

RULE = ("must be a Route 53 hosted zone ID: Z followed by upper-case letters and digits, without the /hostedzone/ "
        "prefix")


def problems(raw: dict) -> list[str]:
    """The problems naming this tier's keys or a key given here (other tiers' rules are not under test)."""
    with pytest.raises(SettingsError) as caught:
        load_settings(raw, "staging")
    names = {key.name for key in dns_settings.KEYS} | set(raw)
    return [p for p in caught.value.problems if p.split(" = ", 1)[0].removeprefix("portal:") in names]


def own(raw: dict) -> dns_settings.DnsSettings:
    """This tier's settings parsed alone, so the defaults under test are this tier's only."""
    reader = ConfigReader(raw, dns_settings.KEYS)
    value = dns_settings.parse(reader)
    assert reader.problems == []
    return value


BAD_INPUTS = [
    ({"hostedZoneId": "/hostedzone/Z0123456789ABCDEFGHIJ"},
     f"portal:hostedZoneId = /hostedzone/Z0123456789ABCDEFGHIJ: {RULE}"),
    ({"hostedZoneId": "z0123456789abcdefghij"}, f"portal:hostedZoneId = z0123456789abcdefghij: {RULE}"),
    ({"hostedZoneId": "shop.example.com"}, f"portal:hostedZoneId = shop.example.com: {RULE}"),
    ({"hostedZoneId": "Z" + "A" * 40}, f"portal:hostedZoneId = Z{'A' * 40}: {RULE}"),
    ({"hostedZoneId": "12"}, "portal:hostedZoneId = 12: " + RULE),
]


@pytest.mark.parametrize("raw, expected", BAD_INPUTS, ids=[str(raw) for raw, _ in BAD_INPUTS])
def test_bad_input_is_reported_exactly(raw, expected):
    assert problems(raw) == [expected]


def test_empty_means_create_and_an_id_is_kept():
    assert own({}).hosted_zone_id == ""
    assert own({"hostedZoneId": "Z0123456789ABCDEFGHIJ"}).hosted_zone_id == \
        "Z0123456789ABCDEFGHIJ"
