"""The az loss policies' cases (rules/az_loss.py) on the compliant stack (the form: case_lists.py)."""
from .case_helpers import aurora, inline_routes, instance
from .fixtures import TOKENS, compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- az-loss-survivable ---
    ("az-loss-survivable", "lb-one-az", lambda s: s.set("alb", "subnets", [ref("public-a")]), None,
     [
         ('alb',
          "Losing us-east-1a breaks the load balancer tier: load balancer 'alb' has subnets only in us-east-1a; place it in public subnets of at least two AZs."),
     ]),
    ("az-loss-survivable", "web-one-az", lambda s: s.set("web-asg", "vpcZoneIdentifiers", [ref("private-b")]), None,
     [
         ('web-asg',
          "Losing us-east-1b breaks the web tier: Auto Scaling group 'web-asg' has subnets only in us-east-1b; give vpcZoneIdentifiers subnets in at least two AZs."),
     ]),
    ("az-loss-survivable", "web-capacity", lambda s: s.set("web-asg", "minSize", 1.0), None,
     [
         ('web-asg',
          "Losing us-east-1a or us-east-1b breaks the web tier: Auto Scaling group 'web-asg' keeps 0 of its minimum 1 instances across 2 AZs; raise minSize so at least 1 instance(s) remain after losing an AZ."),
     ]),
    ("az-loss-survivable", "egress-through-other-az",
     lambda s: s.set("private-default-b", "natGatewayId", ref("natgw-a")), None,
     [
         ('private-b',
          "Losing us-east-1a breaks the egress tier: subnet 'private-b' in us-east-1b egresses through NAT gateway 'natgw-a' in us-east-1a (route table 'private-rt-b'); route it to a NAT gateway in us-east-1b."),
     ]),
    ("az-loss-survivable", "single-az-database", lambda s: s.set("db", "multiAz", False), None,
     [
         ('db',
          "Losing us-east-1a or us-east-1b breaks the database tier: RDS instance 'db' is single-AZ and has no standby; set multiAz to true."),
     ]),
    ("az-loss-survivable", "multi-az-database-one-subnet",
     lambda s: s.set("db-subnets", "subnetIds", [ref("data-a")]), None,
     [
         ('db',
          "Losing us-east-1a breaks the database tier: Multi-AZ RDS instance 'db' has a subnet group only in us-east-1a; give its DB subnet group subnets in at least two AZs."),
     ]),
    ("az-loss-survivable", "single-az-cache", lambda s: s.drop("cache", "azMode").set(
    "cache", "preferredAvailabilityZones", ["us-east-1b"]), None,
     [
         ('cache',
          'Losing us-east-1b breaks the cache tier: cache cluster \'cache\' keeps all its nodes in one AZ; run at least two nodes with azMode "cross-az" (memcached) or a Redis replication group with failover.'),
     ]),
    ("az-loss-survivable", "redis-without-failover",
     lambda s: s.add(TOKENS["rg"], "redis", {"description": "r", "numCacheClusters": 2.0}), None,
     [
         ('redis',
          "Losing us-east-1a or us-east-1b breaks the cache tier: replication group 'redis' cannot fail over to a replica; add a replica and set automaticFailoverEnabled and multiAzEnabled."),
     ]),
    ("az-loss-survivable", "one-zone-efs",
     lambda s: s.add(TOKENS["efs"], "files", {"encrypted": True, "availabilityZoneName": "us-east-1b"}), None,
     [
         ('files',
          "Losing us-east-1b breaks the shared files tier: EFS file system 'files' is One Zone in us-east-1b; use a regional file system or S3."),
     ]),
    ("az-loss-survivable", "lone-instance-depended-on",
     lambda s: instance(s, subnetId=ref("private-b")).add(TOKENS["tga"], "lone-attach",
                                                          {"targetGroupArn": ref("web-tg"), "targetId": ref("lone")}), None,
     [
         ('lone',
          "Losing us-east-1b breaks the single instance tier: instance 'lone' lives only in us-east-1b and 'lone-attach' depends on it; replace it with an Auto Scaling group across AZs or a managed Multi-AZ service."),
     ]),
    ("az-loss-survivable", "aurora-one-instance", lambda s: aurora(s, 1), None,
     [
         ('aurora',
          "Losing us-east-1a or us-east-1b breaks the database tier: RDS cluster 'aurora' has no instance outside one AZ; add a second cluster instance in another AZ."),
     ]),
    ("az-loss-survivable", "capacity-config", lambda s: s, {"minWebCapacityAfterLoss": 2},
     [
         ('web-asg',
          "Losing us-east-1a or us-east-1b breaks the web tier: Auto Scaling group 'web-asg' keeps 1 of its minimum 2 instances across 2 AZs; raise minSize so at least 2 instance(s) remain after losing an AZ."),
     ]),
    # --- az-consistency-across-tiers ---
    ("az-consistency-across-tiers", "db-subnets", lambda s: s.set("db-subnets", "subnetIds", [ref("data-a")]), None,
     [
         ('db-subnets',
          "Subnet group 'db-subnets' has no subnet in us-east-1b, where the web tier runs; add a data subnet of every web AZ so the standby can live there."),
     ]),
    ("az-consistency-across-tiers", "efs-mount-targets",
     lambda s: s.add(TOKENS["efs"], "files", {"encrypted": True}).add(TOKENS["mt"], "files-a", {
         "fileSystemId": ref("files"), "subnetId": ref("private-a")}), None,
     [
         ('files',
          "EFS file system 'files' has no mount target in us-east-1b, where the web tier runs; add a mount target in every web AZ."),
     ]),
]

COMPLIANT = [
    # --- az-loss-survivable ---
    ("az-loss-survivable", "inline-routes", inline_routes, None),
    ("az-loss-survivable", "regional-nat-gateway",
     lambda s: s.add(TOKENS["nat"], "natgw-regional", {"availabilityMode": "regional", "vpcId": ref("vpc")}).set(
         "private-default-a", "natGatewayId", ref("natgw-regional")).set(
         "private-default-b", "natGatewayId", ref("natgw-regional")), None),
    ("az-loss-survivable", "watched-lone-instance",
     lambda s: instance(s, subnetId=ref("private-b")).add(TOKENS["alarm"], "lone-cpu", {
         "metricName": "CPUUtilization", "dimensions": {"InstanceId": ref("lone")}, "alarmActions": [ref("alerts")]}), None),
]
