"""ECS, EKS and ECR policies: the compliant container stack, compliant variants and every violating case."""
import json

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from .cases_containers import COMPLIANT, VIOLATING, stack
from .own_cases import MODES, check_compliant, check_violation
from .pk import POLICIES, run_policy

POLICY_NAMES = sorted({c[0] for c in VIOLATING})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["prod", "staging"])
def test_compliant_container_stack_passes(name, mode):
    assert [v for p in POLICY_NAMES for v in run_policy(p, stack(name), mode=mode)] == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("policy,cid,mutate,config,expected", VIOLATING, ids=[f"{c[0]}/{c[1]}" for c in VIOLATING])
def test_violation_is_caught(policy, cid, mutate, config, expected, mode):
    check_violation(stack, policy, mutate, config, expected, mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("policy,cid,mutate,config", COMPLIANT, ids=[f"{c[0]}/{c[1]}" for c in COMPLIANT])
def test_compliant_variant_passes(policy, cid, mutate, config, mode):
    check_compliant(stack, policy, mutate, config, mode)


def test_endpoint_policy_is_advisory_and_the_pack_config_makes_it_mandatory():
    """The level comes from the usual per-policy enforcement config, applied by pulumi-policy's analyzer."""
    s = stack()
    s.drop("eks", "vpcConfig.endpointPublicAccess")
    w = next(w for w in s.wire("preview") if w["name"] == "eks")
    props = struct_pb2.Struct()
    props.update(w["inputs"])
    request = analyzer_pb2.AnalyzeRequest(type=w["type"], name=w["name"], urn=w["urn"], properties=props)

    def levels(configured):
        servicer = _PolicyAnalyzerServicer("ecommerce-portal-guard", "0.1.0", list(POLICIES.values()),
                                           EnforcementLevel.ADVISORY)
        if configured:
            servicer.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig={
                "eks-endpoint-not-public": analyzer_pb2.PolicyConfig(enforcementLevel=analyzer_pb2.MANDATORY,
                                                                     properties=struct_pb2.Struct())}), None)
        return [d.enforcementLevel for d in servicer.Analyze(request, None).diagnostics
                if d.policyName == "eks-endpoint-not-public"]

    assert levels(False) == [analyzer_pb2.ADVISORY]
    assert levels(True) == [analyzer_pb2.MANDATORY]


def test_container_definitions_are_parsed_from_the_json_string_the_sdk_sends():
    assert isinstance(stack().res["app-task"].props["containerDefinitions"], str)
    assert json.loads(stack().res["app-task"].props["containerDefinitions"])[0]["secrets"]
