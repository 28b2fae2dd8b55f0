from pulumi_policy import EnforcementLevel, PolicyPack

from protocol_rules import POLICIES

PolicyPack(name="protocol-pack", enforcement_level=EnforcementLevel.ADVISORY, policies=POLICIES)
