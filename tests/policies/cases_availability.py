"""The availability policies' cases (rules/availability.py) on the compliant stack (the form: case_lists.py)."""
from .case_helpers import aurora, clb, inline_routes, instance
from .fixtures import TOKENS, compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- asg-multi-az ---
    ("asg-multi-az", "one-subnet", lambda s: s.set("web-asg", "vpcZoneIdentifiers", [ref("private-a")]), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' spans 1 AZ (us-east-1a); give vpcZoneIdentifiers subnets in at least 2 Availability Zones."),
     ]),
    ("asg-multi-az", "two-subnets-one-az", lambda s: s.set("private-b", "availabilityZone", "us-east-1a"), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' spans 1 AZ (us-east-1a); give vpcZoneIdentifiers subnets in at least 2 Availability Zones."),
     ]),
    ("asg-multi-az", "availability-zones-input",
     lambda s: s.drop("web-asg", "vpcZoneIdentifiers").set("web-asg", "availabilityZones", ["us-east-1a"]), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' spans 1 AZ (us-east-1a); give vpcZoneIdentifiers subnets in at least 2 Availability Zones."),
     ]),
    ("asg-multi-az", "three-azs-required", lambda s: s, {"minAvailabilityZones": 3},
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' spans 2 AZs (us-east-1a, us-east-1b); give vpcZoneIdentifiers subnets in at least 3 Availability Zones."),
     ]),
    # --- asg-min-capacity-per-az ---
    ("asg-min-capacity-per-az", "min-below-azs", lambda s: s.set("web-asg", "minSize", 1.0), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' has minSize 1 but spans 2 AZs; set minSize to at least 2 so every AZ keeps an instance."),
     ]),
    ("asg-min-capacity-per-az", "min-above-max", lambda s: s.set("web-asg", "minSize", 8.0), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' has minSize 8 above maxSize 6; raise maxSize."),
     ]),
    ("asg-min-capacity-per-az", "desired-outside", lambda s: s.set("web-asg", "desiredCapacity", 10.0), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' has desiredCapacity 10 outside [2, 6]; keep min <= desired <= max."),
     ]),
    # --- lb-multi-az ---
    ("lb-multi-az", "one-subnet", lambda s: s.set("alb", "subnets", [ref("public-a")]), None,
     [
         ('alb',
          "Load balancer 'alb' spans 1 AZ (us-east-1a); place it in subnets of at least 2 Availability Zones."),
     ]),
    ("lb-multi-az", "subnet-mappings",
     lambda s: s.drop("alb", "subnets").set("alb", "subnetMappings", [{"subnetId": ref("public-a")}]), None,
     [
         ('alb',
          "Load balancer 'alb' spans 1 AZ (us-east-1a); place it in subnets of at least 2 Availability Zones."),
     ]),
    ("lb-multi-az", "classic-one-az",
     lambda s: clb(s.drop("alb", "enableDeletionProtection")).drop("classic", "subnets").set(
         "classic", "availabilityZones", ["us-east-1a"]), None,
     [
         ('classic',
          "Load balancer 'classic' spans 1 AZ (us-east-1a); place it in subnets of at least 2 Availability Zones."),
     ]),
    # --- asg-elb-health-check ---
    ("asg-elb-health-check", "ec2-type", lambda s: s.set("web-asg", "healthCheckType", "EC2"), None,
     [
         ('web-asg',
          'Auto Scaling group \'web-asg\' is behind a load balancer but uses EC2 health checks; set healthCheckType to "ELB" so instances the load balancer finds unhealthy are replaced.'),
     ]),
    ("asg-elb-health-check", "default-type", lambda s: s.drop("web-asg", "healthCheckType"), None,
     [
         ('web-asg',
          'Auto Scaling group \'web-asg\' is behind a load balancer but uses EC2 (the default) health checks; set healthCheckType to "ELB" so instances the load balancer finds unhealthy are replaced.'),
     ]),
    ("asg-elb-health-check", "short-grace", lambda s: s.set("web-asg", "healthCheckGracePeriod", 0.0), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' has a health check grace period of 0s; set healthCheckGracePeriod to at least 60s (the instance boot time)."),
     ]),
    ("asg-elb-health-check", "attachment-resource",
     lambda s: s.drop("web-asg", "targetGroupArns").drop("web-asg", "healthCheckType").add(
         "aws:autoscaling/attachment:Attachment", "web-attach",
         {"autoscalingGroupName": ref("web-asg"), "lbTargetGroupArn": ref("web-tg")}), None,
     [
         ('web-asg',
          'Auto Scaling group \'web-asg\' is behind a load balancer but uses EC2 (the default) health checks; set healthCheckType to "ELB" so instances the load balancer finds unhealthy are replaced.'),
     ]),
    # --- target-group-health-check ---
    ("target-group-health-check", "disabled", lambda s: s.set("web-tg", "healthCheck.enabled", False), None,
     [
         ('web-tg',
          "Target group 'web-tg' disables its health check; set healthCheck.enabled to true."),
     ]),
    ("target-group-health-check", "timeout-not-below-interval", lambda s: s.set("web-tg", "healthCheck.timeout", 10.0), None,
     [
         ('web-tg',
          "Target group 'web-tg' has a health check timeout (10s) not below its interval (10s); make the timeout shorter than the interval."),
     ]),
    ("target-group-health-check", "slow-healthy", lambda s: s.set("web-tg", "healthCheck.healthyThreshold", 10.0), None,
     [
         ('web-tg',
          "Target group 'web-tg' needs 10 healthy checks before sending traffic; use a healthy threshold of at most 5."),
     ]),
    ("target-group-health-check", "unhealthy-one", lambda s: s.set("web-tg", "healthCheck.unhealthyThreshold", 1.0), None,
     [
         ('web-tg',
          "Target group 'web-tg' has an unhealthy threshold of 1; use between 2 and 5 so a failed instance is taken out quickly but not on one blip."),
     ]),
    ("target-group-health-check", "long-interval", lambda s: s.set("web-tg", "healthCheck.interval", 120.0), None,
     [
         ('web-tg',
          "Target group 'web-tg' checks health every 120s; use an interval of at most 60s."),
     ]),
    ("target-group-health-check", "classic-tcp",
     lambda s: clb(s).set("classic", "healthCheck.target", "TCP:8080"), None,
     [
         ('classic',
          "Classic load balancer 'classic' checks TCP:8080, which does not exercise the application; use an HTTP(S) target on an application path such as HTTP:80/healthz."),
     ]),
    ("target-group-health-check", "classic-none", lambda s: clb(s).drop("classic", "healthCheck"), None,
     [
         ('classic',
          "Classic load balancer 'classic' has no health check; add healthCheck with an HTTP target on an application path."),
     ]),
    # --- web-servers-in-asg ---
    ("web-servers-in-asg", "target-group-attachment",
     lambda s: instance(s, vpcSecurityGroupIds=[]).add(TOKENS["tga"], "lone-attach",
                                                       {"targetGroupArn": ref("web-tg"), "targetId": ref("lone")}), None,
     [
         ('lone',
          "Instance 'lone' serves web traffic outside an Auto Scaling group (it is registered in a target group through 'lone-attach'); run the web tier from a launch template in an Auto Scaling group attached to the load balancer's target group."),
     ]),
    ("web-servers-in-asg", "classic-instances", lambda s: clb(instance(s), instances=[ref("lone")]), None,
     [
         ('lone',
          "Instance 'lone' serves web traffic outside an Auto Scaling group (it is registered with Classic load balancer 'classic'); run the web tier from a launch template in an Auto Scaling group attached to the load balancer's target group."),
     ]),
    ("web-servers-in-asg", "web-security-group", lambda s: instance(s, vpcSecurityGroupIds=[ref("web-sg")]), None,
     [
         ('lone',
          "Instance 'lone' serves web traffic outside an Auto Scaling group (its security group 'web-sg' admits web traffic on port 8080); run the web tier from a launch template in an Auto Scaling group attached to the load balancer's target group."),
     ]),
    ("web-servers-in-asg", "group-without-load-balancer",
     lambda s: s.drop("web-asg", "targetGroupArns").set("web-lt", "vpcSecurityGroupIds", [ref("alb-sg")]), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' serves web traffic with no load balancer in front (security group 'alb-sg' of 'web-lt' admits port 443 from the internet); attach it to a target group and admit web traffic only from the load balancer's security group."),
     ]),
    # --- rds-multi-az ---
    ("rds-multi-az", "single-az", lambda s: s.set("db", "multiAz", False), None,
     [
         ('db',
          "RDS instance 'db' is single-AZ; set multiAz to true so it fails over to a standby in another AZ."),
     ]),
    ("rds-multi-az", "unset", lambda s: s.drop("db", "multiAz"), None,
     [
         ('db',
          "RDS instance 'db' is single-AZ; set multiAz to true so it fails over to a standby in another AZ."),
     ]),
    ("rds-multi-az", "aurora-one-instance", lambda s: aurora(s, 1), None,
     [
         ('aurora',
          "RDS cluster 'aurora' has 1 instance(s); add a second cluster instance so a reader in another AZ can be promoted."),
     ]),
    ("rds-multi-az", "aurora-pinned-az", lambda s: aurora(s, 2, "us-east-1a"), None,
     [
         ('aurora',
          "RDS cluster 'aurora' pins all its instances to us-east-1a; spread availabilityZone over at least two AZs or leave it unset."),
     ]),
    # --- memcached-cross-az ---
    ("memcached-cross-az", "one-node", lambda s: s.set("cache", "numCacheNodes", 1.0), None,
     [
         ('cache',
          "Memcached cluster 'cache' has 1 node; set numCacheNodes to at least 2 so losing a node or an AZ loses only part of the cache."),
     ]),
    ("memcached-cross-az", "single-az", lambda s: s.drop("cache", "azMode"), None,
     [
         ('cache',
          'Memcached cluster \'cache\' places all nodes in one AZ (azMode single-az); set azMode to "cross-az".'),
     ]),
    ("memcached-cross-az", "one-preferred-az",
     lambda s: s.set("cache", "preferredAvailabilityZones", ["us-east-1a", "us-east-1a"]), None,
     [
         ('cache',
          "Memcached cluster 'cache' prefers only us-east-1a; list at least two different AZs in preferredAvailabilityZones."),
     ]),
    # --- redis-automatic-failover ---
    ("redis-automatic-failover", "single-node",
     lambda s: s.add(TOKENS["cache"], "redis", {"engine": "redis", "numCacheNodes": 1.0, "subnetGroupName": "x"}), None,
     [
         ('redis',
          "Cache cluster 'redis' is a single redis node; use an aws.elasticache.ReplicationGroup with a replica, automaticFailoverEnabled and multiAzEnabled."),
     ]),
    ("redis-automatic-failover", "no-failover",
     lambda s: s.add(TOKENS["rg"], "redis", {"description": "r", "numCacheClusters": 2.0, "multiAzEnabled": True}), None,
     [
         ('redis',
          "Replication group 'redis' has no automatic failover; set automaticFailoverEnabled to true."),
     ]),
    ("redis-automatic-failover", "no-replica",
     lambda s: s.add(TOKENS["rg"], "redis", {"description": "r", "numCacheClusters": 1.0, "multiAzEnabled": True,
                                             "automaticFailoverEnabled": True}), None,
     [
         ('redis',
          "Replication group 'redis' has no replica; set numCacheClusters to at least 2 (or replicasPerNodeGroup to at least 1)."),
     ]),
    # --- private-route-nat-same-az ---
    ("private-route-nat-same-az", "cross-az-nat",
     lambda s: s.set("private-default-b", "natGatewayId", ref("natgw-a")), None,
     [
         ('private-default-b',
          "Route 'private-default-b' of route table 'private-rt-b' sends subnet 'private-b' (us-east-1b) to NAT gateway 'natgw-a' in us-east-1a; give every AZ its own NAT gateway and route each private subnet to the one in its AZ."),
     ]),
    ("private-route-nat-same-az", "inline-cross-az-nat",
     lambda s: inline_routes(s).set("private-rt-b", "routes.0.natGatewayId", ref("natgw-a")), None,
     [
         ('private-rt-b',
          "Route table 'private-rt-b' sends subnet 'private-b' (us-east-1b) to NAT gateway 'natgw-a' in us-east-1a; give every AZ its own NAT gateway and route each private subnet to the one in its AZ."),
     ]),
    ("private-route-nat-same-az", "main-route-table",
     lambda s: s.remove("rta-private-b").add("aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation", "main", {
         "vpcId": ref("vpc"), "routeTableId": ref("private-rt-a")}), None,
     [
         ('private-default-a',
          "Route 'private-default-a' of route table 'private-rt-a' sends subnet 'private-b' (us-east-1b) to NAT gateway 'natgw-a' in us-east-1a; give every AZ its own NAT gateway and route each private subnet to the one in its AZ."),
     ]),
    ("private-route-nat-same-az", "nat-instance",
     lambda s: instance(s, "nat-box", subnetId=ref("public-b")).drop("private-default-b", "natGatewayId").set(
         "private-default-b", "networkInterfaceId", ref("nat-box")), None,
     [
         ('private-default-b',
          "Route 'private-default-b' of route table 'private-rt-b' sends subnet 'private-b' to a NAT instance, a single server; route 0.0.0.0/0 to a NAT gateway in the subnet's own AZ."),
     ]),
    # --- no-nfs-single-point-of-failure ---
    ("no-nfs-single-point-of-failure", "efs-one-zone",
     lambda s: s.add(TOKENS["efs"], "files", {"encrypted": True, "availabilityZoneName": "us-east-1a"}), None,
     [
         ('files',
          "EFS file system 'files' is One Zone (us-east-1a) and is lost with that AZ; remove availabilityZoneName to make it regional, or keep shared files in S3."),
     ]),
    ("no-nfs-single-point-of-failure", "nfs-security-group",
     lambda s: instance(s, vpcSecurityGroupIds=[ref("nfs-sg")]).add(TOKENS["sg"], "nfs-sg", {
         "description": "NFS", "ingress": [{"fromPort": 2049.0, "toPort": 2049.0, "protocol": "tcp",
                                            "securityGroups": [ref("web-sg")], "description": "NFS"}]}), None,
     [
         ('lone',
          "Instance 'lone' serves NFS to other servers (its security group 'nfs-sg' admits NFS on port 2049), a single point of failure; keep shared files in S3 or a regional EFS file system with a mount target in every AZ."),
     ]),
    ("no-nfs-single-point-of-failure", "nfs-user-data",
     lambda s: instance(s, userData="#!/bin/bash\napt-get install -y nfs-kernel-server\n"), None,
     [
         ('lone',
          "Instance 'lone' serves NFS to other servers (its user data sets up an NFS server (nfs-kernel-server)), a single point of failure; keep shared files in S3 or a regional EFS file system with a mount target in every AZ."),
     ]),
    # --- sticky-sessions-need-shared-store ---
    ("sticky-sessions-need-shared-store", "no-durable-store", lambda s: s.set("db", "multiAz", False), None,
     [
         ('web-tg',
          "Target group 'web-tg' pins users to one instance, but the stack has no shared, durable session store (memcached is not durable: a lost node loses its sessions); keep sessions in a Multi-AZ RDS database (or Redis with failover, DynamoDB) or disable stickiness."),
     ]),
    ("sticky-sessions-need-shared-store", "classic-cookie-policy",
     lambda s: s.set("db", "multiAz", False).drop("web-tg", "stickiness").add(
         "aws:elb/loadBalancerCookieStickinessPolicy:LoadBalancerCookieStickinessPolicy", "classic-sticky",
         {"loadBalancer": "classic", "lbPort": 443.0}), None,
     [
         ('classic-sticky',
          "Classic stickiness policy 'classic-sticky' pins users to one instance, but the stack has no shared, durable session store (memcached is not durable: a lost node loses its sessions); keep sessions in a Multi-AZ RDS database (or Redis with failover, DynamoDB) or disable stickiness."),
     ]),
    # --- asg-instance-refresh-pinned-version ---
    ("asg-instance-refresh-pinned-version", "latest", lambda s: s.set("web-asg", "launchTemplate.version", "$Latest"), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' uses launch template version $Latest, so an instance refresh never starts on a new template; set launchTemplate.version to the template's latestVersion."),
     ]),
    ("asg-instance-refresh-pinned-version", "default-unset", lambda s: s.drop("web-asg", "launchTemplate.version"), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' uses launch template version $Default (unset), so an instance refresh never starts on a new template; set launchTemplate.version to the template's latestVersion."),
     ]),
    ("asg-instance-refresh-pinned-version", "mixed-instances-default",
     lambda s: s.drop("web-asg", "launchTemplate").set("web-asg", "mixedInstancesPolicy", {"launchTemplate": {
         "launchTemplateSpecification": {"launchTemplateId": ref("web-lt"), "version": "$Default"}}}), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' uses launch template version $Default, so an instance refresh never starts on a new template; set launchTemplate.version to the template's latestVersion."),
     ]),
    ("asg-instance-refresh-pinned-version", "no-refresh", lambda s: s.drop("web-asg", "instanceRefresh"), None,
     [
         ('web-asg',
          'Auto Scaling group \'web-asg\' has no instanceRefresh, so a new launch template version is never rolled out; add instanceRefresh with strategy "Rolling" and a minHealthyPercentage.'),
     ]),
    ("asg-instance-refresh-pinned-version", "low-min-healthy",
     lambda s: s.set("web-asg", "instanceRefresh.preferences.minHealthyPercentage", 10.0), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' lets an instance refresh drop to 10% healthy capacity; set instanceRefresh.preferences.minHealthyPercentage to at least 50."),
     ]),
    ("asg-instance-refresh-pinned-version", "launch-configuration",
     lambda s: s.drop("web-asg", "launchTemplate").set("web-asg", "launchConfiguration", "web-lc"), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' uses a launch configuration, which cannot be versioned or refreshed safely; use a launch template and pin its numbered latestVersion."),
     ]),
]

