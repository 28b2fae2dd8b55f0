"""Load balancer listeners, TLS, deletion protection, logging and WAF."""
from typing import Iterable, List, Tuple

from ._base import ADVISORY, MANDATORY, resource_policy, stack_policy
from ._config import PRODUCTION_STACKS, is_production, setting
from ._graph import Graph, Node
from ._props import as_list, first, fmt_num, is_unknown, number, truthy

LB = "lb/loadBalancer"
CLB = "elb/loadBalancer"
LISTENER = "lb/listener"


def _is_alb(lb: Node) -> bool:
    return str(lb.props.get("loadBalancerType") or "application") == "application"


def _bad_actions(actions) -> List[str]:
    bad = []
    for a in as_list(actions):
        if not isinstance(a, dict):
            continue
        if a.get("type") == "redirect" and str(first(a, "redirect", "protocol") or "").upper() == "HTTPS":
            continue
        bad.append(str(a.get("type") or "unknown"))
    return bad


def _listener_protocol(g: Graph, listener: Node) -> str:
    """The listener's protocol; unset means HTTP on an Application Load Balancer (TCP on a Network one)."""
    proto = listener.props.get("protocol")
    if proto and not is_unknown(proto):
        return str(proto).upper()
    if proto is None and not listener.props.get("certificateArn"):
        lbs = g.refs(listener, "loadBalancerArn", LB)
        if not lbs or _is_alb(lbs[0]):
            return "HTTP"
    return ""


