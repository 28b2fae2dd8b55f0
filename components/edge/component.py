"""`ecommerce:edge:LoadBalancer`: the internet-facing ALB, its listeners and target group, the WAF in front of it
and the 5xx alarm a web-tier roll-out rolls back on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

import pulumi
import pulumi_aws as aws

from components.edge.settings import EdgeSettings, rollback_alarm_name
from components.security import HTTP_PORT, HTTPS_PORT
from components.tagging import tagger

ACCESS_LOG_PREFIX = "alb"
# How long a client may reuse one connection to a load balancer node: the most a zonal shift waits for clients to
# leave an AZ (AWS suggests matching the recovery time goal rather than the default 3600 s).
CLIENT_KEEP_ALIVE_SECONDS = 300
# The rollback alarm's value: every 5xx a client got in the minute, from the load balancer or from a web server.
ROLLBACK_EXPRESSION = "FILL(elb, 0) + FILL(targets, 0)"

# AWS managed rule groups in evaluation order after the rate limit: (name, metric suffix, rules only counted).
# The common set blocks request bodies over 8 KB, which would block product image uploads through the shop's
# back office; that rule only counts (visible in the WAF metrics), every other rule blocks.
MANAGED_RULE_GROUPS = (
    ("AWSManagedRulesCommonRuleSet", "common", ("SizeRestrictions_BODY",)),
    ("AWSManagedRulesKnownBadInputsRuleSet", "bad-inputs", ()),
    ("AWSManagedRulesSQLiRuleSet", "sqli", ()),
)


@dataclass(frozen=True)
class LoadBalancerArgs:
    settings: EdgeSettings
    environment: str
    vpc_id: pulumi.Input[str]
    public_subnet_ids: Mapping[str, pulumi.Input[str]]
    app_port: int
    logs_bucket_name: pulumi.Input[str]
    certificate_arn: pulumi.Input[str]
    alert_topic_arn: pulumi.Input[str]
    # The chain's load balancer group, with its listener and target rules.
    security_group: aws.ec2.SecurityGroup
    # The logs bucket's policy granting ELB log delivery: the ALB checks it can write when logging is enabled.
    log_delivery_policy: Optional[pulumi.Resource] = None
    # Customer-managed key of the stack's log groups (Logging's `kms_key_arn`), for the WAF log group.
    log_kms_key_arn: Optional[pulumi.Input[str]] = None
    protect: bool = True
    tags: Mapping[str, str] = field(default_factory=dict)


_Override = aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs
_OverrideAction = aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs
_OverrideCount = aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs


class LoadBalancer(pulumi.ComponentResource):
    load_balancer: aws.lb.LoadBalancer
    target_group: aws.lb.TargetGroup
    security_group: aws.ec2.SecurityGroup
    https_listener: aws.lb.Listener
    http_listener: aws.lb.Listener
    web_acl: aws.wafv2.WebAcl
    rollback_alarm: aws.cloudwatch.MetricAlarm

    def __init__(self, name: str, args: LoadBalancerArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:edge:LoadBalancer", name, None, opts)
        self._name = name
        self._args = args
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings

        tags = tagger(args.environment, args.tags)
        self._tags = tags

        # Its group and rules come from the security-group chain (components/security.py).
        self.security_group = args.security_group

        self.load_balancer = aws.lb.LoadBalancer(
            f"{name}-alb", name=f"{name}-alb", load_balancer_type="application", internal=False,
            ip_address_type="dualstack",
            subnets=[args.public_subnet_ids[az] for az in sorted(args.public_subnet_ids)],
            security_groups=[self.security_group.id],
            enable_deletion_protection=args.protect,
            drop_invalid_header_fields=True,
            enable_http2=True,
            # ARC zonal shift and autoshift may take an impaired AZ's load balancer node out of DNS. Cross-zone
            # load balancing stays on (always on for an ALB, and the target group's stickiness needs it): a shift
            # then also stops the other nodes sending to targets in that AZ. A client keeps its connection to the
            # shifted node at most this long, instead of the default hour.
            enable_zonal_shift=True,
            client_keep_alive=CLIENT_KEEP_ALIVE_SECONDS,
            access_logs=aws.lb.LoadBalancerAccessLogsArgs(
                bucket=args.logs_bucket_name, prefix=ACCESS_LOG_PREFIX, enabled=True),
            tags=tags(f"{name}-alb"),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[args.log_delivery_policy] if args.log_delivery_policy else []))

        # Autonamed: a change of port forces a replacement, and a fixed name would collide with the old group
        # while create-before-delete runs.
        self.target_group = aws.lb.TargetGroup(
            f"{name}-web", port=args.app_port, protocol="HTTP", target_type="instance", vpc_id=args.vpc_id,
            deregistration_delay=settings.deregistration_delay_seconds,
            health_check=aws.lb.TargetGroupHealthCheckArgs(
                enabled=True, path=settings.health_check_path, port="traffic-port", protocol="HTTP", matcher="200",
                interval=settings.health_check_interval_seconds, timeout=settings.health_check_timeout_seconds,
                healthy_threshold=settings.healthy_threshold, unhealthy_threshold=settings.unhealthy_threshold),
            # Sessions live in the database, so stickiness is only a cache-locality aid: losing a server
            # moves its users without logging them out.
            stickiness=aws.lb.TargetGroupStickinessArgs(
                type="lb_cookie", enabled=True, cookie_duration=settings.stickiness_seconds),
            tags=tags(f"{name}-web"), opts=child)

        self.https_listener = aws.lb.Listener(
            f"{name}-https", load_balancer_arn=self.load_balancer.arn, port=HTTPS_PORT, protocol="HTTPS",
            ssl_policy=settings.tls_policy, certificate_arn=args.certificate_arn,
            default_actions=[aws.lb.ListenerDefaultActionArgs(
                type="forward", target_group_arn=self.target_group.arn)],
            tags=tags(f"{name}-https"), opts=child)
        self.http_listener = aws.lb.Listener(
            f"{name}-http", load_balancer_arn=self.load_balancer.arn, port=HTTP_PORT, protocol="HTTP",
            default_actions=[aws.lb.ListenerDefaultActionArgs(
                type="redirect", redirect=aws.lb.ListenerDefaultActionRedirectArgs(
                    protocol="HTTPS", port=str(HTTPS_PORT), status_code="HTTP_301"))],
            tags=tags(f"{name}-http"), opts=child)

        self._waf(name, settings, tags, child)

        # The instance refresh rolls back on this alarm; Monitoring lists it with its own alarms. A bad release
        # mostly shows as the web servers' own 5xx (HTTPCode_Target_5XX_Count), which the load balancer's count
        # (no healthy target, a target timing out or resetting) does not include, so the alarm adds both. A minute
        # without 5xx publishes no datapoint: FILL keeps one silent metric from hiding the other.
        def count(metric: str, dimensions: dict) -> aws.cloudwatch.MetricAlarmMetricQueryMetricArgs:
            return aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
                namespace="AWS/ApplicationELB", metric_name=metric, dimensions=dimensions, stat="Sum", period=60)

        self.rollback_alarm = aws.cloudwatch.MetricAlarm(
            f"{name}-alb-5xx", name=rollback_alarm_name(name),
            alarm_description=f"{name}: the portal answers 5xx (the web servers' own, or the load balancer's: no "
                              "healthy target, targets failing); a web roll-out in progress rolls back",
            metric_queries=[
                aws.cloudwatch.MetricAlarmMetricQueryArgs(
                    id="elb", return_data=False,
                    metric=count("HTTPCode_ELB_5XX_Count", {"LoadBalancer": self.load_balancer.arn_suffix})),
                aws.cloudwatch.MetricAlarmMetricQueryArgs(
                    id="targets", return_data=False,
                    metric=count("HTTPCode_Target_5XX_Count", {"LoadBalancer": self.load_balancer.arn_suffix,
                                                               "TargetGroup": self.target_group.arn_suffix})),
                aws.cloudwatch.MetricAlarmMetricQueryArgs(
                    id="errors", expression=ROLLBACK_EXPRESSION, label="5xx responses (load balancer + targets)",
                    return_data=True),
            ],
            evaluation_periods=3, datapoints_to_alarm=2,
            threshold=settings.rollback_alarm_threshold, comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching",
            alarm_actions=[args.alert_topic_arn], ok_actions=[args.alert_topic_arn],
            tags=tags(f"{name}-alb-5xx"), opts=child)

        self.dns_name = self.load_balancer.dns_name
        self.zone_id = self.load_balancer.zone_id
        self.arn = self.load_balancer.arn
        self.arn_suffix = self.load_balancer.arn_suffix
        self.target_group_arn = self.target_group.arn
        self.target_group_arn_suffix = self.target_group.arn_suffix
        self.security_group_id = self.security_group.id
        self.rollback_alarm_name = self.rollback_alarm.name
        self.register_outputs({
            "dnsName": self.dns_name,
            "zoneId": self.zone_id,
            "arn": self.arn,
            "arnSuffix": self.arn_suffix,
            "targetGroupArn": self.target_group_arn,
            "securityGroupId": self.security_group_id,
            "webAclArn": self.web_acl.arn,
            "rollbackAlarmName": self.rollback_alarm_name,
        })

    def _waf(self, name: str, settings: EdgeSettings, tags, child: pulumi.ResourceOptions) -> None:
        def visibility(metric: str) -> dict:
            return dict(cloudwatch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True)

        # Cheapest first: a flood from one address is dropped before the managed groups inspect it.
        rules = [aws.wafv2.WebAclRuleArgs(
            name="rate-limit-per-ip", priority=0,
            action=aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs()),
            statement=aws.wafv2.WebAclRuleStatementArgs(
                rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                    limit=settings.waf_rate_limit, aggregate_key_type="IP", evaluation_window_sec=300)),
            visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(**visibility(f"{name}-rate-limit")))]
        for priority, (group, suffix, counted) in enumerate(MANAGED_RULE_GROUPS, start=1):
            overrides = [_Override(name=rule, action_to_use=_OverrideAction(count=_OverrideCount()))
                         for rule in counted]
            rules.append(aws.wafv2.WebAclRuleArgs(
                name=group, priority=priority,
                # The group's own block actions apply; `none` means "do not override them".
                override_action=aws.wafv2.WebAclRuleOverrideActionArgs(
                    none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()),
                statement=aws.wafv2.WebAclRuleStatementArgs(
                    managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                        name=group, vendor_name="AWS", rule_action_overrides=overrides or None)),
                visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(**visibility(f"{name}-{suffix}"))))
        self.web_acl = aws.wafv2.WebAcl(
            f"{name}-waf", name=f"{name}-waf", scope="REGIONAL",
            description=f"{name}: per-IP rate limit and AWS managed protections in front of the load balancer",
            default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
            rules=rules,
            visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(**visibility(f"{name}-waf")),
            tags=tags(f"{name}-waf"), opts=child)
        self.web_acl_association = aws.wafv2.WebAclAssociation(
            f"{name}-waf", resource_arn=self.load_balancer.arn, web_acl_arn=self.web_acl.arn, opts=child)

        # What the WAF blocked or only counted, for tuning and incidents; allowed requests are in the ALB's access
        # logs already. WAF only delivers to log groups named aws-waf-logs-*.
        self.waf_log_group = aws.cloudwatch.LogGroup(
            f"{name}-waf-logs", name=f"aws-waf-logs-{name}", retention_in_days=settings.waf_log_retention_days,
            kms_key_id=self._args.log_kms_key_arn, tags=tags(f"{name}-waf-logs"), opts=child)
        waf = aws.wafv2
        self.waf_logging = waf.WebAclLoggingConfiguration(
            f"{name}-waf", resource_arn=self.web_acl.arn, log_destination_configs=[self.waf_log_group.arn],
            # Session cookies and credentials never land in logs.
            redacted_fields=[waf.WebAclLoggingConfigurationRedactedFieldArgs(
                single_header=waf.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs(name=header))
                for header in ("cookie", "authorization")],
            logging_filter=waf.WebAclLoggingConfigurationLoggingFilterArgs(
                default_behavior="DROP",
                filters=[waf.WebAclLoggingConfigurationLoggingFilterFilterArgs(
                    behavior="KEEP", requirement="MEETS_ANY",
                    conditions=[waf.WebAclLoggingConfigurationLoggingFilterFilterConditionArgs(
                        action_condition=waf.WebAclLoggingConfigurationLoggingFilterFilterConditionActionConditionArgs(
                            action=action)) for action in ("BLOCK", "COUNT", "EXCLUDED_AS_COUNT")])]),
            opts=child)