COMPLIANT = [
    # --- asg-multi-az ---
    ("asg-multi-az", "one-graph-subnet-one-literal",
     lambda s: s.set("web-asg", "vpcZoneIdentifiers", [ref("private-a"), "subnet-0bbb"]), None),
    ("asg-multi-az", "literal-subnet-ids",
     lambda s: s.set("web-asg", "vpcZoneIdentifiers", ["subnet-0aaa", "subnet-0bbb"]), None),
    # --- asg-elb-health-check ---
    ("asg-elb-health-check", "no-load-balancer",
     lambda s: s.drop("web-asg", "targetGroupArns").set("web-asg", "healthCheckType", "EC2"), None),
    # --- target-group-health-check ---
    ("target-group-health-check", "nlb-tcp",
     lambda s: s.set("web-tg", "protocol", "TCP").set("web-tg", "healthCheck", {
         "enabled": True, "protocol": "TCP", "interval": 10.0, "timeout": 5.0, "healthyThreshold": 3.0,
         "unhealthyThreshold": 3.0}), None),
    # --- web-servers-in-asg ---
    ("web-servers-in-asg", "bastion",
     lambda s: instance(s, vpcSecurityGroupIds=[ref("bastion-sg")]).add(TOKENS["sg"], "bastion-sg", {
         "description": "SSH from the office", "ingress": [{"fromPort": 22.0, "toPort": 22.0, "protocol": "tcp",
                                                           "cidrBlocks": ["198.51.100.0/24"], "description": "ssh"}]}), None),
    # --- redis-automatic-failover ---
    ("redis-automatic-failover", "replication-group",
     lambda s: s.add(TOKENS["rg"], "redis", {"description": "r", "numCacheClusters": 2.0, "automaticFailoverEnabled": True,
                                             "multiAzEnabled": True}), None),
    # --- private-route-nat-same-az ---
    ("private-route-nat-same-az", "inline-routes", inline_routes, None),
    ("private-route-nat-same-az", "regional-nat-gateway",
     lambda s: s.add(TOKENS["nat"], "natgw-regional", {"availabilityMode": "regional", "vpcId": ref("vpc")}).set(
         "private-default-a", "natGatewayId", ref("natgw-regional")).set(
         "private-default-b", "natGatewayId", ref("natgw-regional")), None),
    # --- no-nfs-single-point-of-failure ---
    ("no-nfs-single-point-of-failure", "regional-efs",
     lambda s: s.add(TOKENS["efs"], "files", {"encrypted": True}).add(TOKENS["mt"], "files-a", {
         "fileSystemId": ref("files"), "subnetId": ref("private-a")}).add(TOKENS["mt"], "files-b", {
         "fileSystemId": ref("files"), "subnetId": ref("private-b")}), None),
    # --- sticky-sessions-need-shared-store ---
    ("sticky-sessions-need-shared-store", "redis-store",
     lambda s: s.set("db", "multiAz", False).add(TOKENS["rg"], "sessions", {
         "description": "sessions", "numCacheClusters": 2.0, "automaticFailoverEnabled": True, "multiAzEnabled": True}), None),
    ("sticky-sessions-need-shared-store", "no-stickiness", lambda s: s.set("db", "multiAz", False).drop("web-tg", "stickiness"), None),
]
