"""Dns with stand-ins for the load balancer (a bare ALB, so the alias records' links to it can be checked) and
the CDN (a fixed name and zone), pointed at both once, the way the portal does; a second call is refused."""

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, ROOT)

import pulumi  # noqa: E402
import pulumi_aws as aws  # noqa: E402

from components.dns.component import AliasTarget, Dns, DnsArgs  # noqa: E402
from components.settings import settings_from_pulumi_config  # noqa: E402

settings = settings_from_pulumi_config()
dns = Dns(settings.name, DnsArgs(settings=settings.dns, domain=settings.general.domain,
                                 environment=settings.general.environment, protect=settings.general.protect))
load_balancer = aws.lb.LoadBalancer("standin-alb", load_balancer_type="application", internal=False,
                                    subnets=["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"])
cdn = AliasTarget(dns_name="d111111abcdef8.cloudfront.net", zone_id="Z2FDTNDATAQYW2")
records = dict(dns.point_at(load_balancer=AliasTarget(dns_name=load_balancer.dns_name, zone_id=load_balancer.zone_id),
                            cdn=cdn))
try:
    dns.point_at(load_balancer=cdn, cdn=cdn)
    refused = ""
except ValueError as error:
    refused = str(error)
pulumi.export("aliases", sorted(records))
pulumi.export("secondCallRefused", refused)
