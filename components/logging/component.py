"""`ecommerce:logging:Logging`: the log groups the instances' CloudWatch agent ships to, encrypted with a
customer-managed KMS key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import pulumi
import pulumi_aws as aws

from components.iam import policy_document
from components.logging.settings import LoggingSettings
from components.tagging import tagger

LOG_KINDS = ("application", "system", "auth")


@dataclass(frozen=True)
class LoggingArgs:
    settings: LoggingSettings
    environment: str
    tags: Mapping[str, str] = field(default_factory=dict)


def log_group_name(environment: str, kind: str) -> str:
    return f"/portal/{environment}/{kind}"


def logs_key_policy(account_id: str, region: str, partition: str = "aws") -> str:
    """Key policy: the account administers the key; CloudWatch Logs in this region may use it, but only for
    this account's log groups (the encryption context names the log group)."""
    return policy_document(
        {"Sid": "AccountAdministers", "Effect": "Allow",
         "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "CloudWatchLogsUsesKey", "Effect": "Allow",
         "Principal": {"Service": f"logs.{region}.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*",
         "Condition": {"ArnLike": {
             "kms:EncryptionContext:aws:logs:arn": f"arn:{partition}:logs:{region}:{account_id}:log-group:*"}}})


class Logging(pulumi.ComponentResource):
    log_groups: dict[str, aws.cloudwatch.LogGroup]
    log_group_names: dict[str, pulumi.Output[str]]
    log_group_arns: dict[str, pulumi.Output[str]]
    kms_key_arn: pulumi.Output[str]

    def __init__(self, name: str, args: LoggingArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:logging:Logging", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        identity = aws.get_caller_identity()
        region = aws.get_region().region
        partition = aws.get_partition().partition

        tags = tagger(args.environment, args.tags)

        self.kms_key = aws.kms.Key(
            f"{name}-logs", description=f"Encrypts the {name} instance log groups",
            enable_key_rotation=True, deletion_window_in_days=30,
            policy=logs_key_policy(identity.account_id, region, partition), tags=tags(f"{name}-logs"), opts=child)
        aws.kms.Alias(f"{name}-logs", name=f"alias/{name}-logs", target_key_id=self.kms_key.key_id, opts=child)
        self.kms_key_arn = self.kms_key.arn

        self.log_groups = {}
        for kind in LOG_KINDS:
            self.log_groups[kind] = aws.cloudwatch.LogGroup(
                f"{name}-{kind}", name=log_group_name(args.environment, kind),
                retention_in_days=args.settings.retention_days, kms_key_id=self.kms_key.arn,
                tags=tags(f"{name}-{kind}"), opts=child)
        self.log_group_names = {kind: group.name for kind, group in self.log_groups.items()}
        self.log_group_arns = {kind: group.arn for kind, group in self.log_groups.items()}
        self.register_outputs({"logGroupNames": self.log_group_names, "logGroupArns": self.log_group_arns,
                               "kmsKeyArn": self.kms_key_arn})
