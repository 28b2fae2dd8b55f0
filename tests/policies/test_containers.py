"""ECS, EKS and ECR policies beyond their case lists (cases_containers.py, run by test_policy_cases.py)."""
import json

from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from .cases_containers import stack
from .pk import POLICIES


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
