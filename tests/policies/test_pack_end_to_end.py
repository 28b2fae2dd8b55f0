"""The pack through the preflight's host, the way the Pulumi CLI runs it.

Each deliberately broken program under tests/programs/broken_* breaks one rule, in its current resource form
(stack `test`) and in a deprecated or alternative form (stack `deprecated`); the right policy must fire on the
right engine URN, nothing else mandatory may fire except the same defect seen by the AZ-loss analysis, and no
policy may be skipped with "can't run during preview". The project's own stacks must pass every mandatory rule.

Every program runs through the preflight runner; the analysis of most of them goes through the host's
conversation with the pack's servicer in this process (in_process.py), a few (OVER_GRPC, the config tests
and the command line) start the pack as the CLI does and speak gRPC to it, and one test checks that both
ways give the same result.
"""
import dataclasses
import os

import pytest

from preflight.analyze_session import analyze as analyze_pack
from preflight.analyzer_wire import wire_resources
from preflight.engine_stand_in import EngineServer
from preflight.pack_process import PackProcess
from preflight.runner import run_program

from .in_process import analyze_in_process

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACK = os.path.join(ROOT, "policies")
PROGRAMS = os.path.join(ROOT, "tests", "programs")

ASG, LB, ALB = "aws:autoscaling/group:Group", "aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"
RDS, CLUSTER = "aws:rds/instance:Instance", "aws:rds/cluster:Cluster"
SUBNET = "aws:ec2/subnet:Subnet"
INSTANCE = "aws:ec2/instance:Instance"

