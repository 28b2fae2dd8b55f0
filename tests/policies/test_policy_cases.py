"""Every policy's cases (case_lists.py): the compliant stacks pass every policy, each violating case gives its
exact messages, each compliant variant passes, in preview and update mode and, where the case list allows, in
the current and the deprecated resource forms.

Validators are called directly, the way pulumi-policy's analyzer calls them, with properties behind its
unknown-checking proxy; "preview" mode puts the unknown sentinel wherever an ID or ARN is referenced, so every
case also proves the policy decides during a first preview.
"""
import pytest

from .case_lists import CASE_MODULES, forms
from .fixtures import compliant, deprecated
from .pk import POLICIES, messages, run_policy
from .test_robustness import ODD, _replace_all

from manifest import MANIFEST  # noqa: E402

MODES = ("preview", "update")


def _policies_of(module):
    return sorted({case[0] for case in module.VIOLATING})


def _in_form(stack, form):
    return deprecated(stack) if form == "deprecated" else stack


def _expected_in(expected, mode):
    return expected[mode] if isinstance(expected, dict) else expected


def _violating_cases():
    return [pytest.param(module, *case, form, id=f"{key}:{case[0]}/{case[1]}-{form}")
            for key, module in CASE_MODULES.items() for case in module.VIOLATING for form in forms(module)]


def _compliant_variants():
    return [pytest.param(module, *case, id=f"{key}:{case[0]}/{case[1]}")
            for key, module in CASE_MODULES.items() for case in module.COMPLIANT]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("form", ["current", "deprecated"])
@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_compliant_stack_passes_every_policy(mode, form, stack):
    found = [v for name in POLICIES for v in run_policy(name, _in_form(compliant(stack), form), mode=mode)]
    assert found == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["prod", "staging"])
@pytest.mark.parametrize("module", CASE_MODULES.values(), ids=CASE_MODULES.keys())
def test_case_list_stack_passes_its_policies(module, name, mode):
    assert [v for p in _policies_of(module) for v in run_policy(p, module.stack(name), mode=mode)] == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("module,policy,cid,mutate,config,expected,form", _violating_cases())
def test_violation_is_caught(module, policy, cid, mutate, config, expected, form, mode):
    s = _in_form(mutate(module.stack()), form)
    found = run_policy(policy, s, config, mode)
    assert messages(found) == _expected_in(expected, mode)
    for v in found:
        assert v.policy == policy
        assert v.level == MANIFEST[policy].level
        # The message names the resource it concerns (or the stack, for a stack-wide finding).
        assert f"'{v.resource}'" in v.message if v.resource else v.message.startswith(f"Stack '{s.stack}'")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("module,policy,cid,mutate,config", _compliant_variants())
def test_compliant_variant_passes(module, policy, cid, mutate, config, mode):
    assert run_policy(policy, mutate(module.stack()), config, mode) == []


def test_every_policy_has_violating_cases_and_case_ids_are_unique():
    assert sorted({p for module in CASE_MODULES.values() for p in _policies_of(module)}) == sorted(MANIFEST)
    for key, module in CASE_MODULES.items():
        for cases in (module.VIOLATING, module.COMPLIANT):
            ids = [(case[0], case[1]) for case in cases]
            assert len(ids) == len(set(ids)), key


@pytest.mark.parametrize("value", ODD, ids=[repr(v)[:20] for v in ODD])
@pytest.mark.parametrize("module", [m for m in CASE_MODULES.values() if m.stack is not compliant],
                         ids=[k for k, m in CASE_MODULES.items() if m.stack is not compliant])
def test_case_stacks_survive_odd_values(module, value):
    """The resources each case list adds (aws-native ones, file systems, Elastic IPs...) with every property odd."""
    for mode in MODES:
        stack = _replace_all(module.stack(), value)
        for v in [v for p in _policies_of(module) for v in run_policy(p, stack, mode=mode)]:
            assert "could not evaluate" not in v.message, (v.policy, v.message)
