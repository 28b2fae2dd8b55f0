"""`ecommerce:cache:Cache`: memcached with its nodes spread over the Availability Zones.

It holds only what can be rebuilt from the database (page fragments, query results). Memcached has no
replication, so a lost node loses its keys: sessions and anything else that must survive live in MySQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import pulumi
import pulumi_aws as aws

from components.cache.settings import CacheSettings, node_zones
from components.security import MEMCACHED_PORT
from components.tagging import tagger



@dataclass(frozen=True)
class CacheArgs:
    settings: CacheSettings
    environment: str
    availability_zones: Sequence[str]
    data_subnet_ids: Mapping[str, pulumi.Input[str]]
    # The chain's cache group (components/security.py): it admits the web servers.
    security_group: aws.ec2.SecurityGroup
    tags: Mapping[str, str] = field(default_factory=dict)


class Cache(pulumi.ComponentResource):
    cluster: aws.elasticache.Cluster
    configuration_endpoint: pulumi.Output[str]
    security_group: aws.ec2.SecurityGroup
    node_zones: list[str]

    def __init__(self, name: str, args: CacheArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:cache:Cache", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings

        tags = tagger(args.environment, args.tags)

        self.security_group = args.security_group

        zones = sorted(args.data_subnet_ids)
        self.subnet_group = aws.elasticache.SubnetGroup(
            f"{name}-cache", name=f"{name}-cache", description=f"Data subnets of {name} in {', '.join(zones)}",
            subnet_ids=[args.data_subnet_ids[az] for az in zones], tags=tags(f"{name}-cache"), opts=child)

        # Round-robin over the AZs: losing one AZ loses only its share of the keys.
        self.node_zones = node_zones(tuple(args.availability_zones), settings.node_count)
        self.cluster = aws.elasticache.Cluster(
            f"{name}-cache",
            cluster_id=f"{name}-cache",
            engine="memcached",
            engine_version=settings.engine_version,
            node_type=settings.node_type,
            num_cache_nodes=settings.node_count,
            az_mode="cross-az",
            preferred_availability_zones=self.node_zones,
            subnet_group_name=self.subnet_group.name,
            security_group_ids=[self.security_group.id],
            port=MEMCACHED_PORT,
            transit_encryption_enabled=settings.transit_encryption,
            maintenance_window=settings.maintenance_window,
            tags=tags(f"{name}-cache"),
            opts=child)

        self.configuration_endpoint = self.cluster.configuration_endpoint
        self.port = MEMCACHED_PORT
        self.transit_encryption = settings.transit_encryption
        self.register_outputs({
            "configurationEndpoint": self.configuration_endpoint,
            "securityGroupId": self.security_group.id,
            "nodeZones": self.node_zones,
        })
