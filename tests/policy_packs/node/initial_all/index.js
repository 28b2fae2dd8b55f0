"use strict";
// initialConfig as the CLI applies it: "all" first, then each policy's own entry (tests/test_node_packs.py).
const pulumi = require("@pulumi/pulumi");
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("node-initial-all", {
    enforcementLevel: "advisory",
    policies: [
        {
            // What the SDK read from the environment the pack was started with.
            name: "stack-env",
            description: "Reports the stack the pack was started for.",
            validateStack: (args, reportViolation) => {
                const config = new pulumi.Config("nested");
                reportViolation(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()} ` +
                    `dryRun=${pulumi.runtime.isDryRun()} replicas=${config.get("replicas")}`);
            },
        },
        {
            name: "quiet",
            description: "Reports once, at the level its own initialConfig entry gives it.",
            validateStack: (args, reportViolation) => reportViolation("quiet"),
        },
    ],
}, { all: "mandatory", quiet: "advisory" });
