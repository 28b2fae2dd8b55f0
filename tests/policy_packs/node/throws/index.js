"use strict";
// A policy with a bug: it throws on the database (tests/test_node_packs.py, against tests/programs/nested).
const { PolicyPack } = require("@pulumi/policy");

function engineVersion(props) {
    if (!props.engineVersion) {
        throw new Error("node policy bug: cannot read engine version");
    }
    return props.engineVersion;
}

new PolicyPack("node-throws", {
    policies: [{
        name: "db-engine-version",
        description: "Databases pin their engine version.",
        validateResource: (args, reportViolation) => {
            if (args.type === "aws:rds/instance:Instance") {
                engineVersion(args.props);
            }
        },
    }],
});
