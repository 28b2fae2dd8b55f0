"""Network, LoadBalancer and WebTier wired to stand-ins of the other tiers, so the traffic path is tested before
(and independently of) the real storage, DNS, database, cache, logging and alerting tiers."""

import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, ROOT)

import pulumi  # noqa: E402
import pulumi_aws as aws  # noqa: E402

from components.edge import settings as edge_settings  # noqa: E402
from components.edge.component import LoadBalancer, LoadBalancerArgs  # noqa: E402
from components.network import settings as network_settings  # noqa: E402
from components.network.component import Network, NetworkArgs  # noqa: E402
from components.security import SecurityGroups, SecurityGroupsArgs  # noqa: E402
from components.settings import GENERAL_KEYS, raw_portal_config  # noqa: E402
from components.validation import ConfigReader  # noqa: E402
from components.web import settings as web_settings  # noqa: E402
from components.web.component import (  # noqa: E402
    CacheInputs, DatabaseInputs, LoadBalancerInputs, LoggingInputs, StorageInputs, WebTier, WebTierArgs)

stack = pulumi.get_stack()
name = f"portal-{stack}"
protect_key = next(key for key in GENERAL_KEYS if key.name == "protect")
reader = ConfigReader(raw_portal_config(), (*network_settings.KEYS, *edge_settings.KEYS, *web_settings.KEYS,
                                            protect_key))
reader.check_unknown_keys()
network_cfg = network_settings.parse(reader)
edge_cfg = edge_settings.parse(reader)
web_cfg = web_settings.parse(reader)
protect = reader.boolean("protect")
web_settings.check_against_network(reader, web_cfg, len(network_cfg.availability_zones) or network_cfg.az_count)
reader.raise_if_problems()

network = Network(name, NetworkArgs(settings=network_cfg, environment=stack))
security = SecurityGroups(name, SecurityGroupsArgs(environment=stack, vpc_id=network.vpc_id, app_port=web_cfg.app_port))

# -- stand-ins for the tiers the web tier is wired to -------------------------------------------------
buckets = {purpose: aws.s3.Bucket(f"standin-{purpose}", bucket=f"{name}-{purpose}")
           for purpose in ("assets", "releases", "logs")}
log_delivery_policy = aws.s3.BucketPolicy(
    "standin-logs-policy", bucket=buckets["logs"].id,
    policy=buckets["logs"].arn.apply(lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
        "Action": "s3:PutObject", "Resource": f"{arn}/alb/*"}]})))
topic = aws.sns.Topic("standin-alerts", name=f"{name}-alerts")
logs_key = aws.kms.Key("standin-logs-key", description="stand-in for Logging's key", enable_key_rotation=True)
certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
log_groups = {kind: aws.cloudwatch.LogGroup(f"standin-{kind}", name=f"/portal/{stack}/{kind}", retention_in_days=30)
              for kind in ("application", "system", "auth")}
db_host = f"{name}-db.cabcdefghijk.eu-west-1.rds.amazonaws.com"
db_resource_id = "db-ABCDEFGHIJKLMNOPQRSTUVWXY0"
bootstrap = aws.lambda_.Invocation("standin-db-bootstrap", function_name=f"{name}-db-bootstrap", input="{}")

# -- the traffic path ----------------------------------------------------------------------------------
edge = LoadBalancer(name, LoadBalancerArgs(
    settings=edge_cfg, environment=stack, vpc_id=network.vpc_id, public_subnet_ids=network.public_subnet_ids,
    app_port=web_cfg.app_port, logs_bucket_name=buckets["logs"].bucket, certificate_arn=certificate_arn,
    alert_topic_arn=topic.arn, security_group=security.groups["load_balancer"],
    log_delivery_policy=log_delivery_policy, log_kms_key_arn=logs_key.arn,
    protect=protect))
web = WebTier(name, WebTierArgs(
    settings=web_cfg, environment=stack, private_subnet_ids=network.private_subnet_ids,
    security_group=security.groups["web"],
    network_rules=[*security.rules["load_balancer"], *security.rules["web"]],
    load_balancer=LoadBalancerInputs.of(edge, edge_cfg.health_check_path),
    database=DatabaseInputs(address=db_host, name="portal", app_username="portal_app", resource_id=db_resource_id,
                            session_store={"table": "sessions", "columns": {
                                "id": "sess_id", "data": "sess_data", "lifetime": "sess_lifetime", "time": "sess_time"}},
                            resources=(bootstrap,)),
    cache=CacheInputs(configuration_endpoint=f"{name}-cache.abc123.cfg.euw1.cache.amazonaws.com:11211"),
    storage=StorageInputs(bucket_names={k: b.bucket for k, b in buckets.items()},
                          bucket_arns={k: b.arn for k, b in buckets.items()},
                          static_base_url=f"https://static.{stack}.shop.example.com"),
    logging=LoggingInputs(log_group_names={k: g.name for k, g in log_groups.items()},
                          log_group_arns={k: g.arn for k, g in log_groups.items()},
                          log_groups=tuple(log_groups.values()))))
pulumi.export("loadBalancerDnsName", edge.dns_name)
pulumi.export("groupName", web.group_name)
pulumi.export("launchTemplateId", web.launch_template_id)
pulumi.export("parameterPrefix", web.parameter_prefix)
