"""What preflight's policy host puts on the wire (preflight.host), checked without starting a pack."""

from __future__ import annotations


import pytest
from google.protobuf import json_format

from preflight import host
from preflight.runner import SECRET_SIG, SECRET_VALUE_SIG, UNKNOWN

PROVIDER = "urn:pulumi:test::nested::pulumi:providers:aws::default_7_51_1"
DB = "urn:pulumi:test::nested::aws:rds/instance:Instance::db"
CDN = "urn:pulumi:test::nested::aws:cloudfront/distribution:Distribution::cdn"
LB = "urn:pulumi:test::nested::aws:lb/loadBalancer:LoadBalancer::web"


@pytest.fixture(scope="module")
def wire(program_run):
    return {mode: {w.urn: w for w in host.wire_resources(program_run("nested", "test", mode))}
            for mode in ("preview", "update")}


def _props(struct) -> dict:
    return json_format.MessageToDict(struct)


def test_analyze_request_carries_inputs_with_secret_envelopes(wire):
    req = wire["preview"][DB].analyze_message()
    assert (req.type, req.name, req.urn) == ("aws:rds/instance:Instance", "db", DB)
    props = _props(req.properties)
    assert props["password"] == {SECRET_SIG: SECRET_VALUE_SIG, "value": "preflight-secret-placeholder"}
    assert props["multiAz"] is True and "endpoint" not in props
    assert req.options.deleteBeforeReplace and req.options.deleteBeforeReplaceDefined
    assert req.options.customTimeouts.create == 1800.0
    assert req.options.parent == "urn:pulumi:test::nested::pulumi:pulumi:Stack::nested-test"
    assert req.provider.urn == PROVIDER and req.provider.type == "pulumi:providers:aws"
    assert _props(req.provider.properties) == {"region": "eu-central-1", "version": "7.51.1"}


def test_unknowns_travel_as_the_sentinel(wire):
    req = wire["preview"][CDN].analyze_message()
    assert _props(req.properties)["origins"][0]["domainName"] == UNKNOWN
    stack = wire["preview"][LB].stack_message()
    assert _props(stack.properties)["dnsName"] == UNKNOWN


def test_analyze_stack_resource_has_outputs_and_graph(wire):
    res = wire["update"][CDN].stack_message()
    props = _props(res.properties)
    assert props["domainName"].endswith(".cloudfront.net")  # fabricated output
    assert props["enabled"] is True  # inputs are part of the state
    assert res.parent == "urn:pulumi:test::nested::pulumi:pulumi:Stack::nested-test"
    assert list(res.dependencies) == [LB]
    assert list(res.propertyDependencies["origins"].urns) == [LB]
    db = wire["update"][DB].stack_message()
    assert _props(db.properties)["password"][SECRET_SIG] == SECRET_VALUE_SIG
    # additionalSecretOutputs make outputs secret even when they were plain inputs or fabricated.
    assert _props(db.properties)["address"][SECRET_SIG] == SECRET_VALUE_SIG


def test_every_registration_plus_default_provider(wire, program_run):
    run = program_run("nested", "test", "preview")
    urns = list(wire["preview"])
    assert PROVIDER in urns
    assert set(urns) - {PROVIDER} == {r.urn for r in run.resources}
    stack = wire["preview"]["urn:pulumi:test::nested::pulumi:pulumi:Stack::nested-test"].stack_message()
    assert _props(stack.properties)["kind"] == "nested"  # the Stack's outputs are its state
    assert not stack.HasField("provider")


def test_bytes_match_the_message_api(wire):
    """The hand-assembled bytes decode to exactly the message the generated classes would build."""
    from pulumi.runtime.proto import analyzer_pb2

    w = wire["update"][CDN]
    built = analyzer_pb2.AnalyzerResource(
        type=w.type, name=w.name, urn=w.urn, parent=w.parent, dependencies=w.dependencies,
        properties=analyzer_pb2.AnalyzeRequest.FromString(w.analyze_request(w.outputs)).properties,
        options=analyzer_pb2.AnalyzerResourceOptions.FromString(w.options),
        provider=analyzer_pb2.AnalyzerProviderResource.FromString(w.provider),
        propertyDependencies={k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v)
                              for k, v in w.property_dependencies.items()})
    assert w.stack_message() == built


def test_seconds_from_go_durations():
    assert host._seconds("30m") == 1800 and host._seconds("1h30m") == 5400 and host._seconds("") == 0


def test_configure_request_merges_schema_defaults_initial_config_and_file():
    from pulumi.runtime.proto import analyzer_pb2

    info = analyzer_pb2.AnalyzerInfo(name="p", policies=[
        analyzer_pb2.PolicyInfo(name="a", enforcementLevel=analyzer_pb2.MANDATORY),
        analyzer_pb2.PolicyInfo(name="b", enforcementLevel=analyzer_pb2.ADVISORY),
    ])
    info.policies[1].configSchema.properties.update({"n": {"type": "integer", "default": 2},
                                                     "s": {"type": "string", "enum": ["x", "y"]}})
    req, levels, warnings = host.build_configure_request(info, {"all": "advisory", "b": {"s": "y"}, "c": "mandatory"},
                                                         "p")
    assert levels == {"a": "advisory", "b": "advisory"}
    assert json_format.MessageToDict(req.policyConfig["b"].properties) == {"n": 2.0, "s": "y"}
    assert warnings == ["policy pack config names 'c', which is not a policy of p"]
    with pytest.raises(host.PolicyPackError, match="must be one of"):
        host.build_configure_request(info, {"b": {"s": "z"}}, "p")
    with pytest.raises(host.PolicyPackError, match="enforcement level must be"):
        host.build_configure_request(info, {"a": "loud"}, "p")


def test_config_file_errors_are_one_line(tmp_path):
    bad = tmp_path / "c.json"
    bad.write_text("{nope")
    with pytest.raises(host.PolicyPackError, match=r"is not valid JSON") as e:
        host.load_policy_config_file(str(bad))
    assert "\n" not in str(e.value)
