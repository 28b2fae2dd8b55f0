"""Every policy on the compliant stack, on one mutation per way to violate it, and on compliant variants.

Validators are called directly, the way pulumi-policy's analyzer calls them, with properties behind its
unknown-checking proxy; "preview" mode puts the unknown sentinel wherever an ID or ARN is referenced, so every
case below also proves the policy decides during a first preview.
"""
import pytest

from .pk import POLICIES, messages, run_policy  # noqa: I001 - puts the pack on sys.path first
from .expected import EXPECTED
from .cases_containers import VIOLATING as CONTAINER_CASES
from .cases_data_services import VIOLATING as DATA_SERVICE_CASES
from .cases_web_tier import VIOLATING as WEB_TIER_CASES
from .cases_false_alarms import VIOLATING as FALSE_ALARM_CASES
from .fixtures import compliant, deprecated
from .mutations import M, N

from manifest import MANIFEST  # noqa: E402

MODES = ("preview", "update")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("form", ["current", "deprecated"])
@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_compliant_stack_passes_every_policy(mode, form, stack):
    s = compliant(stack)
    if form == "deprecated":
        s = deprecated(s)
    found = [v for name in POLICIES for v in run_policy(name, s, mode=mode)]
    assert found == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("form", ["current", "deprecated"])
@pytest.mark.parametrize("policy,cid,mutate,config", M, ids=[f"{p}/{c}" for p, c, _, _ in M])
def test_mutation_is_caught(policy, cid, mutate, config, form, mode):
    s = mutate(compliant())
    if form == "deprecated":
        s = deprecated(s)
    found = run_policy(policy, s, config, mode)
    assert messages(found) == EXPECTED[f"{policy}/{cid}"]
    for v in found:
        assert v.policy == policy
        assert v.level == MANIFEST[policy].level
        # The message names the resource it concerns (or the stack, for a stack-wide finding).
        assert f"'{v.resource}'" in v.message if v.resource else v.message.startswith(f"Stack '{s.stack}'")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("policy,cid,mutate,config", N, ids=[f"{p}/{c}" for p, c, _, _ in N])
def test_compliant_variant_passes(policy, cid, mutate, config, mode):
    assert run_policy(policy, mutate(compliant()), config, mode) == []


def test_every_policy_has_violating_cases():
    # Some concerns keep their cases in case lists of their own (cases_*.py, run by test_own_cases.py).
    own = {c[0] for c in CONTAINER_CASES + DATA_SERVICE_CASES + WEB_TIER_CASES + FALSE_ALARM_CASES}
    assert sorted({p for p, _, _, _ in M} | own) == sorted(MANIFEST)
    assert sorted(EXPECTED) == sorted(f"{p}/{c}" for p, c, _, _ in M)
