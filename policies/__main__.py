"""Builds the policy pack; every rule lives in rules/ (importable without starting the gRPC server)."""
import gc

from pulumi_policy import EnforcementLevel, PolicyPack

import framework_cache
from rules import all_policies

framework_cache.install()
# The analyzer allocates a proxy and a resource object per policy per resource; with CPython's default
# thresholds the cyclic collector rescans the whole live stack thousands of times (half the time at 10,000
# resources). Nothing here builds reference cycles that need prompt collection.
gc.set_threshold(50_000, 50, 1000)

PolicyPack(
    name="ecommerce-portal-guard",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=all_policies(),
)
