"""Route 53 and ACM rules."""
from typing import Dict, Iterable, List, Optional, Tuple

from ._base import ADVISORY, MANDATORY, stack_policy
from ._graph import Graph, Node
from ._props import as_list, is_unknown, truthy

RECORD = "route53/record"
LB_KINDS = ("lb/loadBalancer", "elb/loadBalancer")


def _norm(name) -> Optional[str]:
    if not isinstance(name, str) or is_unknown(name):
        return None
    return name.strip().rstrip(".").lower()


def _zone_key(g: Graph, rec: Node) -> Tuple[str, Optional[str]]:
    """(grouping key, zone name if known) of a record's hosted zone."""
    zones = g.refs(rec, "zoneId", "route53/zone")
    if zones:
        return zones[0].urn, _norm(zones[0].props.get("name"))
    zid = rec.props.get("zoneId")
    return (f"id:{zid}" if isinstance(zid, str) and not is_unknown(zid) else f"rec:{rec.urn}"), None


def record_names(g: Graph) -> Dict[str, Tuple[Optional[str], List[Tuple[Node, str]]]]:
    zones: Dict[str, Tuple[Optional[str], List[Tuple[Node, str]]]] = {}
    for rec in g.of(RECORD):
        key, zone_name = _zone_key(g, rec)
        name = _norm(rec.props.get("name"))
        if name in ("", "@") and zone_name:
            name = zone_name
        elif name and zone_name and name != zone_name and not name.endswith("." + zone_name):
            name = f"{name}.{zone_name}"  # relative name
        entry = zones.setdefault(key, (zone_name, []))
        if name:
            entry[1].append((rec, name))
    return zones


def apex_records(g: Graph, config) -> List[Tuple[Node, str]]:
    extra = {_norm(n) for n in as_list((config or {}).get("apexNames"))}
    out = []
    for zone_name, recs in record_names(g).values():
        names = {n for _, n in recs}
        for rec, name in recs:
            if name == zone_name or name in extra:
                out.append((rec, name))
            elif zone_name is None and any(o != name and o.endswith("." + name) and not o.startswith("_")
                                           for o in names):
                out.append((rec, name))  # the zone name is unknown: the parent of the zone's other names
    return out


