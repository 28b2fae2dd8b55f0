"""`python -m preflight --offline-facts FILE`, and lookups left unanswered in the text, JSON and SARIF reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import PROGRAMS, ROOT, run_preflight_here

SHOP = os.path.join(PROGRAMS, "shop")
STACK_REFS = os.path.join(PROGRAMS, "stack_refs")
LOOKUP_GAP = ('lookup aws:ec2/getInstance:getInstance {"instanceId": "i-0123456789abcdef0"} was not answered '
              'offline (it returned an empty result); answer it in --offline-facts FILE')
REF_GAP = ("stack reference org/network/prod was not answered offline (its outputs are empty); "
           "answer it in --offline-facts FILE")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "preflight", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_unanswered_lookup_in_the_text_report():
    p = run_preflight_here("--cwd", SHOP, "--stack", "dev")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    i = lines.index("Diagnostics:")
    assert lines[i + 1:i + 3] == [f"    warning: {LOOKUP_GAP}", ""]


def test_unanswered_lookup_in_json_and_sarif(tmp_path):
    sarif = tmp_path / "out.sarif"
    p = run_preflight_here("--cwd", SHOP, "--stack", "dev", "--mode", "update", "--json", "--sarif", str(sarif))
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert {"policyPack": "", "policyName": "", "urn": "", "level": "warning", "message": LOOKUP_GAP} \
        in doc["diagnostics"]
    run = json.loads(sarif.read_text())["runs"][0]
    [result] = [r for r in run["results"] if r["ruleId"] == "preflight/unanswered-lookup"]
    assert result["level"] == "warning" and result["message"]["text"] == LOOKUP_GAP
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "tests/programs/shop/Pulumi.dev.yaml"
    rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert rule["id"] == "preflight/unanswered-lookup" and rule["defaultConfiguration"] == {"level": "warning"}


def test_facts_file_answers_a_stack_reference_in_both_modes():
    for mode in ("preview", "update"):
        p = run_preflight_here("--cwd", STACK_REFS, "--stack", "dev", "--mode", mode, "--json",
                    "--offline-facts", os.path.join(STACK_REFS, "facts.yaml"))
        assert p.returncode == 0, p.stderr
        doc = json.loads(p.stdout)
        assert doc["outputs"]["vpcId"] == "vpc-0f00dfeedbeef0001"
        assert doc["outputs"]["firstSubnet"] == "subnet-0aaa0000000000001"
        assert not [d for d in doc["diagnostics"] if "not answered offline" in d["message"]]


def test_unanswered_stack_reference_is_reported(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text("import pulumi\nref = pulumi.StackReference('org/network/prod')\n"
                                          "pulumi.export('vpc', ref.get_output('vpcId'))\n")
    p = run_preflight_here("--cwd", str(tmp_path), "--stack", "dev", "--json")
    assert p.returncode == 0, p.stderr
    assert {"policyPack": "", "policyName": "", "level": "warning", "message": REF_GAP,
            "urn": "urn:pulumi:dev::p::pulumi:pulumi:StackReference::org/network/prod"} \
        in json.loads(p.stdout)["diagnostics"]


def test_a_program_failing_on_an_unanswered_reference_says_so():
    p = run_preflight_here("--cwd", STACK_REFS, "--stack", "dev")
    assert p.returncode == 2
    lines = p.stderr.splitlines()
    assert lines[:2] == ["error: stack dev: the program failed: KeyError: 'privateSubnetIds'", REF_GAP]


def test_an_invalid_facts_file_names_every_problem_and_exits_2(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"invokes": [{"token": "getVpc"}], "stackRefs": {}}))
    p = run_cli("--cwd", SHOP, "--stack", "dev", "--offline-facts", str(facts))
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.splitlines() == [
        f"error: --offline-facts {facts}: 3 problems",
        f"  {facts}: $.stackRefs: unknown key: allowed keys are invokes, stackReferences",
        f"  {facts}: $.invokes[0].token: \"getVpc\" is not an invoke token: write it as the SDK sends it, "
        "package:module/function:function, like aws:ec2/getVpc:getVpc",
        f"  {facts}: $.invokes[0]: missing key result (the mapping the lookup returns, with wire names)",
    ]
    missing = run_cli("--cwd", SHOP, "--stack", "dev", "--offline-facts", str(tmp_path / "nope.yaml"), "--json")
    assert missing.returncode == 2
    assert json.loads(missing.stdout)["error"]["kind"] == "offlineFacts"
