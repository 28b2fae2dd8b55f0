"""`ecommerce:resilience:Resilience`: proof that the portal survives the loss of an Availability Zone.

- One AWS FIS experiment template per AZ, the AZ power-interruption scenario: the AZ's web servers stop and the
  group cannot relaunch there, the database fails over to its standby, and the AZ's private and data subnets
  lose all traffic. Each stops on its own when the portal's 5xx alarms fire. docs/game-day.md says how to run
  one and what must stay true.
- ARC zonal autoshift on the load balancer: AWS shifts traffic out of an AZ it sees impaired, and practises it;
  a practice run does not start while the portal's alarms are firing, and stops when its outcome alarm fires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import pulumi
import pulumi_aws as aws

from components.resilience.settings import ResilienceSettings
from components.iam import assume_role_policy, policy_document
from components.tagging import tagger

# The ASG tags every instance it launches with its own name.
GROUP_TAG = "aws:autoscaling:groupName"
STOP_INSTANCES = "aws:ec2:stop-instances"
NO_CAPACITY = "aws:ec2:asg-insufficient-instance-capacity-error"
REBOOT_DATABASE = "aws:rds:reboot-db-instances"
DISRUPT_SUBNETS = "aws:network:disrupt-connectivity"
# FIS tags the network ACLs it creates to cut a subnet off, and only those may it change or delete.
FIS_NACL_TAG = "managedByFIS"


@dataclass(frozen=True)
class ResilienceArgs:
    settings: ResilienceSettings
    environment: str
    availability_zones: Sequence[str]
    # Subnets by tier ("private", "data") and AZ: the subnet resources (their ARNs name the FIS targets).
    subnets: Mapping[str, Mapping[str, Any]]
    vpc_id: pulumi.Input[str]
    group_name: pulumi.Input[str]
    group_arn: pulumi.Input[str]
    database_arn: pulumi.Input[str]
    load_balancer_arn: pulumi.Input[str]
    # Alarm ARNs: an experiment stops, and a practice shift ends, when one of these fires.
    stop_alarm_arns: Sequence[pulumi.Input[str]]
    # Alarm ARNs that keep a practice shift from starting while the portal is already in trouble.
    blocking_alarm_arns: Sequence[pulumi.Input[str]]
    tags: Mapping[str, str] = field(default_factory=dict)


def iso_minutes(minutes: int) -> str:
    return f"PT{minutes}M"


def fis_role_policy(partition: str, region: str, account: str, vpc_id: str, group_name: str,
                    database_arn: str) -> list[dict]:
    """What the experiments do, and only to this stack: its web servers, its database, its VPC's subnets."""
    arn = f"arn:{partition}:ec2:{region}:{account}"
    return [
        {"Sid": "StopThisStacksWebServers", "Effect": "Allow", "Action": "ec2:StopInstances",
         "Resource": f"{arn}:instance/*",
         "Condition": {"StringEquals": {f"aws:ResourceTag/{GROUP_TAG}": group_name}}},
        {"Sid": "BlockLaunchesInTheZone", "Effect": "Allow", "Action": "ec2:InjectApiError", "Resource": "*",
         "Condition": {"ForAnyValue:StringEquals": {"ec2:FisActionId": [NO_CAPACITY]}}},
        {"Sid": "FailOverThisStacksDatabase", "Effect": "Allow", "Action": "rds:RebootDBInstance",
         "Resource": database_arn},
        {"Sid": "CreateFisNetworkAcls", "Effect": "Allow", "Action": "ec2:CreateNetworkAcl",
         "Resource": f"{arn}:network-acl/*",
         "Condition": {"StringEquals": {f"aws:RequestTag/{FIS_NACL_TAG}": "true"}}},
        {"Sid": "CreateFisNetworkAclsInThisVpc", "Effect": "Allow", "Action": "ec2:CreateNetworkAcl",
         "Resource": f"{arn}:vpc/{vpc_id}"},
        {"Sid": "TagFisNetworkAcls", "Effect": "Allow", "Action": "ec2:CreateTags",
         "Resource": f"{arn}:network-acl/*",
         "Condition": {"StringEquals": {"ec2:CreateAction": "CreateNetworkAcl",
                                        f"aws:RequestTag/{FIS_NACL_TAG}": "true"}}},
        {"Sid": "ChangeOnlyFisNetworkAcls", "Effect": "Allow",
         "Action": ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
         "Resource": [f"{arn}:network-acl/*", f"{arn}:vpc/{vpc_id}"],
         "Condition": {"StringEquals": {f"ec2:ResourceTag/{FIS_NACL_TAG}": "true"}}},
        {"Sid": "SwapSubnetNetworkAcls", "Effect": "Allow", "Action": "ec2:ReplaceNetworkAclAssociation",
         "Resource": [f"{arn}:subnet/*", f"{arn}:network-acl/*"]},
        {"Sid": "ReadPrefixLists", "Effect": "Allow", "Action": "ec2:GetManagedPrefixListEntries",
         "Resource": f"{arn}:prefix-list/*"},
        # Describe calls take no resource.
        {"Sid": "FindTargets", "Effect": "Allow",
         "Action": ["ec2:DescribeInstances", "ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
                    "ec2:DescribeManagedPrefixLists", "autoscaling:DescribeAutoScalingGroups",
                    "rds:DescribeDBInstances"],
         "Resource": "*"},
    ]


