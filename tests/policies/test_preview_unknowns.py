"""Key policies reach a verdict during a first preview, when every ID and ARN is unknown.

The references the stack policies follow (subnets of a group or load balancer, a bucket's companions, a
route's NAT gateway, a record's zone) are all unknown on the wire; the verdicts come from property
dependencies. The last test drives pulumi-policy's own analyzer servicer with protobuf requests, as the CLI
does, and checks no policy is skipped with "can't run ... during preview".
"""
import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from .fixtures import compliant
from .pk import POLICIES, UNKNOWN, messages, ref, run_policy

# (policy, mutation, resource whose reference is unknown, the referencing input, expected resource)
KEY_CASES = [
    ("asg-multi-az", lambda s: s.set("web-asg", "vpcZoneIdentifiers", [ref("private-a")]),
     "web-asg", "vpcZoneIdentifiers", "web-asg"),
    ("lb-multi-az", lambda s: s.set("alb", "subnets", [ref("public-b")]), "alb", "subnets", "alb"),
    ("private-route-nat-same-az", lambda s: s.set("private-default-b", "natGatewayId", ref("natgw-a")),
     "private-default-b", "natGatewayId", "private-default-b"),
    ("s3-data-bucket-versioned", lambda s: s.set("assets-versioning", "versioningConfiguration.status", "Suspended"),
     "assets-versioning", "bucket", "assets"),
    ("zone-apex-alias", lambda s: s.set("apex", "type", "CNAME").drop("apex", "aliases").set("apex", "records",
                                                                                          [ref("alb")]),
     "apex", "zoneId", "apex"),
    ("az-loss-survivable", lambda s: s.set("private-default-a", "natGatewayId", ref("natgw-b")),
     "private-default-a", "natGatewayId", "private-a"),
    ("asg-elb-health-check", lambda s: s.set("web-asg", "healthCheckType", "EC2"), "web-asg", "targetGroupArns",
     "web-asg"),
]


@pytest.mark.parametrize("policy,mutate,holder,key,culprit", KEY_CASES, ids=[c[0] for c in KEY_CASES])
def test_key_stack_policy_decides_with_unknown_ids(policy, mutate, holder, key, culprit):
    s = mutate(compliant())
    wire = {w["name"]: w for w in s.wire("preview")}
    value = wire[holder]["inputs"][key]
    flat = value if isinstance(value, list) else [value]
    assert flat and all(v == UNKNOWN for v in flat)  # the reference really is unknown on the wire
    with pytest.raises(UnknownValueError):  # reading it through pulumi-policy's proxy would skip the policy
        proxy = unknown_checking_proxy(dict(wire[holder]["outputs"]))
        v = proxy[key]
        _ = [v[i] for i in range(len(v))] if not isinstance(v, str) else v
    assert run_policy(policy, compliant()) == []
    found = run_policy(policy, s)
    assert [v.resource for v in found] == [culprit]


def _struct(d):
    st = struct_pb2.Struct()
    st.update(d)
    return st


def _servicer():
    return _PolicyAnalyzerServicer("ecommerce-portal-guard", "0.1.0", list(POLICIES.values()),
                                   EnforcementLevel.ADVISORY)


def _analyze_all(s):
    servicer = _servicer()
    wire = s.wire("preview")
    diags = []
    for w in wire:
        req = analyzer_pb2.AnalyzeRequest(type=w["type"], name=w["name"], urn=w["urn"],
                                          properties=_struct(w["inputs"]),
                                          options=analyzer_pb2.AnalyzerResourceOptions(protect=w["protect"]))
        diags += [(d.policyName, d.message, w["name"]) for d in servicer.Analyze(req, None).diagnostics]
    req = analyzer_pb2.AnalyzeStackRequest(resources=[
        analyzer_pb2.AnalyzerResource(
            type=w["type"], name=w["name"], urn=w["urn"], properties=_struct(w["outputs"]),
            options=analyzer_pb2.AnalyzerResourceOptions(protect=w["protect"]), parent=w["parent"] or "", dependencies=w["dependencies"],
            propertyDependencies={k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v)
                                  for k, v in w["property_dependencies"].items()})
        for w in wire])
    by_urn = {w["urn"]: w["name"] for w in wire}
    diags += [(d.policyName, d.message, by_urn.get(d.urn)) for d in servicer.AnalyzeStack(req, None).diagnostics]
    return diags


