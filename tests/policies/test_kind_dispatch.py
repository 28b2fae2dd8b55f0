"""The analyzer hands each resource only to the policies of its kinds, builds the stack once per request, converts
each request's properties once and builds the unknown-checking proxies only when read (framework_cache.install),
without changing a single finding, level or config.

The reference for "unchanged" is pulumi-policy as released: its own Analyze / AnalyzeStack (the functions the
patches wrap) with its own conversion, deserialization and proxies, run on the same servicer and the same
request messages.
"""
import contextlib
import os
import re

import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import (EnforcementLevel, ResourceValidationPolicy, StackValidationArgs,
                           StackValidationPolicy)
from pulumi_policy import policy as framework

from .pk import POLICIES, policy_resources, ref  # noqa: I001 - puts the pack on sys.path first
from .fixtures import DEPRECATED, TOKENS, compliant, deprecated
from .cases_native import NATIVE_TOKENS as NATIVE, stack as native_stack
from .case_lists import VIOLATIONS_OF_THE_COMPLIANT_STACK as MUTATIONS

import framework_cache  # noqa: E402
from framework_cache import KindDispatch, applies_to  # noqa: E402
from rules import _base, all_policies  # noqa: E402
from rules._graph import kind_of  # noqa: E402

SERVICER = framework._PolicyAnalyzerServicer  # pylint: disable=protected-access
PATCHED = ("Analyze", "AnalyzeStack", "_configure_runtime_settings", "ConfigureStack")


REPLACED = ("StackValidationArgs", "json_format", "deserialize_properties", "unknown_checking_proxy")


@pytest.fixture
def dispatch(monkeypatch):
    """The patches installed for one test, and pulumi-policy restored after it."""
    for name in PATCHED:
        monkeypatch.setattr(SERVICER, name, getattr(SERVICER, name))
    for name in REPLACED:
        monkeypatch.setattr(framework, name, getattr(framework, name))
    assert framework_cache.install() == {"analyze": True, "analyzeStack": True, "configure": True,
                                         "conversion": True, "proxies": True, "configRecording": True}


@contextlib.contextmanager
def as_released():
    """pulumi-policy's module-level helpers as released, for the reference run."""
    current = {name: getattr(framework, name) for name in REPLACED}
    try:
        for name in REPLACED:
            setattr(framework, name, framework_cache.ORIGINALS.get(name, current[name]))
        yield
    finally:
        for name, value in current.items():
            setattr(framework, name, value)


def servicer(policies, config=None):
    s = SERVICER("ecommerce-portal-guard", "0.0.1", policies, EnforcementLevel.ADVISORY)
    if config:
        req = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, (level, props) in config.items():
            req.policyConfig[name].enforcementLevel = level
            req.policyConfig[name].properties.update(props)
        s.Configure(req, None)
    return s


def _original(name):
    method = getattr(SERVICER, name)
    return getattr(method, "__wrapped__", method)


def requests(stack, mode="preview"):
    """The Analyze requests and the AnalyzeStack request the engine would send for a pk.Stack."""
    wire = stack.wire(mode)
    out = []
    stack_req = analyzer_pb2.AnalyzeStackRequest()
    for w in wire:
        r = analyzer_pb2.AnalyzeRequest(type=w["type"], name=w["name"], urn=w["urn"])
        r.properties.update(w["inputs"])
        r.options.protect = w["protect"]
        r.options.parent = w["parent"] or ""
        out.append(r)
        s = stack_req.resources.add(type=w["type"], name=w["name"], urn=w["urn"], parent=w["parent"] or "")
        # The outputs are the inputs plus computed ones: the inputs' Struct is copied (in C) and the rest added.
        s.properties.CopyFrom(r.properties)
        s.properties.update({k: v for k, v in w["outputs"].items() if w["inputs"].get(k, r) is not v})
        s.options.protect = w["protect"]
        s.dependencies.extend(w["dependencies"])
        for key, urns in w["property_dependencies"].items():
            s.propertyDependencies[key].urns.extend(urns)
    return out, stack_req


def responses(serv, stack, mode="preview", patched=True, built=None):
    """Every response as bytes; `patched=False` runs pulumi-policy's own loops and helpers as released. `built`:
    requests(stack, mode) made once for both runs."""
    analyze = SERVICER.Analyze if patched else _original("Analyze")
    analyze_stack = SERVICER.AnalyzeStack if patched else _original("AnalyzeStack")
    reqs, stack_req = built or requests(stack, mode)
    with contextlib.nullcontext() if patched else as_released():
        out = [analyze(serv, r, None).SerializeToString(deterministic=True) for r in reqs]
        out.append(analyze_stack(serv, stack_req, None).SerializeToString(deterministic=True))
    return out


