"""The state tiers (Database, Cache, Backup) of the whole portal, for both stacks in both runner modes.

Links are asserted through property dependencies, which hold in preview mode (a first `pulumi preview`,
every ID unknown) as well as in update mode, where the fabricated values are compared too.
"""

import json
import re
from pathlib import Path

import pytest

from tests.conftest import MODES, STACKS, linked

from components.database.settings import daily_window, intervals_overlap, windows_overlap
from preflight.runner import UNKNOWN

ROOT = Path(__file__).resolve().parent.parent
AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
DR_REGION = "eu-central-1"
# What the stack files promise: prod keeps backups longer and is protected; staging is not.
EXPECTED = {
    "staging": {"protect": False, "retention": 7, "daily": 7, "monthly": 90, "storage": (20, 100)},
    "prod": {"protect": True, "retention": 14, "daily": 35, "monthly": 365, "storage": (100, 1000)},
}

INSTANCE = "aws:rds/instance:Instance"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
KEY = "aws:kms/key:Key"
VAULT = "aws:backup/vault:Vault"
LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"




def name(run, suffix=""):
    return f"portal-{run.stack}{suffix}"


def instance(run):
    return run.get(INSTANCE, name(run, "-mysql"))


def data_subnet_urns(run):
    return {s.urn for s in run.find("aws:ec2/subnet:Subnet") if s.inputs["tags"]["Tier"] == "data"}


def assumed_by(role):
    policy = json.loads(role.inputs["assumeRolePolicy"])
    return {s["Principal"]["Service"] for s in policy["Statement"] if s["Action"] == "sts:AssumeRole"}


def attached_policies(run, role):
    return {a.inputs["policyArn"].rsplit("/", 1)[-1] for a in run.find(ATTACHMENT) if linked(a, "role") == {role.urn}}


