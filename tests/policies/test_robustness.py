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
