"""Sticky sessions, but the only session store is memcached, which loses a node's sessions with it."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
lb_module = aws.lb if form == "current" else aws.alb
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
lb_module.TargetGroup("web", port=8080, protocol="HTTP", vpc_id=vpc.id,
                      stickiness={"type": "lb_cookie", "enabled": True, "cookie_duration": 86400},
                      health_check={"enabled": True, "path": "/healthz", "matcher": "200", "interval": 10,
                                    "timeout": 5, "healthy_threshold": 2, "unhealthy_threshold": 2})
aws.elasticache.Cluster("sessions", engine="memcached", node_type="cache.t3.small", num_cache_nodes=2,
                        az_mode="cross-az")
