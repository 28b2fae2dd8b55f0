"""Runs case lists kept next to their rules (cases_*.py): every policy in them on its compliant stack, each
violating case with its exact messages in preview and update mode, each compliant variant in both modes."""
from .pk import messages, run_policy

from manifest import MANIFEST  # noqa: E402

MODES = ("preview", "update")


def expected_for(expected, mode):
    return expected[mode] if isinstance(expected, dict) else expected


def check_violation(stack, policy, mutate, config, expected, mode):
    s = mutate(stack())
    found = run_policy(policy, s, config, mode)
    assert messages(found) == expected_for(expected, mode)
    for v in found:
        assert v.policy == policy
        assert v.level == MANIFEST[policy].level
        assert f"'{v.resource}'" in v.message


def check_compliant(stack, policy, mutate, config, mode):
    assert run_policy(policy, mutate(stack()), config, mode) == []