# program -> stack -> {(policy, resource type, resource name)} of every mandatory violation expected.
BROKEN = {
    "broken_asg_single_az": {
        s: {("asg-multi-az", ASG, "web"), ("az-loss-survivable", ASG, "web")} for s in ("test", "deprecated")},
    "broken_lb_single_az": {
        "test": {("lb-multi-az", LB, "web"), ("az-loss-survivable", LB, "web")},
        "deprecated": {("lb-multi-az", ALB, "web"), ("az-loss-survivable", ALB, "web")}},
    "broken_http_listener": {
        "test": {("http-listener-redirects-to-https", "aws:lb/listener:Listener", "http")},
        "deprecated": {("http-listener-redirects-to-https", "aws:alb/listener:Listener", "http")}},
    "broken_bucket_versioning": {
        "test": {("s3-data-bucket-versioned", "aws:s3/bucket:Bucket", "orders")},
        "deprecated": {("s3-data-bucket-versioned", "aws:s3/bucketV2:BucketV2", "orders")}},
    "broken_bucket_public": {
        "test": {("s3-bucket-not-public", "aws:s3/bucket:Bucket", "media")},
        "deprecated": {("s3-bucket-not-public", "aws:s3/bucketV2:BucketV2", "media")}},
    "broken_sg_ssh": {
        "test": {("sg-no-sensitive-ports-from-internet", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                  "admin-ssh")},
        "deprecated": {("sg-no-sensitive-ports-from-internet", "aws:ec2/securityGroup:SecurityGroup", "admin")}},
    "broken_nat_cross_az": {
        "test": {("private-route-nat-same-az", "aws:ec2/route:Route", "private-b-default"),
                 ("az-loss-survivable", SUBNET, "private-b")},
        "deprecated": {("private-route-nat-same-az", "aws:ec2/routeTable:RouteTable", "private-b"),
                       ("az-loss-survivable", SUBNET, "private-b")}},
    "broken_apex_cname": {
        s: {("zone-apex-alias", "aws:route53/record:Record", "apex")} for s in ("test", "deprecated")},
    "broken_imdsv1": {
        "test": {("imdsv2-required", "aws:ec2/launchTemplate:LaunchTemplate", "web")},
        "deprecated": {("imdsv2-required", INSTANCE, "worker")}},
    "broken_refresh_latest": {
        s: {("asg-instance-refresh-pinned-version", ASG, "web")} for s in ("test", "deprecated")},
    "broken_web_instance": {
        s: {("web-servers-in-asg", INSTANCE, "web-1"), ("az-loss-survivable", INSTANCE, "web-1")}
        for s in ("test", "deprecated")},
    "broken_rds_single_az": {
        "test": {("rds-multi-az", RDS, "db"), ("az-loss-survivable", RDS, "db")},
        "deprecated": {("rds-multi-az", CLUSTER, "db"), ("az-loss-survivable", CLUSTER, "db")}},
    "broken_memcached": {
        s: {("memcached-cross-az", "aws:elasticache/cluster:Cluster", "cache"),
            ("az-loss-survivable", "aws:elasticache/cluster:Cluster", "cache")} for s in ("test", "deprecated")},
    "broken_rds_password": {
        "test": {("rds-master-password-managed", RDS, "db")},
        "deprecated": {("rds-master-password-managed", CLUSTER, "db")}},
    "broken_asg_min_capacity": {s: {("asg-min-capacity-per-az", ASG, "web")} for s in ("test", "deprecated")},
    "broken_asg_ec2_health": {s: {("asg-elb-health-check", ASG, "web")} for s in ("test", "deprecated")},
    "broken_target_group_health": {
        "test": {("target-group-health-check", "aws:lb/targetGroup:TargetGroup", "web")},
        "deprecated": {("target-group-health-check", "aws:alb/targetGroup:TargetGroup", "web")}},
    "broken_redis_single": {
        "test": {("redis-automatic-failover", "aws:elasticache/replicationGroup:ReplicationGroup", "sessions")},
        "deprecated": {("redis-automatic-failover", "aws:elasticache/cluster:Cluster", "sessions")}},
    "broken_nfs_server": {
        "test": {("no-nfs-single-point-of-failure", "aws:efs/fileSystem:FileSystem", "shared"),
                 ("az-loss-survivable", "aws:efs/fileSystem:FileSystem", "shared")},
        "deprecated": {("no-nfs-single-point-of-failure", INSTANCE, "files")}},
    "broken_sticky_memcached": {
        "test": {("sticky-sessions-need-shared-store", "aws:lb/targetGroup:TargetGroup", "web")},
        "deprecated": {("sticky-sessions-need-shared-store", "aws:alb/targetGroup:TargetGroup", "web")}},
    "broken_rds_backups": {"test": {("rds-backup-retention", RDS, "db")},
                           "deprecated": {("rds-backup-retention", CLUSTER, "db")}},
    "broken_rds_final_snapshot": {"test": {("rds-final-snapshot", RDS, "db")},
                                  "deprecated": {("rds-final-snapshot", CLUSTER, "db")}},
    "broken_rds_unencrypted": {"test": {("rds-storage-encrypted", RDS, "db")},
                               "deprecated": {("rds-storage-encrypted", CLUSTER, "db")}},
    "broken_rds_public": {"test": {("rds-not-public", RDS, "db")},
                          "deprecated": {("rds-not-public", "aws:rds/clusterInstance:ClusterInstance", "db-1")}},
    "broken_deletion_protection": {
        "prod": {("rds-deletion-protection", RDS, "db"), ("lb-deletion-protection", LB, "web")},
        "production": {("rds-deletion-protection", RDS, "db"), ("lb-deletion-protection", ALB, "web")}},
    "broken_tls_policy": {
        "test": {("https-listener-modern-tls", "aws:lb/listener:Listener", "https")},
        "deprecated": {("https-listener-modern-tls", "aws:alb/listener:Listener", "https")}},
    "broken_cloudfront_http": {
        s: {("cloudfront-viewer-https-tls12", "aws:cloudfront/distribution:Distribution", "static")}
        for s in ("test", "deprecated")},
    "broken_ebs_unencrypted": {
        "test": {("ebs-encrypted", "aws:ec2/launchTemplate:LaunchTemplate", "web")},
        "deprecated": {("ebs-encrypted", "aws:ebs/volume:Volume", "data")}},
    "broken_containers": {
        "test": {("ecs-service-multi-az", "aws:ecs/service:Service", "web"),
                 ("ecs-tasks-private-behind-load-balancer", "aws:ecs/service:Service", "web"),
                 ("ecs-no-secrets-in-environment", "aws:ecs/taskDefinition:TaskDefinition", "web")},
        "deprecated": {("eks-node-group-multi-az", "aws:eks/nodeGroup:NodeGroup", "nodes"),
                       ("ecr-repository-policy-not-public", "aws:ecr/repositoryPolicy:RepositoryPolicy", "app")}},
    "broken_data_services": {
        "test": {("dynamodb-point-in-time-recovery", "aws:dynamodb/table:Table", "carts"),
                 ("redshift-multi-node-final-snapshot", "aws:redshift/cluster:Cluster", "warehouse")},
        "deprecated": {("secret-version-not-literal", "aws:secretsmanager/secretVersion:SecretVersion", "api")}},
    "broken_web_tier": {
        "test": {("efs-mount-target-in-every-web-az", "aws:efs/fileSystem:FileSystem", "shared"),
                 ("az-loss-survivable", "aws:efs/fileSystem:FileSystem", "shared")},
        "deprecated": {("load-balancer-target-group-registered", ASG, "web")}},
}
CASES = [(p, s) for p, stacks in BROKEN.items() for s in stacks]
# (program, stack, mode) analysed by a pack process over gRPC: both forms, both modes, resource and stack
# policies, a production stack name.
OVER_GRPC = {("broken_asg_single_az", "test", "preview"), ("broken_rds_password", "deprecated", "update"),
             ("broken_nat_cross_az", "deprecated", "preview"), ("broken_containers", "test", "update"),
             ("broken_deletion_protection", "production", "preview")}


