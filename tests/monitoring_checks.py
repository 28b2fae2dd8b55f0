"""Checks shared by the monitoring tests of the stand-in program and of the whole portal."""

from __future__ import annotations

import json

from components.web.boot import WATCHED_DISK_PATHS
from preflight.runner import UNKNOWN, RunResult

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
LB_TYPES = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
TG_TYPES = ("aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup")
GROUP_TYPES = ("aws:autoscaling/group:Group",)
DB_TYPES = ("aws:rds/instance:Instance",)
CACHE_TYPES = ("aws:elasticache/cluster:Cluster",)
CDN_TYPES = ("aws:cloudfront/distribution:Distribution",)

# alarm key -> (namespace, metric, statistic, comparison, {dimension: types it must come from}, in us-east-1)
ALARMS = {
    "lb-target-5xx": ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", "GreaterThanThreshold",
                      {"LoadBalancer": LB_TYPES}, False),
    "lb-unhealthy-hosts": ("AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", "GreaterThanThreshold",
                           {"LoadBalancer": LB_TYPES, "TargetGroup": TG_TYPES}, False),
    "lb-p95-latency": ("AWS/ApplicationELB", "TargetResponseTime", "p95", "GreaterThanThreshold",
                       {"LoadBalancer": LB_TYPES, "TargetGroup": TG_TYPES}, False),
    "web-in-service": ("AWS/AutoScaling", "GroupInServiceInstances", "Minimum", "LessThanThreshold",
                       {"AutoScalingGroupName": GROUP_TYPES}, False),
    "web-cpu": ("AWS/EC2", "CPUUtilization", "Average", "GreaterThanThreshold",
                {"AutoScalingGroupName": GROUP_TYPES}, False),
    "db-cpu": ("AWS/RDS", "CPUUtilization", "Average", "GreaterThanThreshold", {"DBInstanceIdentifier": DB_TYPES},
               False),
    "db-free-storage": ("AWS/RDS", "FreeStorageSpace", "Minimum", "LessThanThreshold",
                        {"DBInstanceIdentifier": DB_TYPES}, False),
    "db-freeable-memory": ("AWS/RDS", "FreeableMemory", "Minimum", "LessThanThreshold",
                           {"DBInstanceIdentifier": DB_TYPES}, False),
    "db-connections": ("AWS/RDS", "DatabaseConnections", "Maximum", "GreaterThanThreshold",
                       {"DBInstanceIdentifier": DB_TYPES}, False),
    "cache-evictions": ("AWS/ElastiCache", "Evictions", "Sum", "GreaterThanThreshold",
                        {"CacheClusterId": CACHE_TYPES}, False),
    "cache-cpu": ("AWS/ElastiCache", "CPUUtilization", "Average", "GreaterThanThreshold",
                  {"CacheClusterId": CACHE_TYPES}, False),
    "cdn-5xx-rate": ("AWS/CloudFront", "5xxErrorRate", "Average", "GreaterThanThreshold",
                     {"DistributionId": CDN_TYPES}, True),
    "www-health-check": ("AWS/Route53", "HealthCheckStatus", "Minimum", "LessThanThreshold",
                         {"HealthCheckId": (HEALTH_CHECK,)}, True),
}


def resource_types(result: RunResult, urns) -> set[str]:
    return {result.by_urn(u).type for u in urns}


def topics(result: RunResult, name: str):
    regional = result.get(TOPIC, f"{name}-alerts")
    global_ = result.get(TOPIC, f"{name}-alerts-us-east-1")
    return regional, global_


def assert_actions_on(result: RunResult, alarm, topic) -> None:
    for prop in ("alarmActions", "okActions"):
        assert alarm.property_dependencies.get(prop) == (topic.urn,), (alarm.name, prop)
        if result.mode == "update":
            assert alarm.inputs[prop] == [topic.outputs["arn"]], (alarm.name, prop)
        else:
            assert alarm.inputs[prop] == [UNKNOWN] or alarm.inputs[prop] == [topic.outputs.get("arn")]


