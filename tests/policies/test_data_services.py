"""DynamoDB, Redshift and Secrets Manager: what the secret-value rule can and cannot see through pulumi-policy
(the case lists are in cases_data_services.py, run by test_policy_cases.py)."""
from google.protobuf import json_format, struct_pb2
from pulumi_policy.deserialize import deserialize_properties

from .cases_data_services import SECRET_ENVELOPE, stack
from . import test_preview_unknowns as analyzer


def test_pulumi_policy_hands_policies_secret_values_unwrapped():
    """Why the envelope cannot decide: Analyze and AnalyzeStack deserialize properties without keeping the secret
    mark, and the SDK wraps a literal secretString as it wraps secret config (test_secret_config.py)."""
    wire = struct_pb2.Struct()
    wire.update({"secretString": {SECRET_ENVELOPE[0]: SECRET_ENVELOPE[1], "value": "from-config"}})
    assert deserialize_properties(json_format.MessageToDict(wire)) == {"secretString": "from-config"}


def test_a_secret_value_no_stack_config_names_is_reported_with_the_way_out():
    s = stack()
    s.add("aws:secretsmanager/secretVersion:SecretVersion", "api-secret-v2", {
        "secretId": "shop/api", "secretString": {SECRET_ENVELOPE[0]: SECRET_ENVELOPE[1], "value": "from-config"}})
    found = [d for d in analyzer._analyze_all(s) if d[0] == "secret-version-not-literal"]
    assert found == [("secret-version-not-literal",
                      "Secrets Manager secret versions must not carry a plaintext value written in the program or its "
                      "stack configuration.\nSecret version 'api-secret-v2' sets secretString from a plaintext literal "
                      "or a non-secret config value, so the value is written unencrypted in the program or its stack "
                      "configuration; make it secret config (pulumi config set --secret), generate it in the stack "
                      "(e.g. random.RandomPassword) or let the service create it.", "api-secret-v2")]
