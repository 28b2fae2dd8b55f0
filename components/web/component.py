"""`ecommerce:web:WebTier`: web servers in an Auto Scaling group across the private subnets of every AZ, booted
from a base image that pulls its release from S3 and its configuration from Parameter Store, rolled out by an
instance refresh that rolls back on the load balancer's 5xx alarm."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import pulumi
import pulumi_aws as aws

from components.storage.component import MEDIA_PREFIX
from components.iam import assume_role_policy, policy_document
from components.tagging import tagger
from components.database.bootstrap.component import db_user_arn
from components.web.boot import AGENT_NAMESPACE, BootConfig, user_data
from components.web.release import release_keys, require_uploaded
from components.web.settings import WebSettings

ROOT_DEVICE = "/dev/xvda"  # the root device name of Amazon Linux 2023 (and 2) images
# A refresh pauses at half the fleet, so a bad release meets real traffic on half the servers and the 5xx alarm
# has time to fire before the other half is replaced.
REFRESH_CHECKPOINTS = (50, 100)
REFRESH_CHECKPOINT_DELAY_SECONDS = 300
# Beyond the grace period a server has to boot: launching it, the health checks that put it in service, and one
# replacement of a server that failed its first boot.
CAPACITY_WAIT_MARGIN_SECONDS = 300
# Group metrics Monitoring alarms on (in-service below minimum) and the dashboard shows.
GROUP_METRICS = ("GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances",
                 "GroupPendingInstances", "GroupTerminatingInstances", "GroupTotalInstances")


@dataclass(frozen=True)
class LoadBalancerInputs:
    target_group_arn: pulumi.Input[str]
    target_group_arn_suffix: pulumi.Input[str]
    load_balancer_arn_suffix: pulumi.Input[str]
    rollback_alarm_name: pulumi.Input[str]
    health_check_path: str
    # The listeners that put the target group behind the load balancer: AWS refuses request-count scaling on a
    # target group no listener forwards to.
    listeners: Sequence[pulumi.Resource] = ()

    @classmethod
    def of(cls, lb: Any, health_check_path: str) -> "LoadBalancerInputs":
        return cls(target_group_arn=lb.target_group_arn,
                   target_group_arn_suffix=lb.target_group_arn_suffix, load_balancer_arn_suffix=lb.arn_suffix,
                   rollback_alarm_name=lb.rollback_alarm.name, health_check_path=health_check_path,
                   listeners=(lb.https_listener, lb.http_listener))


@dataclass(frozen=True)
class DatabaseInputs:
    """How a server reaches the database as the application's own user. Never the master secret."""
    address: pulumi.Input[str]
    name: str
    app_username: str
    # The instance's DbiResourceId, which `rds-db:connect` names.
    resource_id: pulumi.Input[str]
    session_store: pulumi.Input[Mapping[str, Any]]
    port: int = 3306
    # What must exist before a server boots: the instance and the application user the bootstrap creates.
    resources: Sequence[pulumi.Resource] = ()

    @classmethod
    def of(cls, db: Any, bootstrap: Any) -> "DatabaseInputs":
        return cls(address=db.address, name=db.database_name, app_username=bootstrap.app_username,
                   resource_id=db.instance.resource_id, session_store=db.session_store, port=db.port,
                   resources=(db.instance, bootstrap.invocation))


@dataclass(frozen=True)
class CacheInputs:
    configuration_endpoint: pulumi.Input[str]
    port: int = 11211
    transit_encryption: bool = True
    # What must exist before a server boots (the cluster its configuration endpoint names).
    resources: Sequence[pulumi.Resource] = ()

    @classmethod
    def of(cls, cache: Any) -> "CacheInputs":
        return cls(configuration_endpoint=cache.configuration_endpoint, port=cache.port, transit_encryption=bool(getattr(cache, "transit_encryption", True)),
                   resources=(cache.cluster,))


