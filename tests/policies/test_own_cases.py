"""Every case list kept next to its rules (cases_*.py): the compliant stacks pass, each violating case gives its
exact messages, each compliant variant passes, in preview and update mode."""
import pytest

from . import cases_containers, cases_data_services, cases_exposure, cases_native, cases_web_tier, cases_false_alarms
from .own_cases import MODES, check_compliant, check_violation
from .pk import run_policy
from .test_robustness import ODD, _replace_all

CASE_MODULES = {"containers": cases_containers, "data_services": cases_data_services, "exposure": cases_exposure,
                "native": cases_native, "web_tier": cases_web_tier,
                "false_alarms": cases_false_alarms}


def _params(attr):
    return [pytest.param(module, *case, id=f"{key}:{case[0]}/{case[1]}")
            for key, module in CASE_MODULES.items() for case in getattr(module, attr)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["prod", "staging"])
@pytest.mark.parametrize("module", CASE_MODULES.values(), ids=CASE_MODULES.keys())
def test_compliant_stack_passes(module, name, mode):
    policies = sorted({c[0] for c in module.VIOLATING})
    assert [v for p in policies for v in run_policy(p, module.stack(name), mode=mode)] == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("module,policy,cid,mutate,config,expected", _params("VIOLATING"))
def test_violation_is_caught(module, policy, cid, mutate, config, expected, mode):
    check_violation(module.stack, policy, mutate, config, expected, mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("module,policy,cid,mutate,config", _params("COMPLIANT"))
def test_compliant_variant_passes(module, policy, cid, mutate, config, mode):
    check_compliant(module.stack, policy, mutate, config, mode)


@pytest.mark.parametrize("value", ODD, ids=[repr(v)[:20] for v in ODD])
@pytest.mark.parametrize("module", CASE_MODULES.values(), ids=CASE_MODULES.keys())
def test_case_stacks_survive_odd_values(module, value):
    """The resources each case list adds (aws-native ones, file systems, Elastic IPs...) with every property odd."""
    policies = sorted({c[0] for c in module.VIOLATING})
    for mode in MODES:
        stack = _replace_all(module.stack(), value)
        for v in [v for p in policies for v in run_policy(p, stack, mode=mode)]:
            assert "could not evaluate" not in v.message, (v.policy, v.message)
