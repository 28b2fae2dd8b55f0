"""The offline program runner (preflight.runner) on small stand-alone programs in tests/programs/."""

from __future__ import annotations

import json
import os
import re
import sys

import pytest

from preflight.runner import UNKNOWN, StackConfigError, run_program

from .conftest import PROGRAMS

STACK_URN = "urn:pulumi:test::nested::pulumi:pulumi:Stack::nested-test"
BUCKET = "aws:s3/bucket:Bucket"
RDS = "aws:rds/instance:Instance"


@pytest.fixture(scope="module")
def nested(program_run):
    return {mode: program_run("nested", "test", mode) for mode in ("preview", "update")}


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_program_runs_without_error(nested, mode):
    assert nested[mode].error is None
    assert nested[mode].project == "nested" and nested[mode].stack == "test" and nested[mode].mode == mode


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_engine_urns_chain_every_ancestor_type(nested, mode):
    r = nested[mode]
    stack = r.get("pulumi:pulumi:Stack", "nested-test")
    outer = r.get("test:index:Outer", "outer")
    inner = r.get("test:index:Inner", "outer-inner")
    bucket = r.get(BUCKET, "outer-inner-bucket")
    assert stack.urn == STACK_URN and stack.parent is None
    assert outer.urn == "urn:pulumi:test::nested::test:index:Outer::outer"
    assert outer.parent == STACK_URN
    assert inner.urn == "urn:pulumi:test::nested::test:index:Outer$test:index:Inner::outer-inner"
    assert inner.parent == outer.urn
    assert bucket.urn == (
        "urn:pulumi:test::nested::test:index:Outer$test:index:Inner$aws:s3/bucket:Bucket::outer-inner-bucket"
    )
    assert bucket.parent == inner.urn
    assert r.children(inner) == [bucket]
    # Top-level custom resources: the Stack is the parent but its type is not in the chain.
    assert r.get(RDS, "db").urn == "urn:pulumi:test::nested::aws:rds/instance:Instance::db"
    assert r.get(RDS, "db").parent == STACK_URN
    assert r.by_urn(bucket.urn) is bucket
    assert not outer.custom and bucket.custom


def test_options_protect_and_dependencies_are_recorded(nested):
    r = nested["preview"]
    bucket = r.get(BUCKET, "outer-inner-bucket")
    assert bucket.protect is True
    assert bucket.options["ignoreChanges"] == ["tags"]
    assert bucket.options["retainOnDelete"] is True
    db = r.get(RDS, "db")
    assert db.protect is False
    assert db.options["deleteBeforeReplace"] is True
    assert db.options["customTimeouts"] == {"create": "30m"}
    assert "address" in db.options["additionalSecretOutputs"]
    # depends_on=[component] is expanded by the SDK into the component's custom descendants.
    assert db.dependencies == (bucket.urn,)
    cdn = r.get("aws:cloudfront/distribution:Distribution", "cdn")
    lb = r.get("aws:lb/loadBalancer:LoadBalancer", "web")
    assert cdn.property_dependencies["origins"] == (lb.urn,)
    assert lb.urn in cdn.dependencies


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_secrets_are_unwrapped_and_secure_config_is_a_placeholder(nested, mode):
    r = nested[mode]
    db = r.get(RDS, "db")
    assert db.inputs["password"] == "preflight-secret-placeholder"
    assert "password" in db.secret_inputs
    assert "engine" not in db.secret_inputs
    assert r.secret_placeholders == ["nested:dbPassword"]
    assert r.config["nested:dbPassword"] == "preflight-secret-placeholder"
    assert r.outputs["password"] == "preflight-secret-placeholder"


def test_inputs_use_wire_names_and_floats(nested):
    db = nested["preview"].get(RDS, "db")
    assert db.inputs["instanceClass"] == "db.t4g.micro"
    assert db.inputs["multiAz"] is True
    assert db.inputs["allocatedStorage"] == 20.0 and isinstance(db.inputs["allocatedStorage"], float)