@dataclass(frozen=True)
class StorageInputs:
    """Bucket names and ARNs by purpose; the web tier uses "releases" and "assets"."""
    bucket_names: Mapping[str, pulumi.Input[str]]
    bucket_arns: Mapping[str, pulumi.Input[str]]
    # Where uploaded media go in the assets bucket: the only keys the servers may write.
    media_prefix: str = MEDIA_PREFIX
    # Where browsers fetch static files and media (the CDN).
    static_base_url: pulumi.Input[str] = ""


@dataclass(frozen=True)
class LoggingInputs:
    """Log group names and ARNs by kind: "application", "system", "auth"."""
    log_group_names: Mapping[str, pulumi.Input[str]]
    log_group_arns: Mapping[str, pulumi.Input[str]]
    # The log groups themselves: the agent on a server that boots before them writes nowhere.
    log_groups: Sequence[pulumi.Resource] = ()


@dataclass(frozen=True)
class WebTierArgs:
    settings: WebSettings
    environment: str
    private_subnet_ids: Mapping[str, pulumi.Input[str]]
    # The chain's web group, and the rules a server needs before it boots (components/security.py).
    security_group: aws.ec2.SecurityGroup
    network_rules: Sequence[pulumi.Resource]
    load_balancer: LoadBalancerInputs
    database: DatabaseInputs
    cache: CacheInputs
    storage: StorageInputs
    logging: LoggingInputs
    tags: Mapping[str, str] = field(default_factory=dict)


LOG_KINDS = ("application", "system", "auth")


def parameter_prefix(environment: str) -> str:
    return f"/portal/{environment}/"


def require_release(settings: WebSettings) -> str:
    if not settings.release:
        raise ValueError("portal:release is not set: the web tier needs the release to run "
                         "(releases/<release>/portal.tar.gz in the releases bucket); set it in Pulumi.<stack>.yaml")
    return settings.release


def resolve_image_id(settings: WebSettings) -> str:
    """The stack's pinned base image: a new image reaches the servers only through a reviewed change of
    portal:amiId and an instance refresh, never through a lookup at deploy time."""
    if not settings.ami_id:
        raise ValueError("portal:amiId is not set: the web tier needs a pinned base image; set it in "
                         "Pulumi.<stack>.yaml")
    return settings.ami_id


def capacity_timeout(settings: WebSettings) -> str:
    """How long `pulumi up` waits for the group's servers to serve (a Go duration)."""
    return f"{settings.health_check_grace_seconds * 2 + CAPACITY_WAIT_MARGIN_SECONDS}s"