def _http_redirects(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for listener in g.of(LISTENER):
        if _listener_protocol(g, listener) != "HTTP":
            continue
        bad = _bad_actions(listener.props.get("defaultActions"))
        if bad:
            yield listener, (f"HTTP listener {listener.label()} answers with a {bad[0]} action; make its only default "
                             f"action a redirect to HTTPS (port 443, HTTP_301).")
        for rule in g.referrers(listener, ("lb/listenerRule",), ("listenerArn",)):
            rbad = _bad_actions(rule.props.get("actions"))
            if rbad:
                yield rule, (f"Listener rule {rule.label()} on HTTP listener {listener.label()} answers with a "
                             f"{rbad[0]} action; move it to the HTTPS listener.")
    for clb in g.of(CLB):
        for lst in as_list(clb.props.get("listeners")):
            if isinstance(lst, dict) and str(lst.get("lbProtocol") or "").lower() in ("http", "tcp"):
                yield clb, (f"Classic load balancer {clb.label()} serves plain {str(lst.get('lbProtocol')).upper()} on "
                            f"port {fmt_num(number(lst.get('lbPort')))} and cannot redirect; serve HTTPS only, or use an ALB with an "
                            f"HTTP-to-HTTPS redirect.")


def _modern_tls(node: Node, config) -> Iterable[str]:
    allowed = list(setting(config, "https-listener-modern-tls", "allowedTlsPolicies"))
    p = node.props
    if node.kind == LISTENER:
        proto = p.get("protocol") or ("HTTPS" if p.get("certificateArn") else "")
        if str(proto).upper() not in ("HTTPS", "TLS"):
            return
        policy = p.get("sslPolicy")
        if not is_unknown(policy) and policy not in allowed:
            shown = policy or "unset (ELBSecurityPolicy-2016-08, which allows TLS 1.0)"
            yield (f"Listener {node.label()} uses TLS policy {shown}; set sslPolicy to "
                   f"{allowed[0]} or another allowed TLS 1.2+ policy.")
        if not p.get("certificateArn"):
            yield f"Listener {node.label()} has no certificate; set certificateArn to an ACM certificate."
        return
    for lst in as_list(p.get("listeners")):
        if isinstance(lst, dict) and str(lst.get("lbProtocol") or "").lower() in ("https", "ssl"):
            if not lst.get("sslCertificateId"):
                yield (f"Classic load balancer {node.label()} has an {lst.get('lbProtocol')} listener without a "
                       f"certificate; set sslCertificateId to an ACM certificate ARN.")


def _lb_deletion_protection(node: Node, config) -> Iterable[str]:
    if not is_production(node.stack, config, "lb-deletion-protection"):
        return
    dp = node.props.get("enableDeletionProtection")
    if is_unknown(dp):
        yield (f"Load balancer {node.label()} sets enableDeletionProtection from a value unknown at preview; set it "
               f"from configuration or a literal.")
    elif truthy(dp) is not True:
        yield (f"Load balancer {node.label()} in production stack '{node.stack}' can be deleted by accident; set "
               f"enableDeletionProtection to true.")


def _is_nlb(node: Node) -> bool:
    return node.kind == LB and str(node.props.get("loadBalancerType") or "") == "network"


def _may_be_tls(listener: Node) -> bool:
    proto = listener.props.get("protocol")
    if isinstance(proto, str) and not is_unknown(proto):
        return proto.upper() == "TLS"
    return bool(listener.props.get("certificateArn")) or is_unknown(proto)


def _access_logs(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for node in g.of(LB, CLB):
        logs = first(node.props, "accessLogs")
        if node.kind == LB:
            if isinstance(logs, dict) and truthy(logs.get("enabled")) is True and logs.get("bucket"):
                continue
            # A Network Load Balancer writes access logs for its TLS listeners only: without one there is nothing
            # to log.
            if _is_nlb(node) and not any(
                    _may_be_tls(l) for l in g.referrers(node, (LISTENER,), ("loadBalancerArn",))):
                continue
            yield node, (f"Load balancer {node.label()} writes no access logs; set accessLogs with enabled true and "
                         f"the logs bucket (SSE-S3, with the ELB log-delivery bucket policy).")
        elif not isinstance(logs, dict) or truthy(logs.get("enabled")) is False or not logs.get("bucket"):
            yield node, f"Classic load balancer {node.label()} writes no access logs; set accessLogs.bucket."


def _alb_waf(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for lb in g.of(LB):
        if not _is_alb(lb) or truthy(lb.props.get("internal")) is True:
            continue
        if g.referrers(lb, ("wafv2/webAclAssociation", "wafregional/webAclAssociation"), ("resourceArn",)):
            continue
        yield lb, (f"Internet-facing load balancer {lb.label()} has no WAF; associate a WAFv2 web ACL with it "
                   f"(aws.wafv2.WebAclAssociation) using the AWS managed rule groups.")


def _drop_invalid_headers(node: Node, config) -> Iterable[str]:
    if _is_alb(node) and truthy(node.props.get("dropInvalidHeaderFields")) is not True:
        yield f"Load balancer {node.label()} forwards invalid HTTP headers; set dropInvalidHeaderFields to true."


def _desync(node: Node, config) -> Iterable[str]:
    if node.kind == LB and not _is_alb(node):
        return
    if node.props.get("desyncMitigationMode") == "monitor":
        yield (f"Load balancer {node.label()} only monitors HTTP desync; set desyncMitigationMode to \"defensive\" "
               f"or \"strictest\".")


def _no_classic(node: Node, config) -> Iterable[str]:
    yield (f"Classic load balancer {node.label()} lacks HTTP-to-HTTPS redirects, modern TLS policies and WAF; use an "
           f"aws.lb.LoadBalancer (Application Load Balancer).")


def _clb_cross_zone(node: Node, config) -> Iterable[str]:
    if truthy(node.props.get("crossZoneLoadBalancing")) is False:
        yield (f"Classic load balancer {node.label()} keeps traffic inside each AZ; set crossZoneLoadBalancing to "
               f"true so an AZ with fewer instances is not overloaded.")
    if truthy(node.props.get("connectionDraining")) is not True:
        yield (f"Classic load balancer {node.label()} drops in-flight requests when an instance leaves; set "
               f"connectionDraining to true.")


def _waf_logging(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for acl in g.of("wafv2/webAcl"):
        if not g.referrers(acl, ("wafv2/webAclLoggingConfiguration",), ("resourceArn",)):
            yield acl, (f"Web ACL {acl.label()} keeps no record of what it blocked; add an "
                        f"aws.wafv2.WebAclLoggingConfiguration for it.")


def _acm_certificates(node: Node, config) -> Iterable[str]:
    arns = []
    if node.kind == LISTENER:
        arns.append(node.props.get("certificateArn"))
    elif node.kind == "lb/listenerCertificate":
        arns.append(node.props.get("certificateArn"))
    else:
        arns += [lst.get("sslCertificateId") for lst in as_list(node.props.get("listeners")) if isinstance(lst, dict)]
    for arn in arns:
        if isinstance(arn, str) and ":iam::" in arn and ":server-certificate/" in arn:
            yield (f"{node.describe()} uses IAM server certificate {arn.rsplit('/', 1)[-1]}, which nobody renews; "
                   f"use an ACM certificate validated through DNS.")


def _deregistration(node: Node, config) -> Iterable[str]:
    limit = number(setting(config, "target-group-deregistration-delay", "maxSeconds")) or 300
    raw = node.props.get("deregistrationDelay")
    if is_unknown(raw) or node.props.get("targetType") == "lambda":
        return
    delay = number(raw)
    if delay is None:
        yield (f"Target group {node.label()} keeps the default 300 s deregistration delay, so every instance "
               f"replaced in a rollout lingers 5 minutes; set deregistrationDelay (e.g. 30).")
    elif delay > limit:
        yield (f"Target group {node.label()} waits {fmt_num(delay)} s before deregistering an instance; set "
               f"deregistrationDelay to at most {fmt_num(limit)}.")


# Network Load Balancer target group protocols: their health checks default to a TCP connection (no path).
TRANSPORT_PROTOCOLS = ("TCP", "UDP", "TCP_UDP", "TLS")


def _health_check_path(node: Node, config) -> Iterable[str]:
    """For many programs / is the application itself, so a check on / is advice, not a defect."""
    forbidden = list(setting(config, "target-group-health-check-path", "forbiddenPaths"))
    hint = "if {path} is not a page that exercises the application, {fix} (e.g. {example})."
    hc = first(node.props, "healthCheck")
    if node.kind == CLB:
        target = hc.get("target") if isinstance(hc, dict) else None
        if not isinstance(target, str) or is_unknown(target) or not target.upper().startswith("HTTP"):
            return
        path = "/" + target.split("/", 1)[1] if "/" in target else "/"
        if path in forbidden:
            example = target.split("/", 1)[0] + "/healthz"
            yield f"Classic load balancer {node.label()} checks {target}; " + hint.format(
                path=path, fix="point the target at an endpoint that does", example=example)
        return
    if node.props.get("targetType") == "lambda" or (isinstance(hc, dict) and truthy(hc.get("enabled")) is False):
        return
    hc = hc if isinstance(hc, dict) else {}
    proto = str(node.props.get("protocol") or "HTTP").upper()
    default_hc = "TCP" if proto in TRANSPORT_PROTOCOLS else proto
    if str(hc.get("protocol") or default_hc).upper() not in ("HTTP", "HTTPS"):
        return
    path = hc.get("path")
    if is_unknown(path):
        return
    shown = path or "/ (the default)"
    if (path or "/") in forbidden:
        yield f"Target group {node.label()} health-checks path {shown}; " + hint.format(
            path=path or "/", fix="set healthCheck.path to an endpoint that does", example="/healthz")


POLICIES = [
    stack_policy(
        "http-listener-redirects-to-https", _http_redirects, level=MANDATORY, catalogue=("C1", "C2"),
        description="Plain HTTP listeners may only redirect to HTTPS."),
    resource_policy(
        "https-listener-modern-tls", (LISTENER, CLB), _modern_tls, level=MANDATORY, catalogue=("C3", "C4"),
        description="HTTPS listeners must use a modern TLS policy and a certificate.",
        config_schema={
            "allowedTlsPolicies": {
                "type": "array", "items": {"type": "string"},
                "default": [
                    "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
                    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
                    "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
                    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "ELBSecurityPolicy-TLS-1-2-2017-01",
                    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10",
                    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
                ],
                "description": "TLS security policies an HTTPS/TLS listener may use.",
            },
        }),
    resource_policy(
        "lb-deletion-protection", (LB,), _lb_deletion_protection, level=MANDATORY, catalogue=("B14",),
        description="Load balancers in production stacks must have deletion protection.",
        config_schema=PRODUCTION_STACKS),
    stack_policy(
        "lb-access-logs", _access_logs, level=ADVISORY, catalogue=("C8",),
        description="Load balancers should write access logs to S3."),
    stack_policy(
        "alb-waf", _alb_waf, level=ADVISORY, catalogue=("C7",),
        description="Internet-facing Application Load Balancers should be protected by a WAF web ACL."),
    resource_policy(
        "alb-drop-invalid-headers", (LB,), _drop_invalid_headers, level=ADVISORY, catalogue=("C5",),
        description="Application Load Balancers should drop invalid HTTP header fields."),
    resource_policy(
        "lb-desync-mitigation", (LB, CLB), _desync, level=ADVISORY, catalogue=("C6",),
        description="Load balancers should use the defensive or strictest desync mitigation mode."),
    resource_policy(
        "no-classic-load-balancer", (CLB,), _no_classic, level=ADVISORY, catalogue=("C9",),
        description="Use an Application Load Balancer instead of a Classic Load Balancer for HTTP/HTTPS."),
    resource_policy(
        "clb-cross-zone-and-draining", (CLB,), _clb_cross_zone, level=ADVISORY, catalogue=("A5", "A6"),
        description="Classic load balancers should enable cross-zone load balancing and connection draining."),
    stack_policy(
        "waf-logging", _waf_logging, level=ADVISORY, catalogue=("C10",),
        description="WAF web ACLs should have a logging configuration."),
    resource_policy(
        "listener-certificate-from-acm", (LISTENER, "lb/listenerCertificate", CLB), _acm_certificates,
        level=ADVISORY, catalogue=("C4",),
        description="Listener certificates should come from ACM, not IAM server certificates."),
    resource_policy(
        "target-group-health-check-path", ("lb/targetGroup", CLB), _health_check_path,
        level=ADVISORY, catalogue=("A3",),
        description=("HTTP(S) health checks should request an endpoint that exercises the application (e.g. "
                     "/healthz), not just /."),
        config_schema={
            "forbiddenPaths": {"type": "array", "items": {"type": "string"}, "default": ["/"],
                               "description": "Health check paths that do not exercise the application."},
        }),
    resource_policy(
        "target-group-deregistration-delay", ("lb/targetGroup",), _deregistration,
        level=ADVISORY, catalogue=("NEW-10",),
        description="Target groups should set a deregistration delay, short enough that a rollout does not stall.",
        config_schema={
            "maxSeconds": {"type": "integer", "default": 120,
                           "description": "Longest acceptable deregistration delay (AWS defaults to 300)."},
        }),
]
