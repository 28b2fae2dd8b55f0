"""The cases of cases_realworld.py: each violating case gives its exact messages, each compliant variant passes,
in preview and update mode."""
import pytest

from . import cases_realworld
from .own_cases import MODES, check_compliant, check_violation


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("policy,cid,mutate,config,expected", cases_realworld.VIOLATING,
                         ids=[f"{c[0]}/{c[1]}" for c in cases_realworld.VIOLATING])
def test_violation_is_caught(policy, cid, mutate, config, expected, mode):
    check_violation(cases_realworld.stack, policy, mutate, config, expected, mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("policy,cid,mutate,config", cases_realworld.COMPLIANT,
                         ids=[f"{c[0]}/{c[1]}" for c in cases_realworld.COMPLIANT])
def test_compliant_variant_passes(policy, cid, mutate, config, mode):
    check_compliant(cases_realworld.stack, policy, mutate, config, mode)
