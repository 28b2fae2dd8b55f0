"""Policies that exercise each part of the analyzer protocol, against tests/programs/nested."""

import sys

import grpc
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc
from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)

_engine = None


def _log(message: str) -> None:
    """Log through the engine address the CLI passes as argv[1] (pulumi.policy leaves it in sys.argv)."""
    global _engine
    if _engine is None:
        _engine = engine_pb2_grpc.EngineStub(grpc.insecure_channel(sys.argv[1]))
    _engine.Log(engine_pb2.LogRequest(severity=engine_pb2.INFO, message=message))


def bucket_tags(args, report_violation):
    if args.resource_type == "aws:s3/bucket:Bucket" and not args.props.get("tags"):
        report_violation(f"bucket {args.name} has no tags")


def rds_only(args, report_violation):
    if args.resource_type != "aws:rds/instance:Instance":
        args.not_applicable("only RDS instances")
        return
    if args.props.get("multiAz") is not True:
        report_violation("not Multi-AZ")
    # Secrets arrive as envelopes; pulumi-policy unwraps them, so the placeholder is visible.
    if args.props.get("password") != "preflight-secret-placeholder":
        report_violation(f"password arrived as {args.props.get('password')!r}")
    _log(f"checked {args.urn}")


def cache_nodes(args, report_violation):
    if args.resource_type != "aws:elasticache/cluster:Cluster":
        return
    limit = (args.get_config() or {}).get("maxNodes")
    if args.props.get("numCacheNodes", 0) > limit:
        report_violation(f"{args.props['numCacheNodes']:.0f} nodes is more than {limit}")


def cdn_origin(args, report_violation):
    if args.resource_type == "aws:cloudfront/distribution:Distribution":
        # Built from the load balancer's DNS name: unknown during a first preview, so pulumi-policy
        # reports "can't run policy ... during preview" instead of evaluating this.
        domain = args.props["origins"][0]["domainName"]
        if not domain.endswith(".elb.amazonaws.com"):
            report_violation(f"origin {domain} is not a load balancer")


def graph(args, report_violation):
    by_type = {}
    for r in args.resources:
        by_type.setdefault(r.resource_type, []).append(r)
    cdn = by_type["aws:cloudfront/distribution:Distribution"][0]
    lb = by_type["aws:lb/loadBalancer:LoadBalancer"][0]
    origins = cdn.property_dependencies.get("origins", [])
    if lb not in origins:
        report_violation("the distribution's origins do not depend on the load balancer", cdn.urn)
    bucket = by_type["aws:s3/bucket:Bucket"][0]
    chain = []
    node = bucket
    while node.parent is not None:
        node = node.parent
        chain.append(node.resource_type)
    report_violation("bucket ancestry: " + " < ".join(chain), bucket.urn)
    db = by_type["aws:rds/instance:Instance"][0]
    report_violation("db depends on: " + ",".join(d.name for d in db.dependencies), db.urn)
    providers = [r.urn for r in args.resources if r.resource_type.startswith("pulumi:providers:")]
    report_violation("providers: " + ",".join(providers))


POLICIES = [
    ResourceValidationPolicy(
        name="bucket-tags", description="Buckets carry tags.", validate=bucket_tags,
        enforcement_level=EnforcementLevel.MANDATORY, severity=Severity.HIGH),
    ResourceValidationPolicy(
        name="rds-multi-az", description="Databases are Multi-AZ.", validate=rds_only,
        enforcement_level=EnforcementLevel.ADVISORY),
    ResourceValidationPolicy(
        name="cache-node-limit", description="Caches stay small.", validate=cache_nodes,
        enforcement_level=EnforcementLevel.ADVISORY,
        config_schema=PolicyConfigSchema(properties={"maxNodes": {"type": "integer", "default": 5}})),
    ResourceValidationPolicy(
        name="cdn-origin", description="The distribution's origin is the load balancer.", validate=cdn_origin,
        enforcement_level=EnforcementLevel.MANDATORY),
    StackValidationPolicy(
        name="stack-graph", description="Reports what the stack graph looks like.", validate=graph,
        enforcement_level=EnforcementLevel.ADVISORY),
]
