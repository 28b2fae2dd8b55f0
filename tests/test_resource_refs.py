"""Resource references reach analyzers as the engine sends them: a custom resource's id, a component's URN."""

from pulumi.runtime.rpc import UNKNOWN

from preflight.resource_refs import downgrade

SIG = "4dabf18193072939515e22adb298388d"
REF = "5cf8f73096256a8f31e491e813e4eb8e"
VPC_URN = "urn:pulumi:staging::p::aws:ec2/vpc:Vpc::main"
WEB_URN = "urn:pulumi:staging::p::ecommerce:web:Web::web"


def ref(urn, **extra):
    return {SIG: REF, "urn": urn, "packageVersion": "7.5.0", **extra}


def test_custom_resource_reference_becomes_its_id():
    assert downgrade({"vpcId": ref(VPC_URN, id="vpc-0123")}) == {"vpcId": "vpc-0123"}


def test_custom_resource_reference_without_a_known_id_becomes_unknown():
    assert downgrade({"vpcId": ref(VPC_URN, id="")}) == {"vpcId": UNKNOWN}


def test_component_reference_becomes_its_urn_at_any_depth():
    got = downgrade({"deps": [{"tier": ref(WEB_URN)}], "n": 1, "s": "x"})
    assert got == {"deps": [{"tier": WEB_URN}], "n": 1, "s": "x"}
