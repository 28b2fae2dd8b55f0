"""CloudFront rules."""
import re
from typing import Iterable, Tuple

from ._base import ADVISORY, MANDATORY, resource_policy, stack_policy
from ._config import setting
from ._graph import Graph, Node
from ._props import as_list, first, is_unknown, truthy

CF = "cloudfront/distribution"


def _behaviors(p):
    out = []
    d = first(p, "defaultCacheBehavior")
    if isinstance(d, dict):
        out.append(("default cache behavior", d))
    for b in as_list(p.get("orderedCacheBehaviors")):
        if isinstance(b, dict):
            out.append((f"cache behavior {b.get('pathPattern')}", b))
    return out


def _recommended(allowed) -> str:
    return "TLSv1.2_2021" if "TLSv1.2_2021" in allowed else allowed[0]


def _viewer_tls(node: Node, config) -> Iterable[str]:
    allowed = list(setting(config, "cloudfront-viewer-https-tls12", "allowedMinimumProtocolVersions"))
    for where, b in _behaviors(node.props):
        vpp = b.get("viewerProtocolPolicy")
        if vpp == "allow-all":
            yield (f"Distribution {node.label()} serves plain HTTP on its {where}; set viewerProtocolPolicy to "
                   f"\"redirect-to-https\" or \"https-only\".")
    cert = first(node.props, "viewerCertificate")
    cert = cert if isinstance(cert, dict) else {}
    if not cert or truthy(cert.get("cloudfrontDefaultCertificate")) is True:
        yield (f"Distribution {node.label()} uses the default CloudFront certificate, which allows TLS 1.0; use an "
               f"ACM certificate (sslSupportMethod \"sni-only\") with minimumProtocolVersion {_recommended(allowed)}.")
        return
    mpv = cert.get("minimumProtocolVersion")
    if not is_unknown(mpv) and mpv not in allowed:
        yield (f"Distribution {node.label()} accepts viewers on {mpv or 'TLSv1 (unset)'}; set "
               f"viewerCertificate.minimumProtocolVersion to {_recommended(allowed)} or later.")


def _access_logs(node: Node, config) -> Iterable[str]:
    log = first(node.props, "loggingConfig")
    if not (isinstance(log, dict) and log.get("bucket")):
        yield f"Distribution {node.label()} writes no access logs; set loggingConfig.bucket to the logs bucket."


def _waf(node: Node, config) -> Iterable[str]:
    if not node.props.get("webAclId"):
        yield (f"Distribution {node.label()} has no WAF; set webAclId to a WAFv2 web ACL with scope CLOUDFRONT "
               f"(created in us-east-1).")


# S3 website endpoints (bucket.s3-website-REGION.amazonaws.com or bucket.s3-website.REGION.amazonaws.com) answer
# only over HTTP, so http-only is the one policy that works for them.
WEBSITE_ENDPOINT = re.compile(r"\.s3-website[.-][a-z0-9-]+\.amazonaws\.com(\.cn)?$")
WEBSITE_KINDS = ("s3/bucketWebsiteConfiguration",)


def _website_origin(g: Graph, cf: Node, origin: dict) -> bool:
    domain = origin.get("domainName")
    if isinstance(domain, str) and not is_unknown(domain):
        return bool(WEBSITE_ENDPOINT.search(domain.lower()))
    # Unknown until deploy: a website endpoint if the origins refer to a website configuration of the stack.
    return any(d.kind in WEBSITE_KINDS or (d.kind == "s3/bucket" and d.inputs.get("website"))
               for d in g.refs(cf, "origins"))


