"""--offline-facts: the user's answers for their own lookups and for stack references."""

from __future__ import annotations

import json
import os

import pytest

from preflight.offline_facts import OfflineFactsError, load_offline_facts
from preflight.runner import run_program

from .conftest import PROGRAMS

STACK_REFS = os.path.join(PROGRAMS, "stack_refs")
FACTS = os.path.join(STACK_REFS, "facts.yaml")
REF_URN = "urn:pulumi:dev::stack-refs::pulumi:pulumi:StackReference::org/network/prod"


@pytest.fixture(scope="module")
def with_facts():
    facts = load_offline_facts(FACTS)
    return {mode: run_program(STACK_REFS, "dev", mode, offline_facts=facts) for mode in ("preview", "update")}


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_stack_reference_outputs_come_from_the_facts_file(with_facts, mode):
    r = with_facts[mode]
    assert r.error is None, r.error
    # Known in preview too: the engine reads another stack's outputs during preview.
    assert r.outputs == {"vpcId": "vpc-0f00dfeedbeef0001", "firstSubnet": "subnet-0aaa0000000000001",
                         "dbPassword": "correct-horse"}
    assert r.secret_outputs == ["dbPassword"]
    assert r.unanswered_stack_references == []
    sg = r.get("aws:ec2/securityGroup:SecurityGroup", "app")
    assert sg.inputs["vpcId"] == "vpc-0f00dfeedbeef0001"
    assert r.get("aws:rds/subnetGroup:SubnetGroup", "db").inputs["subnetIds"] == [
        "subnet-0aaa0000000000001", "subnet-0aaa0000000000002"]
    ref = r.get("pulumi:pulumi:StackReference", "org/network/prod")
    assert ref.urn == REF_URN and ref.id == "org/network/prod" and ref.options == {"read": True}
    assert ref.outputs["secretOutputNames"] == ["dbPassword"]


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_without_facts_a_required_output_fails_the_program_and_says_why(mode):
    r = run_program(STACK_REFS, "dev", mode)
    assert r.unanswered_stack_references == ["org/network/prod"]
    assert r.error is not None
    assert r.error.message == (
        "KeyError: 'privateSubnetIds'\n"
        "stack reference org/network/prod was not answered offline (its outputs are empty); "
        "answer it in --offline-facts FILE")


def test_without_facts_get_output_is_none_and_the_reference_is_recorded(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi\nref = pulumi.StackReference('org/network/prod')\n"
        "pulumi.export('vpc', ref.get_output('vpcId'))\npulumi.export('ok', True)\n")
    r = run_program(tmp_path, "dev", "update")
    assert r.error is None and r.outputs == {"ok": True}
    assert r.unanswered_stack_references == ["org/network/prod"]


def _facts(tmp_path, doc, name="facts.json") -> str:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return str(path)


def test_user_answers_win_over_built_in_ones_and_keep_the_other_fields(tmp_path):
    path = _facts(tmp_path, {"invokes": [
        {"token": "aws:ec2/getVpc:getVpc", "args": {"default": True},
         "result": {"id": "vpc-0123456789abcdef0", "cidrBlock": "10.99.0.0/16"}},
        {"token": "aws:ec2/getInstance:getInstance", "result": {"privateIp": "10.99.1.7"}},
    ]})
    r = run_program(os.path.join(PROGRAMS, "lookups"), "dev", "update", offline_facts=load_offline_facts(path))
    assert r.error is None, r.error
    assert r.outputs["vpcId"] == "vpc-0123456789abcdef0" and r.outputs["vpcCidr"] == "10.99.0.0/16"
    assert r.outputs["vpcDefault"] is True  # a field the answer left out keeps the built-in value
    vpc = next(i for i in r.invokes if i.token == "aws:ec2/getVpc:getVpc" and i.args == {"default": True})
    assert vpc.answered_by == "offline-facts"
    pinned = next(i for i in r.invokes if i.token == "aws:ec2/getVpc:getVpc" and "id" in i.args)
    assert pinned.answered_by == "preflight"  # args {"default": true} do not match get_vpc(id=...)
    shop = run_program(os.path.join(PROGRAMS, "shop"), "dev", "update", offline_facts=load_offline_facts(path))
    assert shop.unanswered_invokes == [] and shop.outputs["legacyInstanceIp"] == "10.99.1.7"