def _apex_alias(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for rec, name in apex_records(g, config):
        typ = str(rec.props.get("type") or "").upper()
        if typ == "CNAME":
            yield rec, (f"Record {rec.label()} makes the zone apex {name} a CNAME, which DNS forbids; make it an A "
                        f"(and AAAA) alias record to the load balancer or CloudFront distribution.")
        elif typ in ("A", "AAAA") and not as_list(rec.props.get("aliases")):
            yield rec, (f"Record {rec.label()} points the zone apex {name} at fixed addresses, which fail with the "
                        f"server behind them; make it an alias record to the load balancer or distribution.")


def _alias_health(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for rec in g.of(RECORD):
        aliases = [a for a in as_list(rec.props.get("aliases")) if isinstance(a, dict)]
        if not aliases:
            continue
        targets = g.refs(rec, "aliases")
        to_lb = [t for t in targets if t.kind in LB_KINDS]
        if to_lb and any(truthy(a.get("evaluateTargetHealth")) is not True for a in aliases):
            yield rec, (f"Alias record {rec.label()} to load balancer {to_lb[0].label()} ignores target health; set "
                        f"evaluateTargetHealth to true.")
        if not targets and any(isinstance(a.get("name"), str) and not is_unknown(a.get("name")) for a in aliases):
            yield rec, (f"Alias record {rec.label()} points at {aliases[0].get('name')}, which no resource of this "
                        f"stack provides; point it at the stack's load balancer or distribution outputs.")
    for rec, name in apex_records(g, config):
        if str(rec.props.get("type") or "").upper() != "A":
            continue
        names = {n for _, recs in record_names(g).values() for _, n in recs}
        if f"www.{name}" not in names:
            yield rec, (f"Apex record {rec.label()} ({name}) has no www.{name} companion; add a www alias record "
                       f"so both names serve.")


def _acm_dns(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for cert in g.of("acm/certificate"):
        if cert.props.get("certificateAuthorityArn") or cert.props.get("privateKey"):
            continue  # private CA / imported: nothing to validate
        method = cert.props.get("validationMethod")
        if method and not is_unknown(method) and str(method).upper() != "DNS":
            yield cert, (f"Certificate {cert.label()} is validated by {method}, which needs a person for every "
                         f"renewal; set validationMethod to \"DNS\".")
            continue
        validations = g.referrers(cert, ("acm/certificateValidation",), ("certificateArn",))
        # Programs that build the records in a loop over domainValidationOptions (often with an explicit provider
        # for the certificate and its validation) hand the records to the validation, not a reference to the
        # certificate to every record.
        records = g.referrers(cert, (RECORD,)) or [r for v in validations for r in g.refs(v, "validationRecordFqdns")]
        if not records and any(v.props.get("validationRecordFqdns") for v in validations):
            records = validations
        if not records or not validations:
            yield cert, (f"Certificate {cert.label()} has no DNS validation records or CertificateValidation in the "
                         f"stack; create the records from domainValidationOptions and an "
                         f"aws.acm.CertificateValidation.")
        dn = cert.props.get("domainName")
        if isinstance(dn, str) and dn.startswith("*."):
            yield cert, (f"Certificate {cert.label()} is a wildcard ({dn}); name the hosts (apex, www, static) in "
                         f"subjectAlternativeNames instead.")


def _query_logging_dnssec(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for zone in g.of("route53/zone"):
        if zone.props.get("vpcs"):
            continue  # a private zone
        if not g.referrers(zone, ("route53/queryLog",), ("zoneId",)):
            yield zone, (f"Hosted zone {zone.label()} logs no queries; add an aws.route53.QueryLog to a log group in "
                         f"us-east-1.")
        if not g.referrers(zone, ("route53/hostedZoneDnsSec",), ("hostedZoneId",)):
            yield zone, (f"Hosted zone {zone.label()} is not signed; add a KeySigningKey and an "
                         f"aws.route53.HostedZoneDnsSec so resolvers can detect spoofed answers.")


def _cert_names(cert: Node) -> List[str]:
    names = [cert.props.get("domainName")] + as_list(cert.props.get("subjectAlternativeNames"))
    return [n.lower().rstrip(".") for n in names if isinstance(n, str) and not is_unknown(n)]


def _covers(names: List[str], host: str) -> bool:
    for n in names:
        if n == host or (n.startswith("*.") and host.endswith(n[1:]) and host.count(".") == n.count(".")):
            return True
    return False


def _certs_behind(g: Graph, refs: List[Node]) -> List[Node]:
    out: List[Node] = []
    for r in refs:
        found = [r] if r.kind == "acm/certificate" else (
            g.refs(r, "certificateArn", "acm/certificate") if r.kind == "acm/certificateValidation" else [])
        out += [c for c in found if c not in out]
    return out


def _relative_match(names: List[str], host: str) -> bool:
    """A record name relative to a zone whose name is not known here (looked up, not created): covered when a
    name ends in it plus a zone suffix."""
    return "." not in host and any(n.startswith(host + ".") or n.startswith("*.") for n in names)


def _alias_certificates(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    # Record names may be relative to their zone ("www" in shop.example.com): compare fully qualified names.
    fqdn = {rec.urn: name for _, recs in record_names(g).values() for rec, name in recs}
    for rec in g.of(RECORD):
        host = fqdn.get(rec.urn)
        relative = _zone_key(g, rec)[1] is None
        if not host or str(rec.props.get("type") or "").upper() not in ("A", "AAAA", "CNAME"):
            continue
        for target in g.refs(rec, "aliases"):
            if target.kind == "lb/loadBalancer":
                listeners = [l for l in g.referrers(target, ("lb/listener",), ("loadBalancerArn",))
                             if str(l.props.get("protocol") or "").upper() in ("HTTPS", "TLS")]
                refs = [c for l in listeners for c in g.refs(l, "certificateArn")]
                refs += [c for l in listeners for lc in g.referrers(l, ("lb/listenerCertificate",), ("listenerArn",))
                         for c in g.refs(lc, "certificateArn")]
                certs = _certs_behind(g, refs)
                if listeners and certs and not any(_covers(_cert_names(c), host) or
                                                   (relative and _relative_match(_cert_names(c), host))
                                                   for c in certs):
                    yield rec, (f"Record {rec.label()} sends {host} to load balancer {target.label()}, whose HTTPS "
                                f"certificate does not cover it; add {host} to the certificate's "
                                f"subjectAlternativeNames.")
            elif target.kind == "cloudfront/distribution":
                aliases = [a.lower() for a in as_list(target.props.get("aliases")) if isinstance(a, str)]
                if not is_unknown(target.props.get("aliases")) and host not in aliases and not (
                        relative and _relative_match(aliases, host)):
                    yield rec, (f"Record {rec.label()} sends {host} to distribution {target.label()}, which does not "
                                f"list it in aliases; add {host} to the distribution's aliases.")
                certs = _certs_behind(g, g.refs(target, "viewerCertificate"))
                if certs and not any(_covers(_cert_names(c), host) or
                                     (relative and _relative_match(_cert_names(c), host)) for c in certs):
                    yield rec, (f"Record {rec.label()} sends {host} to distribution {target.label()}, whose certificate "
                                f"does not cover it; add {host} to the certificate's subjectAlternativeNames.")


def _key_strength(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for cert in g.of("acm/certificate"):
        algo = cert.props.get("keyAlgorithm")
        if isinstance(algo, str) and algo.upper() in ("RSA_1024",):
            yield cert, f"Certificate {cert.label()} uses a {algo} key; request RSA_2048 or an EC key."


POLICIES = [
    stack_policy(
        "zone-apex-alias", _apex_alias, level=MANDATORY, catalogue=("NEW-1",),
        description="The zone apex must be a Route 53 alias record, never a CNAME or fixed IP addresses.",
        config_schema={
            "apexNames": {"type": "array", "items": {"type": "string"}, "default": [],
                          "description": "Zone apex names, for records whose hosted zone is looked up rather than created."},
        }),
    stack_policy(
        "dns-alias-evaluate-target-health", _alias_health, level=ADVISORY, catalogue=("NEW-1", "J3"),
        description=("Alias records to load balancers should evaluate target health and point at a resource in the "
                     "stack.")),
    stack_policy(
        "acm-dns-validated", _acm_dns, level=ADVISORY, catalogue=("NEW-14", "J6"),
        description=("ACM certificates should be DNS-validated with their validation records in the stack, so "
                     "renewal is automatic.")),
    stack_policy(
        "route53-query-logging-and-dnssec", _query_logging_dnssec, level=ADVISORY, catalogue=("J1", "J2"),
        description="Public hosted zones should have DNS query logging and DNSSEC signing."),
    stack_policy(
        "certificate-covers-aliases", _alias_certificates, level=ADVISORY, catalogue=("NEW-14",),
        description=("Every name aliased to a load balancer or distribution must be covered by its certificate "
                     "(and the distribution's aliases).")),
    stack_policy(
        "acm-key-strength", _key_strength, level=ADVISORY, catalogue=("J5",),
        description="ACM certificates should use RSA 2048 or stronger keys."),
]
