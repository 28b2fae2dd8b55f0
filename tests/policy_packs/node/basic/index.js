"use strict";
// Checked against tests/programs/nested by tests/test_node_packs.py: every policy reports exactly one finding there.
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("node-basic", {
    enforcementLevel: "advisory",
    policies: [
        {
            name: "db-not-burstable",
            description: "Databases do not run on burstable instance classes.",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.type === "aws:rds/instance:Instance" && args.props.instanceClass.startsWith("db.t")) {
                    reportViolation(`${args.name} runs on ${args.props.instanceClass}`);
                }
            },
        },
        {
            name: "cache-is-redis",
            description: "Caches run Redis.",
            validateResource: (args, reportViolation) => {
                if (args.type === "aws:elasticache/cluster:Cluster" && args.props.engine !== "redis") {
                    reportViolation(`${args.name} runs ${args.props.engine}`);
                }
            },
        },
        {
            name: "cache-node-limit",
            description: "Caches stay small.",
            configSchema: {
                properties: { maxNodes: { type: "integer", minimum: 1, default: 1 } },
            },
            validateResource: (args, reportViolation) => {
                if (args.type !== "aws:elasticache/cluster:Cluster") {
                    return;
                }
                const { maxNodes } = args.getConfig();
                if (args.props.numCacheNodes > maxNodes) {
                    reportViolation(`${args.name} has ${args.props.numCacheNodes} nodes, more than ${maxNodes}`);
                }
            },
        },
        {
            // The origin is the load balancer's DNS name: unknown in a first preview, so the SDK reports
            // "can't run policy ... during preview" instead of a verdict.
            name: "cdn-origin-is-lb",
            description: "The distribution's origin is the load balancer.",
            enforcementLevel: "mandatory",
            validateStack: (args, reportViolation) => {
                for (const r of args.resources) {
                    if (r.type === "aws:cloudfront/distribution:Distribution") {
                        const domain = r.props.origins[0].domainName;
                        if (!domain.endsWith(".elb.amazonaws.com")) {
                            reportViolation(`origin ${domain} is not a load balancer`, r.urn);
                        }
                    }
                }
            },
        },
    ],
});