def test_preview_leaves_provider_outputs_unknown(nested):
    r = nested["preview"]
    for key in ("dbEndpoint", "dbAddress", "lbDns", "cdnDomain", "cdnZone", "ltVersion", "cacheEndpoint"):
        assert r.outputs[key] == UNKNOWN, key
    cdn = r.get("aws:cloudfront/distribution:Distribution", "cdn")
    assert cdn.inputs["origins"][0]["domainName"] == UNKNOWN
    assert cdn.id is None
    db = r.get(RDS, "db")
    # The planned state: inputs as given, provider-computed outputs unknown.
    assert db.outputs["endpoint"] == UNKNOWN and db.outputs["arn"] == UNKNOWN
    assert db.outputs["engine"] == "postgres" and "endpoint" not in db.inputs
    lb = r.get("aws:lb/loadBalancer:LoadBalancer", "web")
    assert lb.outputs["dnsName"] == UNKNOWN and lb.outputs["zoneId"] == UNKNOWN
    assert "loadBalancerType" not in [k for k, v in lb.outputs.items() if v == UNKNOWN]


def test_update_fabricates_realistic_values(nested):
    r = nested["update"]
    o = r.outputs
    assert re.fullmatch(r"web-[0-9a-f]{7}-\d{1,9}\.eu-central-1\.elb\.amazonaws\.com", o["lbDns"]), o["lbDns"]
    assert re.fullmatch(r"[a-z0-9-]+\.c[0-9a-f]+\.eu-central-1\.rds\.amazonaws\.com:5432", o["dbEndpoint"])
    assert o["dbEndpoint"].startswith(o["dbAddress"] + ":")
    assert re.fullmatch(r"d[0-9a-z]+\.cloudfront\.net", o["cdnDomain"])
    assert o["cdnZone"] == "Z2FDTNDATAQYW2"
    assert o["ltVersion"] == 1
    assert o["cacheEndpoint"].endswith(":11211")
    lb = r.get("aws:lb/loadBalancer:LoadBalancer", "web")
    assert lb.outputs["arn"].startswith("arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/")
    assert lb.id == lb.outputs["arn"]
    cdn = r.get("aws:cloudfront/distribution:Distribution", "cdn")
    assert cdn.inputs["origins"][0]["domainName"] == o["lbDns"]
    bucket = r.get(BUCKET, "outer-inner-bucket")
    assert bucket.id == "outer-inner-bucket-fixed"
    assert bucket.outputs["arn"] == "arn:aws:s3:::outer-inner-bucket-fixed"


def test_update_values_are_deterministic(nested):
    again = run_program(os.path.join(PROGRAMS, "nested"), "test", "update")
    assert again.outputs == nested["update"].outputs
    assert [r.urn for r in again.resources] == [r.urn for r in nested["update"].resources]


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_invokes_are_answered_and_recorded(nested, mode):
    r = nested[mode]
    tokens = [i.token for i in r.invokes]
    assert "aws:iam/getPolicyDocument:getPolicyDocument" in tokens
    assert r.outputs["account"] == "123456789012"
    assert r.outputs["elbAccount"] == "054676820928"  # eu-central-1, from aws:region in the stack file
    doc = json.loads(r.outputs["policy"])
    assert doc == {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
        }],
    }


def test_availability_zones_follow_the_region(program_run):
    r = program_run("minimal", "dev")
    azs = next(i for i in r.invokes if i.token == "aws:index/getAvailabilityZones:getAvailabilityZones")
    assert azs.args == {"state": "available"}
    assert azs.result["names"][:3] == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    assert azs.result["zoneIds"][0] == "euw1-az1"
    assert r.get("aws:ec2/subnet:Subnet", "a").inputs["availabilityZone"] == "eu-west-1a"


def test_unknown_invoke_returns_empty_and_is_recorded(program_run):
    r = program_run("shop", "dev", "update")
    assert r.error is None
    inv = [i for i in r.invokes if i.token == "aws:ec2/getInstance:getInstance"]
    assert len(inv) == 1 and inv[0].args == {"instanceId": "i-0123456789abcdef0"} and inv[0].result == {}
    assert "legacyInstanceIp" not in r.outputs  # an empty answer: the exported value is None


def test_canonical_user_invokes(program_run):
    r = program_run("shop", "dev", "update")
    assert re.fullmatch(r"[0-9a-f]{64}", r.outputs["canonicalUser"])
    assert r.outputs["cloudfrontLogsUser"] == "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0"


