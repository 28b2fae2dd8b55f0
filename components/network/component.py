"""`ecommerce:network:Network`: a VPC with public, private (web) and data subnets in every AZ used."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Mapping

import pulumi
import pulumi_aws as aws

from components.network.settings import (
    INTERFACE_ENDPOINT_SERVICES, SUBNET_TIERS, NetworkSettings, subnet_cidr, subnet_slot)
from components.iam import assume_role_policy, policy_document
from components.tagging import tagger


@dataclass(frozen=True)
class NetworkArgs:
    settings: NetworkSettings
    environment: str
    tags: Mapping[str, str] = field(default_factory=dict)
    # Customer-managed key for the flow-log group; None leaves CloudWatch's own encryption.
    log_kms_key_arn: pulumi.Input[str] | None = None


def choose_availability_zones(settings: NetworkSettings) -> tuple[str, ...]:
    """The explicit list when given, else the first `az_count` zones the region reports as available.

    Local and Wavelength zones are left out: they are single points of their own, not AZs of the region.
    """
    if settings.availability_zones:
        return settings.availability_zones
    found = aws.get_availability_zones(
        state="available",
        filters=[aws.GetAvailabilityZonesFilterArgs(name="opt-in-status", values=["opt-in-not-required"])],
    )
    names = sorted(found.names)
    if len(names) < settings.az_count:
        raise ValueError(f"portal:azCount = {settings.az_count}: the region has only {len(names)} available "
                         f"Availability Zones ({', '.join(names)})")
    return tuple(names[: settings.az_count])


def _ipv6_subnet(vpc_block: str, slot: int) -> str:
    """The /64 of a subnet inside the VPC's /56, numbered by the same slot as its IPv4 range."""
    network = ipaddress.IPv6Network(vpc_block)
    return str(ipaddress.IPv6Network((int(network.network_address) + (slot << 64), 64)))


