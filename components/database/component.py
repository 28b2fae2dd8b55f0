"""`ecommerce:database:Database`: RDS MySQL Multi-AZ in the data subnets, holding the shop and its sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pulumi
import pulumi_aws as aws

from components.database.settings import DatabaseSettings, major_version
from components.security import MYSQL_PORT
from components.iam import assume_role_policy
from components.tagging import tagger

LOG_EXPORTS = ("error", "slowquery")
SESSIONS_DDL = Path(__file__).with_name("sessions.sql")
# Names in sessions.sql; the web tier's session handler is configured from `session_store`.
SESSION_TABLE = "sessions"
SESSION_COLUMNS = {"id": "sess_id", "data": "sess_data", "lifetime": "sess_lifetime", "time": "sess_time"}


@dataclass(frozen=True)
class DatabaseArgs:
    settings: DatabaseSettings
    environment: str
    data_subnet_ids: Mapping[str, pulumi.Input[str]]
    # The chain's database group (components/security.py): it admits the web servers and the bootstrap function.
    security_group: aws.ec2.SecurityGroup
    protect: bool = True
    # Region that automated backups are replicated to; empty for none.
    dr_region: str = ""
    # Customer-managed key for the exported MySQL logs (the Logging tier's); None leaves the service key.
    log_kms_key_arn: pulumi.Input[str] | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


def parameters(settings: DatabaseSettings) -> dict[str, str]:
    """MySQL server parameters: utf8mb4 everywhere, TLS-only connections, the slow query log on."""
    return {
        "character_set_server": "utf8mb4",
        "collation_server": "utf8mb4_0900_ai_ci",
        "require_secure_transport": "1",
        "slow_query_log": "1",
        "long_query_time": str(settings.long_query_time),
        # Slow queries go to a file that RDS exports to CloudWatch Logs, not to a table nobody reads.
        "log_output": "FILE",
    }


class Database(pulumi.ComponentResource):
    instance: aws.rds.Instance
    endpoint: pulumi.Output[str]
    address: pulumi.Output[str]
    port: int
    master_secret_arn: pulumi.Output[str]
    security_group: aws.ec2.SecurityGroup
    database_name: str
    session_table: str
    session_store: dict

    def __init__(self, name: str, args: DatabaseArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:database:Database", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings
        partition = aws.get_partition().partition
        identifier = f"{name}-mysql"
        major = major_version(settings.engine_version)

        tags = tagger(args.environment, args.tags)

        self.security_group = args.security_group

        zones = sorted(args.data_subnet_ids)
        self.subnet_group = aws.rds.SubnetGroup(
            f"{name}-db", name=f"{name}-db", description=f"Data subnets of {name} in {', '.join(zones)}",
            subnet_ids=[args.data_subnet_ids[az] for az in zones], tags=tags(f"{name}-db"), opts=child)

        # A new parameter group (new family on an engine upgrade) gets a fresh name from the prefix and is created
        # before the old one is deleted, so the instance can move to it while the old one is still attached.
        self.parameter_group = aws.rds.ParameterGroup(
            f"{name}-mysql", name_prefix=f"{name}-mysql{major.replace('.', '')}-", family=f"mysql{major}",
            description=f"MySQL {major} settings of {name}: utf8mb4, TLS only, slow query log",
            parameters=[aws.rds.ParameterGroupParameterArgs(name=k, value=v, apply_method="immediate")
                        for k, v in parameters(settings).items()],
            tags=tags(f"{name}-mysql"),
            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=False))

        self.monitoring_role = aws.iam.Role(
            f"{name}-db-monitoring", assume_role_policy=assume_role_policy("monitoring.rds.amazonaws.com"),
            description=f"Enhanced monitoring of {identifier}", tags=tags(f"{name}-db-monitoring"), opts=child)
        monitoring_policy = aws.iam.RolePolicyAttachment(
            f"{name}-db-monitoring", role=self.monitoring_role.name,
            policy_arn=f"arn:{partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", opts=child)

        # Created before the instance so RDS writes into groups with a retention, not never-expiring ones.
        self.log_groups = {
            log: aws.cloudwatch.LogGroup(
                f"{name}-db-{log}", name=f"/aws/rds/instance/{identifier}/{log}",
                retention_in_days=settings.log_retention_days, kms_key_id=args.log_kms_key_arn,
                tags=tags(f"{name}-db-{log}"), opts=child)
            for log in LOG_EXPORTS
        }

        # Protected stacks keep the database even if it is dropped from the program: deleting it takes an
        # explicit unprotect and a console action, and even then the final snapshot is taken.
        protected = pulumi.ResourceOptions(
            parent=self, protect=args.protect, retain_on_delete=args.protect,
            depends_on=[monitoring_policy, *self.log_groups.values()])
        self.instance = aws.rds.Instance(
            f"{name}-mysql",
            identifier=identifier,
            engine="mysql",
            engine_version=settings.engine_version,
            # Minor versions arrive in the maintenance window. The major version changes only when
            # portal:dbEngineVersion does (8.0 -> 8.4), and then the upgrade must not be refused.
            auto_minor_version_upgrade=True,
            allow_major_version_upgrade=True,
            # When a major version leaves RDS standard support (8.0 did on 2026-07-31, 8.4 does in 2029) the
            # database keeps running on paid Extended Support instead of being upgraded by RDS without a
            # release; said explicitly so the cost shows in the preview rather than on the bill.
            engine_lifecycle_support="open-source-rds-extended-support",
            instance_class=settings.instance_class,
            multi_az=True,
            db_subnet_group_name=self.subnet_group.name,
            vpc_security_group_ids=[self.security_group.id],
            publicly_accessible=False,
            port=MYSQL_PORT,
            parameter_group_name=self.parameter_group.name,
            ca_cert_identifier="rds-ca-rsa2048-g1",
            db_name=settings.db_name,
            username=settings.master_username,
            # RDS generates and rotates the password in Secrets Manager: none in config, state or outputs.
            manage_master_user_password=True,
            # The application (and operators) sign in with short-lived IAM tokens; the master secret stays with
            # the bootstrap function.
            iam_database_authentication_enabled=True,
            storage_type="gp3",
            allocated_storage=settings.allocated_storage,
            max_allocated_storage=settings.max_allocated_storage,
            storage_encrypted=True,
            deletion_protection=args.protect,
            skip_final_snapshot=False,
            final_snapshot_identifier=f"{identifier}-final",
            # Automated backups outlive the instance, so a deleted database can still be restored in time.
            delete_automated_backups=False,
            copy_tags_to_snapshot=True,
            backup_retention_period=settings.backup_retention_days,
            backup_window=settings.backup_window,
            maintenance_window=settings.maintenance_window,
            enabled_cloudwatch_logs_exports=list(LOG_EXPORTS),
            performance_insights_enabled=True,
            performance_insights_retention_period=settings.performance_insights_retention_days,
            monitoring_interval=settings.monitoring_interval,
            monitoring_role_arn=self.monitoring_role.arn,
            apply_immediately=False,
            tags=tags(identifier),
            opts=protected)

        self.endpoint = self.instance.endpoint
        self.address = self.instance.address
        self.port = MYSQL_PORT
        self.master_secret_arn = self.instance.master_user_secrets.apply(
            lambda secrets: secrets[0].secret_arn if secrets else None)
        self.database_name = settings.db_name
        self.session_table = SESSION_TABLE
        # What the session handler needs beyond the connection the application already has: no credentials.
        self.session_store = {"table": SESSION_TABLE, "columns": dict(SESSION_COLUMNS)}

        self.backup_replication = None
        if args.dr_region:
            self._replicate_backups(name, args, tags)

        self.register_outputs({
            "endpoint": self.endpoint,
            "address": self.address,
            "port": self.port,
            "masterSecretArn": self.master_secret_arn,
            "securityGroupId": self.security_group.id,
            "databaseName": self.database_name,
            "sessionStore": self.session_store,
        })

    def _replicate_backups(self, name: str, args: DatabaseArgs, tags) -> None:
        """Automated backups (point-in-time recovery) copied to the DR region, encrypted with a key there."""
        dr = args.dr_region
        self.dr_key = aws.kms.Key(
            f"{name}-db-dr", region=dr, description=f"Replicated automated backups of {name}-mysql in {dr}",
            enable_key_rotation=True, deletion_window_in_days=30, tags=tags(f"{name}-db-dr"),
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect))
        self.backup_replication = aws.rds.InstanceAutomatedBackupsReplication(
            f"{name}-db-dr", region=dr, source_db_instance_arn=self.instance.arn, kms_key_id=self.dr_key.arn,
            retention_period=args.settings.backup_retention_days,
            opts=pulumi.ResourceOptions(parent=self))
