"""CDN settings: each bad input is reported with its key, the value given and the rule, and nothing else."""

import pytest

from components.cdn import settings as cdn_settings
from components.settings import SettingsError, load_settings
from components.validation import ConfigReader

ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/portal/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def problems(raw: dict) -> list[str]:
    """The problems naming this tier's keys or a key given here (other tiers' rules are not under test)."""
    with pytest.raises(SettingsError) as caught:
        load_settings(raw, "staging")
    names = {key.name for key in cdn_settings.KEYS} | set(raw)
    return [p for p in caught.value.problems if p.split(" = ", 1)[0].removeprefix("portal:") in names]


def own(raw: dict) -> cdn_settings.CdnSettings:
    """This tier's settings parsed alone, so the defaults under test are this tier's only."""
    reader = ConfigReader(raw, cdn_settings.KEYS)
    value = cdn_settings.parse(reader)
    assert reader.problems == []
    return value


BAD_INPUTS = [
    ({"cdnPriceClass": "PriceClass_50"},
     "portal:cdnPriceClass = PriceClass_50: must be one of PriceClass_100, PriceClass_200, PriceClass_All"),
    ({"cdnPriceClass": "all"}, "portal:cdnPriceClass = all: must be one of PriceClass_100, PriceClass_200, "
                               "PriceClass_All"),
    ({"cdnPriceClass": "1"}, "portal:cdnPriceClass = 1: must be one of PriceClass_100, PriceClass_200, "
                             "PriceClass_All"),
    ({"cdnWebAclArn": ACL.replace("us-east-1", "eu-west-1").replace("global", "regional")},
     f"portal:cdnWebAclArn = {ACL.replace('us-east-1', 'eu-west-1').replace('global', 'regional')}: must be the "
     "ARN of a global WAFv2 web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>): CloudFront "
     "takes no regional web ACL"),
    ({"cdnWebAclArn": "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"},
     "portal:cdnWebAclArn = 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b: must be the ARN of a global WAFv2 web ACL "
     "(arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>): CloudFront takes no regional web ACL"),
]


@pytest.mark.parametrize("raw, expected", BAD_INPUTS, ids=[str(raw) for raw, _ in BAD_INPUTS])
def test_bad_input_is_reported_exactly(raw, expected):
    assert problems(raw) == [expected]


def test_defaults_and_good_values():
    assert own({}).price_class == "PriceClass_100"
    assert own({}).web_acl_arn == ""
    cdn = own({"cdnPriceClass": "PriceClass_All", "cdnWebAclArn": ACL})
    assert (cdn.price_class, cdn.web_acl_arn) == ("PriceClass_All", ACL)