def test_analyzer_runs_every_policy_during_preview_without_skipping():
    assert _analyze_all(compliant()) == []


def test_analyzer_reports_violations_with_description_and_message():
    s = compliant()
    s.set("db", "multiAz", False)
    diags = _analyze_all(s)
    assert not [d for d in diags if "can't run" in d[1]]
    multi = [d for d in diags if d[0] == "rds-multi-az"]
    assert multi == [("rds-multi-az",
                      "RDS databases must be Multi-AZ.\nRDS instance 'db' is single-AZ; set multiAz to true so it "
                      "fails over to a standby in another AZ.", "db")]
    assert {d[0] for d in diags} == {"rds-multi-az", "az-loss-survivable", "sticky-sessions-need-shared-store"}


def test_messages_identical_in_preview_and_update():
    s = compliant()
    s.set("web-asg", "minSize", 1.0)
    assert messages(run_policy("az-loss-survivable", s, mode="preview")) == \
        messages(run_policy("az-loss-survivable", s, mode="update"))


UNVERIFIABLE = [
    ("rds-multi-az", "db", "multiAz",
     "RDS instance 'db' sets multiAz from a value that is unknown at preview, so it cannot be verified; set it from "
     "configuration or a literal."),
    ("rds-backup-retention", "db", "backupRetentionPeriod",
     "RDS instance 'db' sets backupRetentionPeriod from a value that is unknown at preview, so it cannot be "
     "verified; set it from configuration or a literal."),
    ("asg-min-capacity-per-az", "web-asg", "minSize",
     "Auto Scaling group 'web-asg' sets minSize from a value that is unknown at preview, so it cannot be verified; set it from "
     "configuration or a literal."),
    ("lb-deletion-protection", "alb", "enableDeletionProtection",
     "Load balancer 'alb' sets enableDeletionProtection from a value unknown at preview; set it from configuration "
     "or a literal."),
]


@pytest.mark.parametrize("policy,resource,key,message", UNVERIFIABLE, ids=[u[0] for u in UNVERIFIABLE])
def test_a_safety_setting_unknown_at_preview_is_reported_not_skipped(policy, resource, key, message):
    s = compliant()
    s.add("random:index/randomInteger:RandomInteger", "computed", {"min": 0.0, "max": 1.0})
    s.set(resource, key, ref("computed"))
    assert messages(run_policy(policy, s)) == [(resource, message)]


def test_secret_inputs_arrive_unwrapped_and_are_judged():
    """The engine sends secrets in an envelope; pulumi-policy unwraps it, and the SDK wraps a literal password as
    well, so the envelope proves nothing: without stack config naming it secret the value is judged a literal
    (test_secret_config.py has the secret-config case)."""
    s = compliant()
    s.drop("db", "manageMasterUserPassword")
    s.set("db", "password", {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                             "value": "from-config-secret"})
    diags = [d for d in _analyze_all(s) if d[0] == "rds-master-password-managed"]
    assert diags == [("rds-master-password-managed",
                      "The RDS master password must be managed by RDS (Secrets Manager), generated, or secret config, "
                      "never a plaintext value.\nRDS instance 'db' takes its master password from a plaintext literal "
                      "or a non-secret config value, so it is stored unencrypted in the program or its stack "
                      "configuration; set manageMasterUserPassword to true, or make it secret config (pulumi config "
                      "set --secret) or a generated password (random.RandomPassword).", "db")]
