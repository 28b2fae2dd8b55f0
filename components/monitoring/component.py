"""`ecommerce:monitoring:Monitoring`: alarms on every tier, the outside-in health check, the application-error
metric filter and the stack's dashboard.

Every alarm watches a group-level or tier-level metric (the Auto Scaling group, the target group, the DB
instance, the cache cluster, the distribution), never an instance, so a server Auto Scaling launches is
covered from its first minute with no change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import pulumi
import pulumi_aws as aws

from components.monitoring.settings import MonitoringSettings
from components.tagging import tagger
from components.web.boot import AGENT_NAMESPACE, WATCHED_DISK_PATHS

GLOBAL_REGION = "us-east-1"
# Case-sensitive terms: any line holding one of them counts as an application error.
APPLICATION_ERROR_PATTERN = "?ERROR ?Error ?CRITICAL ?FATAL ?Fatal"
APPLICATION_ERROR_METRIC = "ApplicationErrors"
DATABASE_EVENT_CATEGORIES = ("failover", "failure", "maintenance", "notification", "low storage")
MIB = 1024 * 1024
GROUP_NOTIFICATIONS = ("autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR")


def application_metric_namespace(environment: str) -> str:
    """One namespace per environment, so staging's errors never show on production's alarm."""
    return f"Portal/{environment}"


@dataclass(frozen=True)
class MonitoringArgs:
    """What Monitoring watches: settings plus the other tiers' outputs (plain Inputs, so it can be built and
    tested with stand-ins before, or without, the real tiers)."""

    settings: MonitoringSettings
    environment: str
    domain: str
    health_path: str
    topic_arn: pulumi.Input[str]
    # The topic in us-east-1, for the alarms that must live there (CloudFront and Route 53 metrics).
    global_topic_arn: pulumi.Input[str]
    application_log_group_name: pulumi.Input[str]
    load_balancer_arn_suffix: pulumi.Input[str]
    target_group_arn_suffix: pulumi.Input[str]
    # The load balancer's ELB 5xx alarm (the one the instance refresh rolls back on): listed, not duplicated.
    rollback_alarm: aws.cloudwatch.MetricAlarm
    group_name: pulumi.Input[str]
    group_min_size: pulumi.Input[int]
    database_instance_identifier: pulumi.Input[str]
    cache_cluster_id: pulumi.Input[str]
    distribution_id: pulumi.Input[str]
    tags: Mapping[str, str] = field(default_factory=dict)


def dashboard_url(region: str, dashboard_name: str) -> str:
    return (f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
            f"#dashboards/dashboard/{dashboard_name}")


class Monitoring(pulumi.ComponentResource):
    alarms: dict[str, aws.cloudwatch.MetricAlarm]
    health_check: aws.route53.HealthCheck
    dashboard: aws.cloudwatch.Dashboard
    dashboard_url: pulumi.Output[str]

    def __init__(self, name: str, args: MonitoringArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:monitoring:Monitoring", name, None, opts)
        self._name = name
        self._args = args
        self._tagger = tagger(args.environment, args.tags)
        self._child = pulumi.ResourceOptions(parent=self)
        settings = args.settings
        region = aws.get_region().region
        self.alarms = {"lb-elb-5xx": args.rollback_alarm}

        lb = {"LoadBalancer": args.load_balancer_arn_suffix}
        target = {"TargetGroup": args.target_group_arn_suffix, "LoadBalancer": args.load_balancer_arn_suffix}
        group = {"AutoScalingGroupName": args.group_name}
        database = {"DBInstanceIdentifier": args.database_instance_identifier}
        cache = {"CacheClusterId": args.cache_cluster_id}

        # Load balancer.
        self._alarm("lb-target-5xx", "The application answered with 5xx errors: check the application log group.",
                    "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum", ">", settings.target_5xx_threshold)
        self._alarm("lb-unhealthy-hosts", "A web server fails the load balancer's health check.",
                    "AWS/ApplicationELB", "UnHealthyHostCount", target, "Maximum", ">", 0)
        self._alarm("lb-p95-latency", "p95 response time of the web servers is above its threshold.",
                    "AWS/ApplicationELB", "TargetResponseTime", target, "p95", ">",
                    settings.target_response_time_p95_ms / 1000)
        # Web tier. No data from the group means group metrics stopped or the group is gone: both need a human.
        self._alarm("web-in-service", "Fewer web servers are in service than the group's minimum.",
                    "AWS/AutoScaling", "GroupInServiceInstances", group, "Minimum", "<", args.group_min_size,
                    missing="breaching")
        self._alarm("web-cpu", "The web servers' average CPU is high: scaling is not keeping up.",
                    "AWS/EC2", "CPUUtilization", group, "Average", ">", settings.web_cpu_percent)
        # The fullest server of the group (the agent's AutoScalingGroupName + path aggregate): a full disk stops
        # logging and uploads on that server long before its health check notices.
        for label, path in WATCHED_DISK_PATHS.items():
            self._alarm(f"web-disk-{label}", f"A web server's {path} volume is filling up: see the application "
                                             "log group for what writes to it.",
                        AGENT_NAMESPACE, "disk_used_percent", {**group, "path": path}, "Maximum", ">",
                        settings.web_disk_used_percent)
        # Database.
        self._alarm("db-cpu", "The database's CPU is high.", "AWS/RDS", "CPUUtilization", database, "Average", ">",
                    settings.database_cpu_percent, missing="missing")
        self._alarm("db-free-storage", "The database is running out of storage.", "AWS/RDS", "FreeStorageSpace",
                    database, "Minimum", "<", settings.database_free_storage_mib * MIB, missing="missing")
        self._alarm("db-freeable-memory", "The database is running out of memory.", "AWS/RDS", "FreeableMemory",
                    database, "Minimum", "<", settings.database_freeable_memory_mib * MIB, missing="missing")
        self._alarm("db-connections", "The database has more connections than expected.", "AWS/RDS",
                    "DatabaseConnections", database, "Maximum", ">", settings.database_connections,
                    missing="missing")
        # Cache.
        self._alarm("cache-evictions", "The cache evicts live keys: it is too small for the working set.",
                    "AWS/ElastiCache", "Evictions", cache, "Sum", ">", settings.cache_evictions_threshold)
        self._alarm("cache-cpu", "The cache's CPU is high.", "AWS/ElastiCache", "CPUUtilization", cache, "Average",
                    ">", settings.cache_cpu_percent, missing="missing")
        # CDN: CloudFront publishes its metrics in us-east-1 only, with Region=Global.
        self._alarm("cdn-5xx-rate", "CloudFront answers a high share of requests with 5xx errors.",
                    "AWS/CloudFront", "5xxErrorRate", {"DistributionId": args.distribution_id, "Region": "Global"},
                    "Average", ">", settings.cdn_5xx_error_rate_percent, region=GLOBAL_REGION)

        self._application_errors()
        self._outside_in_check()
        self.database_events = aws.rds.EventSubscription(
            f"{name}-database-events", name=f"{name}-database-events", sns_topic=args.topic_arn,
            source_type="db-instance", source_ids=[args.database_instance_identifier],
            event_categories=list(DATABASE_EVENT_CATEGORIES), enabled=True, tags=self._tags("database-events"),
            opts=self._child)

        # Launches and terminations that fail (bad AMI, capacity, quota) never show as a metric breach.
        self.group_notifications = aws.autoscaling.Notification(
            f"{name}-web-notifications", group_names=[args.group_name],
            notifications=list(GROUP_NOTIFICATIONS), topic_arn=args.topic_arn, opts=self._child)

        self.dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard", dashboard_name=name, dashboard_body=self._dashboard_body(region),
            opts=self._child)
        self.dashboard_url = self.dashboard.dashboard_name.apply(lambda n: dashboard_url(region, n))
        self.register_outputs({"dashboardUrl": self.dashboard_url,
                               "alarmNames": {key: alarm.name for key, alarm in self.alarms.items()}})

    # -- pieces ---------------------------------------------------------------------------------------

    def _tags(self, label: str) -> dict[str, str]:
        return self._tagger(f"{self._name}-{label}")

    def _alarm(self, key: str, description: str, namespace: str, metric: str,
               dimensions: Mapping[str, pulumi.Input[str]], statistic: str, comparison: str,
               threshold: pulumi.Input[float], *, region: str | None = None, missing: str = "notBreaching",
               evaluation_periods: int | None = None,
               depends_on: Sequence[pulumi.Resource] = ()) -> aws.cloudwatch.MetricAlarm:
        topic = self._args.global_topic_arn if region == GLOBAL_REGION else self._args.topic_arn
        operators = {">": "GreaterThanThreshold", "<": "LessThanThreshold"}
        percentile = statistic.startswith("p")
        alarm = aws.cloudwatch.MetricAlarm(
            f"{self._name}-{key}", name=f"{self._name}-{key}", alarm_description=description,
            namespace=namespace, metric_name=metric, dimensions=dict(dimensions) or None,
            statistic=None if percentile else statistic, extended_statistic=statistic if percentile else None,
            # A percentile over a quiet minute (a handful of requests) is noise, not latency.
            evaluate_low_sample_count_percentiles="ignore" if percentile else None,
            comparison_operator=operators[comparison], threshold=threshold, period=60,
            evaluation_periods=evaluation_periods or self._args.settings.alarm_evaluation_periods,
            treat_missing_data=missing, alarm_actions=[topic], ok_actions=[topic], region=region,
            tags=self._tags(key), opts=pulumi.ResourceOptions(parent=self, depends_on=list(depends_on)))
        self.alarms[key] = alarm
        return alarm

    def _application_errors(self) -> None:
        args = self._args
        namespace = application_metric_namespace(args.environment)
        self.application_error_filter = aws.cloudwatch.LogMetricFilter(
            f"{self._name}-application-errors", name=f"{self._name}-application-errors",
            log_group_name=args.application_log_group_name, pattern=APPLICATION_ERROR_PATTERN,
            metric_transformation=aws.cloudwatch.LogMetricFilterMetricTransformationArgs(
                name=APPLICATION_ERROR_METRIC, namespace=namespace, value="1", default_value="0", unit="Count"),
            opts=self._child)
        self._alarm("app-errors", "The application logs errors: see the application log group.", namespace,
                    APPLICATION_ERROR_METRIC, {}, "Sum", ">", args.settings.application_errors_threshold,
                    depends_on=[self.application_error_filter])

    def _outside_in_check(self) -> None:
        args = self._args
        settings = args.settings
        self.health_check = aws.route53.HealthCheck(
            f"{self._name}-www", type="HTTPS", fqdn=f"www.{args.domain}", port=443, resource_path=args.health_path,
            enable_sni=True, request_interval=settings.health_check_interval_seconds,
            failure_threshold=settings.health_check_failure_threshold, measure_latency=True,
            regions=list(settings.health_check_regions), tags=self._tags("www"), opts=self._child)
        # Route 53 publishes health check metrics in us-east-1 only; the check already debounces failures
        # (failure_threshold), so one unhealthy minute is worth a page.
        self._alarm("www-health-check", f"The outside-in check of https://www.{args.domain}{args.health_path} "
                                        "fails from Route 53's checkers.",
                    "AWS/Route53", "HealthCheckStatus", {"HealthCheckId": self.health_check.id}, "Minimum", "<", 1,
                    region=GLOBAL_REGION, missing="breaching", evaluation_periods=1)

    def _dashboard_body(self, region: str) -> pulumi.Output[str]:
        args = self._args

        def graph(title: str, metrics: Sequence[list], *, stat: str = "Sum", widget_region: str = region,
                  x: int, y: int) -> dict:
            return {"type": "metric", "x": x, "y": y, "width": 12, "height": 6,
                    "properties": {"title": title, "view": "timeSeries", "region": widget_region, "stat": stat,
                                   "period": 60, "metrics": list(metrics)}}

        lb, tg = args.load_balancer_arn_suffix, args.target_group_arn_suffix
        elb = "AWS/ApplicationELB"
        widgets = [
            graph("Requests", [[elb, "RequestCount", "LoadBalancer", lb]], x=0, y=0),
            graph("5xx responses", [[elb, "HTTPCode_ELB_5XX_Count", "LoadBalancer", lb],
                                    [elb, "HTTPCode_Target_5XX_Count", "LoadBalancer", lb]], x=12, y=0),
            graph("Target response time (s)", [
                [elb, "TargetResponseTime", "LoadBalancer", lb, {"stat": "p50"}],
                [elb, "TargetResponseTime", "LoadBalancer", lb, {"stat": "p95"}],
                [elb, "TargetResponseTime", "LoadBalancer", lb, {"stat": "p99"}]], stat="p95", x=0, y=6),
            graph("Healthy hosts", [[elb, "HealthyHostCount", "TargetGroup", tg, "LoadBalancer", lb],
                                    [elb, "UnHealthyHostCount", "TargetGroup", tg, "LoadBalancer", lb]],
                  stat="Maximum", x=12, y=6),
            graph("Web group size", [
                ["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", args.group_name],
                ["AWS/AutoScaling", "GroupDesiredCapacity", "AutoScalingGroupName", args.group_name],
                ["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", args.group_name, {"stat": "Average",
                                                                                       "yAxis": "right"}]],
                  stat="Maximum", x=0, y=12),
            graph("Database CPU and connections", [
                ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", args.database_instance_identifier],
                ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", args.database_instance_identifier,
                 {"stat": "Maximum", "yAxis": "right"}]], stat="Average", x=12, y=12),
            graph("Cache evictions and CPU", [
                ["AWS/ElastiCache", "Evictions", "CacheClusterId", args.cache_cluster_id],
                ["AWS/ElastiCache", "CPUUtilization", "CacheClusterId", args.cache_cluster_id,
                 {"stat": "Average", "yAxis": "right"}]], x=0, y=18),
            graph("CDN error rate (%)", [
                ["AWS/CloudFront", "5xxErrorRate", "DistributionId", args.distribution_id, "Region", "Global"],
                ["AWS/CloudFront", "4xxErrorRate", "DistributionId", args.distribution_id, "Region", "Global"]],
                  stat="Average", widget_region=GLOBAL_REGION, x=12, y=18),
            graph("Web disk and memory used (%), fullest server", [
                *[[AGENT_NAMESPACE, "disk_used_percent", "AutoScalingGroupName", args.group_name, "path", path]
                  for path in WATCHED_DISK_PATHS.values()],
                [AGENT_NAMESPACE, "mem_used_percent", "AutoScalingGroupName", args.group_name]],
                  stat="Maximum", x=0, y=24),
            # An alarm widget shows alarms of its own region only: the two us-east-1 alarms have their graphs.
            {"type": "alarm", "x": 0, "y": 30, "width": 24, "height": 4,
             "properties": {"title": "Alarms", "alarms": [alarm.arn for key, alarm in sorted(self.alarms.items())
                                                          if key not in ("cdn-5xx-rate", "www-health-check")]}},
        ]
        return pulumi.Output.json_dumps({"widgets": widgets})
