"""What preflight's policy host puts on the wire and configures (preflight.analyzer_wire, preflight.pack_config),
checked without starting a pack."""

from __future__ import annotations

import json
import os

import pytest
from google.protobuf import json_format

from pulumi.runtime.rpc import UNKNOWN
from pulumi.runtime.rpc import _special_secret_sig as SECRET_VALUE_SIG
from pulumi.runtime.rpc import _special_sig_key as SECRET_SIG

from preflight import analyzer_wire, pack_config
from preflight.pack_process import error_message
from preflight.pack_results import PolicyPackError

from .conftest import POLICY_PACKS, PROGRAMS

PROVIDER = "urn:pulumi:test::nested::pulumi:providers:aws::default_7_51_1"
DB = "urn:pulumi:test::nested::aws:rds/instance:Instance::db"
CDN = "urn:pulumi:test::nested::aws:cloudfront/distribution:Distribution::cdn"
LB = "urn:pulumi:test::nested::aws:lb/loadBalancer:LoadBalancer::web"


@pytest.fixture(scope="module")
def wire(program_run):
    return {mode: {w.urn: w for w in analyzer_wire.wire_resources(program_run("nested", "test", mode))}
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
    assert analyzer_wire._seconds("30m") == 1800 and analyzer_wire._seconds("1h30m") == 5400 and analyzer_wire._seconds("") == 0


def test_configure_request_merges_schema_defaults_initial_config_and_file():
    from pulumi.runtime.proto import analyzer_pb2

    info = analyzer_pb2.AnalyzerInfo(name="p", supportsConfig=True, policies=[
        analyzer_pb2.PolicyInfo(name="a", enforcementLevel=analyzer_pb2.MANDATORY),
        analyzer_pb2.PolicyInfo(name="b", enforcementLevel=analyzer_pb2.ADVISORY),
    ])
    info.policies[1].configSchema.properties.update({"n": {"type": "integer", "default": 2},
                                                     "s": {"type": "string", "enum": ["x", "y"]}})
    req, levels, warnings = pack_config.build_configure_request(info, {"all": "advisory", "b": {"s": "y"}, "c": "mandatory"},
                                                         "p")
    assert levels == {"a": "advisory", "b": "advisory"}
    assert json_format.MessageToDict(req.policyConfig["b"].properties) == {"n": 2.0, "s": "y"}
    assert warnings == ["policy pack config names 'c', which is not a policy of p"]
    with pytest.raises(PolicyPackError, match="must be one of"):
        pack_config.build_configure_request(info, {"b": {"s": "z"}}, "p")
    with pytest.raises(PolicyPackError, match="enforcement level must be"):
        pack_config.build_configure_request(info, {"a": "loud"}, "p")


def test_config_file_errors_are_one_line(tmp_path):
    bad = tmp_path / "c.json"
    bad.write_text("{nope")
    with pytest.raises(PolicyPackError, match=r"is not valid JSON") as e:
        pack_config.load_policy_config_file(str(bad))
    assert "\n" not in str(e.value)


# ---- resource references and ids on the wire (preflight.analyzer_wire) ----

REFS = "urn:pulumi:dev::resource-refs::"


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_references_are_downgraded_in_inputs_and_state(program_run, mode):
    run = program_run("resource_refs", "dev", mode)
    wire = {w.urn: w for w in analyzer_wire.wire_resources(run)}
    vpc = run.get("aws:ec2/vpc:Vpc", "main")
    group = wire[REFS + "aws:ec2/securityGroup:SecurityGroup::web"]
    want = vpc.id if mode == "update" else UNKNOWN
    for props in (_props(group.analyze_message().properties), _props(group.stack_message().properties)):
        assert props["vpcId"] == want
        assert props["tags"] == {"tier": REFS + "refs:index:Tier::web"}
        assert "5cf8f73096256a8f31e491e813e4eb8e" not in json.dumps(props)  # no envelope left anywhere


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_state_carries_the_id_of_custom_resources_only(program_run, mode):
    run = program_run("resource_refs", "dev", mode)
    for w in analyzer_wire.wire_resources(run):
        state = _props(w.stack_message().properties)
        if w.type.startswith("pulumi:providers:") or w.urn not in {r.urn for r in run.resources if r.custom}:
            assert "id" not in state, w.urn
        else:
            assert state["id"] == (run.by_urn(w.urn).id if mode == "update" else UNKNOWN)
            assert "id" not in _props(w.analyze_message().properties)  # inputs have no id


# ---- policy pack config (preflight.pack_config): the CLI's merge, JSON Schema checks ----


def _info(*policies, initial=None, supports_config=True):
    from pulumi.runtime.proto import analyzer_pb2

    info = analyzer_pb2.AnalyzerInfo(name="p", supportsConfig=supports_config)
    for name, level, schema in policies:
        p = info.policies.add(name=name, enforcementLevel=level)
        if schema is not None:
            p.configSchema.properties.update(schema.get("properties", {}))
            p.configSchema.required.extend(schema.get("required", []))
    for name, (level, props) in (initial or {}).items():
        ic = info.initialConfig[name]
        if level is not None:
            ic.enforcementLevel = level
        if props is not None:
            ic.properties.update(props)
    return info


def test_initial_config_all_first_then_its_entries_then_the_file():
    from pulumi.runtime.proto import analyzer_pb2 as pb

    info = _info(("a", pb.ADVISORY, None), ("b", pb.MANDATORY, {"properties": {"n": {"type": "integer", "default": 1}}}),
                 ("c", pb.ADVISORY, None),
                 initial={"all": (pb.MANDATORY, None), "b": (None, {"n": 5}), "c": (pb.DISABLED, None)})
    req, levels, _ = pack_config.build_configure_request(info, None, "p")
    # b's entry has properties only: its level reads as advisory, as the CLI reads an unset proto3 enum.
    assert levels == {"a": "mandatory", "b": "advisory", "c": "disabled"}
    assert json_format.MessageToDict(req.policyConfig["b"].properties) == {"n": 5.0}
    # The pack gets every entry, "all" included, as from the CLI.
    assert sorted(req.policyConfig) == ["a", "all", "b", "c"]
    assert req.policyConfig["all"].enforcementLevel == pb.MANDATORY
    req, levels, _ = pack_config.build_configure_request(
        info, {"all": "advisory", "c": {"enforcementLevel": "mandatory"}, "b": {"m": "x"}}, "p")
    assert levels == {"a": "advisory", "b": "advisory", "c": "mandatory"}
    assert json_format.MessageToDict(req.policyConfig["b"].properties) == {"n": 5.0, "m": "x"}  # merged, key by key


def test_every_policy_config_carries_properties_even_when_empty():
    from pulumi.runtime.proto import analyzer_pb2 as pb

    req, _, _ = pack_config.build_configure_request(_info(("a", pb.MANDATORY, None)), None, "p")
    assert req.policyConfig["a"].HasField("properties")  # the Node.js SDK reads them unconditionally
    assert req.policyConfig["a"].SerializeToString() == pb.PolicyConfig(
        enforcementLevel=pb.MANDATORY, properties={}).SerializeToString()


def test_a_pack_without_config_support_is_not_configured():
    from pulumi.runtime.proto import analyzer_pb2 as pb

    req, levels, _ = pack_config.build_configure_request(
        _info(("a", pb.MANDATORY, None), supports_config=False), {"a": "advisory"}, "p")
    assert req is None and levels == {"a": "mandatory"}


def test_an_entry_that_is_no_policy_needs_a_level_as_under_the_cli():
    from pulumi.runtime.proto import analyzer_pb2 as pb

    info = _info(("a", pb.MANDATORY, None))
    req, _, warnings = pack_config.build_configure_request(info, {"gone": "advisory"}, "p")
    assert warnings == ["policy pack config names 'gone', which is not a policy of p"]
    assert req.policyConfig["gone"].enforcementLevel == pb.ADVISORY
    with pytest.raises(PolicyPackError, match=r"^policy pack config 'gone', which is not a policy of p, has "
                                              r"properties but no enforcement level"):
        pack_config.build_configure_request(info, {"gone": {"limit": 1}}, "p")


SCHEMA = {"properties": {
    "regions": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]{2}-[a-z]+-[0-9]$"}},
    "limits": {"type": "object", "properties": {"max": {"type": "integer", "minimum": 1}}, "required": ["max"]},
    "name": {"type": "string", "minLength": 3},
    "mode": {"enum": ["strict", "lax"]},
}, "required": ["name"]}