class Network(pulumi.ComponentResource):
    """One NAT gateway per AZ, so losing an AZ never cuts another AZ's egress."""

    vpc_id: pulumi.Output[str]
    availability_zones: tuple[str, ...]
    public_subnet_ids: dict[str, pulumi.Output[str]]
    private_subnet_ids: dict[str, pulumi.Output[str]]
    data_subnet_ids: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:network:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings
        zones = choose_availability_zones(settings)
        self.availability_zones = zones

        tags = tagger(args.environment, args.tags)

        # An Amazon-provided IPv6 block lets the load balancer answer the apex's AAAA alias (dual stack);
        # only the public subnets use it, so instances and data stay IPv4-only and private.
        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc", cidr_block=settings.vpc_cidr, enable_dns_support=True, enable_dns_hostnames=True,
            assign_generated_ipv6_cidr_block=True, tags=tags(f"{name}-vpc"), opts=child)
        self.vpc_id = self.vpc.id
        self.vpc_cidr = settings.vpc_cidr

        # A VPC's default security group allows all traffic between its members; strip it so nothing
        # launched without an explicit group can talk to anything.
        self.default_security_group = aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg", vpc_id=self.vpc.id, ingress=[], egress=[], tags=tags(f"{name}-default-closed"),
            opts=child)

        self.subnets: dict[str, dict[str, aws.ec2.Subnet]] = {tier: {} for tier in SUBNET_TIERS}
        for tier in SUBNET_TIERS:
            for az in zones:
                public = tier == "public"
                self.subnets[tier][az] = aws.ec2.Subnet(
                    f"{name}-{tier}-{az}", vpc_id=self.vpc.id, availability_zone=az,
                    cidr_block=subnet_cidr(settings.vpc_cidr, tier, az),
                    ipv6_cidr_block=self.vpc.ipv6_cidr_block.apply(
                        lambda block, slot=subnet_slot(tier, az): _ipv6_subnet(block, slot)) if public else None,
                    assign_ipv6_address_on_creation=False,
                    # Only the load balancer and NAT gateways live in public subnets, and they bring their
                    # own addresses: no instance anywhere gets a public IP by accident.
                    map_public_ip_on_launch=False,
                    tags=tags(f"{name}-{tier}-{az}", Tier=tier), opts=child)

        self.internet_gateway = aws.ec2.InternetGateway(
            f"{name}-igw", vpc_id=self.vpc.id, tags=tags(f"{name}-igw"), opts=child)
        self.public_route_table = aws.ec2.RouteTable(
            f"{name}-public", vpc_id=self.vpc.id, tags=tags(f"{name}-public", Tier="public"), opts=child)
        aws.ec2.Route(f"{name}-public-default", route_table_id=self.public_route_table.id,
                      destination_cidr_block="0.0.0.0/0", gateway_id=self.internet_gateway.id, opts=child)
        aws.ec2.Route(f"{name}-public-default-ipv6", route_table_id=self.public_route_table.id,
                      destination_ipv6_cidr_block="::/0", gateway_id=self.internet_gateway.id, opts=child)

        self.nat_gateways: dict[str, aws.ec2.NatGateway] = {}
        self.private_route_tables: dict[str, aws.ec2.RouteTable] = {}
        self.private_default_routes: dict[str, aws.ec2.Route] = {}
        for az in zones:
            aws.ec2.RouteTableAssociation(f"{name}-public-{az}", subnet_id=self.subnets["public"][az].id,
                                          route_table_id=self.public_route_table.id, opts=child)
            eip = aws.ec2.Eip(f"{name}-nat-{az}", domain="vpc", tags=tags(f"{name}-nat-{az}"), opts=child)
            nat = aws.ec2.NatGateway(
                f"{name}-nat-{az}", allocation_id=eip.id, subnet_id=self.subnets["public"][az].id,
                connectivity_type="public", tags=tags(f"{name}-nat-{az}"),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.internet_gateway]))
            self.nat_gateways[az] = nat
            private_rt = aws.ec2.RouteTable(
                f"{name}-private-{az}", vpc_id=self.vpc.id, tags=tags(f"{name}-private-{az}", Tier="private"),
                opts=child)
            self.private_route_tables[az] = private_rt
            self.private_default_routes[az] = aws.ec2.Route(
                f"{name}-private-{az}-default", route_table_id=private_rt.id, destination_cidr_block="0.0.0.0/0",
                nat_gateway_id=nat.id, opts=child)
            aws.ec2.RouteTableAssociation(f"{name}-private-{az}", subnet_id=self.subnets["private"][az].id,
                                          route_table_id=private_rt.id, opts=child)

        # The data tier has no route out of the VPC at all: databases and caches never need the internet.
        self.data_route_table = aws.ec2.RouteTable(
            f"{name}-data", vpc_id=self.vpc.id, tags=tags(f"{name}-data", Tier="data"), opts=child)
        for az in zones:
            aws.ec2.RouteTableAssociation(f"{name}-data-{az}", subnet_id=self.subnets["data"][az].id,
                                          route_table_id=self.data_route_table.id, opts=child)

        # Releases, assets and the Amazon Linux package repositories are in S3: a gateway endpoint keeps that
        # traffic off the NAT gateways (cheaper, and it keeps flowing while a NAT gateway is down).
        region = aws.get_region().region
        self.s3_endpoint = aws.ec2.VpcEndpoint(
            f"{name}-s3", vpc_id=self.vpc.id, service_name=f"com.amazonaws.{region}.s3",
            vpc_endpoint_type="Gateway", route_table_ids=[rt.id for rt in self.private_route_tables.values()],
            tags=tags(f"{name}-s3"), opts=child)
        self.interface_endpoints: dict[str, aws.ec2.VpcEndpoint] = {}
        self.endpoint_security_group: aws.ec2.SecurityGroup | None = None
        if settings.interface_endpoints:
            self._interface_endpoints(name, region, settings.vpc_cidr, zones, tags, child)

        self._flow_logs(name, settings, args.log_kms_key_arn, tags, child)

        self.public_subnet_ids = {az: s.id for az, s in self.subnets["public"].items()}
        self.private_subnet_ids = {az: s.id for az, s in self.subnets["private"].items()}
        self.data_subnet_ids = {az: s.id for az, s in self.subnets["data"].items()}
        self.register_outputs({
            "vpcId": self.vpc_id,
            "publicSubnetIds": self.public_subnet_ids,
            "privateSubnetIds": self.private_subnet_ids,
            "dataSubnetIds": self.data_subnet_ids,
        })

    def _interface_endpoints(self, name: str, region: str, vpc_cidr: str, zones: tuple[str, ...], tags,
                             child: pulumi.ResourceOptions) -> None:
        """Without these, each private subnet reaches SSM, Secrets Manager and CloudWatch through its AZ's NAT
        gateway: a NAT outage would stop booting servers from reading their configuration and database secret,
        cut Session Manager and blind the logs and metrics of that AZ."""
        # No egress rules (the provider drops AWS's default allow-all): an endpoint only answers.
        self.endpoint_security_group = aws.ec2.SecurityGroup(
            f"{name}-endpoints", name=f"{name}-endpoints", vpc_id=self.vpc.id,
            description="Interface VPC endpoints: HTTPS from inside the VPC", tags=tags(f"{name}-endpoints"),
            opts=child)
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-endpoints-https", security_group_id=self.endpoint_security_group.id, ip_protocol="tcp",
            from_port=443, to_port=443, cidr_ipv4=vpc_cidr, description="HTTPS to AWS APIs from the VPC",
            tags=tags(f"{name}-endpoints-https"), opts=child)
        for service in INTERFACE_ENDPOINT_SERVICES:
            # Private DNS makes the services' usual names resolve to the endpoints: no client changes.
            self.interface_endpoints[service] = aws.ec2.VpcEndpoint(
                f"{name}-{service}", vpc_id=self.vpc.id, service_name=f"com.amazonaws.{region}.{service}",
                vpc_endpoint_type="Interface", private_dns_enabled=True,
                subnet_ids=[self.subnets["private"][az].id for az in zones],
                security_group_ids=[self.endpoint_security_group.id], tags=tags(f"{name}-{service}"), opts=child)

    def _flow_logs(self, name: str, settings: NetworkSettings, kms_key_arn: pulumi.Input[str] | None, tags,
                   child: pulumi.ResourceOptions) -> None:
        self.flow_log_group = aws.cloudwatch.LogGroup(
            f"{name}-flow-logs", name=f"/vpc/{name}/flow-logs", retention_in_days=settings.flow_log_retention_days,
            kms_key_id=kms_key_arn, tags=tags(f"{name}-flow-logs"), opts=child)
        role = aws.iam.Role(
            f"{name}-flow-logs", assume_role_policy=assume_role_policy("vpc-flow-logs.amazonaws.com"), tags=tags(f"{name}-flow-logs"), opts=child)
        aws.iam.RolePolicy(
            f"{name}-flow-logs", role=role.id,
            policy=self.flow_log_group.arn.apply(lambda arn: policy_document({
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups",
                           "logs:DescribeLogStreams"],
                "Resource": [arn, f"{arn}:*"]})), opts=child)
        self.flow_log = aws.ec2.FlowLog(
            f"{name}-flow-logs", vpc_id=self.vpc.id, traffic_type="ALL", log_destination_type="cloud-watch-logs",
            log_destination=self.flow_log_group.arn, iam_role_arn=role.arn, max_aggregation_interval=60,
            tags=tags(f"{name}-flow-logs"), opts=child)
