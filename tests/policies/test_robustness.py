"""No policy may crash (a crash would abort the whole analysis): odd shapes, empty values and unknowns
everywhere must give verdicts, never exceptions."""
import pytest

from .fixtures import compliant
from .pk import POLICIES, UNKNOWN, run_policy

ODD = [None, "", [], {}, UNKNOWN, 0.0, "true", [UNKNOWN], {"x": UNKNOWN}, [{}]]


def _replace_all(stack, value):
    for r in stack.res.values():
        for key in list(r.props):
            r.props[key] = value
    return stack


@pytest.mark.parametrize("value", ODD, ids=[repr(v)[:20] for v in ODD])
@pytest.mark.parametrize("mode", ["preview", "update"])
def test_every_policy_survives_odd_values(value, mode):
    s = _replace_all(compliant(), value)
    for name in POLICIES:
        for v in run_policy(name, s, mode=mode):
            assert "could not evaluate" not in v.message, (name, v.message)


def test_every_policy_survives_an_empty_stack():
    from .pk import Stack
    for name in POLICIES:
        assert run_policy(name, Stack()) == [], name


def test_a_crashing_rule_fails_closed_with_a_clear_message(monkeypatch):
    from rules import availability
    monkeypatch.setattr(availability, "asg_zones", lambda g, asg: 1 / 0)
    found = run_policy("asg-multi-az", compliant())
    assert [v.message for v in found] == [
        "The policy could not evaluate this stack (ZeroDivisionError: division by zero); report it to the pack's "
        "maintainers."]


def test_the_harness_fails_a_policy_that_would_be_skipped_during_preview(monkeypatch):
    """A policy reading an unknown value through pulumi-policy's proxy is skipped at preview by the analyzer;
    run_policy must turn that into a test failure, or every preview test could pass vacuously."""
    from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

    from . import pk

    def reads_an_unknown_id(args, report_violation):
        if args.resource_type == "aws:ec2/subnet:Subnet" and args.props["vpcId"]:  # unknown at preview: raises
            report_violation("never reached")

    naive = ResourceValidationPolicy("naive-reads-unknown", "Reads an ID.", reads_an_unknown_id,
                                     EnforcementLevel.ADVISORY)
    monkeypatch.setitem(pk.POLICIES, naive.name, naive)
    monkeypatch.setitem(pk.MANIFEST, naive.name, pk.MANIFEST["vpc-flow-logs"])
    stack = pk.Stack()
    stack.add("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"})
    stack.add("aws:ec2/subnet:Subnet", "subnet", {"vpcId": pk.ref("vpc"), "cidrBlock": "10.0.0.0/24"})
    with pytest.raises(AssertionError, match="naive-reads-unknown would be skipped during preview"):
        pk.run_policy(naive.name, stack, mode="preview")
    assert pk.run_policy(naive.name, stack, mode="update") == [
        pk.Violation("naive-reads-unknown", pk.MANIFEST["vpc-flow-logs"].level, "subnet", "never reached")]
