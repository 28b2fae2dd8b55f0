"""Alarms, their wiring to a subscribed topic, coverage of every critical resource, log retention, SNS."""
from typing import Iterable, List, Tuple

from ._base import ADVISORY, resource_policy, stack_policy
from ._config import setting
from ._graph import Graph, Node
from ._props import as_list, fmt_num, is_unknown, number, truthy

ALARM = "cloudwatch/metricAlarm"
TOPIC = "sns/topic"


def _actions(g: Graph, alarm: Node) -> Tuple[List[Node], bool]:
    topics: List[Node] = []
    for key in ("alarmActions", "okActions", "insufficientDataActions"):
        for t in g.refs(alarm, key):
            if t not in topics:
                topics.append(t)
    has_any = any(as_list(alarm.props.get(k)) or is_unknown(alarm.props.get(k))
                  for k in ("alarmActions", "okActions", "insufficientDataActions"))
    return topics, has_any


def _wired(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for alarm in g.of(ALARM, "cloudwatch/compositeAlarm"):
        if truthy(alarm.props.get("actionsEnabled")) is False:
            yield alarm, f"Alarm {alarm.label()} has its actions disabled; set actionsEnabled to true."
            continue
        refs, has_any = _actions(g, alarm)
        if not has_any:
            yield alarm, (f"Alarm {alarm.label()} notifies nobody; set alarmActions to the alert topic's ARN.")
            continue
        for topic in [t for t in refs if t.kind == TOPIC]:
            if not g.referrers(topic, ("sns/topicSubscription",), ("topic",)):
                yield alarm, (f"Alarm {alarm.label()} notifies topic {topic.label()}, which has no subscription; add "
                              f"an aws.sns.TopicSubscription (email, SMS or a paging HTTPS endpoint).")


_KIND_TEXT = {"lb/loadBalancer": "Load balancer", "elb/loadBalancer": "Classic load balancer",
              "autoscaling/group": "Auto Scaling group", "rds/instance": "RDS instance", "rds/cluster": "RDS cluster",
              "elasticache/cluster": "Cache cluster", "elasticache/replicationGroup": "Replication group",
              "cloudfront/distribution": "Distribution"}


def _coverage(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    kinds = list(setting(config, "alarm-coverage", "coveredKinds"))
    watched = set()
    for alarm in g.of(ALARM):
        for d in g.refs(alarm, "dimensions") + g.refs(alarm, "metricQueries"):
            watched.add(d.urn)
    for node in g.of(*kinds):
        if node.kind == "elasticache/cluster" and node.props.get("replicationGroupId"):
            continue
        if node.urn in watched:
            continue
        what = _KIND_TEXT.get(node.kind, node.kind)
        yield node, (f"{what} {node.label()} has no CloudWatch alarm; add alarms on its key metrics (e.g. 5XX, "
                     f"unhealthy hosts, CPU, free storage, evictions) that notify the alert topic.")


def _log_retention(node: Node, config) -> Iterable[str]:
    need = number(setting(config, "log-group-retention", "minRetentionDays")) or 1
    raw = node.props.get("retentionInDays")
    if is_unknown(raw):
        return
    days = number(raw)
    if days is None or days == 0:
        yield f"Log group {node.label()} keeps logs forever; set retentionInDays (at least {fmt_num(need)})."
    elif days < need:
        yield f"Log group {node.label()} keeps logs {fmt_num(days)} days; set retentionInDays to at least {fmt_num(need)}."


def _log_group_kms(node: Node, config) -> Iterable[str]:
    if not node.props.get("kmsKeyId"):
        yield f"Log group {node.label()} is encrypted only with the service key; set kmsKeyId to a customer-managed key."


def _sns_kms(node: Node, config) -> Iterable[str]:
    if not node.props.get("kmsMasterKeyId"):
        yield f"Topic {node.label()} is not encrypted; set kmsMasterKeyId (e.g. alias/aws/sns or a customer key)."


_FAILURES = ("autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR")


def _asg_notifications(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for asg in g.of("autoscaling/group"):
        notes = g.referrers(asg, ("autoscaling/notification",), ("groupNames",))
        kinds = {k for n in notes for k in as_list(n.props.get("notifications"))}
        if not notes or not all(k in kinds for k in _FAILURES):
            yield asg, (f"Auto Scaling group {asg.label()} fails to launch or terminate instances silently; add an "
                        f"aws.autoscaling.Notification for launch and terminate errors to the alert topic.")


def _sns_tls(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    import json
    for topic in g.of(TOPIC):
        docs = [topic.props.get("policy")] + [p.props.get("policy") for p in
                                               g.referrers(topic, ("sns/topicPolicy",), ("arn",))]
        parsed = []
        for d in docs:
            if isinstance(d, str) and d and not is_unknown(d):
                try:
                    parsed.append(json.loads(d))
                except ValueError:
                    pass
            elif is_unknown(d):
                parsed.append(None)
        if None in parsed:
            continue  # a policy computed at deploy time: cannot be read, do not guess
        secure = any(st.get("Effect") == "Deny" and "aws:SecureTransport" in json.dumps(st.get("Condition") or {})
                     for doc in parsed if isinstance(doc, dict)
                     for st in as_list(doc.get("Statement")) if isinstance(st, dict))
        if not secure:
            yield topic, (f"Topic {topic.label()} accepts publishing over plain HTTP; add a topic policy statement that "
                          f"denies sns:Publish when aws:SecureTransport is false.")


def _delivery_logging(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for topic in g.of(TOPIC):
        subs = g.referrers(topic, ("sns/topicSubscription",), ("topic",))
        if any(str(sub.props.get("protocol")).lower() in ("http", "https") for sub in subs) and \
                not topic.props.get("httpFailureFeedbackRoleArn"):
            yield topic, (f"Topic {topic.label()} delivers to an HTTP(S) endpoint but logs no failed deliveries; set "
                          f"httpFailureFeedbackRoleArn (and httpSuccessFeedbackRoleArn) to a role that writes to "
                          f"CloudWatch Logs.")


POLICIES = [
    stack_policy(
        "alarm-actions-wired", _wired, level=ADVISORY, catalogue=("K1", "K2", "NEW-11"),
        description="CloudWatch alarms should notify an SNS topic of the stack that has at least one subscription."),
    stack_policy(
        "alarm-coverage", _coverage, level=ADVISORY, catalogue=("K3", "NEW-11"),
        description="Every load balancer, Auto Scaling group, database and cache should have at least one alarm.",
        config_schema={
            "coveredKinds": {
                "type": "array", "items": {"type": "string"},
                "default": ["lb/loadBalancer", "elb/loadBalancer", "autoscaling/group", "rds/instance", "rds/cluster",
                            "elasticache/cluster", "elasticache/replicationGroup"],
                "description": "Resource kinds that must each have an alarm.",
            },
        }),
    resource_policy(
        "log-group-retention", ("cloudwatch/logGroup",), _log_retention, level=ADVISORY, catalogue=("K4",),
        description="CloudWatch log groups should have a retention period.",
        config_schema={
            "minRetentionDays": {"type": "integer", "default": 30, "description": "Shortest acceptable retention."},
        }),
    resource_policy(
        "log-group-encrypted", ("cloudwatch/logGroup",), _log_group_kms, level=ADVISORY, catalogue=("K5",),
        description="CloudWatch log groups should be encrypted with a KMS key."),
    resource_policy(
        "sns-topic-encrypted", (TOPIC,), _sns_kms, level=ADVISORY, catalogue=("K6",),
        description="SNS topics should be encrypted with KMS."),
    stack_policy(
        "asg-notifications", _asg_notifications, level=ADVISORY, catalogue=("A16",),
        description="Auto Scaling groups should notify a topic of launch and terminate failures."),
    stack_policy(
        "sns-topic-tls-only", _sns_tls, level=ADVISORY, catalogue=("K7",),
        description="SNS topic policies should deny publishing without TLS (aws:SecureTransport)."),
    stack_policy(
        "sns-delivery-status-logging", _delivery_logging, level=ADVISORY, catalogue=("K8",),
        description="Topics with HTTP(S) subscriptions should log failed deliveries, so a silent pager is noticed."),
]