def check_alarms(result: RunResult, name: str) -> None:
    regional, global_ = topics(result, name)
    assert global_.inputs["region"] == "us-east-1"
    for key, (namespace, metric, statistic, comparison, dims, in_us_east_1) in ALARMS.items():
        alarm = result.get(ALARM, f"{name}-{key}")
        inputs = alarm.inputs
        assert (inputs["namespace"], inputs["metricName"], inputs["comparisonOperator"]) == \
            (namespace, metric, comparison), key
        assert inputs.get("extendedStatistic" if statistic.startswith("p") else "statistic") == statistic, key
        assert inputs["period"] == 60.0 and inputs["evaluationPeriods"] >= 1.0, key
        assert set(inputs["dimensions"]) - {"Region"} == set(dims), key
        linked = resource_types(result, alarm.property_dependencies.get("dimensions", ()))
        for dim, types in dims.items():
            assert linked & set(types), f"{key}: dimension {dim} is not taken from a {types[0]}"
            if result.mode == "update":
                assert inputs["dimensions"][dim] not in ("", None, UNKNOWN), key
        # Alarm actions must live in the alarm's own region.
        if in_us_east_1:
            assert inputs["region"] == "us-east-1", key
            assert_actions_on(result, alarm, global_)
        else:
            assert "region" not in inputs, key
            assert_actions_on(result, alarm, regional)
        assert inputs["name"] == f"{name}-{key}"
    cdn = result.get(ALARM, f"{name}-cdn-5xx-rate")
    assert cdn.inputs["dimensions"]["Region"] == "Global"
    in_service = result.get(ALARM, f"{name}-web-in-service")
    group_deps = in_service.property_dependencies.get("threshold", ())
    assert resource_types(result, group_deps) == set(GROUP_TYPES), "threshold is the group's own minimum"


def alarm_metrics(alarm) -> set[str]:
    """The metrics an alarm watches: its own metric, or those its metric-math queries read."""
    if "metricName" in alarm.inputs:
        return {alarm.inputs["metricName"]}
    return {q["metric"]["metricName"] for q in alarm.inputs.get("metricQueries", ()) if "metric" in q}


def check_rollback_alarm(result: RunResult, name: str, alarm) -> None:
    regional, _ = topics(result, name)
    assert "HTTPCode_ELB_5XX_Count" in alarm_metrics(alarm)
    linked = alarm.property_dependencies.get("dimensions") or alarm.property_dependencies["metricQueries"]
    assert resource_types(result, linked) & set(LB_TYPES)
    assert alarm.property_dependencies.get("alarmActions") == (regional.urn,)
    # Listed by Monitoring, never duplicated.
    assert [a for a in result.find(ALARM) if "HTTPCode_ELB_5XX_Count" in alarm_metrics(a)] == [alarm]


def check_health_check(result: RunResult, name: str, domain: str, health_path: str, interval: float = 30.0,
                       threshold: float = 3.0) -> None:
    check = result.get(HEALTH_CHECK, f"{name}-www")
    i = check.inputs
    assert (i["type"], i["fqdn"], i["port"], i["resourcePath"]) == ("HTTPS", f"www.{domain}", 443.0, health_path)
    assert (i["requestInterval"], i["failureThreshold"], i["measureLatency"], i["enableSni"]) == \
        (interval, threshold, True, True)
    assert len(set(i["regions"])) >= 3
    alarm = result.get(ALARM, f"{name}-www-health-check")
    assert alarm.property_dependencies["dimensions"] == (check.urn,)
    if result.mode == "update":
        assert alarm.inputs["dimensions"]["HealthCheckId"] == check.id


