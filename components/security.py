"""Security-group wiring shared by the tiers that sit behind the web servers."""

from __future__ import annotations

from typing import Callable

import pulumi
import pulumi_aws as aws


def admit_group(owner: pulumi.ComponentResource, rule_name: str, security_group: aws.ec2.SecurityGroup, port: int,
                source_security_group_id: pulumi.Input[str], description: str,
                tags: Callable[[str], dict[str, str]]) -> aws.vpc.SecurityGroupIngressRule:
    """One ingress rule admitting `port` from another security group, by reference and never by CIDR.

    A rule resource of its own (not inline), so admitting a new source never rewrites the group's other rules.
    """
    return aws.vpc.SecurityGroupIngressRule(
        rule_name, security_group_id=security_group.id, referenced_security_group_id=source_security_group_id,
        ip_protocol="tcp", from_port=port, to_port=port, description=description, tags=tags(rule_name),
        opts=pulumi.ResourceOptions(parent=owner))