def _origin_tls(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for node in g.of(CF):
        for o in as_list(node.props.get("origins")):
            if not isinstance(o, dict):
                continue
            c = first(o, "customOriginConfig")
            if not isinstance(c, dict):
                continue
            policy = c.get("originProtocolPolicy")
            if policy in ("http-only", "match-viewer") and not _website_origin(g, node, o):
                yield node, (f"Distribution {node.label()} reaches origin {o.get('originId')} with {policy}; set "
                             f"originProtocolPolicy to \"https-only\".")
            protocols = [x for x in as_list(c.get("originSslProtocols")) if not is_unknown(x)]
            old = [x for x in protocols if x in ("SSLv3", "TLSv1", "TLSv1.1")]
            if old:
                yield node, (f"Distribution {node.label()} allows {', '.join(old)} to origin {o.get('originId')}; "
                             f"set originSslProtocols to [\"TLSv1.2\"].")


def _origin_failover(node: Node, config) -> Iterable[str]:
    if not as_list(node.props.get("originGroups")):
        yield (f"Distribution {node.label()} has no origin group; add an originGroups entry with a primary and a "
               f"failover origin.")


def _s3_oac(node: Node, config) -> Iterable[str]:
    for o in as_list(node.props.get("origins")):
        if not isinstance(o, dict) or isinstance(first(o, "customOriginConfig"), dict):
            continue
        if o.get("originAccessControlId") or first(o, "s3OriginConfig", "originAccessIdentity"):
            continue
        yield (f"Distribution {node.label()} reads S3 origin {o.get('originId')} without Origin Access Control, so "
               f"the bucket must be public; set originAccessControlId and grant CloudFront in the bucket policy.")


def _cert_region(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for cf in g.of(CF):
        cert = first(cf.props, "viewerCertificate")
        cert = cert if isinstance(cert, dict) else {}
        if not cert or truthy(cert.get("cloudfrontDefaultCertificate")) is True:
            continue
        for acm in g.refs(cf, "viewerCertificate", "acm/certificate", "acm/certificateValidation"):
            if acm.kind == "acm/certificateValidation":
                found = g.refs(acm, "certificateArn", "acm/certificate")
                acm = found[0] if found else acm
            region = acm.region
            if region and region != "us-east-1":
                yield cf, (f"Distribution {cf.label()} uses certificate {acm.label()} issued in {region}; CloudFront "
                           f"only accepts certificates from us-east-1, so create it with region=\"us-east-1\".")
        arn = cert.get("acmCertificateArn")
        if isinstance(arn, str) and arn.startswith("arn:") and not is_unknown(arn):
            region = arn.split(":")[3]
            if region != "us-east-1":
                yield cf, (f"Distribution {cf.label()} uses a certificate from {region}; CloudFront only accepts "
                           f"certificates from us-east-1.")


def _security_headers(node: Node, config) -> Iterable[str]:
    for where, b in _behaviors(node.props):
        if not b.get("responseHeadersPolicyId"):
            yield (f"Distribution {node.label()} sends no security headers on its {where}; set "
                   f"responseHeadersPolicyId (e.g. the managed SecurityHeadersPolicy).")
            return


def _s3_origin_in_stack(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for cf in g.of(CF):
        in_stack = g.refs(cf, "origins", "s3/bucket")
        for o in as_list(cf.props.get("origins")):
            if not isinstance(o, dict) or isinstance(first(o, "customOriginConfig"), dict):
                continue
            domain = o.get("domainName")
            if isinstance(domain, str) and not is_unknown(domain) and ".s3." in domain + "." and not in_stack:
                yield cf, (f"Distribution {cf.label()} reads S3 origin {domain}, a bucket this stack does not manage; "
                           f"if it is deleted anyone can recreate it and serve your users, so create the bucket here.")


POLICIES = [
    resource_policy(
        "cloudfront-viewer-https-tls12", (CF,), _viewer_tls, level=MANDATORY, catalogue=("I1", "I2"),
        description="CloudFront must serve viewers over HTTPS only, with TLS 1.2 or later.",
        config_schema={
            "allowedMinimumProtocolVersions": {
                "type": "array", "items": {"type": "string"},
                "default": ["TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"],
                "description": "Viewer minimum protocol versions CloudFront may use.",
            },
        }),
    resource_policy(
        "cloudfront-access-logs", (CF,), _access_logs, level=ADVISORY, catalogue=("I5",),
        description="CloudFront distributions should write access logs."),
    resource_policy(
        "cloudfront-waf", (CF,), _waf, level=ADVISORY, catalogue=("I6",),
        description="CloudFront distributions should be associated with a WAF web ACL."),
    stack_policy(
        "cloudfront-origin-tls", _origin_tls, level=ADVISORY, catalogue=("I3",),
        description="CloudFront should reach custom origins over HTTPS with TLS 1.2 only."),
    resource_policy(
        "cloudfront-origin-failover", (CF,), _origin_failover, level=ADVISORY, catalogue=("A11",),
        description="CloudFront should have an origin group (two origins) for origin failover."),
    resource_policy(
        "cloudfront-s3-origin-access-control", (CF,), _s3_oac, level=ADVISORY, catalogue=("H7",),
        description="CloudFront S3 origins should use Origin Access Control so the bucket stays private."),
    stack_policy(
        "cloudfront-certificate-us-east-1", _cert_region, level=ADVISORY, catalogue=("NEW-14", "I4"),
        description="CloudFront must use an ACM certificate (SNI) issued in us-east-1."),
    resource_policy(
        "cloudfront-security-headers", (CF,), _security_headers, level=ADVISORY, catalogue=("I9",),
        description="CloudFront cache behaviors should attach a response headers policy (security headers)."),
    stack_policy(
        "cloudfront-s3-origin-in-stack", _s3_origin_in_stack, level=ADVISORY, catalogue=("I10",),
        description=("CloudFront S3 origins should be buckets of the stack, so the origin cannot be missing or "
                     "taken over.")),
]
