"""Resource references reach analyzers as the engine sends them: a custom resource's id, a component's URN.

Unit tests of ``preflight.resource_refs.downgrade``, then the whole way through the preflight: a program that
passes ``vpc_id=vpc``, ``role=role`` and a component as inputs (tests/programs/resource_refs), analyzed by a
Python pack (tests/policy_packs/resource_refs) that reports what it saw, in both modes. The same pack reports
the ``id`` each resource's state carries in AnalyzeStack.
"""

import contextlib
import io
import json
import os
import re

import pytest
from pulumi.runtime.rpc import UNKNOWN, _special_resource_sig, _special_sig_key

from preflight import cli
from preflight.resource_refs import downgrade

from .conftest import POLICY_PACKS, PROGRAMS

VPC_URN = "urn:pulumi:staging::p::aws:ec2/vpc:Vpc::main"
WEB_URN = "urn:pulumi:staging::p::ecommerce:web:Web::web"


def ref(urn, **extra):
    return {_special_sig_key: _special_resource_sig, "urn": urn, "packageVersion": "7.5.0", **extra}


def test_custom_resource_reference_becomes_its_id():
    assert downgrade({"vpcId": ref(VPC_URN, id="vpc-0123")}) == {"vpcId": "vpc-0123"}


def test_custom_resource_reference_without_a_known_id_becomes_unknown():
    assert downgrade({"vpcId": ref(VPC_URN, id="")}) == {"vpcId": UNKNOWN}
    assert downgrade({"vpcId": ref(VPC_URN, id=UNKNOWN)}) == {"vpcId": UNKNOWN}


def test_component_reference_becomes_its_urn_at_any_depth():
    got = downgrade({"deps": [{"tier": ref(WEB_URN)}], "n": 1, "s": "x"})
    assert got == {"deps": [{"tier": WEB_URN}], "n": 1, "s": "x"}


# ---- through the preflight ----

PROGRAM = os.path.join(PROGRAMS, "resource_refs")
PACK = os.path.join(POLICY_PACKS, "resource_refs")
P = "urn:pulumi:dev::resource-refs::"
GROUP, PROFILE = P + "aws:ec2/securityGroup:SecurityGroup::web", P + "aws:iam/instanceProfile:InstanceProfile::app"
TIER = P + "refs:index:Tier::web"


@pytest.fixture(scope="module")
def findings():
    """``findings(mode)``: {(policy, urn): what the pack reported seeing} from ``python -m preflight --json``."""
    cache = {}

    def run(mode):
        if mode not in cache:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                code = cli.main(["--cwd", PROGRAM, "--stack", "dev", "--policy-pack", PACK, "--mode", mode, "--json"])
            assert code == 0, out.getvalue()
            doc = json.loads(out.getvalue())
            assert doc["diagnostics"] == []  # nothing skipped, no pack failure
            cache[mode] = {(v["policyName"], v["urn"]): v["message"].split("\n", 1)[1] for v in doc["violations"]}
        return cache[mode]

    return run


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_references_arrive_as_id_or_urn(findings, program_run, mode):
    found = findings(mode)
    run = program_run("resource_refs", "dev", mode)
    vpc, role = run.get("aws:ec2/vpc:Vpc", "main"), run.get("aws:iam/role:Role", "app")
    if mode == "preview":
        # A resource being created has no id yet: its reference is the unknown the SDK would see.
        vpc_id, role_id = "unknown", "unknown"
    else:
        assert re.fullmatch(r"vpc-[0-9a-f]{17}", vpc.id) and role.id
        vpc_id, role_id = repr(vpc.id), repr(role.id)
    assert found[("refs-seen", GROUP)] == f"vpcId={vpc_id} tags.tier={TIER!r}"
    assert found[("refs-seen", PROFILE)] == f"role={role_id}"


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_analyze_stack_state_carries_each_custom_resource_id(findings, program_run, mode):
    found = findings(mode)
    run = program_run("resource_refs", "dev", mode)
    ids = {urn: message for (policy, urn), message in found.items() if policy == "ids-seen"}
    expected = {}
    for r in run.resources:
        if not r.custom:
            expected[r.urn] = "id=absent"  # the Stack and components have no id
        else:
            expected[r.urn] = "id=unknown" if mode == "preview" else f"id={r.id!r}"
    # The engine's default provider: its state is its inputs, as the engine keeps it.
    expected["urn:pulumi:dev::resource-refs::pulumi:providers:aws::default_7_51_1"] = "id=absent"
    assert ids == expected
