"""Settings of the cdn tier: which edge locations serve the static files, and an optional WAF."""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.validation import ConfigReader, settings_keys

PRICE_CLASSES = ("PriceClass_100", "PriceClass_200", "PriceClass_All")

# A CloudFront distribution takes only a global (us-east-1, scope CLOUDFRONT) WAFv2 web ACL, by ARN.
GLOBAL_WEB_ACL_ARN = r"arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global/webacl/[A-Za-z0-9_-]{1,128}/[0-9a-f-]{36}"


@dataclass(frozen=True)
class CdnSettings:
    price_class: str = "PriceClass_100"
    web_acl_arn: str = ""


_key = settings_keys(CdnSettings)
KEYS = (
    _key("cdnPriceClass", "string",
         "CloudFront price class: PriceClass_100 (North America and Europe), PriceClass_200 (adds most of "
         "Asia, the Middle East and Africa) or PriceClass_All.", "price_class"),
    _key("cdnWebAclArn", "string",
         "ARN of a global (CLOUDFRONT scope, us-east-1) WAFv2 web ACL to put in front of the static files; "
         "empty means none.", "web_acl_arn"),
)


def parse(reader: ConfigReader) -> CdnSettings:
    price_class = reader.string("cdnPriceClass", choices=PRICE_CLASSES)
    web_acl_arn = reader.string("cdnWebAclArn")
    if web_acl_arn and not re.fullmatch(GLOBAL_WEB_ACL_ARN, web_acl_arn):
        reader.problem("cdnWebAclArn", web_acl_arn,
                       "must be the ARN of a global WAFv2 web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/"
                       "<name>/<id>): CloudFront takes no regional web ACL")
        web_acl_arn = ""
    return CdnSettings(price_class=price_class, web_acl_arn=web_acl_arn)
