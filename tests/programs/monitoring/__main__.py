"""Logging, Alerting and Monitoring wired to stand-ins of the other tiers, so Monitoring is tested on its own."""

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, ROOT)

import pulumi  # noqa: E402
import pulumi_aws as aws  # noqa: E402

from components.logging import settings as logging_settings  # noqa: E402
from components.logging.component import Logging, LoggingArgs  # noqa: E402
from components.monitoring import settings as monitoring_settings  # noqa: E402
from components.monitoring.alerting import Alerting, AlertingArgs  # noqa: E402
from components.monitoring.component import Monitoring, MonitoringArgs  # noqa: E402
from components.settings import raw_portal_config  # noqa: E402
from components.validation import ConfigReader  # noqa: E402

stack = pulumi.get_stack()
name = f"portal-{stack}"
reader = ConfigReader(raw_portal_config(), (*logging_settings.KEYS, *monitoring_settings.KEYS))
reader.check_unknown_keys()
log_settings = logging_settings.parse(reader)
settings = monitoring_settings.parse(reader)
reader.raise_if_problems()

logging = Logging(name, LoggingArgs(settings=log_settings, environment=stack))
alerting = Alerting(name, AlertingArgs(settings=settings, environment=stack))

lb = aws.lb.LoadBalancer("standin-lb", name=f"{name}-lb", load_balancer_type="application")
target_group = aws.lb.TargetGroup("standin-tg", name=f"{name}-web", port=80, protocol="HTTP", vpc_id="vpc-standin")
rollback_alarm = aws.cloudwatch.MetricAlarm(
    "standin-elb-5xx", name=f"{name}-lb-elb-5xx", namespace="AWS/ApplicationELB", metric_name="HTTPCode_ELB_5XX_Count",
    dimensions={"LoadBalancer": lb.arn_suffix}, statistic="Sum", period=60, evaluation_periods=1, threshold=5,
    comparison_operator="GreaterThanThreshold", alarm_actions=[alerting.topic_arn], ok_actions=[alerting.topic_arn])
group = aws.autoscaling.Group("standin-web", name=f"{name}-web", min_size=3, max_size=9)
database = aws.rds.Instance("standin-db", identifier=f"{name}-db", instance_class="db.t3.medium", engine="mysql",
                            allocated_storage=20)
cache = aws.elasticache.Cluster("standin-cache", cluster_id=f"{name}-cache", engine="memcached",
                                node_type="cache.t3.micro", num_cache_nodes=3)
distribution = aws.cloudfront.Distribution(
    "standin-cdn", enabled=True,
    origins=[{"domain_name": "assets.s3.eu-west-1.amazonaws.com", "origin_id": "assets"}],
    default_cache_behavior={"allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"],
                            "target_origin_id": "assets", "viewer_protocol_policy": "redirect-to-https"},
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"cloudfront_default_certificate": True})

monitoring = Monitoring(name, MonitoringArgs(
    settings=settings, environment=stack, domain=f"{stack}.shop.example.com", health_path="/healthz",
    topic_arn=alerting.topic_arn, global_topic_arn=alerting.global_topic_arn,
    application_log_group_name=logging.log_group_names["application"],
    load_balancer_arn_suffix=lb.arn_suffix, target_group_arn_suffix=target_group.arn_suffix,
    rollback_alarm=rollback_alarm, group_name=group.name, group_min_size=group.min_size,
    database_instance_identifier=database.identifier, cache_cluster_id=cache.cluster_id,
    distribution_id=distribution.id))

pulumi.export("alertTopicArn", alerting.topic_arn)
pulumi.export("dashboardUrl", monitoring.dashboard_url)
