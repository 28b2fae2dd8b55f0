"""`ecommerce:monitoring:Alerting`: the encrypted SNS topics every alarm and AWS service notification goes to."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Mapping

import pulumi
import pulumi_aws as aws

from components.monitoring.settings import MonitoringSettings
from components.iam import policy_document
from components.tagging import tagger

GLOBAL_REGION = "us-east-1"

# Services that publish to the topic as service principals. The AWS-managed key alias/aws/sns cannot be used:
# its key policy cannot be changed, so CloudWatch alarms, RDS event subscriptions and AWS Backup (which call
# KMS as their own service principal) could never encrypt a message for the topic and would fail silently.
PUBLISHING_SERVICES = ("cloudwatch.amazonaws.com", "events.rds.amazonaws.com", "backup.amazonaws.com",
                       "autoscaling.amazonaws.com")
# Auto Scaling sends its notifications as its service-linked role, not as a service principal. The role only
# exists once the account's first group is created, and a policy naming a missing role is rejected, so the
# role is matched by aws:PrincipalArn instead of being named as the principal.
AUTOSCALING_ROLE = "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
# AWS Backup reports a failed backup or restore job as BACKUP_JOB_COMPLETED / RESTORE_JOB_COMPLETED with a State
# message attribute other than COMPLETED (the *_JOB_FAILED events are deprecated and never sent). The backup
# topics' subscriptions drop the successful completions, so a daily success is no page; events that carry no
# State (COPY_JOB_FAILED, S3 object failures) always pass.
BACKUP_FAILURES_FILTER = {"$or": [{"State": [{"anything-but": ["COMPLETED"]}]}, {"State": [{"exists": False}]}]}
OWNER_ACTIONS = ("SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
                 "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish")


@dataclass(frozen=True)
class AlertingArgs:
    settings: MonitoringSettings
    environment: str
    # Region of the disaster-recovery backup vault, which can only notify a topic in its own region; empty for none.
    dr_region: str = ""
    tags: Mapping[str, str] = field(default_factory=dict)


def alert_key_policy(account_id: str, services: tuple[str, ...], partition: str = "aws",
                     autoscaling: bool = True) -> str:
    statements = [
        {"Sid": "AccountAdministers", "Effect": "Allow", "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "ServicesEncryptForTopic", "Effect": "Allow", "Principal": {"Service": list(services)},
         "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"},
    ]
    if autoscaling:
        statements.append(
            {"Sid": "AutoScalingRoleEncryptsForTopic", "Effect": "Allow", "Principal": {"AWS": "*"},
             "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*",
             "Condition": {"ArnEquals": {"aws:PrincipalArn": f"arn:{partition}:iam::{account_id}:{AUTOSCALING_ROLE}"},
                           "StringEquals": {"aws:PrincipalAccount": account_id}}})
    return policy_document(*statements)


def alert_topic_policy(topic_arn: str, account_id: str, services: tuple[str, ...], partition: str = "aws",
                       autoscaling: bool = True, source_account: bool = True) -> str:
    publish = {"Sid": "ServicesPublish", "Effect": "Allow", "Principal": {"Service": list(services)},
               "Action": "SNS:Publish", "Resource": topic_arn}
    if source_account:
        # aws:SourceAccount stops another account's alarm or event subscription from using these services
        # as a confused deputy to publish here.
        publish["Condition"] = {"StringEquals": {"aws:SourceAccount": account_id}}
    statements = [
        {"Sid": "OwnerManages", "Effect": "Allow", "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
         "Action": list(OWNER_ACTIONS), "Resource": topic_arn},
        publish,
    ]
    if autoscaling:
        # A role is no service principal, so aws:SourceAccount is absent from its requests; the role's own
        # account is checked instead.
        statements.append(
            {"Sid": "AutoScalingRolePublishes", "Effect": "Allow", "Principal": {"AWS": "*"},
             "Action": "SNS:Publish", "Resource": topic_arn,
             "Condition": {"ArnEquals": {"aws:PrincipalArn": f"arn:{partition}:iam::{account_id}:{AUTOSCALING_ROLE}"},
                           "StringEquals": {"aws:PrincipalAccount": account_id}}})
    # Alerts may carry resource names and addresses: nobody publishes them over plain HTTP.
    statements.append(
        {"Sid": "DenyPublishWithoutTls", "Effect": "Deny", "Principal": "*", "Action": "SNS:Publish",
         "Resource": topic_arn, "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    return policy_document(*statements)


def subscription_key(protocol: str, endpoint: str) -> str:
    """A stable logical-name suffix per endpoint. URLs are hashed: a paging service's URL often carries its
    integration key, which must not end up in resource names shown by every preview."""
    if protocol == "https":
        return f"https-{hashlib.sha256(endpoint.encode()).hexdigest()[:12]}"
    return f"{protocol}-{re.sub(r'[^A-Za-z0-9.@_-]', '-', endpoint.lstrip('+'))}"


class Alerting(pulumi.ComponentResource):
    topic: aws.sns.Topic
    topic_arn: pulumi.Output[str]
    global_topic: aws.sns.Topic
    global_topic_arn: pulumi.Output[str]
    backup_topic_arn: pulumi.Output[str]
    dr_backup_topic_arn: pulumi.Output[str] | None

    def __init__(self, name: str, args: AlertingArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:monitoring:Alerting", name, None, opts)
        self._name = name
        self._args = args
        self._tags = tagger(args.environment, args.tags)
        identity = aws.get_caller_identity()
        self._account = identity.account_id
        self._partition = aws.get_partition().partition
        region = aws.get_region().region
        self._region = region

        self.topic = self._topic(f"{name}-alerts", None, PUBLISHING_SERVICES, autoscaling=True)
        self.topic_arn = self.topic.arn
        if region == GLOBAL_REGION:
            self.global_topic = self.topic
        else:
            # CloudWatch alarm actions must be in the alarm's region, and the CloudFront and Route 53 health
            # check metrics exist only in us-east-1: those alarms notify this second topic, which carries the
            # same subscriptions (e-mail recipients confirm each topic once).
            self.global_topic = self._topic(f"{name}-alerts-{GLOBAL_REGION}", GLOBAL_REGION,
                                            ("cloudwatch.amazonaws.com",), autoscaling=False)
        self.global_topic_arn = self.global_topic.arn

        # Backup vault events go to topics of their own: their subscriptions filter out successful jobs, which
        # a filter on the alarm topic would do to every alarm too. AWS Backup cannot notify another account's
        # topic, so no aws:SourceAccount condition is needed (nor documented for it).
        self.backup_topic = self._topic(f"{name}-backup-alerts", None, ("backup.amazonaws.com",),
                                        autoscaling=False, source_account=False,
                                        filter_policy=BACKUP_FAILURES_FILTER)
        self.backup_topic_arn = self.backup_topic.arn
        self.dr_backup_topic = None
        if args.dr_region:
            self.dr_backup_topic = self._topic(f"{name}-backup-alerts-{args.dr_region}", args.dr_region,
                                               ("backup.amazonaws.com",), autoscaling=False, source_account=False,
                                               filter_policy=BACKUP_FAILURES_FILTER)
        self.dr_backup_topic_arn = self.dr_backup_topic.arn if self.dr_backup_topic is not None else None
        self.register_outputs({"topicArn": self.topic_arn, "globalTopicArn": self.global_topic_arn,
                               "backupTopicArn": self.backup_topic_arn, "drBackupTopicArn": self.dr_backup_topic_arn})

    def _topic(self, label: str, region: str | None, services: tuple[str, ...], autoscaling: bool,
               source_account: bool = True, filter_policy: Mapping | None = None) -> aws.sns.Topic:
        child = pulumi.ResourceOptions(parent=self)
        tags = self._tags(label)
        key = aws.kms.Key(
            label, description=f"Encrypts the {label} SNS topic", enable_key_rotation=True,
            deletion_window_in_days=30, region=region,
            policy=alert_key_policy(self._account, services, self._partition, autoscaling), tags=tags, opts=child)
        aws.kms.Alias(label, name=f"alias/{label}", target_key_id=key.key_id, region=region, opts=child)
        topic = aws.sns.Topic(label, name=label, display_name=f"{self._name} alerts", kms_master_key_id=key.arn,
                              region=region, tags=tags, opts=child)
        aws.sns.TopicPolicy(
            label, arn=topic.arn, region=region,
            # Built from the topic's known name rather than its ARN output, so the policy is readable (and
            # checkable by the policy pack) already at the first preview.
            policy=alert_topic_policy(f"arn:{self._partition}:sns:{region or self._region}:{self._account}:{label}",
                                      self._account, services, self._partition, autoscaling, source_account),
            opts=child)
        settings = self._args.settings
        for protocol, endpoints in (("email", settings.alert_emails), ("sms", settings.alert_sms_numbers),
                                    ("https", settings.alert_https_endpoints)):
            for endpoint in endpoints:
                aws.sns.TopicSubscription(
                    f"{label}-{subscription_key(protocol, endpoint)}", topic=topic.arn, protocol=protocol,
                    endpoint=endpoint, region=region,
                    filter_policy=json.dumps(filter_policy) if filter_policy is not None else None, opts=child)
        return topic