class Resilience(pulumi.ComponentResource):
    experiment_templates: dict[str, aws.fis.ExperimentTemplate]
    autoshift: aws.arczonalshift.ZonalAutoshiftConfiguration | None

    def __init__(self, name: str, args: ResilienceArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:resilience:Resilience", name, None, opts)
        self._name = name
        self._args = args
        self._tags = tagger(args.environment, args.tags)
        settings = args.settings
        self.experiment_templates = {}
        self.autoshift = None
        if settings.fault_injection:
            self._experiments()
        if settings.zonal_autoshift:
            # Practice runs shift one AZ for about 30 minutes a week: the other AZs must carry the traffic, which
            # is what the web tier's per-AZ minimum is sized for.
            self.autoshift = aws.arczonalshift.ZonalAutoshiftConfiguration(
                f"{name}-alb", resource_arn=args.load_balancer_arn, zonal_autoshift_status="ENABLED",
                outcome_alarms=[aws.arczonalshift.ZonalAutoshiftConfigurationOutcomeAlarmArgs(
                    alarm_identifier=arn, type="CLOUDWATCH") for arn in args.stop_alarm_arns],
                blocking_alarms=[aws.arczonalshift.ZonalAutoshiftConfigurationBlockingAlarmArgs(
                    alarm_identifier=arn, type="CLOUDWATCH") for arn in args.blocking_alarm_arns],
                opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({
            "experimentTemplateIds": {az: t.id for az, t in self.experiment_templates.items()},
            "zonalAutoshift": bool(self.autoshift),
        })

    def _experiments(self) -> None:
        args, name = self._args, self._name
        child = pulumi.ResourceOptions(parent=self)
        partition = aws.get_partition().partition
        region = aws.get_region().region
        account = aws.get_caller_identity().account_id
        label = f"{name}-fis"
        self.role = aws.iam.Role(
            label, description=f"{name}: AWS FIS runs the AZ experiments as this role",
            assume_role_policy=assume_role_policy(
                "fis.amazonaws.com", {"StringEquals": {"aws:SourceAccount": account}}),
            tags=self._tags(label), opts=child)
        self.role_policy = aws.iam.RolePolicy(
            label, role=self.role.id,
            policy=pulumi.Output.all(args.vpc_id, args.group_name, args.database_arn).apply(
                lambda v: policy_document(*fis_role_policy(partition, region, account, v[0], v[1], v[2]))),
            opts=child)
        duration = iso_minutes(args.settings.fault_duration_minutes)
        for az in args.availability_zones:
            self.experiment_templates[az] = self._az_power_interruption(az, duration)

    def _az_power_interruption(self, az: str, duration: str) -> aws.fis.ExperimentTemplate:
        args, name = self._args, self._name
        fis = aws.fis
        label = f"{name}-az-power-{az}"

        def action(action_id: str, key: str, target: str, description: str, **parameters: str):
            return fis.ExperimentTemplateActionArgs(
                name=target, action_id=action_id, description=description,
                target=fis.ExperimentTemplateActionTargetArgs(key=key, value=target),
                parameters=[fis.ExperimentTemplateActionParameterArgs(key=k, value=v)
                            for k, v in sorted(parameters.items())] or None)

        return fis.ExperimentTemplate(
            label, description=f"{name}: power interruption in {az} (web servers, database primary, subnets)",
            role_arn=self.role.arn,
            actions=[
                action(STOP_INSTANCES, "Instances", "web-servers", f"stop the web servers in {az}"),
                action(NO_CAPACITY, "AutoScalingGroups", "web-group", f"no capacity for the web group in {az}",
                       availabilityZoneIdentifiers=az, duration=duration, percentage="100"),
                action(REBOOT_DATABASE, "DBInstances", "database", "fail the database over to its standby",
                       forceFailover="true"),
                action(DISRUPT_SUBNETS, "Subnets", "subnets", f"cut off the private and data subnets of {az}",
                       duration=duration, scope="all"),
            ],
            targets=[
                fis.ExperimentTemplateTargetArgs(
                    name="web-servers", resource_type="aws:ec2:instance", selection_mode="ALL",
                    resource_tags=[fis.ExperimentTemplateTargetResourceTagArgs(key=GROUP_TAG, value=args.group_name)],
                    filters=[fis.ExperimentTemplateTargetFilterArgs(path="Placement.AvailabilityZone", values=[az]),
                             fis.ExperimentTemplateTargetFilterArgs(path="State.Name", values=["running"])]),
                fis.ExperimentTemplateTargetArgs(
                    name="web-group", resource_type="aws:ec2:autoscaling-group", selection_mode="ALL",
                    resource_arns=[args.group_arn]),
                fis.ExperimentTemplateTargetArgs(
                    name="database", resource_type="aws:rds:db", selection_mode="ALL",
                    resource_arns=[args.database_arn]),
                fis.ExperimentTemplateTargetArgs(
                    name="subnets", resource_type="aws:ec2:subnet", selection_mode="ALL",
                    resource_arns=[args.subnets[tier][az].arn for tier in ("private", "data")]),
            ],
            stop_conditions=[fis.ExperimentTemplateStopConditionArgs(source="aws:cloudwatch:alarm", value=arn)
                             for arn in args.stop_alarm_arns],
            # An AZ that holds no web server at the time still gets the rest of the experiment.
            experiment_options=fis.ExperimentTemplateExperimentOptionsArgs(
                account_targeting="single-account", empty_target_resolution_mode="skip"),
            tags=self._tags(label),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.role_policy]))
