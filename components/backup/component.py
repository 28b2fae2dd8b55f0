"""`ecommerce:backup:Backup`: AWS Backup of the database and the buckets that hold data.

Automated backups give point-in-time recovery for `dbBackupRetentionDays`; this plan keeps daily and monthly
recovery points much longer, in a vault with its own key, and copies them to the disaster-recovery region.
S3 is not backed up by itself: versioning survives a deleted object, not a deleted
bucket or a bad bulk rewrite, so the buckets whose content cannot be rebuilt are in the plan too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import pulumi
import pulumi_aws as aws

from components.backup.settings import BACKUP_START_WINDOW_MINUTES, BackupSettings
from components.iam import assume_role_policy
from components.tagging import tagger
from components.validation import dr_region_problem

# Minutes a started job may run before AWS Backup cancels it: a snapshot of a large database takes hours.
COMPLETION_WINDOW_MINUTES = 8 * 60
SERVICE_POLICIES = ("service-role/AWSBackupServiceRolePolicyForBackup",
                    "service-role/AWSBackupServiceRolePolicyForRestores")
# The S3 managed policies live at the root of the aws policy path, not under service-role/.
S3_SERVICE_POLICIES = ("AWSBackupServiceRolePolicyForS3Backup", "AWSBackupServiceRolePolicyForS3Restore")
# The vault events that can report a failure. BACKUP_JOB_FAILED and RESTORE_JOB_FAILED are accepted by the API but
# deprecated: AWS Backup never sends them, and reports a failed job as *_JOB_COMPLETED with a State attribute
# (the alert topics' subscriptions keep only the failures). S3 object failures are the ones a job that still
# ends COMPLETED ("completed with issues") reports.
VAULT_EVENTS = ("BACKUP_JOB_COMPLETED", "RESTORE_JOB_COMPLETED", "COPY_JOB_FAILED", "S3_BACKUP_OBJECT_FAILED",
                "S3_RESTORE_OBJECT_FAILED")


@dataclass(frozen=True)
class BackupArgs:
    settings: BackupSettings
    environment: str
    database_instance_arn: pulumi.Input[str]
    # SNS topic in the portal's region that the vault reports failed jobs to.
    notification_topic_arn: pulumi.Input[str]
    # The disaster-recovery region the recovery points are copied to (the general setting); empty for none.
    dr_region: str = ""
    # The same in dr_region, for the DR vault (a vault only notifies a topic in its own region).
    dr_notification_topic_arn: pulumi.Input[str] | None = None
    # Buckets (purpose -> ARN) whose content cannot be rebuilt; AWS Backup needs them versioned.
    bucket_arns: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    protect: bool = True
    tags: Mapping[str, str] = field(default_factory=dict)


def schedules(hour_utc: int) -> dict[str, str]:
    """AWS Backup cron expressions (six fields, UTC) of the daily and the monthly rule."""
    return {"daily": f"cron(0 {hour_utc} * * ? *)", "monthly": f"cron(0 {hour_utc} 1 * ? *)"}


class Backup(pulumi.ComponentResource):
    vault: aws.backup.Vault
    plan: aws.backup.Plan
    selection: aws.backup.Selection
    dr_vault: aws.backup.Vault | None

    def __init__(self, name: str, args: BackupArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:backup:Backup", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings
        partition = aws.get_partition().partition
        problem = dr_region_problem(args.dr_region, aws.get_region().region)
        if problem:
            raise ValueError(problem)
        if args.dr_region and args.dr_notification_topic_arn is None:
            raise ValueError(f"portal:drRegion = {args.dr_region}: the DR vault needs dr_notification_topic_arn, "
                             "a topic in that region, or its failed copies and restores would go unreported")

        tags = tagger(args.environment, args.tags)

        # Losing a vault's key loses every recovery point in it: the keys are protected like the vault.
        kept = pulumi.ResourceOptions(parent=self, protect=args.protect)
        self.key = aws.kms.Key(
            f"{name}-backup", description=f"AWS Backup vault {name}-vault", enable_key_rotation=True,
            deletion_window_in_days=30, tags=tags(f"{name}-backup"), opts=kept)
        self.vault = aws.backup.Vault(
            f"{name}-vault", name=f"{name}-vault", kms_key_arn=self.key.arn, force_destroy=False,
            tags=tags(f"{name}-vault"), opts=kept)

        self.dr_vault = None
        if args.dr_region:
            dr = args.dr_region
            self.dr_key = aws.kms.Key(
                f"{name}-backup-dr", region=dr, description=f"AWS Backup vault {name}-vault-dr in {dr}",
                enable_key_rotation=True, deletion_window_in_days=30, tags=tags(f"{name}-backup-dr"), opts=kept)
            self.dr_vault = aws.backup.Vault(
                f"{name}-vault-dr", region=dr, name=f"{name}-vault-dr", kms_key_arn=self.dr_key.arn,
                force_destroy=False, tags=tags(f"{name}-vault-dr"), opts=kept)

        self.notifications = {"vault": aws.backup.VaultNotifications(
            f"{name}-vault", backup_vault_name=self.vault.name, sns_topic_arn=args.notification_topic_arn,
            backup_vault_events=list(VAULT_EVENTS), opts=child)}
        if self.dr_vault is not None:
            self.notifications["vault-dr"] = aws.backup.VaultNotifications(
                f"{name}-vault-dr", region=args.dr_region, backup_vault_name=self.dr_vault.name,
                sns_topic_arn=args.dr_notification_topic_arn, backup_vault_events=list(VAULT_EVENTS), opts=child)

        # Governance-mode locks: no one without the explicit bypass permission can delete a recovery point before
        # the daily retention has passed, not even an administrator in a hurry. (Compliance mode would make the
        # vault undeletable for good, which a staging stack cannot afford.)
        self.vault_lock = aws.backup.VaultLockConfiguration(
            f"{name}-vault", backup_vault_name=self.vault.name, min_retention_days=settings.daily_retention_days,
            opts=child)
        if self.dr_vault is not None:
            self.dr_vault_lock = aws.backup.VaultLockConfiguration(
                f"{name}-vault-dr", region=args.dr_region, backup_vault_name=self.dr_vault.name,
                min_retention_days=settings.daily_retention_days, opts=child)

        retention = {"daily": settings.daily_retention_days, "monthly": settings.monthly_retention_days}
        rules = []
        for rule, schedule in schedules(settings.hour_utc).items():
            copies = []
            if self.dr_vault is not None:
                copies.append(aws.backup.PlanRuleCopyActionArgs(
                    destination_vault_arn=self.dr_vault.arn,
                    lifecycle=aws.backup.PlanRuleCopyActionLifecycleArgs(delete_after=retention[rule])))
            rules.append(aws.backup.PlanRuleArgs(
                rule_name=rule, target_vault_name=self.vault.name, schedule=schedule,
                start_window=BACKUP_START_WINDOW_MINUTES, completion_window=COMPLETION_WINDOW_MINUTES,
                lifecycle=aws.backup.PlanRuleLifecycleArgs(delete_after=retention[rule]),
                copy_actions=copies or None, recovery_point_tags=tags(f"{name}-{rule}")))
        self.plan = aws.backup.Plan(f"{name}-plan", name=f"{name}-plan", rules=rules, tags=tags(f"{name}-plan"),
                                    opts=child)

        self.role = aws.iam.Role(
            f"{name}-backup", description=f"AWS Backup service role of {name}",
            assume_role_policy=assume_role_policy("backup.amazonaws.com"), tags=tags(f"{name}-backup"), opts=child)
        policies = SERVICE_POLICIES + (S3_SERVICE_POLICIES if args.bucket_arns else ())
        attachments = [
            aws.iam.RolePolicyAttachment(
                f"{name}-backup-{policy.rsplit('AWSBackupServiceRolePolicy', 1)[1].lower()}", role=self.role.name,
                policy_arn=f"arn:{partition}:iam::aws:policy/{policy}", opts=child)
            for policy in policies
        ]

        self.selection = aws.backup.Selection(
            f"{name}-database", name=f"{name}-database", plan_id=self.plan.id, iam_role_arn=self.role.arn,
            resources=[args.database_instance_arn],
            opts=pulumi.ResourceOptions(parent=self, depends_on=attachments))
        self.bucket_selection = aws.backup.Selection(
            f"{name}-buckets", name=f"{name}-buckets", plan_id=self.plan.id, iam_role_arn=self.role.arn,
            resources=[args.bucket_arns[purpose] for purpose in sorted(args.bucket_arns)],
            opts=pulumi.ResourceOptions(parent=self, depends_on=attachments)) if args.bucket_arns else None

        self.register_outputs({
            "vaultArn": self.vault.arn,
            "planId": self.plan.id,
            "drVaultArn": self.dr_vault.arn if self.dr_vault is not None else None,
        })
