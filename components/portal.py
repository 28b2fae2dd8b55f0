"""`ecommerce:portal:Portal`: the whole portal, composed tier by tier from one settings tree."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pulumi_aws as aws

from components.backup.component import Backup, BackupArgs
from components.cache.component import Cache, CacheArgs
from components.cdn.component import Cdn, CdnArgs
from components.database.bootstrap.component import DatabaseBootstrap, DatabaseBootstrapArgs
from components.database.component import Database, DatabaseArgs
from components.dns.component import AliasTarget, Dns, DnsArgs
from components.edge.component import LoadBalancer, LoadBalancerArgs
from components.logging.component import Logging, LoggingArgs
from components.monitoring.alerting import Alerting, AlertingArgs
from components.monitoring.component import Monitoring, MonitoringArgs
from components.network.component import Network, NetworkArgs
from components.network.settings import KEYS as NETWORK_KEYS
from components.quotas import StackFootprint, other_stack_footprints, shared_region_quota_warning
from components.resilience.component import Resilience, ResilienceArgs
from components.security import SecurityGroups, SecurityGroupsArgs
from components.settings import PortalSettings
from components.storage.component import Storage, StorageArgs
from components.web.component import (
    CacheInputs, DatabaseInputs, LoadBalancerInputs, LoggingInputs, StorageInputs, WebTier, WebTierArgs)


# Monitoring's alarms (by key) that mean users are hurt: an AZ experiment stops and a practice zonal shift ends
# when one fires. Both are regional; the outside-in check's alarm lives in us-east-1, where neither FIS nor ARC
# can watch it.
STOP_ALARMS = ("lb-elb-5xx", "lb-target-5xx")
# Alarms that keep a practice zonal shift from starting: the portal is already short of healthy servers.
BLOCKING_ALARMS = ("lb-elb-5xx", "lb-unhealthy-hosts", "web-in-service")


class Portal(pulumi.ComponentResource):
    def __init__(self, name: str, settings: PortalSettings, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:portal:Portal", name, None, opts)
        general = settings.general
        child = pulumi.ResourceOptions(parent=self)
        if settings.dns.awaiting_delegation:
            self._zone_only(settings, child)
            return

        # Logging first: its KMS key encrypts every log group, the network's flow logs included.
        self.logging = Logging(settings.name, LoggingArgs(
            settings=settings.logging, environment=general.environment, tags=general.tags), opts=child)
        self.network = Network(settings.name, NetworkArgs(
            settings=settings.network, environment=general.environment, tags=general.tags,
            log_kms_key_arn=self.logging.kms_key_arn), opts=child)
        self._warn_about_shared_quotas(settings)
        # The whole chain, internet -> ALB -> web -> database / cache, before any tier: each tier gets its group,
        # and the web servers wait for every rule they need.
        self.security = SecurityGroups(settings.name, SecurityGroupsArgs(
            environment=general.environment, vpc_id=self.network.vpc_id, app_port=settings.web.app_port,
            tags=general.tags), opts=child)
        groups = self.security.groups
        self.alerting = Alerting(settings.name, AlertingArgs(
            settings=settings.monitoring, environment=general.environment, dr_region=general.dr_region,
            tags=general.tags), opts=child)
        self.storage = Storage(settings.name, StorageArgs(
            settings=settings.storage, environment=general.environment, protect=general.protect,
            dr_region=general.dr_region, tags=general.tags), opts=child)
        self.dns = self._dns(settings, child)
        self.cdn = Cdn(settings.name, CdnArgs(
            settings=settings.cdn, environment=general.environment, assets_bucket=self.storage.buckets["assets"],
            logs_bucket=self.storage.buckets["logs"], static_domain=self.dns.static_domain,
            certificate_arn=self.dns.cdn_certificate_arn,
            assets_policy_after=[self.storage.public_access_blocks["assets"]],
            logging_after=[self.storage.cloudfront_log_acl], tags=general.tags), opts=child)
        self.database = Database(settings.name, DatabaseArgs(
            settings=settings.database, environment=general.environment, security_group=groups["database"],
            data_subnet_ids=self.network.data_subnet_ids, protect=general.protect,
            dr_region=general.dr_region, log_kms_key_arn=self.logging.kms_key_arn, tags=general.tags),
            opts=child)
        # The application's own database user, made with the master secret by a function only `pulumi up` runs.
        self.database_bootstrap = DatabaseBootstrap(settings.name, DatabaseBootstrapArgs(
            settings=settings.database, environment=general.environment, address=self.database.address,
            port=self.database.port, master_secret_arn=self.database.master_secret_arn,
            subnet_ids=self.network.private_subnet_ids, security_group_id=groups["database_bootstrap"].id,
            reach=[self.database.instance, *self.security.rules["database_bootstrap"],
                   *self.network.interface_endpoints.values(), *self.network.private_default_routes.values()],
            log_retention_days=settings.logging.retention_days, log_kms_key_arn=self.logging.kms_key_arn,
            tags=general.tags), opts=child)
        self.cache = Cache(settings.name, CacheArgs(
            settings=settings.cache, environment=general.environment, security_group=groups["cache"],
            availability_zones=self.network.availability_zones, data_subnet_ids=self.network.data_subnet_ids,
            tags=general.tags), opts=child)
        self.backup = Backup(settings.name, BackupArgs(
            settings=settings.backup, environment=general.environment,
            database_instance_arn=self.database.instance.arn,
            notification_topic_arn=self.alerting.backup_topic_arn, dr_region=general.dr_region,
            dr_notification_topic_arn=self.alerting.dr_backup_topic_arn,
            # Media and backups cannot be rebuilt; releases and logs can (or expire anyway).
            bucket_arns={purpose: self.storage.bucket_arns[purpose] for purpose in ("assets", "backups")},
            protect=general.protect, tags=general.tags),
            opts=child)
        self.load_balancer = LoadBalancer(settings.name, LoadBalancerArgs(
            settings=settings.edge, environment=general.environment, vpc_id=self.network.vpc_id,
            public_subnet_ids=self.network.public_subnet_ids, app_port=settings.web.app_port,
            logs_bucket_name=self.storage.bucket_names["logs"], certificate_arn=self.dns.regional_certificate_arn,
            alert_topic_arn=self.alerting.topic_arn, security_group=groups["load_balancer"],
            log_delivery_policy=self.storage.log_delivery_policy,
            log_kms_key_arn=self.logging.kms_key_arn, protect=general.protect, tags=general.tags), opts=child)
        # The names people type, once both targets exist.
        self.dns.point_at(
            load_balancer=AliasTarget(dns_name=self.load_balancer.dns_name, zone_id=self.load_balancer.zone_id),
            cdn=AliasTarget(dns_name=self.cdn.domain_name, zone_id=self.cdn.hosted_zone_id))
        self.web = WebTier(settings.name, WebTierArgs(
            settings=settings.web, environment=general.environment,
            private_subnet_ids=self.network.private_subnet_ids, security_group=groups["web"],
            network_rules=[*self.security.rules["load_balancer"], *self.security.rules["web"]],
            load_balancer=LoadBalancerInputs.of(self.load_balancer, settings.edge.health_check_path),
            database=DatabaseInputs.of(self.database, self.database_bootstrap), cache=CacheInputs.of(self.cache),
            storage=StorageInputs(bucket_names=self.storage.bucket_names, bucket_arns=self.storage.bucket_arns,
                                  static_base_url=f"https://{self.dns.static_domain}"),
            logging=LoggingInputs(log_group_names=self.logging.log_group_names,
                                  log_group_arns=self.logging.log_group_arns,
                                  log_groups=tuple(self.logging.log_groups.values())),
            tags=general.tags), opts=child)
        self.monitoring = Monitoring(settings.name, MonitoringArgs(
            settings=settings.monitoring, environment=general.environment, domain=general.domain,
            health_path=settings.edge.health_check_path, topic_arn=self.alerting.topic_arn,
            global_topic_arn=self.alerting.global_topic_arn,
            application_log_group_name=self.logging.log_group_names["application"],
            load_balancer_arn_suffix=self.load_balancer.arn_suffix,
            target_group_arn_suffix=self.load_balancer.target_group_arn_suffix,
            rollback_alarm=self.load_balancer.rollback_alarm, group_name=self.web.group_name,
            group_min_size=self.web.group.min_size, database_instance_identifier=self.database.instance.identifier,
            cache_cluster_id=self.cache.cluster.cluster_id, distribution_id=self.cdn.distribution_id,
            tags=general.tags), opts=child)
        # Last, because it watches everything above: the AZ experiments and zonal autoshift.
        alarms = self.monitoring.alarms
        self.resilience = Resilience(settings.name, ResilienceArgs(
            settings=settings.resilience, environment=general.environment,
            availability_zones=self.network.availability_zones, subnets=self.network.subnets,
            vpc_id=self.network.vpc_id, group_name=self.web.group_name, group_arn=self.web.group.arn,
            database_arn=self.database.instance.arn, load_balancer_arn=self.load_balancer.arn,
            stop_alarm_arns=[alarms[key].arn for key in STOP_ALARMS],
            blocking_alarm_arns=[alarms[key].arn for key in BLOCKING_ALARMS], tags=general.tags), opts=child)

        # The stack outputs deploy tools read with `pulumi stack output --json`: a contract, documented name by
        # name in docs/outputs.md and asserted as an exact set by tests/test_outputs.py. Never a password.
        buckets = self.storage.bucket_names
        self.outputs: dict[str, pulumi.Input] = {
            "hostedZoneId": self.dns.zone_id,
            "nameServers": self.dns.name_servers,
            "siteUrl": f"https://www.{general.domain}",
            "staticUrl": f"https://{self.dns.static_domain}",
            "loadBalancerDnsName": self.load_balancer.dns_name,
            "cloudFrontDistributionId": self.cdn.distribution_id,
            "assetsBucketName": buckets["assets"],
            "releasesBucketName": buckets["releases"],
            "backupsBucketName": buckets["backups"],
            "logsBucketName": buckets["logs"],
            "autoScalingGroupName": self.web.group_name,
            "launchTemplateId": self.web.launch_template_id,
            "parameterPrefix": self.web.parameter_prefix,
            "databaseEndpoint": self.database.endpoint,
            "databaseSecretArn": self.database.master_secret_arn,
            "cacheEndpoint": self.cache.configuration_endpoint,
            "alertTopicArn": self.alerting.topic_arn,
            "dashboardUrl": self.monitoring.dashboard_url,
            "vpcId": self.network.vpc_id,
            "availabilityZones": list(self.network.availability_zones),
            "publicSubnetIds": self.network.public_subnet_ids,
            "privateSubnetIds": self.network.private_subnet_ids,
            "dataSubnetIds": self.network.data_subnet_ids,
        }
        self.register_outputs(self.outputs)

    @staticmethod
    def _dns(settings: PortalSettings, child: pulumi.ResourceOptions) -> Dns:
        general = settings.general
        return Dns(settings.name, DnsArgs(
            settings=settings.dns, domain=general.domain, environment=general.environment, protect=general.protect,
            tags=general.tags), opts=child)

    def _zone_only(self, settings: PortalSettings, child: pulumi.ResourceOptions) -> None:
        """The first run of a stack that creates its zone: the zone alone (the same URN it keeps later), whose
        name servers must be delegated before anything can wait on a DNS-validated certificate."""
        self.dns = self._dns(settings, child)
        self.outputs = {"hostedZoneId": self.dns.zone_id, "nameServers": self.dns.name_servers}
        self.register_outputs(self.outputs)

    def _warn_about_shared_quotas(self, settings: PortalSettings) -> None:
        """At preview, before a half-created second stack finds the account's Elastic IPs used up."""
        if not pulumi.runtime.is_dry_run():
            return
        this = StackFootprint(stack=settings.stack, region=aws.get_region().region,
                              nat_gateways=len(self.network.availability_zones),
                              accounts=(aws.get_caller_identity().account_id,))
        default_az_count = next(key.default for key in NETWORK_KEYS if key.name == "azCount")
        others = other_stack_footprints(Path(__file__).resolve().parent.parent, settings.stack, default_az_count)
        if warning := shared_region_quota_warning(this, others):
            pulumi.log.warn(warning, resource=self)

