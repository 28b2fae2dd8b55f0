import pulumi
import pulumi_aws as aws

import helpers


class Outer(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("test:index:Outer", name, None, opts)
        self.inner = Inner(f"{name}-inner", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"innerName": self.inner.bucket.bucket})


class Inner(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("test:index:Inner", name, None, opts)
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=f"{name}-bucket-fixed",
            opts=pulumi.ResourceOptions(parent=self, protect=True, ignore_changes=["tags"],
                                        retain_on_delete=True),
        )
        self.register_outputs({})


cfg = pulumi.Config()
outer = Outer("outer")
password = cfg.require_secret("dbPassword")
db = aws.rds.Instance(
    "db",
    engine="postgres",
    instance_class="db.t4g.micro",
    allocated_storage=20,
    username="app",
    password=password,
    multi_az=True,
    opts=pulumi.ResourceOptions(depends_on=[outer], delete_before_replace=True,
                                additional_secret_outputs=["address"],
                                custom_timeouts=pulumi.CustomTimeouts(create="30m")),
)
lb = aws.lb.LoadBalancer("web", load_balancer_type="application", internal=False)
dist = aws.cloudfront.Distribution(
    "cdn",
    enabled=True,
    origins=[{"domain_name": lb.dns_name, "origin_id": "alb"}],
    default_cache_behavior={"allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"],
                            "target_origin_id": "alb", "viewer_protocol_policy": "redirect-to-https"},
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"cloudfront_default_certificate": True},
)
lt = aws.ec2.LaunchTemplate("lt", image_id="ami-123", instance_type="t3.micro")
cache = aws.elasticache.Cluster("sessions", engine="memcached", node_type="cache.t4g.micro", num_cache_nodes=2)
doc = aws.iam.get_policy_document(statements=[{
    "effect": "Allow",
    "actions": ["s3:GetObject"],
    "resources": ["arn:aws:s3:::b/*"],
    "principals": [{"type": "Service", "identifiers": ["cloudfront.amazonaws.com"]}],
}])
ident = aws.get_caller_identity()
elb_acct = aws.elb.get_service_account()

pulumi.export("kind", helpers.KIND)
pulumi.export("replicas", cfg.require_int("replicas"))
pulumi.export("dbEndpoint", db.endpoint)
pulumi.export("dbAddress", db.address)
pulumi.export("lbDns", lb.dns_name)
pulumi.export("cdnDomain", dist.domain_name)
pulumi.export("cdnZone", dist.hosted_zone_id)
pulumi.export("ltVersion", lt.latest_version)
pulumi.export("cacheEndpoint", cache.configuration_endpoint)
pulumi.export("policy", doc.json)
pulumi.export("account", ident.account_id)
pulumi.export("elbAccount", elb_acct.id)
pulumi.export("password", password)
