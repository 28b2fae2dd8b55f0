"""A backup, copy or restore that fails reaches the on-call rota, from both vaults: the DR vault notifies a topic
in its own region. Successful jobs are filtered out at the subscriptions, so a daily success pages nobody."""

import json

import pytest

from components.monitoring.alerting import BACKUP_FAILURES_FILTER, alert_topic_policy
from tests.conftest import MODES, STACKS, linked

REGION, DR_REGION = "eu-west-1", "eu-central-1"
EMAILS = ["oncall@example.com"]
NOTIFICATIONS = "aws:backup/vaultNotifications:VaultNotifications"
VAULT = "aws:backup/vault:Vault"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
# Events AWS Backup really sends; BACKUP_JOB_FAILED and RESTORE_JOB_FAILED are deprecated and never arrive.
EVENTS = {"BACKUP_JOB_COMPLETED", "RESTORE_JOB_COMPLETED", "COPY_JOB_FAILED", "S3_BACKUP_OBJECT_FAILED",
          "S3_RESTORE_OBJECT_FAILED"}


@pytest.fixture(params=[(s, m) for s in STACKS for m in MODES], ids=lambda p: f"{p[0]}-{p[1]}")
def run(request, portal_run):
    result = portal_run(*request.param)
    assert result.error is None, result.error and result.error.details
    return request.param[0], result


def _matches(policy: dict, attributes: dict) -> bool:
    """SNS attribute filtering for the operators BACKUP_FAILURES_FILTER uses ($or, anything-but, exists)."""
    if "$or" in policy:
        return any(_matches(branch, attributes) for branch in policy["$or"])
    for key, conditions in policy.items():
        def one(condition):
            if "exists" in condition:
                return (key in attributes) is condition["exists"]
            return key in attributes and attributes[key] not in condition["anything-but"]
        if not any(one(c) for c in conditions):
            return False
    return True


@pytest.mark.parametrize("attributes, delivered", [
    ({"EventType": "BACKUP_JOB", "State": "COMPLETED"}, False),
    ({"EventType": "BACKUP_JOB", "State": "FAILED"}, True),
    ({"EventType": "BACKUP_JOB", "State": "EXPIRED"}, True),
    ({"EventType": "RESTORE_JOB", "State": "ABORTED"}, True),
    ({"EventType": "COPY_JOB"}, True),
])
def test_only_failed_jobs_are_delivered(attributes, delivered):
    assert _matches(BACKUP_FAILURES_FILTER, attributes) is delivered


def _vault_topic(result, notification):
    (topic_urn,) = linked(notification, "snsTopicArn")
    return result.by_urn(topic_urn)


def test_failed_backups_in_either_vault_alert_the_rota(run):
    stack, result = run
    name = f"portal-{stack}"
    notifications = {n.name: n for n in result.find(NOTIFICATIONS)}
    assert set(notifications) == {f"{name}-vault", f"{name}-vault-dr"}
    for label, region in ((f"{name}-vault", None), (f"{name}-vault-dr", DR_REGION)):
        notification = notifications[label]
        vault = result.get(VAULT, label)
        assert linked(notification, "backupVaultName") == {vault.urn}
        assert set(notification.inputs["backupVaultEvents"]) == EVENTS
        assert notification.inputs.get("region") == region == vault.inputs.get("region")
        topic = _vault_topic(result, notification)
        assert topic.inputs.get("region") == region, "a vault can only notify a topic in its own region"
        assert topic.inputs["kmsMasterKeyId"] is not None or linked(topic, "kmsMasterKeyId")
        subscriptions = [s for s in result.find(SUBSCRIPTION) if linked(s, "topic") == {topic.urn}]
        assert sorted(s.inputs["endpoint"] for s in subscriptions if s.inputs["protocol"] == "email") == EMAILS
        for s in subscriptions:
            assert s.inputs.get("region") == region
            assert json.loads(s.inputs["filterPolicy"]) == BACKUP_FAILURES_FILTER


def test_backup_may_publish_to_and_encrypt_for_its_topics(run):
    stack, result = run
    for notification in result.find(NOTIFICATIONS):
        topic = _vault_topic(result, notification)
        region = topic.inputs.get("region") or REGION
        policy = result.get("aws:sns/topicPolicy:TopicPolicy", topic.name)
        assert linked(policy, "arn") == {topic.urn} and policy.inputs.get("region") == topic.inputs.get("region")
        statements = json.loads(policy.inputs["policy"])["Statement"]
        (publish,) = [s for s in statements if s["Effect"] == "Allow" and "Service" in s["Principal"]]
        assert publish["Principal"]["Service"] == ["backup.amazonaws.com"] and publish["Action"] == "SNS:Publish"
        assert publish["Resource"] == f"arn:aws:sns:{region}:123456789012:{topic.inputs['name']}"
        assert "Condition" not in publish
        (key_urn,) = linked(topic, "kmsMasterKeyId")
        key = result.by_urn(key_urn)
        assert key.inputs.get("region") == topic.inputs.get("region")
        key_statements = json.loads(key.inputs["policy"])["Statement"]
        assert any(s["Principal"].get("Service") == ["backup.amazonaws.com"] and "kms:GenerateDataKey*" in s["Action"]
                   for s in key_statements)


@pytest.mark.parametrize("mode", MODES)
def test_without_a_dr_region_the_one_vault_still_alerts(portal_run, mode):
    result = portal_run("staging", mode, {"portal:drRegion": ""})
    assert result.error is None, result.error and result.error.details
    (notification,) = result.find(NOTIFICATIONS)
    assert notification.name == "portal-staging-vault"
    assert _vault_topic(result, notification).inputs.get("region") is None
    assert not [t for t in result.find(TOPIC) if t.inputs.get("region") == DR_REGION]


def test_the_source_account_condition_is_left_out_only_when_asked():
    arn = "arn:aws:sns:eu-west-1:123456789012:t"
    with_condition = json.loads(alert_topic_policy(arn, "123456789012", ("backup.amazonaws.com",), autoscaling=False))
    without = json.loads(alert_topic_policy(arn, "123456789012", ("backup.amazonaws.com",), autoscaling=False,
                                            source_account=False))
    assert with_condition["Statement"][1]["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert "Condition" not in without["Statement"][1]
    assert without["Statement"][-1]["Effect"] == "Deny"
