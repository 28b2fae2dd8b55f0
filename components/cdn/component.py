"""`ecommerce:cdn:Cdn`: CloudFront in front of the private assets bucket, at `static.<domain>`.

The bucket stays private: CloudFront signs every origin request (Origin Access Control, SigV4), and the
bucket policy admits `s3:GetObject` from this one distribution only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import pulumi
import pulumi_aws as aws

from components.cdn.settings import CdnSettings
from components.iam import policy_document
from components.storage.component import tls_only_statement
from components.tagging import tagger

# AWS-managed policies (fixed IDs in every account): cache on path only with compression-aware keys, and the
# standard security headers (HSTS, nosniff, frame options, referrer policy, XSS protection).
CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6"
SECURITY_HEADERS_POLICY_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03"
MINIMUM_PROTOCOL_VERSION = "TLSv1.2_2021"
ORIGIN_ID = "assets"
LOG_PREFIX = "cloudfront/"


def assets_policy(bucket_arn: str, distribution_arn: str) -> str:
    return policy_document(tls_only_statement(bucket_arn), {
        "Sid": "AllowThisDistributionOnly",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": f"{bucket_arn}/*",
        "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
    })


@dataclass(frozen=True)
class CdnArgs:
    settings: CdnSettings
    environment: str
    assets_bucket: aws.s3.Bucket
    logs_bucket: aws.s3.Bucket
    static_domain: str
    certificate_arn: pulumi.Input[str]
    # The assets bucket's public access block (a policy written while it is applied is rejected) and the logs
    # bucket's ACL granting awslogsdelivery (CloudFront checks it when logging is switched on).
    assets_policy_after: Sequence[pulumi.Resource] = ()
    logging_after: Sequence[pulumi.Resource] = ()
    tags: Mapping[str, str] = field(default_factory=dict)


class Cdn(pulumi.ComponentResource):
    distribution: aws.cloudfront.Distribution
    distribution_id: pulumi.Output[str]
    distribution_arn: pulumi.Output[str]
    domain_name: pulumi.Output[str]
    hosted_zone_id: pulumi.Output[str]

    def __init__(self, name: str, args: CdnArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:cdn:Cdn", name, None, opts)
        label = f"{name}-assets"
        settings = args.settings
        tags = tagger(args.environment, args.tags)

        self.origin_access_control = aws.cloudfront.OriginAccessControl(
            label, name=label, description=f"CloudFront access to {label}", origin_access_control_origin_type="s3",
            signing_behavior="always", signing_protocol="sigv4", opts=pulumi.ResourceOptions(parent=self))

        self.distribution = aws.cloudfront.Distribution(
            label, enabled=True, comment=f"Static files of the e-commerce portal ({args.environment})",
            aliases=[args.static_domain], is_ipv6_enabled=True, http_version="http2and3",
            price_class=settings.price_class, web_acl_id=settings.web_acl_arn or None,
            origins=[{
                "origin_id": ORIGIN_ID,
                "domain_name": args.assets_bucket.bucket_regional_domain_name,
                "origin_access_control_id": self.origin_access_control.id,
            }],
            default_cache_behavior={
                "target_origin_id": ORIGIN_ID,
                "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": ["GET", "HEAD", "OPTIONS"],
                "cached_methods": ["GET", "HEAD"],
                "compress": True,
                "cache_policy_id": CACHING_OPTIMIZED_POLICY_ID,
                "response_headers_policy_id": SECURITY_HEADERS_POLICY_ID,
            },
            restrictions={"geo_restriction": {"restriction_type": "none"}},
            viewer_certificate={
                "acm_certificate_arn": args.certificate_arn,
                "ssl_support_method": "sni-only",
                "minimum_protocol_version": MINIMUM_PROTOCOL_VERSION,
            },
            # Standard (legacy) logs, delivered by the awslogsdelivery account through the logs bucket's ACL.
            logging_config={"bucket": args.logs_bucket.bucket_domain_name, "prefix": LOG_PREFIX,
                            "include_cookies": False},
            tags=tags(label),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.logging_after)))

        # One bucket has one policy: the assets bucket's is written here, where the distribution's ARN exists.
        self.assets_bucket_policy = aws.s3.BucketPolicy(
            label, bucket=args.assets_bucket.id,
            policy=pulumi.Output.all(args.assets_bucket.arn, self.distribution.arn).apply(
                lambda arns: assets_policy(arns[0], arns[1])),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.assets_policy_after)))

        self.distribution_id = self.distribution.id
        self.distribution_arn = self.distribution.arn
        self.domain_name = self.distribution.domain_name
        self.hosted_zone_id = self.distribution.hosted_zone_id
        self.register_outputs({
            "distributionId": self.distribution_id,
            "domainName": self.domain_name,
            "staticDomain": args.static_domain,
        })