def patched_and_released(serv, stack, mode="preview"):
    """The responses with the patches and as released, to the same request messages."""
    built = requests(stack, mode)
    return responses(serv, stack, mode, built=built), responses(serv, stack, mode, patched=False, built=built)


# --- which policies a resource meets ------------------------------------------------------------------

class _Probe:
    """Resource args that record whether a policy looked at the resource at all."""

    name, urn, opts, provider = "probe", "urn:pulumi:prod::shop::probe::probe", None, None

    def __init__(self, resource_type):
        self.resource_type = resource_type
        self.read = False

    @property
    def props(self):
        self.read = True
        return {}

    def get_config(self):
        return {}


def _reads(policy, resource_type):
    probe = _Probe(resource_type)
    policy.validate(probe, lambda *_: None)
    return probe.read


def _tokens():
    """Every resource token of pulumi_aws, the fixtures' tokens, their deprecated / alternative-module forms,
    and tokens of other packages."""
    import pulumi_aws

    found = set(TOKENS.values()) | set(DEPRECATED.values())
    pattern = re.compile(r"""['"](aws:[A-Za-z0-9]+/[A-Za-z0-9]+:[A-Za-z0-9]+)['"]""")
    for root, _, files in os.walk(os.path.dirname(pulumi_aws.__file__)):
        for f in files:
            if f.endswith(".py"):
                with open(os.path.join(root, f), encoding="utf-8") as fh:
                    found.update(pattern.findall(fh.read()))
    aliased = set()
    for token in found:
        module, rest = token[4:].split("/", 1)
        if module in ("lb", "alb"):
            aliased |= {f"aws:{m}/{rest}" for m in ("lb", "alb", "elasticloadbalancingv2", "applicationloadbalancing")}
        if module == "elb":
            aliased.add(f"aws:elasticloadbalancing/{rest}")
        if module == "s3":
            typ, cls = rest.split(":", 1)
            aliased.add(f"aws:s3/{typ}V2:{cls}V2")
    return sorted(found | aliased | set(NATIVE.values()) | {
        "pulumi:pulumi:Stack", "pulumi:providers:aws", "shop:index:Tier", "kubernetes:core/v1:Pod",
        "aws-native:rds:DBInstance", "aws-native:rds:DBCluster", "aws-native:ec2:Vpc"})


def test_a_resource_meets_exactly_the_policies_that_look_at_its_kind():
    policies = all_policies()
    dispatch = KindDispatch(policies)
    resource_policies = [p for p in policies if isinstance(p, ResourceValidationPolicy)]
    assert all(getattr(p, "kinds", None) for p in resource_policies), "every pack resource policy declares kinds"
    tokens = _tokens()
    assert len(tokens) > 1000
    for token in tokens:
        expected = [p.name for p in resource_policies if _reads(p, token)]
        assert [p.name for p in dispatch(token)] == expected, token


@pytest.mark.parametrize("current, others", [
    ("aws:lb/loadBalancer:LoadBalancer", ["aws:alb/loadBalancer:LoadBalancer",
                                          "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer"]),
    ("aws:lb/targetGroup:TargetGroup", ["aws:alb/targetGroup:TargetGroup",
                                        "aws:elasticloadbalancingv2/targetGroup:TargetGroup"]),
    ("aws:lb/listener:Listener", ["aws:alb/listener:Listener", "aws:elasticloadbalancingv2/listener:Listener"]),
    ("aws:s3/bucket:Bucket", ["aws:s3/bucketV2:BucketV2"]),
    ("aws:elb/loadBalancer:LoadBalancer", ["aws:elasticloadbalancing/loadBalancer:LoadBalancer"]),
])
def test_deprecated_and_alternative_tokens_meet_the_same_policies(current, others):
    dispatch = KindDispatch(all_policies())
    assert dispatch(current), current
    for other in others:
        assert dispatch(other) == dispatch(current), other


def test_a_policy_without_declared_kinds_meets_every_resource(dispatch):
    seen, half_declared = [], []
    everything = ResourceValidationPolicy(name="sees-everything", description="Records every resource.",
                                          validate=lambda args, _: seen.append(args.urn))
    kinds_only = ResourceValidationPolicy(name="kinds-without-kind-of", description="Records every resource.",
                                          validate=lambda args, _: half_declared.append(args.urn))
    kinds_only.kinds = frozenset({"s3/bucket"})  # no kind_of: nothing to match tokens with, so no filtering
    assert applies_to(everything, "kubernetes:core/v1:Pod") and applies_to(kinds_only, "aws:ec2/vpc:Vpc")
    serv = servicer(all_policies() + [everything, kinds_only])
    s = compliant()
    responses(serv, s)
    urns = [w["urn"] for w in s.wire()]
    assert seen == urns and half_declared == urns