def analyze(program_dir: str, stack: str, mode: str = "preview", run=None, over_grpc: bool = False):
    run = run or run_program(program_dir, stack, mode)
    assert run.error is None, run.error
    if not over_grpc:
        return run, analyze_in_process(run, None, program_dir)
    engine = EngineServer()
    try:
        proc = PackProcess(PACK, run.project, run.stack, mode == "preview", run.config, engine.address)
        result = analyze_pack(proc, run, wire_resources(run), None, program_dir, engine.address)
    finally:
        engine.stop()
    return run, result


_OVER_GRPC: dict = {}


def analyzed_over_grpc(program: str, stack: str, mode: str, program_run):
    """(run, result) of a pack process's analysis of the session's run, started once for the tests that read it."""
    key = (program, stack, mode)
    if key not in _OVER_GRPC:
        _OVER_GRPC[key] = analyze(os.path.join(PROGRAMS, program), stack, mode,
                                  run=program_run(program, stack, mode), over_grpc=True)
    return _OVER_GRPC[key]


def _skipped(result):
    return [d for d in result.diagnostics if "can't run" in d.message]


@pytest.mark.parametrize("mode", ["preview", "update"])
@pytest.mark.parametrize("program,stack", CASES, ids=[f"{p}-{s}" for p, s in CASES])
def test_broken_program_is_caught_on_the_right_resource(program, stack, mode, program_run):
    """preview: a first preview (every ID unknown); update: after deploy (fabricated outputs known)."""
    if (program, stack, mode) in OVER_GRPC:
        run, result = analyzed_over_grpc(program, stack, mode, program_run)
    else:
        run, result = analyze(os.path.join(PROGRAMS, program), stack, mode, run=program_run(program, stack, mode))
    assert _skipped(result) == []
    expected = {(policy, run.get(typ, name).urn) for policy, typ, name in BROKEN[program][stack]}
    got = {(v.policy_name, v.urn) for v in result.violations if v.enforcement_level == "mandatory"}
    assert got == expected
    for v in result.violations:
        assert v.message.startswith(v.description + "\n")


def _findings(result) -> dict:
    """Everything a pack result reports, timings aside."""
    return {k: v for k, v in dataclasses.asdict(result).items() if k != "timings"}


@pytest.mark.parametrize("program, stack, mode", sorted(OVER_GRPC))
def test_in_process_analysis_reports_what_the_pack_process_reports(program, stack, mode, program_run):
    run, over_grpc = analyzed_over_grpc(program, stack, mode, program_run)
    _, in_process = analyze(os.path.join(PROGRAMS, program), stack, mode, run=run)
    assert over_grpc.violations and over_grpc.policies
    assert _findings(in_process) == _findings(over_grpc)


def test_every_broken_program_folder_is_covered():
    folders = sorted(d for d in os.listdir(PROGRAMS) if d.startswith("broken_"))
    assert folders == sorted(BROKEN)
    for d in folders:
        stacks = sorted(f[len("Pulumi."):-len(".yaml")] for f in os.listdir(os.path.join(PROGRAMS, d))
                        if f.startswith("Pulumi.") and f.endswith(".yaml") and f != "Pulumi.yaml")
        assert stacks == sorted(BROKEN[d]), d  # one stack per form, each with its expectations
        for f in ("Pulumi.yaml", "__main__.py"):
            assert os.path.isfile(os.path.join(PROGRAMS, d, f)), (d, f)


def test_every_mandatory_policy_is_caught_end_to_end():
    import sys
    if PACK not in sys.path:
        sys.path.insert(0, PACK)
    from manifest import MANIFEST
    caught = {policy for stacks in BROKEN.values() for expected in stacks.values() for policy, _, _ in expected}
    assert caught == {name for name, e in MANIFEST.items() if e.level == "mandatory"}


