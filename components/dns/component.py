"""`ecommerce:dns:Dns`: the hosted zone, the DNS-validated certificates and the alias records.

A zone the stack creates stands alone until it is delegated (`portal:zoneDelegated`): no certificate is
requested before public DNS can reach its validation records.

The apex and `www` point at the load balancer and `static.` at CloudFront, always through Route 53 alias
A/AAAA records: DNS forbids a CNAME at the zone apex (it must hold the SOA and NS records).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import pulumi
import pulumi_aws as aws

from components.dns.settings import (
    DnsSettings, delegated_zone_problem, delegation_warning, existing_zone_problem)
from components.tagging import tagger

# CloudFront only accepts certificates issued in us-east-1.
CDN_CERTIFICATE_REGION = "us-east-1"
VALIDATION_TTL = 60


@dataclass(frozen=True)
class AliasTarget:
    """What a Route 53 alias record points at: a load balancer's or distribution's DNS name and hosted zone."""
    dns_name: pulumi.Input[str]
    zone_id: pulumi.Input[str]


@dataclass(frozen=True)
class DnsArgs:
    settings: DnsSettings
    domain: str
    environment: str
    protect: bool = True
    tags: Mapping[str, str] = field(default_factory=dict)


def zone_holds(zone_name: str, domain: str) -> bool:
    zone = zone_name.rstrip(".").lower()
    return domain == zone or domain.endswith(f".{zone}")


def lookup_error(lookup) -> str | None:
    """The error text of a lookup that failed (the engine reports a missing zone as a failed invoke), else None."""
    try:
        lookup()
    except Exception as error:  # noqa: BLE001 - the SDK raises a bare Exception for a failed invoke
        return str(error)
    return None


class Dns(pulumi.ComponentResource):
    zone_id: pulumi.Output[str]
    name_servers: pulumi.Output[list[str]]
    domain: str
    static_domain: str
    # None while the zone awaits delegation: then no certificate exists.
    regional_certificate_arn: pulumi.Output[str] | None
    cdn_certificate_arn: pulumi.Output[str] | None

    def __init__(self, name: str, args: DnsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:dns:Dns", name, None, opts)
        self._name = name
        self._args = args
        self._tags = tagger(args.environment, args.tags)
        self.domain = args.domain
        self.www_domain = f"www.{args.domain}"
        self.static_domain = f"static.{args.domain}"

        self.zone: aws.route53.Zone | None = None
        settings = args.settings
        if settings.hosted_zone_id:
            try:
                found = aws.route53.get_zone(zone_id=settings.hosted_zone_id)
            except Exception as error:  # noqa: BLE001 - a failed invoke
                raise ValueError(existing_zone_problem(settings.hosted_zone_id, str(error))) from None
            if found.private_zone:
                raise ValueError(f"portal:hostedZoneId = {args.settings.hosted_zone_id}: is a private zone; the "
                                 "portal's names must resolve on the internet")
            if not zone_holds(found.name, args.domain):
                raise ValueError(f"portal:hostedZoneId = {args.settings.hosted_zone_id}: the zone is {found.name}, "
                                 f"which cannot hold portal:domain {args.domain}")
            self.zone_id = pulumi.Output.from_input(found.zone_id)
            self.name_servers = pulumi.Output.from_input(list(found.name_servers))
        else:
            if settings.zone_delegated:
                # A zone the account does not hold yet cannot be delegated: stop before anything waits on ACM.
                problem = delegated_zone_problem(args.domain, lookup_error(
                    lambda: aws.route53.get_zone(name=args.domain, private_zone=False)))
                if problem:
                    raise ValueError(problem)
            # Deleting the zone breaks the delegation from the parent domain: its name servers change.
            self.zone = aws.route53.Zone(
                f"{name}-zone", name=args.domain, comment=f"The e-commerce portal ({args.environment})",
                force_destroy=False, tags=self._tags(f"{name}-zone"),
                opts=pulumi.ResourceOptions(parent=self, protect=args.protect))
            self.zone_id = self.zone.zone_id
            self.name_servers = self.zone.name_servers

        self.validation_records: dict[str, aws.route53.Record] = {}
        self.alias_records: dict[str, aws.route53.Record] = {}
        self.awaiting_delegation = settings.awaiting_delegation
        if self.awaiting_delegation:
            self.regional_certificate_arn = self.cdn_certificate_arn = None
            self._warn_until_delegated()
            self.register_outputs({"zoneId": self.zone_id, "nameServers": self.name_servers})
            return

        self.regional_certificate, self.regional_validation = self._certificate(
            "regional", {"apex": args.domain, "www": self.www_domain}, region=None)
        self.cdn_certificate, self.cdn_validation = self._certificate(
            "cdn", {"static": self.static_domain}, region=CDN_CERTIFICATE_REGION)
        # The validation's ARN, not the certificate's: whoever uses it waits until the certificate is issued.
        self.regional_certificate_arn = self.regional_validation.certificate_arn
        self.cdn_certificate_arn = self.cdn_validation.certificate_arn

        self.register_outputs({
            "zoneId": self.zone_id,
            "nameServers": self.name_servers,
            "regionalCertificateArn": self.regional_certificate_arn,
            "cdnCertificateArn": self.cdn_certificate_arn,
        })

    def _warn_until_delegated(self) -> None:
        """One warning per run: at preview the name servers may not exist yet, at `pulumi up` they are listed."""
        if pulumi.runtime.is_dry_run():
            pulumi.log.warn(delegation_warning(self.domain), resource=self)
        else:
            self.name_servers.apply(lambda servers: pulumi.log.warn(
                delegation_warning(self.domain, servers), resource=self))

    def _certificate(self, key: str, names: dict[str, str], region: str | None
                     ) -> tuple[aws.acm.Certificate, aws.acm.CertificateValidation]:
        """A DNS-validated certificate for `names` (label -> domain; the first is the subject)."""
        label = f"{self._name}-{key}"
        domains = list(names.values())
        certificate = aws.acm.Certificate(
            label, region=region, domain_name=domains[0], subject_alternative_names=domains[1:] or None,
            validation_method="DNS", tags=self._tags(label),
            opts=pulumi.ResourceOptions(parent=self))
        fqdns = []
        for short, domain in names.items():
            option = certificate.domain_validation_options.apply(
                lambda options, d=domain: next(o for o in options if o.domain_name == d))
            # Keyed by the name it validates, never a list position: adding a name adds one record.
            record = aws.route53.Record(
                f"{self._name}-validation-{short}", zone_id=self.zone_id,
                name=option.apply(lambda o: o.resource_record_name),
                type=option.apply(lambda o: o.resource_record_type),
                records=[option.apply(lambda o: o.resource_record_value)],
                ttl=VALIDATION_TTL, allow_overwrite=True, opts=pulumi.ResourceOptions(parent=self))
            self.validation_records[short] = record
            fqdns.append(record.fqdn)
        validation = aws.acm.CertificateValidation(
            label, region=region, certificate_arn=certificate.arn, validation_record_fqdns=fqdns,
            opts=pulumi.ResourceOptions(parent=self))
        return certificate, validation

    def point_at(self, load_balancer: AliasTarget, cdn: AliasTarget) -> dict[str, aws.route53.Record]:
        """Alias A and AAAA records: apex and www to the load balancer, static to CloudFront. Called once, after
        both targets exist, with each target's DNS name and hosted zone spelled out."""
        if self.awaiting_delegation:
            raise ValueError("the zone awaits delegation: nothing may be aliased in it before its certificates exist")
        if self.alias_records:
            raise ValueError("the zone's aliases exist already: point_at is called once, with both targets")
        for short, domain in (("apex", self.domain), ("www", self.www_domain)):
            self._alias(short, domain, load_balancer, evaluate_target_health=True)
        # Route 53 cannot evaluate the health of a CloudFront distribution.
        self._alias("static", self.static_domain, cdn, evaluate_target_health=False)
        return self.alias_records

    def _alias(self, short: str, domain: str, target: AliasTarget, evaluate_target_health: bool) -> None:
        for record_type in ("A", "AAAA"):
            self.alias_records[f"{short}-{record_type.lower()}"] = aws.route53.Record(
                f"{self._name}-{short}-{record_type.lower()}", zone_id=self.zone_id, name=domain, type=record_type,
                aliases=[{"name": target.dns_name, "zone_id": target.zone_id,
                          "evaluate_target_health": evaluate_target_health}],
                opts=pulumi.ResourceOptions(parent=self))
