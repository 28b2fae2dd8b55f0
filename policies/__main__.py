"""Builds the policy pack; every rule lives in rules/ (importable without starting the gRPC server)."""
from pulumi_policy import EnforcementLevel, PolicyPack

import framework_cache
from rules import all_policies

framework_cache.install()

PolicyPack(
    name="ecommerce-portal-guard",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=all_policies(),
)
