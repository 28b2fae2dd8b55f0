from pulumi_policy import EnforcementLevel, PolicyPack

from bench_rules import POLICIES

PolicyPack(name="bench-pack", enforcement_level=EnforcementLevel.ADVISORY, policies=POLICIES)