def walk(value, path=""):
    """Every (path, key, value) in a nested input structure."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path, k, v
            yield from walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, f"{path}[{i}]")


# -- components -------------------------------------------------------------------------------------

CHILDREN = {
    "ecommerce:database:Database": {
        ("aws:rds/subnetGroup:SubnetGroup", "-db"), ("aws:rds/parameterGroup:ParameterGroup", "-mysql"),
        (ROLE, "-db-monitoring"), (ATTACHMENT, "-db-monitoring"), (INSTANCE, "-mysql"),
        ("aws:cloudwatch/logGroup:LogGroup", "-db-error"), ("aws:cloudwatch/logGroup:LogGroup", "-db-slowquery"),
        (KEY, "-db-dr"),
        ("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", "-db-dr")},
    "ecommerce:cache:Cache": {
        ("aws:elasticache/subnetGroup:SubnetGroup", "-cache"),
        ("aws:elasticache/cluster:Cluster", "-cache")},
    "ecommerce:backup:Backup": {
        (KEY, "-backup"), (VAULT, "-vault"), (KEY, "-backup-dr"), (VAULT, "-vault-dr"),
        ("aws:backup/plan:Plan", "-plan"), (ROLE, "-backup"), (ATTACHMENT, "-backup-forbackup"),
        (ATTACHMENT, "-backup-forrestores"), (ATTACHMENT, "-backup-fors3backup"),
        (ATTACHMENT, "-backup-fors3restore"), ("aws:backup/selection:Selection", "-database"),
        ("aws:backup/selection:Selection", "-buckets"),
        (LOCK, "-vault"), (LOCK, "-vault-dr"),
        ("aws:backup/vaultNotifications:VaultNotifications", "-vault"),
        ("aws:backup/vaultNotifications:VaultNotifications", "-vault-dr")},
}


@pytest.mark.parametrize("token", sorted(CHILDREN))
def test_each_tier_is_one_component_under_the_portal_owning_its_children(run, token):
    (component,) = run.find(token)
    assert component.name == name(run)
    assert run.by_urn(component.parent).type == "ecommerce:portal:Portal"
    children = {(c.type, c.name) for c in run.children(component)}
    expected = {(t, name(run, suffix)) for t, suffix in CHILDREN[token]}
    # The security groups and their rules are the chain's (components/security.py), not the tiers'.
    assert children == expected


# -- database ---------------------------------------------------------------------------------------

def test_database_is_mysql_84_multi_az_in_every_data_subnet(run):
    db = instance(run)
    assert db.inputs["engine"] == "mysql"
    # 8.0 is past RDS standard support: a new stack must not start on paid Extended Support.
    assert re.fullmatch(r"8\.4(\.\d+)?", db.inputs["engineVersion"])
    assert db.inputs["multiAz"] is True
    assert db.inputs["publiclyAccessible"] is False
    assert db.inputs["port"] == 3306.0
    group = run.get("aws:rds/subnetGroup:SubnetGroup", name(run, "-db"))
    assert linked(db, "dbSubnetGroupName") == {group.urn}
    assert linked(group, "subnetIds") == data_subnet_urns(run)
    assert len(group.inputs["subnetIds"]) == len(AZS)


def test_database_storage_is_encrypted_gp3_that_autoscales(run):
    db = instance(run)
    allocated, ceiling = EXPECTED[run.stack]["storage"]
    assert db.inputs["storageEncrypted"] is True
    assert db.inputs["storageType"] == "gp3"
    assert db.inputs["allocatedStorage"] == float(allocated)
    assert db.inputs["maxAllocatedStorage"] == float(ceiling)
    assert db.inputs["maxAllocatedStorage"] > db.inputs["allocatedStorage"]


def test_master_password_is_managed_by_rds_and_no_password_exists_anywhere(run):
    db = instance(run)
    assert db.inputs["manageMasterUserPassword"] is True
    assert db.inputs["iamDatabaseAuthenticationEnabled"] is True
    assert db.inputs["username"] == "portal_admin"
    for resource in run.resources:
        for path, key, _ in walk(resource.inputs):
            assert not re.search(r"password(wo)?$", key, re.I) or key == "manageMasterUserPassword", \
                f"{resource.type} {resource.name} has a password input at {path}.{key}"
    for path, key, value in walk(run.outputs):
        assert "password" not in key.lower(), f"stack output {path}.{key}"
    for path, key, value in walk(database_outputs(run)):
        assert "password" not in key.lower(), f"database output {path}.{key}"


def database_outputs(run):
    """What the Database component registers (the stack outputs are Portal's choice, tested elsewhere)."""
    (component,) = run.find("ecommerce:database:Database")
    return component.outputs


def test_the_master_secret_arn_is_exported_from_the_instance(run):
    db = instance(run)
    exported = database_outputs(run)["masterSecretArn"]
    if run.mode == "update":
        secret = db.outputs["masterUserSecrets"][0]["secretArn"]
        assert secret.startswith("arn:aws:secretsmanager:eu-west-1:")
        assert exported == secret
    else:
        assert exported == UNKNOWN


def test_the_session_store_carries_no_credentials(run):
    # What the servers' session handler is configured from: the table and its columns, never a secret.
    assert database_outputs(run)["sessionStore"] == {
        "table": "sessions", "columns": {"id": "sess_id", "data": "sess_data", "lifetime": "sess_lifetime",
                                         "time": "sess_time"}}


def test_deletion_protection_and_pulumi_protect_follow_the_protection_setting(run):
    db = instance(run)
    protect = EXPECTED[run.stack]["protect"]
    assert db.inputs["deletionProtection"] is protect
    assert db.protect is protect
    assert db.options.get("retainOnDelete", False) is protect


def test_final_snapshot_is_never_skipped(run):
    db = instance(run)
    assert db.inputs["skipFinalSnapshot"] is False
    snapshot = db.inputs["finalSnapshotIdentifier"]
    # RDS: begins with a letter, letters/digits/hyphens, no double or trailing hyphen.
    assert re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", snapshot) and "--" not in snapshot
    assert db.inputs["deleteAutomatedBackups"] is False


def test_backup_retention_and_windows_that_do_not_overlap(run):
    db = instance(run)
    assert db.inputs["backupRetentionPeriod"] == float(EXPECTED[run.stack]["retention"])
    assert db.inputs["backupRetentionPeriod"] >= 7
    assert not windows_overlap(db.inputs["backupWindow"], db.inputs["maintenanceWindow"])


def test_upgrades_logs_insights_and_enhanced_monitoring(run):
    db = instance(run)
    assert db.inputs["autoMinorVersionUpgrade"] is True
    # At the end of standard support RDS would otherwise force a major upgrade: Extended Support is chosen
    # explicitly, never by surprise.
    assert db.inputs["engineLifecycleSupport"] == "open-source-rds-extended-support"
    assert set(db.inputs["enabledCloudwatchLogsExports"]) == {"error", "slowquery"}
    assert db.inputs["performanceInsightsEnabled"] is True
    assert db.inputs["monitoringInterval"] in (1.0, 5.0, 10.0, 15.0, 30.0, 60.0)
    role = run.get(ROLE, name(run, "-db-monitoring"))
    assert linked(db, "monitoringRoleArn") == {role.urn}
    assert assumed_by(role) == {"monitoring.rds.amazonaws.com"}
    assert attached_policies(run, role) == {"AmazonRDSEnhancedMonitoringRole"}
    for log in ("error", "slowquery"):
        group = run.get("aws:cloudwatch/logGroup:LogGroup", name(run, f"-db-{log}"))
        assert group.inputs["name"] == f"/aws/rds/instance/{db.inputs['identifier']}/{log}"
        assert group.inputs["retentionInDays"] > 0
        assert linked(group, "kmsKeyId") == {run.get(KEY, name(run, "-logs")).urn}
        assert group.urn in db.dependencies


def test_parameter_group_is_utf8mb4_tls_only_with_slow_log_and_replaceable(run):
    db = instance(run)
    group = run.get("aws:rds/parameterGroup:ParameterGroup", name(run, "-mysql"))
    assert linked(db, "parameterGroupName") == {group.urn}
    assert group.inputs["family"] == f"mysql{db.inputs['engineVersion'][:3]}" == "mysql8.4"
    assert group.inputs["namePrefix"] and "name" not in group.inputs
    assert group.options.get("deleteBeforeReplace") is not True
    params = {p["name"]: p["value"] for p in group.inputs["parameters"]}
    assert params["character_set_server"] == "utf8mb4"
    assert params["collation_server"].startswith("utf8mb4_")
    assert params["require_secure_transport"] == "1"
    assert params["slow_query_log"] == "1"
    assert float(params["long_query_time"]) > 0


def test_database_security_group_has_no_open_rules(run):
    db = instance(run)
    group = run.get(SG, name(run, "-db"))
    assert linked(db, "vpcSecurityGroupIds") == {group.urn}
    assert not group.inputs.get("ingress") and not group.inputs.get("egress")
    for rule in run.find(INGRESS):
        if linked(rule, "securityGroupId") == {group.urn}:
            assert linked(rule, "referencedSecurityGroupId"), rule.name
            assert not {"cidrIpv4", "cidrIpv6", "prefixListId"} & set(rule.inputs), rule.name
            assert (rule.inputs["fromPort"], rule.inputs["toPort"]) == (3306.0, 3306.0)


def test_sessions_live_in_the_database_as_documented(run):
    db = instance(run)
    store = database_outputs(run)["sessionStore"]
    ddl = (ROOT / "components" / "database" / "sessions.sql").read_text()
    table = re.search(r"CREATE TABLE IF NOT EXISTS (\w+) \(", ddl)[1]
    assert store["table"] == table == "sessions"
    for column in store["columns"].values():
        assert re.search(rf"^\s+{column}\s+\w+", ddl, re.M), column
    assert db.inputs["dbName"] == database_outputs(run)["databaseName"]
    if run.mode == "update":
        assert database_outputs(run)["endpoint"] == db.outputs["endpoint"]


def test_automated_backups_are_replicated_to_the_dr_region(run):
    db = instance(run)
    (replication,) = run.find(
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication")
    assert replication.inputs["region"] == DR_REGION
    assert linked(replication, "sourceDbInstanceArn") == {db.urn}
    assert replication.inputs["retentionPeriod"] == db.inputs["backupRetentionPeriod"]
    key = run.get(KEY, name(run, "-db-dr"))
    assert linked(replication, "kmsKeyId") == {key.urn}
    assert key.inputs["region"] == DR_REGION and key.inputs["enableKeyRotation"] is True
    if run.mode == "update":
        assert replication.inputs["sourceDbInstanceArn"] == db.outputs["arn"]


# -- cache ------------------------------------------------------------------------------------------

def test_memcached_nodes_are_spread_across_the_azs(run):
    cluster = run.get("aws:elasticache/cluster:Cluster", name(run, "-cache"))
    assert cluster.inputs["engine"] == "memcached"
    assert cluster.inputs["azMode"] == "cross-az"
    nodes = cluster.inputs["numCacheNodes"]
    assert nodes >= 2
    zones = cluster.inputs["preferredAvailabilityZones"]
    assert len(zones) == nodes
    assert set(zones) <= set(AZS)
    assert len(set(zones)) == min(int(nodes), len(AZS))
    counts = [zones.count(az) for az in set(zones)]
    assert max(counts) - min(counts) <= 1
    assert cluster.inputs["transitEncryptionEnabled"] is True
    assert cluster.inputs["port"] == 11211.0


def test_cache_has_its_own_subnet_group_and_closed_security_group(run):
    cluster = run.get("aws:elasticache/cluster:Cluster", name(run, "-cache"))
    subnets = run.get("aws:elasticache/subnetGroup:SubnetGroup", name(run, "-cache"))
    group = run.get(SG, name(run, "-cache"))
    assert linked(cluster, "subnetGroupName") == {subnets.urn}
    assert linked(subnets, "subnetIds") == data_subnet_urns(run)
    assert linked(cluster, "securityGroupIds") == {group.urn}
    assert not group.inputs.get("ingress") and not group.inputs.get("egress")
    for rule in run.find(INGRESS):
        if linked(rule, "securityGroupId") == {group.urn}:
            assert linked(rule, "referencedSecurityGroupId"), rule.name
            assert not {"cidrIpv4", "cidrIpv6", "prefixListId"} & set(rule.inputs), rule.name
            assert (rule.inputs["fromPort"], rule.inputs["toPort"]) == (11211.0, 11211.0)


# -- backup -----------------------------------------------------------------------------------------

def test_vault_has_its_own_rotating_key_and_is_protected_like_the_database(run):
    vault = run.get(VAULT, name(run, "-vault"))
    key = run.get(KEY, name(run, "-backup"))
    assert linked(vault, "kmsKeyArn") == {key.urn}
    assert key.inputs["enableKeyRotation"] is True
    assert vault.inputs.get("forceDestroy") is not True
    assert vault.protect is key.protect is EXPECTED[run.stack]["protect"]


def test_both_vaults_are_locked_for_the_daily_retention_in_governance_mode(run):
    for suffix, region in (("-vault", None), ("-vault-dr", DR_REGION)):
        vault = run.get(VAULT, name(run, suffix))
        lock = run.get(LOCK, name(run, suffix))
        assert linked(lock, "backupVaultName") == {vault.urn}
        assert lock.inputs["minRetentionDays"] == float(EXPECTED[run.stack]["daily"])
        assert "changeableForDays" not in lock.inputs  # compliance mode could never be undone
        assert lock.inputs.get("region") == region


def test_plan_has_daily_and_longer_monthly_rules_copied_to_the_dr_vault(run):
    plan = run.get("aws:backup/plan:Plan", name(run, "-plan"))
    vault = run.get(VAULT, name(run, "-vault"))
    dr_vault = run.get(VAULT, name(run, "-vault-dr"))
    dr_key = run.get(KEY, name(run, "-backup-dr"))
    assert dr_vault.inputs["region"] == DR_REGION and dr_key.inputs["region"] == DR_REGION
    assert linked(dr_vault, "kmsKeyArn") == {dr_key.urn}
    assert dr_key.inputs["enableKeyRotation"] is True
    assert linked(plan, "rules") == {vault.urn, dr_vault.urn}
    rules = {r["ruleName"]: r for r in plan.inputs["rules"]}
    assert set(rules) == {"daily", "monthly"}
    expected = EXPECTED[run.stack]
    assert rules["daily"]["lifecycle"]["deleteAfter"] == float(expected["daily"])
    assert rules["monthly"]["lifecycle"]["deleteAfter"] == float(expected["monthly"])
    assert re.fullmatch(r"cron\(0 \d+ \* \* \? \*\)", rules["daily"]["schedule"])
    assert re.fullmatch(r"cron\(0 \d+ 1 \* \? \*\)", rules["monthly"]["schedule"])
    for rule in rules.values():
        (copy,) = rule["copyActions"]
        assert copy["lifecycle"]["deleteAfter"] == rule["lifecycle"]["deleteAfter"]
        if run.mode == "update":
            assert rule["targetVaultName"] == vault.inputs["name"]
            assert copy["destinationVaultArn"] == dr_vault.outputs["arn"]
            assert ":eu-central-1:" in copy["destinationVaultArn"]


def test_selection_covers_the_database_with_the_backup_service_role(run):
    selection = run.get("aws:backup/selection:Selection", name(run, "-database"))
    plan = run.get("aws:backup/plan:Plan", name(run, "-plan"))
    db = instance(run)
    assert linked(selection, "resources") == {db.urn}
    assert len(selection.inputs["resources"]) == 1
    assert linked(selection, "planId") == {plan.urn}
    role = run.get(ROLE, name(run, "-backup"))
    assert linked(selection, "iamRoleArn") == {role.urn}
    assert assumed_by(role) == {"backup.amazonaws.com"}
    assert attached_policies(run, role) == {"AWSBackupServiceRolePolicyForBackup",
                                            "AWSBackupServiceRolePolicyForRestores",
                                            "AWSBackupServiceRolePolicyForS3Backup",
                                            "AWSBackupServiceRolePolicyForS3Restore"}
    arns = {a.inputs["policyArn"] for a in run.find(ATTACHMENT) if linked(a, "role") == {role.urn}}
    assert "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup" in arns
    assert "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup" in arns  # not under service-role/
    if run.mode == "update":
        assert selection.inputs["resources"] == [db.outputs["arn"]]


def test_buckets_that_cannot_be_rebuilt_are_in_the_backup_plan_too(run):
    """S3 is not backed up by itself: media and backups go into AWS Backup as well."""
    selection = run.get("aws:backup/selection:Selection", name(run, "-buckets"))
    plan = run.get("aws:backup/plan:Plan", name(run, "-plan"))
    buckets = {b.name.rsplit("-", 1)[-1]: b for b in run.find("aws:s3/bucket:Bucket")}
    assert linked(selection, "resources") == {buckets["assets"].urn, buckets["backups"].urn}
    assert linked(selection, "planId") == {plan.urn}
    assert linked(selection, "iamRoleArn") == {run.get(ROLE, name(run, "-backup")).urn}


def test_the_backup_job_hour_misses_the_rds_backup_window(run):
    db = instance(run)
    plan = run.get("aws:backup/plan:Plan", name(run, "-plan"))
    window = daily_window(db.inputs["backupWindow"])
    for rule in plan.inputs["rules"]:
        hour = int(re.fullmatch(r"cron\(0 (\d+) .*", rule["schedule"])[1])
        job = (hour * 60, int(rule["startWindow"]))
        assert not intervals_overlap(job, window, 24 * 60), (rule["ruleName"], db.inputs["backupWindow"])


@pytest.mark.parametrize("mode", MODES)
def test_an_engine_upgrade_moves_to_a_parameter_group_of_the_new_family(portal_run, mode):
    """8.0 -> 8.4 is one config change: same logical parameter group (replaced, created before the old one is
    deleted, under a new prefix) and a major upgrade RDS is allowed to perform."""
    before = portal_run("staging", mode, {"portal:dbEngineVersion": "8.0"})
    after = portal_run("staging", mode)
    assert after.error is None, after.error
    old = before.get("aws:rds/parameterGroup:ParameterGroup", "portal-staging-mysql")
    new = after.get("aws:rds/parameterGroup:ParameterGroup", "portal-staging-mysql")
    assert (old.inputs["family"], new.inputs["family"]) == ("mysql8.0", "mysql8.4")
    assert old.urn == new.urn and old.inputs["namePrefix"] != new.inputs["namePrefix"]
    assert new.options.get("deleteBeforeReplace") is not True
    db = after.get(INSTANCE, "portal-staging-mysql")
    assert db.inputs["engineVersion"] == "8.4" and db.inputs["allowMajorVersionUpgrade"] is True
    assert linked(db, "parameterGroupName") == {new.urn}


# -- without a DR region ----------------------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_without_a_dr_region_nothing_leaves_the_portal_region(portal_run, mode):
    run = portal_run("staging", mode, {"portal:drRegion": ""})
    assert run.error is None, run.error
    assert not run.find("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication")
    assert [v.name for v in run.find(VAULT)] == ["portal-staging-vault"]
    assert [v.name for v in run.find(LOCK)] == ["portal-staging-vault"]
    plan = run.get("aws:backup/plan:Plan", "portal-staging-plan")
    assert all(not rule.get("copyActions") for rule in plan.inputs["rules"])
    assert run.find("aws:backup/selection:Selection", "portal-staging-database")


@pytest.mark.parametrize("mode", MODES)
def test_a_dr_region_equal_to_the_portal_region_is_refused(portal_run, mode):
    run = portal_run("staging", mode, {"portal:drRegion": "eu-west-1"})
    assert run.error is not None
    assert ("portal:drRegion = eu-west-1: must differ from the portal's own region (eu-west-1, aws:region); a copy "
            "in the same region does not survive the loss of the region") in run.error.message


# -- the chain admits only the web servers (and the bootstrap function to MySQL) -----------------------

@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("mode", MODES)
def test_the_data_tiers_open_only_their_service_port_to_the_chains_groups(program_run, stack, mode):
    run = program_run("state_tiers", stack, mode)
    assert run.error is None, run.error
    web = run.get(SG, f"portal-{stack}-web")
    bootstrap = run.get(SG, f"portal-{stack}-db-bootstrap")
    for tier, port, sources in (("db", 3306.0, {"web": web, "db-bootstrap": bootstrap}),
                                ("cache", 11211.0, {"web": web})):
        group = run.get(SG, f"portal-{stack}-{tier}")
        assert linked(run.get(INSTANCE if tier == "db" else "aws:elasticache/cluster:Cluster",
                              f"portal-{stack}-{'mysql' if tier == 'db' else 'cache'}"),
                      "vpcSecurityGroupIds" if tier == "db" else "securityGroupIds") == {group.urn}
        rules = {r.name: r for r in run.find(INGRESS) if linked(r, "securityGroupId") == {group.urn}}
        assert set(rules) == {f"portal-{stack}-{tier}-from-{source}" for source in sources}
        for source, source_group in sources.items():
            rule = rules[f"portal-{stack}-{tier}-from-{source}"]
            assert linked(rule, "referencedSecurityGroupId") == {source_group.urn}
            assert (rule.inputs["ipProtocol"], rule.inputs["fromPort"], rule.inputs["toPort"]) == ("tcp", port, port)
            assert not {"cidrIpv4", "cidrIpv6", "prefixListId"} & set(rule.inputs)
            assert run.by_urn(rule.parent).type == "ecommerce:security:SecurityGroups"
            if mode == "update":
                assert rule.inputs["referencedSecurityGroupId"] == source_group.id
                assert source_group.id.startswith("sg-")