@pytest.mark.parametrize("stack", ["staging", "prod"])
def test_project_stacks_pass_every_mandatory_policy(stack, portal_run):
    run, result = analyze(ROOT, stack, run=portal_run(stack))
    assert _skipped(result) == []
    mandatory = [(v.policy_name, v.urn, v.message) for v in result.violations if v.enforcement_level == "mandatory"]
    assert mandatory == []


def analyze_with(program_dir: str, stack: str, file_config: dict, run=None, over_grpc: bool = False):
    run = run or run_program(program_dir, stack, "preview")
    if not over_grpc:
        return run, analyze_in_process(run, file_config, program_dir)
    engine = EngineServer()
    try:
        proc = PackProcess(PACK, run.project, run.stack, True, run.config, engine.address)
        result = analyze_pack(proc, run, wire_resources(run), file_config, program_dir, engine.address)
    finally:
        engine.stop()
    return run, result


def test_policy_config_tunes_rules_through_the_host():
    """--policy-pack-config: a stricter retention and a level override."""
    config = {"rds-backup-retention": {"minRetentionDays": 14}, "rds-master-password-managed": "advisory"}
    run, result = analyze_with(os.path.join(PROGRAMS, "broken_rds_password"), "test", config, over_grpc=True)
    db = run.get(RDS, "db").urn
    got = {(v.policy_name, v.enforcement_level, v.urn) for v in result.violations
           if v.policy_name in ("rds-backup-retention", "rds-master-password-managed")}
    assert got == {("rds-backup-retention", "mandatory", db), ("rds-master-password-managed", "advisory", db)}
    retention = next(v for v in result.violations if v.policy_name == "rds-backup-retention")
    assert retention.message.endswith("RDS instance 'db' keeps automated backups for 7 days; set "
                                      "backupRetentionPeriod to at least 14 days.")


def test_production_stack_names_are_configurable():
    program = os.path.join(PROGRAMS, "broken_lb_single_az")
    run, result = analyze_with(program, "test", {})
    assert not [v for v in result.violations if v.policy_name == "lb-deletion-protection"]
    run, result = analyze_with(program, "test", {"lb-deletion-protection": {"productionStacks": ["te*"]}})
    got = [(v.urn, v.message.split("\n")[-1]) for v in result.violations if v.policy_name == "lb-deletion-protection"]
    assert got == [(run.get(LB, "web").urn, "Load balancer 'web' in production stack 'test' can be deleted by "
                                           "accident; set enableDeletionProtection to true.")]


def test_command_line_reports_the_violation_and_fails():
    import json
    import subprocess
    import sys
    proc = subprocess.run(
        [sys.executable, "-m", "preflight", "--cwd", os.path.join(PROGRAMS, "broken_sg_ssh"), "--stack", "deprecated",
         "--policy-pack", PACK, "--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    mandatory = [(v["policyName"], v["urn"]) for v in report["violations"] if v["enforcementLevel"] == "mandatory"]
    assert mandatory == [("sg-no-sensitive-ports-from-internet",
                          "urn:pulumi:deprecated::broken-sg-ssh::aws:ec2/securityGroup:SecurityGroup::admin")]
    assert report["diagnostics"] == []


def shape_of_run(run) -> dict:
    """Production's HA shape from a preflight run, as `referenceShape` for staging-matches-production."""
    import sys
    if PACK not in sys.path:
        sys.path.insert(0, PACK)
    from rules.shape import shape_of_resources
    return shape_of_resources(run.resources)


def test_project_staging_has_production_shape(portal_run):
    """Releases are promoted from staging to production, so staging is an exact replica of production (sizes aside)."""
    prod = shape_of_run(portal_run("prod"))
    assert prod["resources"] and prod["azCount"] >= 2
    run, result = analyze_with(ROOT, "staging", {"staging-matches-production": {"referenceShape": prod}},
                               run=portal_run("staging"))
    assert [v.message for v in result.violations if v.policy_name == "staging-matches-production"] == []
    assert _skipped(result) == []


def test_a_staging_that_drifts_from_production_is_named():
    prod = shape_of_run(run_program(os.path.join(PROGRAMS, "broken_rds_password"), "test", "preview"))
    run, result = analyze_with(os.path.join(PROGRAMS, "broken_rds_single_az"), "test",
                               {"staging-matches-production": {"referenceShape": prod}})
    got = [(v.urn, v.message.split("\n")[-1]) for v in result.violations
           if v.policy_name == "staging-matches-production"]
    assert got == [(run.get(RDS, "db").urn, "RDS instance 'db' has multiAz = False where production has True; give it "
                                            "production's setting (only sizes may differ).")]