def test_config_sources_and_overrides(program_run):
    r = program_run("minimal", "dev")
    assert r.config["minimal:greeting"] == "hello"  # Pulumi.yaml default
    assert r.config["aws:region"] == "eu-west-1"  # Pulumi.yaml value of another namespace
    assert r.config["minimal:size"] == "3"
    assert json.loads(r.config["minimal:tags"]) == {"team": "web", "cost": 12}
    assert r.outputs["tags"] == {"team": "web", "cost": 12}
    o = program_run("minimal", "dev", "preview", {"greeting": "hi", "minimal:size": "5", "aws:region": "us-west-2"})
    assert o.config["minimal:greeting"] == "hi" and o.outputs["greeting"] == "hi"
    assert o.outputs["size"] == 5
    assert o.get("aws:ec2/subnet:Subnet", "a").inputs["availabilityZone"] == "us-west-2a"
    s = program_run("minimal", "dev", "preview", {"dbPassword": "known"})
    assert s.secret_placeholders == [] and s.outputs["password"] == "known"


def test_second_unrelated_program_with_same_module_names(program_run):
    first = program_run("nested", "test")
    shop = run_program(os.path.join(PROGRAMS, "shop"), "dev")
    again = run_program(os.path.join(PROGRAMS, "nested"), "test")
    assert first.outputs["kind"] == "nested"
    assert shop.outputs["kind"] == "shop"
    assert again.outputs["kind"] == "nested"
    assert [r.urn for r in shop.resources] == [
        "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev",
        "urn:pulumi:dev::shop::aws:sns/topic:Topic::corner-orders",
    ]


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_program_that_raises_is_reported_without_runner_frames(mode):
    r = run_program(os.path.join(PROGRAMS, "raises"), "dev", mode)
    assert r.error is not None
    assert r.error.message == "ValueError: portal:azCount = 1: at least 2 are needed"
    assert "tests/programs/raises/settings.py" in r.error.details
    assert "raise ValueError" in r.error.details
    for hidden in ("preflight", "runpy", "asyncio", "site-packages/pulumi/"):
        assert hidden not in r.error.details
    # What was registered before the failure is still there.
    assert r.find("aws:sns/topic:Topic", "before-failure")


def test_failure_inside_apply_is_reported():
    r = run_program(os.path.join(PROGRAMS, "raises_in_apply"), "dev", "update")
    assert r.error is not None
    assert r.error.message.startswith("AttributeError: 'str' object has no attribute 'no_such_method'")
    assert "raises_in_apply/__main__.py" in r.error.details
    assert "site-packages/pulumi/" not in r.error.details


def test_runs_after_a_failure_are_clean(program_run):
    run_program(os.path.join(PROGRAMS, "raises"), "dev")
    r = run_program(os.path.join(PROGRAMS, "shop"), "dev")
    assert r.error is None and len(r.resources) == 2


def test_get_names_what_exists(nested):
    with pytest.raises(AssertionError, match="that type has: outer-inner-bucket"):
        nested["preview"].get(BUCKET, "nope")
    with pytest.raises(AssertionError, match="types registered: .*aws:rds/instance:Instance"):
        nested["preview"].get("aws:nope/nope:Nope", "x")


def test_bad_mode():
    with pytest.raises(ValueError):
        run_program(os.path.join(PROGRAMS, "shop"), "dev", "destroy")


# ---- config errors: one clear line each ----


def _project(tmp_path, pulumi_yaml, stack_yaml="config: {}\n", stack="dev"):
    (tmp_path / "Pulumi.yaml").write_text(pulumi_yaml)
    if stack_yaml is not None:
        (tmp_path / f"Pulumi.{stack}.yaml").write_text(stack_yaml)
    (tmp_path / "__main__.py").write_text("import pulumi\npulumi.export('ok', True)\n")
    return tmp_path


def _error(*args, **kwargs) -> str:
    with pytest.raises(StackConfigError) as e:
        run_program(*args, **kwargs)
    msg = str(e.value)
    assert "\n" not in msg
    return msg


def test_missing_project_file(tmp_path):
    assert "no Pulumi.yaml" in _error(tmp_path, "dev")


def test_unknown_stack_lists_the_stacks_found():
    msg = _error(os.path.join(PROGRAMS, "nested"), "prod")
    assert msg.startswith("unknown stack 'prod'") and "stacks found: test" in msg