@pytest.mark.parametrize("props, message", [
    ({"name": "web", "regions": ["eu-west-1", 7]},
     "policy pack config for 'p1': property 'regions[1]' must be of type string, got 7"),
    ({"name": "web", "regions": ["Europe"]},
     """policy pack config for 'p1': property 'regions[0]' must match the pattern "^[a-z]{2}-[a-z]+-[0-9]$", """
     """got "Europe\""""),
    ({"name": "web", "limits": {"max": 0}},
     "policy pack config for 'p1': property 'limits.max' must be >= 1, got 0"),
    ({"name": "web", "limits": {}}, "policy pack config for 'p1': property 'limits.max' is required"),
    ({}, "policy pack config for 'p1': property 'name' is required"),
    ({"name": "ab"}, """policy pack config for 'p1': property 'name' must be at least 3 character(s) long, got "ab\""""),
    ({"name": "web", "mode": "loose"},
     """policy pack config for 'p1': property 'mode' must be one of ["strict", "lax"], got "loose\""""),
    ({"name": "web", "enforcementLevel": "loud"},
     "policy pack config for 'p1': property 'enforcementLevel' must be one of "
     """["advisory", "mandatory", "remediate", "disabled"], got "loud\""""),
])
def test_config_is_checked_with_full_json_schema(props, message):
    assert pack_config.validate_properties("p1", SCHEMA, props) == [message]


