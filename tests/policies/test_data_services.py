"""DynamoDB, Redshift and Secrets Manager: what the secret-value rule can and cannot see through pulumi-policy
(the case lists are in cases_data_services.py, run by test_own_cases.py)."""
from google.protobuf import json_format, struct_pb2
from pulumi_policy.deserialize import deserialize_properties

from .cases_data_services import SECRET_ENVELOPE, stack
from . import test_preview_unknowns as analyzer


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
