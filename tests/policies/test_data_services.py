"""DynamoDB, Redshift and Secrets Manager policies: the compliant stack, compliant variants, every violating case,
and what the secret-value rule can and cannot see through pulumi-policy."""
import pytest
from google.protobuf import json_format, struct_pb2
from pulumi_policy.deserialize import deserialize_properties

from .cases_data_services import COMPLIANT, SECRET_ENVELOPE, VIOLATING, stack
from .own_cases import MODES, check_compliant, check_violation
from . import test_preview_unknowns as analyzer
from .pk import run_policy

POLICY_NAMES = sorted({c[0] for c in VIOLATING})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["prod", "staging"])
def test_compliant_data_stack_passes(name, mode):
    assert [v for p in POLICY_NAMES for v in run_policy(p, stack(name), mode=mode)] == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("policy,cid,mutate,config,expected", VIOLATING, ids=[f"{c[0]}/{c[1]}" for c in VIOLATING])
def test_violation_is_caught(policy, cid, mutate, config, expected, mode):
    check_violation(stack, policy, mutate, config, expected, mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("policy,cid,mutate,config", COMPLIANT, ids=[f"{c[0]}/{c[1]}" for c in COMPLIANT])
def test_compliant_variant_passes(policy, cid, mutate, config, mode):
    check_compliant(stack, policy, mutate, config, mode)


def test_pulumi_policy_hands_policies_secret_values_unwrapped():
    """Why a secret config value cannot pass on its own: Analyze and AnalyzeStack deserialize properties without
    keeping the secret mark, so the policy sees the same plain string a literal gives."""
    wire = struct_pb2.Struct()
    wire.update({"secretString": {SECRET_ENVELOPE[0]: SECRET_ENVELOPE[1], "value": "from-config"}})
    assert deserialize_properties(json_format.MessageToDict(wire)) == {"secretString": "from-config"}


def test_secret_config_value_through_the_analyzer_is_reported_with_the_way_out():
    s = stack()
    s.add("aws:secretsmanager/secretVersion:SecretVersion", "api-secret-v2", {
        "secretId": "shop/api", "secretString": {SECRET_ENVELOPE[0]: SECRET_ENVELOPE[1], "value": "from-config"}})
    found = [d for d in analyzer._analyze_all(s) if d[0] == "secret-version-not-literal"]
    assert found == [("secret-version-not-literal",
                      "Secrets Manager secret versions must not carry a value written in the program or its stack "
                      "configuration.\nSecret version 'api-secret-v2' sets secretString from a literal or stack "
                      "configuration, so the value is written in the program or its config and kept in the state; "
                      "generate it in the stack (e.g. random.RandomPassword) or let the service create it. If it is a "
                      "secret config value, name the version in configSecretVersions: policies receive secrets "
                      "unwrapped and cannot tell.", "api-secret-v2")]