def test_every_problem_is_reported_on_one_line():
    from pulumi.runtime.proto import analyzer_pb2 as pb

    info = _info(("p1", pb.ADVISORY, SCHEMA))
    with pytest.raises(PolicyPackError) as e:
        pack_config.build_configure_request(info, {"p1": {"regions": [1], "limits": {"max": "x"}}}, "p")
    assert str(e.value) == (
        "policy pack config for 'p1': property 'limits.max' must be of type integer, got \"x\"; "
        "policy pack config for 'p1': property 'name' is required; "
        "policy pack config for 'p1': property 'regions[0]' must be of type string, got 1")


@pytest.mark.parametrize("text, error", [
    ('{"a": "loud"}', "policy pack config for 'a': enforcement level must be advisory, mandatory, remediate or "
                      'disabled, got "loud"'),
    ('{"a": 3}', "policy pack config for 'a' must be an enforcement level or an object"),
    ('{"all": {"enforcementLevel": 1}}', "policy pack config 'all': enforcement level must be"),
])
def test_the_file_is_checked_when_it_is_read(tmp_path, text, error):
    path = tmp_path / "c.json"
    path.write_text(text)
    with pytest.raises(PolicyPackError) as e:
        pack_config.load_policy_config_file(str(path))
    assert str(e.value).startswith(error)


def test_an_empty_config_file_is_no_config(tmp_path):
    path = tmp_path / "c.json"
    path.write_text("  \n")
    assert pack_config.load_policy_config_file(str(path)) == {}


def test_python_pack_initial_config_through_the_preflight(capsys):
    """pulumi_policy's PolicyPack(initial_config=...) as the CLI applies it (tests/policy_packs/initial_config)."""
    from preflight import cli

    pack = os.path.join(POLICY_PACKS, "initial_config")
    code = cli.main(["--cwd", os.path.join(PROGRAMS, "nested"), "--stack", "test", "--policy-pack", pack, "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert sorted((v["policyName"], v["enforcementLevel"], v["message"].split("\n")[1]) for v in doc["violations"]) == [
        ("everything", "mandatory", "ran"), ("limited", "advisory", "limit=3 unit=GiB")]


# ---- a pack's errors in one line (preflight.pack_process.error_message) ----


def test_a_node_error_is_its_message_not_its_last_stack_frame():
    stderr = [
        "error: [runtime] Running program '/p' failed with an unhandled exception:",
        "    Error: Cannot find module 'x'",
        "Require stack:",
        "- /p/index.js",
        "\x1b[90m    at Function.Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)\x1b[39m",
        "    at Object.<anonymous> \x1b[90m(/p/\x1b[39mindex.js:2:11\x1b[90m)\x1b[39m",
        "  code: \x1b[32m'MODULE_NOT_FOUND'\x1b[39m,",
        "}",
    ]
    assert error_message(stderr) == "Error: Cannot find module 'x'"
    assert error_message(["TypeError: x is not a function", "    at f (/p/index.js:3:5)"]) == \
        "TypeError: x is not a function"


def test_a_python_error_is_its_last_line():
    stderr = ["Traceback (most recent call last):", '  File "/p/__main__.py", line 3, in <module>',
              "    at = compute()", "ModuleNotFoundError: No module named 'x'"]
    assert error_message(stderr) == "ModuleNotFoundError: No module named 'x'"


# ---- a failure inside the host fails the run (exit 2, one line), never a silent partial analysis ----


def test_a_host_failure_in_the_pack_session_fails_the_run(capsys, monkeypatch):
    """The session thread sends each resource's Analyze; if building a request raises, the later resources
    would get no Analyze call: the run must fail with one line, not report a partial analysis."""
    from preflight import cli

    def broken(self, properties=None):
        raise RuntimeError("cannot assemble the request\nsecond line")

    monkeypatch.setattr(analyzer_wire.WireResource, "analyze_request", broken)
    pack = os.path.join(POLICY_PACKS, "protocol")
    code = cli.main(["--cwd", os.path.join(PROGRAMS, "nested"), "--stack", "test", "--policy-pack", pack])
    out = capsys.readouterr()
    assert code == 2 and out.out == ""
    assert out.err == f"error: policy pack {pack} failed: RuntimeError: cannot assemble the request\n"


def test_a_pack_project_file_is_read_as_yaml_1_2_with_file_line_and_column(tmp_path):
    from preflight.pack_launch import read_pack_project
    from preflight.pack_results import PolicyPackError

    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\nruntime: nodejs\n")
    with pytest.raises(PolicyPackError) as e:
        read_pack_project(str(tmp_path))
    assert str(e.value).startswith(f"could not parse {tmp_path / 'PulumiPolicy.yaml'}:2:1: ")
    assert 'mapping key "runtime" already defined at line 1' in str(e.value)
