"""Dns with stand-ins for the load balancer (a bare ALB, so the alias records' links to it can be checked) and
the CDN (an object carrying only what add_aliases reads), called the way the portal does: CloudFront first,
then both once the load balancer exists."""

import os
import sys
from types import SimpleNamespace

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, ROOT)

import pulumi  # noqa: E402
import pulumi_aws as aws  # noqa: E402

from components.dns.component import Dns, DnsArgs  # noqa: E402
from components.settings import settings_from_pulumi_config  # noqa: E402

settings = settings_from_pulumi_config()
dns = Dns(settings.name, DnsArgs(settings=settings.dns, domain=settings.general.domain,
                                 environment=settings.general.environment, protect=settings.general.protect))
load_balancer = aws.lb.LoadBalancer("standin-alb", load_balancer_type="application", internal=False,
                                    subnets=["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"])
cdn = SimpleNamespace(domain_name=pulumi.Output.from_input("d111111abcdef8.cloudfront.net"),
                      hosted_zone_id=pulumi.Output.from_input("Z2FDTNDATAQYW2"))
first = dict(dns.add_aliases(cdn=cdn))
second = dict(dns.add_aliases(load_balancer, cdn))
pulumi.export("aliasesAfterFirstCall", sorted(first))
pulumi.export("aliasesAfterSecondCall", sorted(second))
