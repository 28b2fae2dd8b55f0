"""Three stack policies, all advisory in code; initial_config decides their levels and one's properties.

Under the CLI: "all" makes every policy mandatory first; then "limited", whose entry has properties only,
becomes advisory (an entry's level cannot be unset on the wire, and the CLI reads unset as advisory); "off"
is disabled. Each policy reports what it ran with.
"""

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, PolicyPack, StackValidationPolicy


def everything(args, report_violation):
    report_violation("ran")


def limited(args, report_violation):
    report_violation(f"limit={args.get_config()['limit']:.0f} unit={args.get_config()['unit']}")


PolicyPack(
    name="py-initial-config",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[
        StackValidationPolicy(name="everything", description="Always reports.", validate=everything),
        StackValidationPolicy(
            name="limited", description="Reports its config.", validate=limited,
            config_schema=PolicyConfigSchema(properties={"limit": {"type": "integer", "default": 1},
                                                         "unit": {"type": "string", "default": "GiB"}})),
        StackValidationPolicy(name="off", description="Disabled by initial_config.", validate=everything),
    ],
    initial_config={"all": EnforcementLevel.MANDATORY, "limited": {"limit": 3}, "off": EnforcementLevel.DISABLED},
)