class WebTier(pulumi.ComponentResource):
    group: aws.autoscaling.Group
    launch_template: aws.ec2.LaunchTemplate
    security_group: aws.ec2.SecurityGroup
    role: aws.iam.Role
    parameter_prefix: str

    def __init__(self, name: str, args: WebTierArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:web:WebTier", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings
        release = require_release(settings)
        self.parameter_prefix = parameter_prefix(args.environment)

        tags = tagger(args.environment, args.tags)

        self.security_group = args.security_group
        self._parameters(name, args, release, tags, child)
        self._role(name, args, tags, child)

        self.image_id = resolve_image_id(settings)
        boot = BootConfig(parameter_prefix=self.parameter_prefix, release=release, app_port=settings.app_port,
                          health_check_path=args.load_balancer.health_check_path)
        self.launch_template = aws.ec2.LaunchTemplate(
            f"{name}-web", description=f"{name} web servers",
            image_id=self.image_id, instance_type=settings.instance_type,
            iam_instance_profile=aws.ec2.LaunchTemplateIamInstanceProfileArgs(arn=self.instance_profile.arn),
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
                http_endpoint="enabled", http_tokens="required", http_put_response_hop_limit=1,
                instance_metadata_tags="disabled"),
            monitoring=aws.ec2.LaunchTemplateMonitoringArgs(enabled=True),
            network_interfaces=[aws.ec2.LaunchTemplateNetworkInterfaceArgs(
                device_index=0, associate_public_ip_address="false", delete_on_termination="true",
                security_groups=[self.security_group.id])],
            block_device_mappings=[aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                device_name=ROOT_DEVICE, ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                    volume_type="gp3", volume_size=settings.root_volume_gb, encrypted="true",
                    delete_on_termination="true"))],
            user_data=user_data(boot),
            # Every change is a new numbered version and becomes the default; the group pins the number.
            update_default_version=True,
            tag_specifications=[aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags=tags(f"{name}-web"))
                                for kind in ("instance", "volume", "network-interface")],
            tags=tags(f"{name}-web"), opts=child)
        self.launch_template_id = self.launch_template.id
        self.boot_config = boot

        self._group(name, args, release, tags)
        self._scaling(name, args)

        self.group_name = self.group.name
        self.role_arn = self.role.arn
        self.register_outputs({
            "groupName": self.group_name,
            "launchTemplateId": self.launch_template_id,
            "launchTemplateVersion": self.launch_template.latest_version,
            "securityGroupId": self.security_group.id,
            "parameterPrefix": self.parameter_prefix,
            "roleArn": self.role_arn,
            "imageId": self.image_id,
            "release": release,
        })

    # -- central configuration ---------------------------------------------------------------------

    def _parameters(self, name: str, args: WebTierArgs, release: str, tags, child: pulumi.ResourceOptions) -> None:
        db, cache, storage, logging = args.database, args.cache, args.storage, args.logging
        # No credential of any kind: the application user signs in with IAM tokens the server makes itself.
        values: dict[str, pulumi.Input[str]] = {
            "database/endpoint": db.address,
            "database/port": str(db.port),
            "database/name": db.name,
            "database/user": db.app_username,
            "session-store": pulumi.Output.from_input(db.session_store).apply(
                lambda store: json.dumps(store, sort_keys=True)),
            "cache/endpoint": cache.configuration_endpoint,
            "cache/tls": "true" if cache.transit_encryption else "false",
            "buckets/releases": storage.bucket_names["releases"],
            "buckets/assets": storage.bucket_names["assets"],
            "assets/media-prefix": storage.media_prefix,
            "cdn/static-base-url": storage.static_base_url,
            # What the stack last deployed, for people and deploy tools; each server runs the release its launch
            # template version pins.
            "release": release,
            **{f"logs/{kind}": logging.log_group_names[kind] for kind in LOG_KINDS},
        }
        self.parameters: dict[str, aws.ssm.Parameter] = {}
        for key, value in values.items():
            label = f"{name}-param-{key.replace('/', '-')}"
            self.parameters[key] = aws.ssm.Parameter(
                label, name=f"{self.parameter_prefix}{key}", type="String", tier="Standard", value=value,
                description=f"{name}: {key}, read by the web servers at boot", tags=tags(label), opts=child)

    # -- identity ----------------------------------------------------------------------------------

    def _role(self, name: str, args: WebTierArgs, tags, child: pulumi.ResourceOptions) -> None:
        partition = aws.get_partition().partition
        region = aws.get_region().region
        account = aws.get_caller_identity().account_id
        self.role = aws.iam.Role(
            f"{name}-web", description=f"{name} web servers",
            assume_role_policy=assume_role_policy("ec2.amazonaws.com"),
            tags=tags(f"{name}-web"), opts=child)
        # Shell access through Session Manager: no SSH port, no key pair.
        self.ssm_core_attachment = aws.iam.RolePolicyAttachment(
            f"{name}-web-ssm-core", role=self.role.name,
            policy_arn=f"arn:{partition}:iam::aws:policy/AmazonSSMManagedInstanceCore", opts=child)

        parameters_arn = f"arn:{partition}:ssm:{region}:{account}:parameter{self.parameter_prefix}"
        log_arns = [args.logging.log_group_arns[kind] for kind in LOG_KINDS]

        media = args.storage.media_prefix

        def document(releases_arn: str, assets_arn: str, resource_id: str, log_group_arns: list[str]) -> str:
            return policy_document(*[
                {"Sid": "ReadReleases", "Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": f"{releases_arn}/releases/*"},
                # Uploads, their thumbnails and deletions: the media prefix and nothing else of the bucket. The
                # bucket is encrypted with S3's own key (SSE-S3), so no KMS permission is needed.
                {"Sid": "ManageMedia", "Effect": "Allow",
                 "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
                 "Resource": f"{assets_arn}/{media}*"},
                {"Sid": "ReadOwnParameters", "Effect": "Allow",
                 "Action": ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
                 "Resource": [parameters_arn.rstrip("/"), f"{parameters_arn}*"]},
                {"Sid": "ConnectAsApplicationUser", "Effect": "Allow", "Action": "rds-db:connect",
                 "Resource": db_user_arn(partition, region, account, resource_id, args.database.app_username)},
                {"Sid": "WriteOwnLogs", "Effect": "Allow",
                 "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                 "Resource": [arn for group in log_group_arns for arn in (group, f"{group}:log-stream:*")]},
                # The CloudWatch agent's disk and memory metrics. Neither action has resource-level permissions:
                # metrics are limited to the agent's namespace, and the tag lookup is how the agent learns its
                # Auto Scaling group (the metrics' AutoScalingGroupName dimension).
                {"Sid": "PublishAgentMetrics", "Effect": "Allow", "Action": "cloudwatch:PutMetricData",
                 "Resource": "*", "Condition": {"StringEquals": {"cloudwatch:namespace": AGENT_NAMESPACE}}},
                {"Sid": "ReadOwnGroupTag", "Effect": "Allow", "Action": "ec2:DescribeTags", "Resource": "*"},
            ], indent=2)

        self.role_policy = aws.iam.RolePolicy(
            f"{name}-web", role=self.role.id,
            policy=pulumi.Output.all(args.storage.bucket_arns["releases"], args.storage.bucket_arns["assets"],
                                     args.database.resource_id, *log_arns).apply(
                lambda v: document(v[0], v[1], v[2], list(v[3:]))),
            opts=child)
        self.instance_profile = aws.iam.InstanceProfile(
            f"{name}-web", role=self.role.name, tags=tags(f"{name}-web"), opts=child)

    # -- the group and its roll-outs -----------------------------------------------------------------

    def boot_dependencies(self, args: WebTierArgs) -> list[pulumi.Resource]:
        """Everything a server reads or uses at boot: its configuration, its permissions, the security-group rules
        that let it reach the database and cache (and the load balancer reach it), the database with the
        application user it signs in as, the cache and the log groups. The parameters alone would wait for the
        endpoints, but not for the permissions, rules or user."""
        return [*self.parameters.values(), self.role_policy, self.ssm_core_attachment, self.instance_profile,
                *args.network_rules, *args.database.resources, *args.cache.resources, *args.logging.log_groups]

    def _verified_version(self, args: WebTierArgs, release: str) -> pulumi.Output[str]:
        """The template version the group runs, known only once the release is in the releases bucket: a stack
        whose release was never uploaded stops here, before any server is pointed at it. The lookup runs as soon
        as the bucket's name is known (a preview of an existing stack, and every update)."""
        def head(bucket: str):
            def lookup(key: str):
                return aws.s3.get_object(bucket=bucket, key=key, download_body="false",
                                         opts=pulumi.InvokeOptions(parent=self))
            return lookup

        verified = pulumi.Output.from_input(args.storage.bucket_names["releases"]).apply(
            lambda bucket: require_uploaded(bucket, release, head(bucket)))
        return pulumi.Output.all(self.launch_template.latest_version, verified).apply(lambda v: str(v[0]))

    def _group(self, name: str, args: WebTierArgs, release: str, tags) -> None:
        settings, lb = args.settings, args.load_balancer
        # Autonamed, like the template: a replacement must not collide with the group it replaces.
        self.group = aws.autoscaling.Group(
            f"{name}-web",
            vpc_zone_identifiers=[args.private_subnet_ids[az] for az in sorted(args.private_subnet_ids)],
            min_size=settings.min_size, max_size=settings.max_size, desired_capacity=settings.min_size,
            health_check_type="ELB", health_check_grace_period=settings.health_check_grace_seconds,
            default_instance_warmup=settings.instance_warmup_seconds,
            capacity_rebalance=True,
            # The numbered version, never $Latest: an instance refresh (and its rollback) only starts for a
            # pinned version, and a new version is what starts it.
            launch_template=aws.autoscaling.GroupLaunchTemplateArgs(
                id=self.launch_template.id, version=self._verified_version(args, release)),
            # The group is the one owner of its link to the target group (no separate attachment resource).
            target_group_arns=[lb.target_group_arn],
            # `pulumi up` returns only once min_size servers pass the load balancer's health check: a release that
            # does not serve fails the deploy that creates the group (or changes its size) instead of leaving it
            # replacing servers forever. A release change is an instance refresh, which the provider starts but
            # does not wait for (docs/releases.md).
            wait_for_elb_capacity=settings.min_size,
            wait_for_capacity_timeout=capacity_timeout(settings),
            instance_refresh=aws.autoscaling.GroupInstanceRefreshArgs(
                strategy="Rolling",
                preferences=aws.autoscaling.GroupInstanceRefreshPreferencesArgs(
                    min_healthy_percentage=settings.refresh_min_healthy_percentage,
                    max_healthy_percentage=settings.refresh_max_healthy_percentage,
                    instance_warmup=str(settings.instance_warmup_seconds),
                    checkpoint_percentages=list(REFRESH_CHECKPOINTS),
                    checkpoint_delay=str(REFRESH_CHECKPOINT_DELAY_SECONDS),
                    auto_rollback=True,
                    alarm_specification=aws.autoscaling.GroupInstanceRefreshPreferencesAlarmSpecificationArgs(
                        alarms=[lb.rollback_alarm_name]))),
            enabled_metrics=list(GROUP_METRICS), metrics_granularity="1Minute",
            tags=[aws.autoscaling.GroupTagArgs(key=k, value=v, propagate_at_launch=False)
                  for k, v in sorted(tags(f"{name}-web").items())],
            # Scaling policies own the desired capacity after creation; `pulumi up` must not reset it.
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["desiredCapacity"],
                                        depends_on=self.boot_dependencies(args)))

    def _scaling(self, name: str, args: WebTierArgs) -> None:
        settings, lb = args.settings, args.load_balancer
        child = pulumi.ResourceOptions(parent=self)
        self.cpu_policy = aws.autoscaling.Policy(
            f"{name}-web-cpu", name=f"{name}-web-cpu", autoscaling_group_name=self.group.name,
            policy_type="TargetTrackingScaling",
            target_tracking_configuration=aws.autoscaling.PolicyTargetTrackingConfigurationArgs(
                predefined_metric_specification=aws.autoscaling.
                PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs(
                    predefined_metric_type="ASGAverageCPUUtilization"),
                target_value=settings.cpu_target),
            opts=child)
        self.requests_policy = aws.autoscaling.Policy(
            f"{name}-web-requests", name=f"{name}-web-requests", autoscaling_group_name=self.group.name,
            policy_type="TargetTrackingScaling",
            target_tracking_configuration=aws.autoscaling.PolicyTargetTrackingConfigurationArgs(
                predefined_metric_specification=aws.autoscaling.
                PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs(
                    predefined_metric_type="ALBRequestCountPerTarget",
                    resource_label=pulumi.Output.concat(lb.load_balancer_arn_suffix, "/",
                                                        lb.target_group_arn_suffix)),
                target_value=settings.requests_per_target),
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(lb.listeners)))