def check_log_groups(result: RunResult, name: str, environment: str, retention: float) -> dict:
    key = result.get(KEY, f"{name}-logs")
    assert key.inputs["enableKeyRotation"] is True
    statements = json.loads(key.inputs["policy"])["Statement"]
    logs = [s for s in statements if s["Principal"].get("Service") == f"logs.{result.config['aws:region']}.amazonaws.com"]
    assert len(logs) == 1 and "kms:GenerateDataKey*" in logs[0]["Action"] and "kms:Decrypt*" in logs[0]["Action"]
    assert logs[0]["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"].endswith(":log-group:*")
    groups = {}
    for kind in ("application", "system", "auth"):
        group = result.get(LOG_GROUP, f"{name}-{kind}")
        assert group.inputs["name"] == f"/portal/{environment}/{kind}"
        assert group.inputs["retentionInDays"] == retention
        assert group.property_dependencies["kmsKeyId"] == (key.urn,)
        if result.mode == "update":
            assert group.inputs["kmsKeyId"] == key.outputs["arn"]
        groups[kind] = group
    return groups


def check_application_errors(result: RunResult, name: str, environment: str, application_group) -> None:
    metric_filter = result.get("aws:cloudwatch/logMetricFilter:LogMetricFilter", f"{name}-application-errors")
    assert metric_filter.property_dependencies["logGroupName"] == (application_group.urn,)
    transformation = metric_filter.inputs["metricTransformation"]
    assert transformation["value"] == "1" and transformation["defaultValue"] == "0"
    alarm = result.get(ALARM, f"{name}-app-errors")
    assert (alarm.inputs["namespace"], alarm.inputs["metricName"]) == \
        (transformation["namespace"], transformation["name"]) == (f"Portal/{environment}", "ApplicationErrors")
    assert metric_filter.urn in alarm.dependencies
    regional, _ = topics(result, name)
    assert_actions_on(result, alarm, regional)


def check_alerting(result: RunResult, name: str, emails, sms, https) -> None:
    account = "123456789012"
    for topic in topics(result, name):
        key = result.by_urn(topic.property_dependencies["kmsMasterKeyId"][0])
        assert key.type == KEY and key.inputs["enableKeyRotation"] is True
        assert key.inputs.get("region") == topic.inputs.get("region")
        key_statements = json.loads(key.inputs["policy"])["Statement"]
        services = {s for st in key_statements for s in _as_list(st["Principal"].get("Service", []))}
        policy = result.get("aws:sns/topicPolicy:TopicPolicy", topic.name)
        assert policy.property_dependencies["arn"] == (topic.urn,)
        statements = json.loads(policy.inputs["policy"])["Statement"]
        (denial,) = [s for s in statements if s["Effect"] == "Deny"]
        assert (denial["Principal"], denial["Action"], denial["Condition"]) == (
            "*", "SNS:Publish", {"Bool": {"aws:SecureTransport": "false"}})
        publishers = [s for s in statements if "Service" in s["Principal"]]
        assert len(publishers) == 1
        assert publishers[0]["Condition"] == {"StringEquals": {"aws:SourceAccount": account}}
        assert publishers[0]["Action"] == "SNS:Publish"
        published_by = set(_as_list(publishers[0]["Principal"]["Service"]))
        assert published_by <= services, "every service that may publish may also use the topic's key"
        if topic.inputs.get("region") == "us-east-1":
            assert published_by == {"cloudwatch.amazonaws.com"}
        else:
            assert published_by == {"cloudwatch.amazonaws.com", "events.rds.amazonaws.com", "backup.amazonaws.com",
                                    "autoscaling.amazonaws.com"}
        subscriptions = [s for s in result.find("aws:sns/topicSubscription:TopicSubscription")
                         if s.property_dependencies.get("topic") == (topic.urn,)]
        got = sorted((s.inputs["protocol"], s.inputs["endpoint"]) for s in subscriptions)
        assert got == sorted([("email", e) for e in emails] + [("sms", n) for n in sms] +
                             [("https", u) for u in https])
        for s in subscriptions:
            assert s.inputs.get("region") == topic.inputs.get("region")


