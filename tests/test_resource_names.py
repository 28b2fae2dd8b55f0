"""Environment names that would break a resource name are refused before any resource is declared, and the
longest name allowed keeps every generated name within AWS's limits."""

import re

import pytest

from components.settings import SettingsError, load_settings
from components.validation import ENVIRONMENT_RULE, MAX_ENVIRONMENT_LENGTH, environment_problem, suggest_environment

LONGEST = "a" * (MAX_ENVIRONMENT_LENGTH - 3) + "-b9"
# Physical names AWS checks: (type, input) -> (limit, pattern); a pattern that refuses "--" and a trailing "-".
NAMED = {
    ("aws:rds/instance:Instance", "identifier"): (63, r"[a-z](-?[a-z0-9])*"),
    ("aws:rds/instance:Instance", "finalSnapshotIdentifier"): (255, r"[a-z](-?[a-z0-9])*"),
    ("aws:elasticache/cluster:Cluster", "clusterId"): (50, r"[a-z](-?[a-z0-9])*"),
    ("aws:lb/loadBalancer:LoadBalancer", "name"): (32, r"[a-zA-Z0-9](-?[a-zA-Z0-9])*"),
    ("aws:backup/vault:Vault", "name"): (50, r"[a-zA-Z0-9_-]{2,50}"),
}
# Types Pulumi auto-names from the logical name plus "-" and 7 random characters, refusing names that do not fit.
AUTO_NAMED = {"aws:lb/targetGroup:TargetGroup": ("name", 32), "aws:s3/bucket:Bucket": ("bucket", 63),
              "aws:iam/role:Role": ("name", 64)}


@pytest.mark.parametrize("environment", ["staging-", "st--ag", "a" * (MAX_ENVIRONMENT_LENGTH + 1), "9lives", "Prod"])
def test_a_name_that_breaks_rds_or_target_group_names_is_refused(environment):
    with pytest.raises(SettingsError) as caught:
        load_settings({"environment": environment}, "staging")
    assert caught.value.problems == [f"portal:environment = {environment}: {ENVIRONMENT_RULE}"]


def test_a_stack_name_that_cannot_be_the_environment_is_named_with_a_replacement():
    with pytest.raises(SettingsError) as caught:
        load_settings({}, "Prod_EU--2024-")
    assert caught.value.problems == [
        f"stack name Prod_EU--2024-: portal:environment is empty, so the stack name is the environment, and it "
        f"{ENVIRONMENT_RULE}; set one, e.g. `pulumi config set portal:environment prod-eu-2024`"]
    assert environment_problem("prod-eu-2024", "Prod_EU--2024-") is None
    assert load_settings({"environment": "prod-eu-2024"}, "Prod_EU--2024-").general.environment == "prod-eu-2024"


@pytest.mark.parametrize("stack", ["Prod_EU--2024-", "9-lives", "--", "a-very-long-stack-name-indeed", "STAGING"])
def test_the_suggested_environment_is_itself_valid(stack):
    assert environment_problem(suggest_environment(stack), stack) is None


def test_the_longest_environment_keeps_every_generated_name_within_aws_limits(portal_run):
    assert environment_problem(LONGEST, "staging") is None
    result = portal_run("prod", "preview", {"portal:environment": LONGEST})
    assert result.error is None, result.error and result.error.details
    checked = 0
    for resource in result.resources:
        for (type_, key), (limit, pattern) in NAMED.items():
            if resource.type == type_ and isinstance(resource.inputs.get(key), str):
                value = resource.inputs[key]
                assert len(value) <= limit and re.fullmatch(pattern, value), (resource.name, key, value)
                checked += 1
        if resource.type in AUTO_NAMED:
            key, limit = AUTO_NAMED[resource.type]
            if key not in resource.inputs and "namePrefix" not in resource.inputs:
                assert len(resource.name) + 1 + 7 <= limit, (resource.type, resource.name)
                checked += 1
    assert checked >= 10
    tg = [r for r in result.resources if r.type == "aws:lb/targetGroup:TargetGroup"]
    assert tg and len(tg[0].name) + 8 == 32
