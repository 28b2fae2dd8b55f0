"""The shape policies' cases (rules/shape.py) on the compliant stack (the form: case_lists.py)."""
from .case_helpers import PROD_SHAPE, as_stack
from .fixtures import compliant

stack = compliant

VIOLATING = [
    # --- staging-matches-production ---
    ("staging-matches-production", "single-node-cache",
     lambda s: as_stack(s, "staging").set("cache", "numCacheNodes", 1.0), PROD_SHAPE,
     [
         ('cache',
          "Cache cluster 'cache' has multiNode = False where production has True; give it production's setting (only sizes may differ)."),
     ]),
    ("staging-matches-production", "single-az-database",
     lambda s: as_stack(s, "staging").set("db", "multiAz", False), PROD_SHAPE,
     [
         ('db',
          "RDS instance 'db' has multiAz = False where production has True; give it production's setting (only sizes may differ)."),
     ]),
    ("staging-matches-production", "no-cdn", lambda s: as_stack(s, "staging").remove("cdn", "static"), PROD_SHAPE,
     [
         (None,
          "Stack 'staging' lacks resource types production has: cloudfront/distribution; build it from the same program and settings as production (only sizes may differ)."),
         (None,
          "Stack 'staging' has no cdn (cloudfront/distribution) where production has one; build it from the same program and settings as production (only sizes may differ)."),
     ]),
    ("staging-matches-production", "unpinned-version",
     lambda s: as_stack(s, "staging").set("web-asg", "launchTemplate.version", "$Latest"), PROD_SHAPE,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' has pinnedVersion = False where production has True; give it production's setting (only sizes may differ)."),
     ]),
]

COMPLIANT = [
    # --- staging-matches-production ---
    ("staging-matches-production", "staging-sizes-differ",
     lambda s: as_stack(s, "staging").set("db", "instanceClass", "db.t3.small").set("web-asg", "minSize", 3.0).set(
         "db", "backupRetentionPeriod", 3.0).set("cache", "numCacheNodes", 3.0), PROD_SHAPE),
]
