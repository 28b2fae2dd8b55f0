"""`ecommerce:security:SecurityGroups`: the whole security-group chain in one place, built right after the network
and handed to the tiers:

    internet -> load balancer -> web servers -> database / cache
                                 database bootstrap function -> database

Every rule is its own resource (never inline, so adding one never rewrites the others) and admits a group by
reference, never a CIDR, except the load balancer's listeners and HTTPS out to AWS APIs. Because the chain is
complete before any tier is declared, a tier can wait for exactly the rules it needs: a web server never boots
into a database or load balancer that does not admit it yet.

The groups and rules used to be children of their tiers; `pulumi.Alias` ties each to its former URN so an existing
stack adopts them in place instead of replacing them (a replaced named group would collide with itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import pulumi
import pulumi_aws as aws

from components.tagging import tagger

HTTP_PORT = 80
HTTPS_PORT = 443
MYSQL_PORT = 3306
MEMCACHED_PORT = 11211

# Tier key -> the component type that owned its group before the chain existed (for aliases).
FORMER_OWNERS = {
    "load_balancer": "ecommerce:edge:LoadBalancer",
    "web": "ecommerce:web:WebTier",
    "database": "ecommerce:database:Database",
    "cache": "ecommerce:cache:Cache",
}


@dataclass(frozen=True)
class SecurityGroupsArgs:
    environment: str
    vpc_id: pulumi.Input[str]
    app_port: int
    database_port: int = MYSQL_PORT
    cache_port: int = MEMCACHED_PORT
    tags: Mapping[str, str] = field(default_factory=dict)


def child_urn(parent_urn: str, child_type: str, child_name: str) -> str:
    """The URN the engine gives a child of `parent_urn`: the parent's type chain, then the child's type."""
    prefix, project, types, _ = parent_urn.split("::", 3)
    return f"{prefix}::{project}::{types}${child_type}::{child_name}"


class SecurityGroups(pulumi.ComponentResource):
    groups: dict[str, aws.ec2.SecurityGroup]
    # Rules by the tier whose traffic needs them before it starts.
    rules: dict[str, list[pulumi.Resource]]

    def __init__(self, name: str, args: SecurityGroupsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:security:SecurityGroups", name, None, opts)
        self._name = name
        self._args = args
        self._tags = tagger(args.environment, args.tags)
        parent = opts.parent if opts else None
        # Only a chain inside a component has former owners: those components were its parent's children.
        self._former_parent = parent if isinstance(parent, pulumi.ComponentResource) else None
        self.groups = {}
        self.rules = {"load_balancer": [], "web": [], "database_bootstrap": []}
        port = args.app_port

        alb = self._group("load_balancer", f"{name}-alb", f"{name} load balancer: HTTP and HTTPS from anywhere")
        web = self._group("web", f"{name}-web", f"{name} web servers: the app port from the load balancer only")
        # The descriptions are the groups' original ones: changing a description replaces the group.
        db = self._group("database", f"{name}-db", "MySQL: admits 3306 only from the security groups given to "
                         "admit()", physical_name=f"{name}-db")
        cache = self._group("cache", f"{name}-cache", "memcached: admits 11211 only from the security groups given "
                            "to admit()", physical_name=f"{name}-cache")
        bootstrap = self._group("database_bootstrap", f"{name}-db-bootstrap",
                                f"{name} database bootstrap function: MySQL to the database, HTTPS to AWS APIs")

        # Dual stack: the apex and www carry AAAA aliases, so IPv6 clients reach the same two ports.
        for listener_port, label in ((HTTPS_PORT, "https"), (HTTP_PORT, "http")):
            self._ingress("load_balancer", f"{name}-alb-{label}", alb, listener_port,
                          f"{label.upper()} from the internet", cidr_ipv4="0.0.0.0/0")
            self._ingress("load_balancer", f"{name}-alb-{label}-ipv6", alb, listener_port,
                          f"{label.upper()} from the IPv6 internet", cidr_ipv6="::/0")
        # The load balancer reaches its targets on their port, and nothing else.
        self._egress("web", f"{name}-alb-to-web", alb, port, "to the web targets", web, former="load_balancer")
        self._ingress("web", f"{name}-web-from-alb", web, port, "app port from the load balancer", source=alb)
        self._egress("web", f"{name}-web-to-database", web, args.database_port, "MySQL (data and sessions)", db)
        self._egress("web", f"{name}-web-to-cache", web, args.cache_port, "memcached", cache)
        # SSM, Secrets Manager, CloudWatch and the package repositories over HTTPS: through the interface
        # endpoints where the stack has them, else the AZ's NAT gateway (S3 through the gateway endpoint).
        self._egress("web", f"{name}-web-to-https", web, HTTPS_PORT, "HTTPS to AWS APIs and package repositories",
                     cidr_ipv4="0.0.0.0/0")
        self._ingress("web", f"{name}-db-from-web", db, args.database_port, "MySQL from web", source=web,
                      former="database")
        self._ingress("web", f"{name}-cache-from-web", cache, args.cache_port, "memcached from web", source=web,
                      former="cache")
        # The bootstrap function: the master secret and the RDS certificate bundle over HTTPS, then MySQL.
        self._egress("database_bootstrap", f"{name}-db-bootstrap-to-database", bootstrap, args.database_port,
                     "MySQL to the database", db)
        self._egress("database_bootstrap", f"{name}-db-bootstrap-to-https", bootstrap, HTTPS_PORT,
                     "HTTPS to Secrets Manager and the RDS certificate trust store", cidr_ipv4="0.0.0.0/0")
        self._ingress("database_bootstrap", f"{name}-db-from-db-bootstrap", db, args.database_port,
                      "MySQL from the database bootstrap function", source=bootstrap)

        self.register_outputs({key: group.id for key, group in self.groups.items()})

    # -- pieces -----------------------------------------------------------------------------------------

    def _opts(self, former: str | None) -> pulumi.ResourceOptions:
        if former is None or self._former_parent is None:
            return pulumi.ResourceOptions(parent=self)
        owner = self._former_parent.urn.apply(
            lambda urn: child_urn(urn, FORMER_OWNERS[former], self._name))
        return pulumi.ResourceOptions(parent=self, aliases=[pulumi.Alias(parent=owner)])

    def _group(self, key: str, label: str, description: str, physical_name: str | None = None
               ) -> aws.ec2.SecurityGroup:
        # No inline rules: the provider then removes AWS's default allow-all egress, so a group sends only what
        # its egress rules below allow.
        group = aws.ec2.SecurityGroup(
            label, name=physical_name, description=description, vpc_id=self._args.vpc_id, tags=self._tags(label),
            opts=self._opts(key if key in FORMER_OWNERS else None))
        self.groups[key] = group
        return group

    def _ingress(self, tier: str, label: str, group: aws.ec2.SecurityGroup, port: int, description: str, *,
                 source: aws.ec2.SecurityGroup | None = None, cidr_ipv4: str | None = None,
                 cidr_ipv6: str | None = None, former: str | None = None) -> aws.vpc.SecurityGroupIngressRule:
        rule = aws.vpc.SecurityGroupIngressRule(
            label, security_group_id=group.id, referenced_security_group_id=source.id if source else None,
            cidr_ipv4=cidr_ipv4, cidr_ipv6=cidr_ipv6, ip_protocol="tcp", from_port=port, to_port=port,
            description=description, tags=self._tags(label), opts=self._opts(former or self._owner(tier, label)))
        self.rules[tier].append(rule)
        return rule

    def _egress(self, tier: str, label: str, group: aws.ec2.SecurityGroup, port: int, description: str,
                target: aws.ec2.SecurityGroup | None = None, *, cidr_ipv4: str | None = None,
                former: str | None = None) -> aws.vpc.SecurityGroupEgressRule:
        rule = aws.vpc.SecurityGroupEgressRule(
            label, security_group_id=group.id, referenced_security_group_id=target.id if target else None,
            cidr_ipv4=cidr_ipv4, ip_protocol="tcp", from_port=port, to_port=port, description=description,
            tags=self._tags(label), opts=self._opts(former or self._owner(tier, label)))
        self.rules[tier].append(rule)
        return rule

    @staticmethod
    def _owner(tier: str, label: str) -> str | None:
        """Rules that existed before the chain belonged to the tier whose group they are on."""
        return tier if tier in FORMER_OWNERS else None