def test_missing_stack_file(tmp_path):
    p = _project(tmp_path, "name: p\nruntime: python\n", stack_yaml=None)
    assert "unknown stack 'dev'" in _error(p, "dev") and "stacks found: none" in _error(p, "dev")


@pytest.mark.parametrize("override", [{"": "x"}, {"a b": "x"}, {":x": "1"}, {"x:": "1"}])
def test_malformed_override(override):
    assert "malformed config override" in _error(os.path.join(PROGRAMS, "shop"), "dev", "preview", override)


def test_works_with_a_good_override_after_a_bad_one():
    r = run_program(os.path.join(PROGRAMS, "shop"), "dev", "preview", {"name": "other"})
    assert r.get("aws:sns/topic:Topic", "other-orders")


@pytest.mark.parametrize("decl, message", [
    ("  aws:region:\n    type: string\n    value: us-east-1\n",
     "Configuration key 'aws:region' is not namespaced by the project and should not define a type"),
    ("  aws:region:\n    default: us-east-1\n",
     "Configuration key 'aws:region' is not namespaced by the project and should not define a default value. "
     "Did you mean to use the 'value' attribute instead of 'default'?"),
    ("  aws:region:\n    description: where\n",
     "Configuration key 'aws:region' is namespaced and must provide an attribute 'value'"),
    ("  size:\n    type: integer\n    default: 2\n    value: 3\n",
     "project config 'size' cannot have both a 'default' and 'value' attribute"),
    ("  size:\n    type: integer\n    default: big\n",
     "The default value specified for configuration key 'size' is not of the expected type 'integer'"),
    ("  zones:\n    type: array\n",
     "The configuration key 'zones' declares an array but does not specify the underlying type via the 'items' attribute"),
])
def test_project_config_rejected_like_the_cli(tmp_path, decl, message):
    p = _project(tmp_path, "name: p\nruntime: python\nconfig:\n" + decl)
    assert _error(p, "dev") == message


def test_stack_value_of_the_wrong_type(tmp_path):
    p = _project(tmp_path, "name: p\nruntime: python\nconfig:\n  size:\n    type: integer\n    default: 2\n",
                 "config:\n  p:size: lots\n")
    assert _error(p, "dev") == "Stack 'dev' with configuration key 'p:size' must be of type 'integer'"


def test_required_key_without_value(tmp_path):
    p = _project(tmp_path, "name: p\nruntime: python\nconfig:\n  domain:\n    type: string\n")
    assert _error(p, "dev") == "Stack 'dev' is missing configuration value 'p:domain'"


def test_non_python_runtime(tmp_path):
    p = _project(tmp_path, "name: p\nruntime: nodejs\n")
    assert "runtime 'nodejs' is not supported" in _error(p, "dev")


def test_unparseable_yaml(tmp_path):
    p = _project(tmp_path, "name: p\nruntime: python\n", stack_yaml="config: [unclosed\n")
    assert _error(p, "dev").startswith("could not parse ")


def test_installed_packages_are_never_purged(program_run):
    # The project root holds the venv: purging "modules under the program folder" must spare it.
    import google.protobuf
    import pulumi

    from preflight import runner

    before = (sys.modules["google.protobuf"], sys.modules["pulumi"])
    run_program(os.path.join(PROGRAMS, "shop"), "dev")
    assert (sys.modules["google.protobuf"], sys.modules["pulumi"]) == before
    assert runner._module_file(google.protobuf) is None and runner._module_file(pulumi) is None
    assert runner._module_file(runner) is None


def test_sdk_features_explicit_provider_read_async_and_logs(program_run):
    r = program_run("features", "dev", "update")
    assert r.error is None
    east = r.get("pulumi:providers:aws", "east")
    assert east.urn == "urn:pulumi:dev::features::pulumi:providers:aws::east" and east.custom
    cert = r.get("aws:acm/certificate:Certificate", "cdn-cert")
    assert cert.provider == f"{east.urn}::{east.id}"
    assert cert.id.startswith("arn:aws:acm:us-east-1:123456789012:certificate/")  # the provider's region
    topic = r.get("aws:sns/topic:Topic", "async-topic")  # registered by the pulumi.run entry point
    assert topic.id.startswith("arn:aws:sns:us-west-2:")
    assert r.outputs == {"topicName": topic.outputs["name"], "certArn": cert.id}
    existing = r.get("aws:ec2/vpc:Vpc", "existing")
    assert existing.id == "vpc-0123456789abcdef0" and existing.options == {"read": True}
    assert [(e.severity, e.message) for e in r.logs] == [("warning", "heads up from the program")]