def test_aws_native_tokens_have_kinds_of_their_own_and_meet_no_resource_policy():
    """aws-native spells most settings differently, so only the stack rules that list its kinds judge it."""
    dispatch = KindDispatch(all_policies())
    kinds = {kind_of(t) for t in NATIVE.values()}
    assert kinds == {"native:lb/loadBalancer", "native:autoscaling/group", "native:rds/instance", "native:rds/cluster",
                     "native:s3/bucket", "native:ec2/subnet"}
    assert kind_of("aws-native:rds:DBInstance") == kind_of("aws-native:rds:DbInstance") == "native:rds/instance"
    assert kind_of("aws-native:ec2:Vpc") == "aws-native:ec2:Vpc"
    for token in list(NATIVE.values()) + ["aws-native:rds:DBInstance", "aws-native:ec2:Vpc"]:
        assert dispatch(token) == [], token


# --- unchanged findings -------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["preview", "update"])
@pytest.mark.parametrize("form", ["current", "deprecated", "aws-native"])
@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_compliant_stacks_get_byte_identical_responses(dispatch, stack, form, mode):
    s = native_stack(stack) if form == "aws-native" else compliant(stack)
    if form == "deprecated":
        s = deprecated(s)
    serv = servicer(all_policies())
    assert responses(serv, s, mode) == responses(serv, s, mode, patched=False)


def test_every_mutation_gets_byte_identical_responses(dispatch):
    # The whole pack per mutation would take minutes unpatched; the broken policy runs after two stack policies
    # that have already used the shared stack (and their graph), which is where the patches could leak.
    policies = all_policies()
    before = [p for p in policies if isinstance(p, StackValidationPolicy)][:2]
    found = 0
    for policy, cid, mutate, config in MUTATIONS:
        s = mutate(compliant())
        chosen = [p for p in before if p.name != policy] + [p for p in policies if p.name == policy]
        case = servicer(chosen, {policy: (analyzer_pb2.ADVISORY, config)} if config else None)
        after, released = patched_and_released(case, s)
        assert after == released, f"{policy}/{cid}"
        found += sum(len(analyzer_pb2.AnalyzeResponse.FromString(r).diagnostics) for r in after)
    assert found > len(MUTATIONS), "the mutations produce findings, so the comparison compares something"


SIG, SECRET, ASSET = ("4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270",
                      "c44067f5952c0a294b673a41bacd8c17")


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_secrets_assets_and_unknowns_get_byte_identical_responses(dispatch, mode):
    """Properties the plain-data copy cannot take (assets) go through the proxy; secrets arrive unwrapped."""
    s = compliant()
    s.set("web-lt", "userData", {SIG: ASSET, "text": "#!/bin/bash\necho hi\n"})
    s.set("db", "password", {SIG: SECRET, "value": "s3cret"})
    s.set("db", "tags", {"Owner": {SIG: SECRET, "value": "ops"}, "Tier": "data"})
    s.set("db", "manageMasterUserPassword", {SIG: SECRET, "value": False})
    s.set("web-asg", "minSize", "3eeb2bf0-c639-47a8-9e75-3b44932eb421")
    s.add("aws:s3/bucketObjectv2:BucketObjectv2", "index", {
        "bucket": ref("web-lt"), "source": {SIG: ASSET, "path": "index.html"},
        "metadata": {"nested": [{SIG: SECRET, "value": {"k": "v"}}]}})
    serv = servicer(all_policies())
    after = responses(serv, s, mode)
    assert after == responses(serv, s, mode, patched=False)
    diags = [d for r in after for d in analyzer_pb2.AnalyzeResponse.FromString(r).diagnostics]
    assert any(d.policyName == "rds-master-password-managed" for d in diags), "the secret reached the policy"


def test_levels_and_config_reach_the_policies_unchanged(dispatch):
    policies = all_policies()
    resource = [p.name for p in policies if isinstance(p, ResourceValidationPolicy)]
    stack = [p.name for p in policies if isinstance(p, StackValidationPolicy)]
    config = {resource[0]: (analyzer_pb2.DISABLED, {}), resource[1]: (analyzer_pb2.MANDATORY, {}),
              resource[2]: (analyzer_pb2.REMEDIATE, {}), stack[0]: (analyzer_pb2.DISABLED, {}),
              stack[1]: (analyzer_pb2.MANDATORY, {})}
    serv = servicer(policies, config)
    s = compliant()
    for name in (resource[0], resource[1], resource[2], stack[0], stack[1]):
        s = next((m(s) for p, _, m, c in MUTATIONS if p == name and not c), s)
    after = responses(serv, s)
    assert after == responses(serv, s, patched=False)
    diags = [d for r in after for d in analyzer_pb2.AnalyzeResponse.FromString(r).diagnostics]
    names = {d.policyName for d in diags}
    assert resource[0] not in names and stack[0] not in names
    assert {d.enforcementLevel for d in diags if d.policyName in (resource[1], resource[2])} <= {analyzer_pb2.MANDATORY}
    info = serv.GetAnalyzerInfo(empty_pb2.Empty(), None)
    levels = {EnforcementLevel.MANDATORY: analyzer_pb2.MANDATORY, EnforcementLevel.ADVISORY: analyzer_pb2.ADVISORY}
    kinds = {True: analyzer_pb2.POLICY_TYPE_RESOURCE, False: analyzer_pb2.POLICY_TYPE_STACK}
    assert [(p.name, p.enforcementLevel, p.policy_type) for p in info.policies] == [
        (p.name, levels[p.enforcement_level], kinds[isinstance(p, ResourceValidationPolicy)]) for p in policies]


