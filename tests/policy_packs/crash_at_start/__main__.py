from pulumi_policy import PolicyPack

import no_such_module_for_preflight_tests  # noqa: F401  (the pack dies before it prints its port)

PolicyPack(name="crash", policies=[])