def check_dashboard(result: RunResult, name: str) -> None:
    dashboard = result.get(DASHBOARD, f"{name}-dashboard")
    assert dashboard.inputs["dashboardName"] == name
    linked = resource_types(result, dashboard.property_dependencies["dashboardBody"])
    for types in (LB_TYPES, TG_TYPES, GROUP_TYPES, DB_TYPES, CACHE_TYPES, CDN_TYPES):
        assert linked & set(types), f"dashboard does not show a {types[0]}"
    if result.mode == "update":
        body = json.loads(dashboard.inputs["dashboardBody"])
        shown = json.dumps(body)
        for types, prop in ((DB_TYPES, "identifier"), (CACHE_TYPES, "clusterId"), (GROUP_TYPES, "name"),
                            (LB_TYPES, "arnSuffix"), (TG_TYPES, "arnSuffix")):
            for r in [r for t in types for r in result.find(t)]:
                if r.urn in dashboard.property_dependencies["dashboardBody"]:
                    assert r.outputs[prop] in shown, (r.name, prop)
        titles = [w["properties"]["title"] for w in body["widgets"]]
        assert titles[:8] == ["Requests", "5xx responses", "Target response time (s)", "Healthy hosts",
                              "Web group size", "Database CPU and connections", "Cache evictions and CPU",
                              "CDN error rate (%)"]
        assert body["widgets"][7]["properties"]["region"] == "us-east-1"
        disk = body["widgets"][8]["properties"]
        assert disk["title"] == "Web disk and memory used (%), fullest server" and disk["stat"] == "Maximum"
        assert [m[1] for m in disk["metrics"]] == ["disk_used_percent"] * len(WATCHED_DISK_PATHS) + [
            "mem_used_percent"]
        assert [m[5] for m in disk["metrics"][:-1]] == list(WATCHED_DISK_PATHS.values())


def check_database_events(result: RunResult, name: str) -> None:
    regional, _ = topics(result, name)
    sub = result.get("aws:rds/eventSubscription:EventSubscription", f"{name}-database-events")
    assert sub.property_dependencies["snsTopic"] == (regional.urn,)
    assert resource_types(result, sub.property_dependencies["sourceIds"]) == set(DB_TYPES)
    assert sub.inputs["sourceType"] == "db-instance"
    assert {"failover", "failure", "maintenance", "notification"} <= set(sub.inputs["eventCategories"])


def _as_list(value):
    return value if isinstance(value, list) else [value]


def check_group_notifications(result: RunResult, name: str) -> None:
    regional, _ = topics(result, name)
    notification = result.get("aws:autoscaling/notification:Notification", f"{name}-web-notifications")
    assert notification.property_dependencies["topicArn"] == (regional.urn,)
    assert resource_types(result, notification.property_dependencies["groupNames"]) == set(GROUP_TYPES)
    assert set(notification.inputs["notifications"]) == {"autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
                                                         "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"}


def check_disk_alarms(result: RunResult, name: str, threshold: float) -> None:
    """One alarm per volume the agent watches, on the fullest server of the group (the agent's aggregate by
    AutoScalingGroupName and path), acting on the regional topic."""
    regional, _ = topics(result, name)
    for label, path in WATCHED_DISK_PATHS.items():
        alarm = result.get(ALARM, f"{name}-web-disk-{label}")
        inputs = alarm.inputs
        assert (inputs["namespace"], inputs["metricName"], inputs["statistic"], inputs["comparisonOperator"]) == (
            "CWAgent", "disk_used_percent", "Maximum", "GreaterThanThreshold"), label
        assert inputs["threshold"] == threshold and inputs["period"] == 60.0, label
        assert set(inputs["dimensions"]) == {"AutoScalingGroupName", "path"}
        assert inputs["dimensions"]["path"] == path
        assert resource_types(result, alarm.property_dependencies["dimensions"]) == set(GROUP_TYPES)
        if result.mode == "update":
            group = [g for g in result.find(GROUP_TYPES[0]) if g.urn in alarm.property_dependencies["dimensions"]]
            assert inputs["dimensions"]["AutoScalingGroupName"] == group[0].outputs["name"]
        assert_actions_on(result, alarm, regional)