def test_yaml_and_json_files_are_the_same_facts(tmp_path):
    yaml_facts = load_offline_facts(FACTS)
    json_path = _facts(tmp_path, {"stackReferences": {"org/network/prod": {
        "outputs": {"vpcId": "vpc-0f00dfeedbeef0001",
                    "privateSubnetIds": ["subnet-0aaa0000000000001", "subnet-0aaa0000000000002"],
                    "dbPassword": "correct-horse"},
        "secretOutputNames": ["dbPassword"]}}})
    assert load_offline_facts(json_path).stack_references == yaml_facts.stack_references


def _problems(path: str) -> list[str]:
    with pytest.raises(OfflineFactsError) as e:
        load_offline_facts(path)
    lines = str(e.value).splitlines()
    assert lines[0] == f"--offline-facts {path}: " + (
        f"{len(lines) - 1} problems" if len(lines) > 2 else "1 problem")
    prefix = f"  {path}: "
    assert all(line.startswith(prefix) for line in lines[1:])
    return [line[len(prefix):] for line in lines[1:]]


def test_every_problem_is_named_with_its_json_path(tmp_path):
    path = _facts(tmp_path, {
        "invokes": [
            {"token": "getVpc", "result": {}},
            {"token": "aws:ec2/getVpc:getVpc", "args": [1], "result": "vpc-1", "extra": 1},
            {"args": {}},
            "aws:ec2/getVpc:getVpc",
        ],
        "stackReferences": {
            "org/network/prod": {"outputs": {"vpcId": "v"}, "secretOutputNames": ["dbPassword"]},
            "org/db/prod": {"vpcId": "v"},
            "org/x/y": {"outputs": ["a"]},
        },
        "stackReference": {},
    })
    assert _problems(path) == [
        "$.stackReference: unknown key: allowed keys are invokes, stackReferences",
        "$.invokes[0].token: \"getVpc\" is not an invoke token: write it as the SDK sends it, "
        "package:module/function:function, like aws:ec2/getVpc:getVpc",
        "$.invokes[1].extra: unknown key: allowed keys are token, args, result",
        "$.invokes[1].args: [1] is not a mapping: write the wire (camelCase) arguments that must match, "
        "or leave args out to match every call",
        "$.invokes[1].result: \"vpc-1\" is not a mapping: write the fields the lookup returns, "
        "with wire (camelCase) names",
        "$.invokes[2]: missing key token (the invoke token, like aws:ec2/getVpc:getVpc)",
        "$.invokes[2]: missing key result (the mapping the lookup returns, with wire names)",
        "$.invokes[3]: \"aws:ec2/getVpc:getVpc\" is not a mapping: write {token, args, result}",
        "$.stackReferences[\"org/network/prod\"].secretOutputNames[0]: \"dbPassword\" is not one of the "
        "stack's outputs (vpcId)",
        "$.stackReferences[\"org/db/prod\"].vpcId: unknown key: allowed keys are outputs, secretOutputNames",
        "$.stackReferences[\"org/db/prod\"]: missing key outputs (the stack's outputs, as "
        "`pulumi stack output --json` prints them)",
        "$.stackReferences[\"org/x/y\"].outputs: [\"a\"] is not a mapping: paste what "
        "`pulumi stack output --json --show-secrets` prints",
    ]


def test_yaml_dates_and_top_level_shape(tmp_path):
    path = _facts(tmp_path, "stackReferences:\n  a/b/c:\n    outputs:\n      released: 2024-05-01\n", "f.yaml")
    assert _problems(path) == [
        "$.stackReferences[\"a/b/c\"].outputs.released: datetime.date(2024, 5, 1) is a date, not JSON data: quote it"]
    assert _problems(_facts(tmp_path, "[1, 2]", "list.json")) == [
        "$: [1, 2] is not a mapping: the file holds a mapping with the keys invokes and/or stackReferences"]


def test_unreadable_and_unparseable_files(tmp_path):
    missing = str(tmp_path / "nope.yaml")
    assert _problems(missing) == ["cannot be read: No such file or directory"]
    assert _problems(_facts(tmp_path, '{"invokes": [], "invokes": []}')) == [
        "is not valid JSON: duplicate key \"invokes\""]
    dup = _facts(tmp_path, "invokes: []\ninvokes: []\n", "dup.yaml")
    [problem] = _problems(dup)
    assert problem.startswith("is not valid YAML: ") and "found duplicate key \"invokes\"" in problem
    assert "To suppress" not in problem