# --- the stack, once per request ----------------------------------------------------------------------

def _counting_graph(monkeypatch):
    built = []

    class CountingGraph(_base.Graph):
        def __init__(self, resources):
            built.append(resources)
            super().__init__(resources)

    monkeypatch.setattr(_base, "Graph", CountingGraph)
    return built


def test_stack_policies_run_once_each_on_one_list_and_one_graph(dispatch, monkeypatch):
    built = _counting_graph(monkeypatch)
    calls = {"first": [], "second": []}
    extra = [StackValidationPolicy(name=n, description="Counts its calls.",
                                   validate=lambda args, _, n=n: calls[n].append(args.resources)) for n in calls]
    policies = all_policies() + extra
    stack_policies = [p for p in policies if isinstance(p, StackValidationPolicy)]
    assert len(stack_policies) > 10
    s = compliant()
    _, stack_req = requests(s)
    SERVICER.AnalyzeStack(servicer(policies), stack_req, None)
    assert [len(c) for c in calls.values()] == [1, 1]
    shared = calls["first"][0]
    assert calls["second"][0] is shared and len(shared) == len(s.res)
    by_urn = {r.urn: r for r in shared}
    assert all(r.parent is by_urn[w["parent"]] for r, w in zip(shared, s.wire()) if w["parent"])
    assert len(built) == 1 and built[0] is shared
    SERVICER.AnalyzeStack(servicer(policies), requests(s)[1], None)
    assert len(built) == 2, "a new request builds its own graph"


def test_unpatched_framework_still_gets_a_graph_per_policy(monkeypatch):
    built = _counting_graph(monkeypatch)
    policies = all_policies()
    _, stack_req = requests(compliant())
    _original("AnalyzeStack")(servicer(policies), stack_req, None)
    assert len(built) == sum(isinstance(p, StackValidationPolicy) for p in policies)


def test_the_graph_is_built_once_for_n_stack_policies_on_one_list(monkeypatch):
    built = _counting_graph(monkeypatch)
    stack_policies = [p for p in POLICIES.values() if isinstance(p, StackValidationPolicy)]
    resources = policy_resources(compliant())
    for p in stack_policies:
        p.validate(StackValidationArgs(resources, {}), lambda *_: None)
    assert len(built) == 1
    stack_policies[0].validate(StackValidationArgs(list(resources), {}), lambda *_: None)
    assert len(built) == 2, "another list is another stack"


# --- the fallback -------------------------------------------------------------------------------------

def test_internals_other_than_expected_are_left_alone(monkeypatch):
    for name in PATCHED:
        monkeypatch.setattr(SERVICER, name, _original(name))
    monkeypatch.setattr(framework, "StackValidationArgs", framework.StackValidationArgs)
    for name in ("ANALYZE_FINGERPRINT", "ANALYZE_STACK_FINGERPRINT", "CONFIGURE_FINGERPRINT"):
        monkeypatch.setattr(framework_cache, name, "changed")
    before = {name: getattr(SERVICER, name) for name in PATCHED}
    args_class = framework.StackValidationArgs
    assert framework_cache.install_dispatch() == {"analyze": False, "analyzeStack": False, "configure": False}
    assert {name: getattr(SERVICER, name) for name in PATCHED} == before
    assert framework.StackValidationArgs is args_class
    serv = servicer(all_policies())
    assert responses(serv, compliant()) == responses(serv, compliant(), patched=False)


def test_installing_twice_patches_once(dispatch):
    methods = {name: getattr(SERVICER, name) for name in PATCHED}
    replaced = {name: getattr(framework, name) for name in REPLACED}
    assert framework_cache.install() == {"analyze": True, "analyzeStack": True, "configure": True,
                                         "conversion": True, "proxies": True, "configRecording": True}
    assert {name: getattr(SERVICER, name) for name in PATCHED} == methods
    assert {name: getattr(framework, name) for name in REPLACED} == replaced