def test_error_log_fails_the_run(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text("import pulumi\npulumi.log.error('bad settings: azCount')\n")
    r = run_program(tmp_path, "dev")
    assert r.error is not None and r.error.message == "bad settings: azCount"


def test_run_error_is_shown_in_full():
    r = run_program(os.path.join(PROGRAMS, "raises_multiline"), "dev", "preview")
    assert r.error.message == (
        "invalid stack settings (2 problem(s)):\n"
        "  portal:azCount = 1: at least 2 are needed\n"
        "  portal:minSize = 0: at least 1 is needed"
    )


def test_other_exception_keeps_every_line_of_its_message():
    r = run_program(os.path.join(PROGRAMS, "raises_multiline"), "dev", "preview",
                    {"raises-multiline:kind": "value"})
    assert r.error.message == "ValueError: two problems:\n  first: bad\n  second: worse"
    assert "raises_multiline/__main__.py" in r.error.details


def test_a_failing_resource_listener_fails_the_run():
    from preflight.runner import ListenerError

    def listener(res):
        raise RuntimeError("boom")

    with pytest.raises(ListenerError) as e:
        run_program(os.path.join(PROGRAMS, "shop"), "dev", "preview", on_resource=listener)
    assert str(e.value).startswith("the resource listener failed on urn:pulumi:")
    assert str(e.value).endswith(": RuntimeError: boom")


def test_wire_constants_are_the_sdks():
    from pulumi.runtime import rpc

    from preflight import runner

    assert runner.UNKNOWN is rpc.UNKNOWN
    assert runner.SECRET_SIG is rpc._special_sig_key
    assert runner.SECRET_VALUE_SIG is rpc._special_secret_sig


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_unanswered_invokes_are_listed(program_run, mode):
    r = program_run("shop", "dev", mode)
    assert [(i.token, i.args, i.result) for i in r.unanswered_invokes] == [
        ("aws:ec2/getInstance:getInstance", {"instanceId": "i-0123456789abcdef0"}, {})]


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_existing_asset_and_archive_paths_are_accepted(mode):
    r = run_program(os.path.join(PROGRAMS, "assets"), "dev", mode)
    assert r.error is None
    assert r.get("aws:lambda/function:Function", "fn")


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_missing_archive_path_fails_like_the_cli(mode):
    program = os.path.join(PROGRAMS, "assets")
    r = run_program(program, "dev", mode, {"assets:codePath": "build/lambda"})
    missing = os.path.join(program, "build/lambda")
    assert r.error is not None
    assert r.error.message == (
        f"aws:lambda/function:Function fn: failed to compute archive hash for \"python\": "
        f"couldn't read archive path '{missing}': stat {missing}: no such file or directory"
    )


def test_missing_asset_path_fails_like_the_cli():
    program = os.path.join(PROGRAMS, "assets")
    r = run_program(program, "dev", "preview", {"assets:versionFile": "VERSION.txt"})
    missing = os.path.join(program, "VERSION.txt")
    assert r.error.message == (
        f"aws:lambda/function:Function fn: failed to compute asset hash for \"VERSION\": "
        f"failed to open asset file '{missing}': open {missing}: no such file or directory"
    )


def test_every_missing_path_is_reported():
    program = os.path.join(PROGRAMS, "assets")
    r = run_program(program, "dev", "preview", {"assets:versionFile": "VERSION.txt", "assets:codePath": "nope"})
    assert len(r.error.message.splitlines()) == 2


def test_a_remote_component_without_children_is_a_warning():
    r = run_program(os.path.join(PROGRAMS, "remote_component"), "dev", "preview")
    assert r.error is None
    warnings = [(e.message, e.urn) for e in r.logs if e.severity == "warning"]
    assert warnings == [(
        "awsx:ec2:Vpc main is a multi-language component: its children are created by the component's "
        "own plugin, which does not run offline, so the policy packs see the component and its inputs but "
        "none of the resources it creates",
        "urn:pulumi:dev::remote-component::awsx:ec2:Vpc::main",
    )]
