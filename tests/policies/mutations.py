"""One mutation of the compliant stack per way to violate each policy: (policy, case id, mutate, config)."""
from .fixtures import SSL_ONLY, T
from .fixtures import compliant
from .pk import policy_resources, ref

import rules._graph as _graph  # noqa: E402  (the pack is on sys.path through .pk)
from rules.shape import stack_shape  # noqa: E402

PROD_SHAPE = {"referenceShape": stack_shape(_graph.Graph(policy_resources(compliant("prod"))))}

I = "aws:ec2/instance:Instance"


def instance(s, name="lone", **props):
    base = {"ami": "ami-0123456789abcdef0", "instanceType": "t3.small", "subnetId": ref("private-a"),
            "metadataOptions": {"httpTokens": "required"}, "monitoring": True, "iamInstanceProfile": "web",
            "rootBlockDevice": {"encrypted": True}, "disableApiTermination": True}
    base.update(props)
    return s.add(I, name, base)


def clb(s, **props):
    base = {"subnets": [ref("public-a"), ref("public-b")], "crossZoneLoadBalancing": True, "connectionDraining": True,
            "listeners": [{"lbProtocol": "https", "lbPort": 443.0, "instanceProtocol": "http",
                           "instancePort": 8080.0, "sslCertificateId": ref("cert-valid")}],
            "healthCheck": {"target": "HTTP:8080/healthz", "interval": 10.0, "timeout": 5.0,
                            "healthyThreshold": 2.0, "unhealthyThreshold": 2.0},
            "accessLogs": {"bucket": ref("logs"), "enabled": True}}
    base.update(props)
    return s.add(T["clb"], "classic", base)


def aurora(s, members=1, az=None):
    s.add(T["cluster"], "aurora", {"engine": "aurora-mysql", "storageEncrypted": True, "backupRetentionPeriod": 7.0,
                                   "finalSnapshotIdentifier": "aurora-final", "manageMasterUserPassword": True,
                                   "deletionProtection": True, "dbSubnetGroupName": ref("db-subnets"),
                                   "enabledCloudwatchLogsExports": ["error"], "performanceInsightsEnabled": True,
                                   "preferredBackupWindow": "03:00-04:00",
                                   "preferredMaintenanceWindow": "sun:05:00-sun:06:00"})
    for i in range(members):
        props = {"clusterIdentifier": ref("aurora"), "instanceClass": "db.r6g.large", "engine": "aurora-mysql"}
        if az:
            props["availabilityZone"] = az
        s.add(T["clusterinst"], f"aurora-{i}", props)
    return s


def inline_routes(s):
    """Private route tables written with inline routes instead of aws.ec2.Route resources."""
    for z in ("a", "b"):
        s.remove(f"private-default-{z}")
        s.set(f"private-rt-{z}", "routes", [{"cidrBlock": "0.0.0.0/0", "natGatewayId": ref(f"natgw-{z}")}])
    return s


def bucket_v2_inline(s, name, versioned=True, encrypted=True):
    """A deprecated BucketV2 with inline versioning/encryption instead of companion resources."""
    s.retype(name, "aws:s3/bucketV2:BucketV2")
    s.remove(f"{name}-versioning", f"{name}-sse")
    s.set(name, "versionings", [{"enabled": versioned}])
    if encrypted:
        s.set(name, "serverSideEncryptionConfigurations", [{"rules": [
            {"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms"}]}]}])
    return s


PUBLIC_POLICY = '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}'

M = []


def _stack(s, name):
    s.stack = name
    return s


def case(policy, cid, fn, config=None):
    M.append((policy, cid, fn, config))


# --- availability --------------------------------------------------------------------------------------------
case("asg-multi-az", "one-subnet", lambda s: s.set("web-asg", "vpcZoneIdentifiers", [ref("private-a")]))
case("asg-multi-az", "two-subnets-one-az", lambda s: s.set("private-b", "availabilityZone", "us-east-1a"))
case("asg-multi-az", "availability-zones-input",
     lambda s: s.drop("web-asg", "vpcZoneIdentifiers").set("web-asg", "availabilityZones", ["us-east-1a"]))
case("asg-multi-az", "three-azs-required", lambda s: s, {"minAvailabilityZones": 3})
case("asg-min-capacity-per-az", "min-below-azs", lambda s: s.set("web-asg", "minSize", 1.0))
case("asg-min-capacity-per-az", "min-above-max", lambda s: s.set("web-asg", "minSize", 8.0))
case("asg-min-capacity-per-az", "desired-outside", lambda s: s.set("web-asg", "desiredCapacity", 10.0))
case("lb-multi-az", "one-subnet", lambda s: s.set("alb", "subnets", [ref("public-a")]))
case("lb-multi-az", "subnet-mappings",
     lambda s: s.drop("alb", "subnets").set("alb", "subnetMappings", [{"subnetId": ref("public-a")}]))
case("lb-multi-az", "classic-one-az",
     lambda s: clb(s.drop("alb", "enableDeletionProtection")).drop("classic", "subnets").set(
         "classic", "availabilityZones", ["us-east-1a"]))
case("asg-elb-health-check", "ec2-type", lambda s: s.set("web-asg", "healthCheckType", "EC2"))
case("asg-elb-health-check", "default-type", lambda s: s.drop("web-asg", "healthCheckType"))
case("asg-elb-health-check", "short-grace", lambda s: s.set("web-asg", "healthCheckGracePeriod", 0.0))
case("asg-elb-health-check", "attachment-resource",
     lambda s: s.drop("web-asg", "targetGroupArns").drop("web-asg", "healthCheckType").add(
         "aws:autoscaling/attachment:Attachment", "web-attach",
         {"autoscalingGroupName": ref("web-asg"), "lbTargetGroupArn": ref("web-tg")}))
case("target-group-health-check", "disabled", lambda s: s.set("web-tg", "healthCheck.enabled", False))
case("target-group-health-check", "timeout-not-below-interval", lambda s: s.set("web-tg", "healthCheck.timeout", 10.0))
case("target-group-health-check", "slow-healthy", lambda s: s.set("web-tg", "healthCheck.healthyThreshold", 10.0))
case("target-group-health-check", "unhealthy-one", lambda s: s.set("web-tg", "healthCheck.unhealthyThreshold", 1.0))
case("target-group-health-check", "long-interval", lambda s: s.set("web-tg", "healthCheck.interval", 120.0))
case("target-group-health-check", "classic-tcp",
     lambda s: clb(s).set("classic", "healthCheck.target", "TCP:8080"))
case("target-group-health-check", "classic-none", lambda s: clb(s).drop("classic", "healthCheck"))
case("web-servers-in-asg", "target-group-attachment",
     lambda s: instance(s, vpcSecurityGroupIds=[]).add(T["tga"], "lone-attach",
                                                       {"targetGroupArn": ref("web-tg"), "targetId": ref("lone")}))
case("web-servers-in-asg", "classic-instances", lambda s: clb(instance(s), instances=[ref("lone")]))
case("web-servers-in-asg", "web-security-group", lambda s: instance(s, vpcSecurityGroupIds=[ref("web-sg")]))
case("web-servers-in-asg", "group-without-load-balancer",
     lambda s: s.drop("web-asg", "targetGroupArns").set("web-lt", "vpcSecurityGroupIds", [ref("alb-sg")]))
case("rds-multi-az", "single-az", lambda s: s.set("db", "multiAz", False))
case("rds-multi-az", "unset", lambda s: s.drop("db", "multiAz"))
case("rds-multi-az", "aurora-one-instance", lambda s: aurora(s, 1))
case("rds-multi-az", "aurora-pinned-az", lambda s: aurora(s, 2, "us-east-1a"))
case("memcached-cross-az", "one-node", lambda s: s.set("cache", "numCacheNodes", 1.0))
case("memcached-cross-az", "single-az", lambda s: s.drop("cache", "azMode"))
case("memcached-cross-az", "one-preferred-az",
     lambda s: s.set("cache", "preferredAvailabilityZones", ["us-east-1a", "us-east-1a"]))
case("redis-automatic-failover", "single-node",
     lambda s: s.add(T["cache"], "redis", {"engine": "redis", "numCacheNodes": 1.0, "subnetGroupName": "x"}))
case("redis-automatic-failover", "no-failover",
     lambda s: s.add(T["rg"], "redis", {"description": "r", "numCacheClusters": 2.0, "multiAzEnabled": True}))
case("redis-automatic-failover", "no-replica",
     lambda s: s.add(T["rg"], "redis", {"description": "r", "numCacheClusters": 1.0, "multiAzEnabled": True,
                                        "automaticFailoverEnabled": True}))
case("private-route-nat-same-az", "cross-az-nat",
     lambda s: s.set("private-default-b", "natGatewayId", ref("natgw-a")))
case("private-route-nat-same-az", "inline-cross-az-nat",
     lambda s: inline_routes(s).set("private-rt-b", "routes.0.natGatewayId", ref("natgw-a")))
case("private-route-nat-same-az", "main-route-table",
     lambda s: s.remove("rta-private-b").add("aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation", "main", {
         "vpcId": ref("vpc"), "routeTableId": ref("private-rt-a")}))
case("private-route-nat-same-az", "nat-instance",
     lambda s: instance(s, "nat-box", subnetId=ref("public-b")).drop("private-default-b", "natGatewayId").set(
         "private-default-b", "networkInterfaceId", ref("nat-box")))
case("no-nfs-single-point-of-failure", "efs-one-zone",
     lambda s: s.add(T["efs"], "files", {"encrypted": True, "availabilityZoneName": "us-east-1a"}))
case("no-nfs-single-point-of-failure", "nfs-security-group",
     lambda s: instance(s, vpcSecurityGroupIds=[ref("nfs-sg")]).add(T["sg"], "nfs-sg", {
         "description": "NFS", "ingress": [{"fromPort": 2049.0, "toPort": 2049.0, "protocol": "tcp",
                                            "securityGroups": [ref("web-sg")], "description": "NFS"}]}))
case("no-nfs-single-point-of-failure", "nfs-user-data",
     lambda s: instance(s, userData="#!/bin/bash\napt-get install -y nfs-kernel-server\n"))
case("sticky-sessions-need-shared-store", "no-durable-store", lambda s: s.set("db", "multiAz", False))
case("sticky-sessions-need-shared-store", "classic-cookie-policy",
     lambda s: s.set("db", "multiAz", False).drop("web-tg", "stickiness").add(
         "aws:elb/loadBalancerCookieStickinessPolicy:LoadBalancerCookieStickinessPolicy", "classic-sticky",
         {"loadBalancer": "classic", "lbPort": 443.0}))
case("asg-instance-refresh-pinned-version", "latest", lambda s: s.set("web-asg", "launchTemplate.version", "$Latest"))
case("asg-instance-refresh-pinned-version", "default-unset", lambda s: s.drop("web-asg", "launchTemplate.version"))
case("asg-instance-refresh-pinned-version", "mixed-instances-default",
     lambda s: s.drop("web-asg", "launchTemplate").set("web-asg", "mixedInstancesPolicy", {"launchTemplate": {
         "launchTemplateSpecification": {"launchTemplateId": ref("web-lt"), "version": "$Default"}}}))
case("asg-instance-refresh-pinned-version", "no-refresh", lambda s: s.drop("web-asg", "instanceRefresh"))
case("asg-instance-refresh-pinned-version", "low-min-healthy",
     lambda s: s.set("web-asg", "instanceRefresh.preferences.minHealthyPercentage", 10.0))
case("asg-instance-refresh-pinned-version", "launch-configuration",
     lambda s: s.drop("web-asg", "launchTemplate").set("web-asg", "launchConfiguration", "web-lc"))

case("staging-matches-production", "single-node-cache",
     lambda s: _stack(s, "staging").set("cache", "numCacheNodes", 1.0), PROD_SHAPE)
case("staging-matches-production", "single-az-database",
     lambda s: _stack(s, "staging").set("db", "multiAz", False), PROD_SHAPE)
case("staging-matches-production", "no-cdn", lambda s: _stack(s, "staging").remove("cdn", "static"), PROD_SHAPE)
case("staging-matches-production", "unpinned-version",
     lambda s: _stack(s, "staging").set("web-asg", "launchTemplate.version", "$Latest"), PROD_SHAPE)

# --- AZ loss -------------------------------------------------------------------------------------------------
case("az-loss-survivable", "lb-one-az", lambda s: s.set("alb", "subnets", [ref("public-a")]))
case("az-loss-survivable", "web-one-az", lambda s: s.set("web-asg", "vpcZoneIdentifiers", [ref("private-b")]))
case("az-loss-survivable", "web-capacity", lambda s: s.set("web-asg", "minSize", 1.0))
case("az-loss-survivable", "egress-through-other-az",
     lambda s: s.set("private-default-b", "natGatewayId", ref("natgw-a")))
case("az-loss-survivable", "single-az-database", lambda s: s.set("db", "multiAz", False))
case("az-loss-survivable", "multi-az-database-one-subnet",
     lambda s: s.set("db-subnets", "subnetIds", [ref("data-a")]))
case("az-loss-survivable", "single-az-cache", lambda s: s.drop("cache", "azMode").set(
    "cache", "preferredAvailabilityZones", ["us-east-1b"]))
case("az-loss-survivable", "redis-without-failover",
     lambda s: s.add(T["rg"], "redis", {"description": "r", "numCacheClusters": 2.0}))
case("az-loss-survivable", "one-zone-efs",
     lambda s: s.add(T["efs"], "files", {"encrypted": True, "availabilityZoneName": "us-east-1b"}))
case("az-loss-survivable", "lone-instance-depended-on",
     lambda s: instance(s, subnetId=ref("private-b")).add(T["tga"], "lone-attach",
                                                          {"targetGroupArn": ref("web-tg"), "targetId": ref("lone")}))
case("az-loss-survivable", "aurora-one-instance", lambda s: aurora(s, 1))
case("az-loss-survivable", "capacity-config", lambda s: s, {"minWebCapacityAfterLoss": 2})

# --- data safety ---------------------------------------------------------------------------------------------
case("rds-backup-retention", "one-day", lambda s: s.set("db", "backupRetentionPeriod", 1.0))
case("rds-backup-retention", "unset", lambda s: s.drop("db", "backupRetentionPeriod"))
case("rds-backup-retention", "configured-14", lambda s: s, {"minRetentionDays": 14})
case("rds-backup-retention", "aurora-cluster", lambda s: aurora(s, 2).set("aurora", "backupRetentionPeriod", 3.0))
case("rds-final-snapshot", "skipped", lambda s: s.set("db", "skipFinalSnapshot", True))
case("rds-final-snapshot", "no-identifier", lambda s: s.drop("db", "finalSnapshotIdentifier"))
case("rds-storage-encrypted", "false", lambda s: s.set("db", "storageEncrypted", False))
case("rds-storage-encrypted", "unset", lambda s: s.drop("db", "storageEncrypted"))
case("rds-not-public", "public", lambda s: s.set("db", "publiclyAccessible", True))
case("rds-not-public", "cluster-instance-public",
     lambda s: aurora(s, 2).set("aurora-1", "publiclyAccessible", True))
case("rds-master-password-managed", "literal-password",
     lambda s: s.drop("db", "manageMasterUserPassword").set("db", "password", "correct-horse-battery"))
case("rds-master-password-managed", "cluster-literal-password",
     lambda s: aurora(s, 2).drop("aurora", "manageMasterUserPassword").set("aurora", "masterPassword", "s3cr3t-pw"))
case("rds-deletion-protection", "off", lambda s: s.set("db", "deletionProtection", False))
case("rds-deletion-protection", "custom-production-name", lambda s: s.set("db", "deletionProtection", False),
     {"productionStacks": ["pro*"]})
case("lb-deletion-protection", "off", lambda s: s.set("alb", "enableDeletionProtection", False))
case("lb-deletion-protection", "unset", lambda s: s.drop("alb", "enableDeletionProtection"))
case("s3-data-bucket-versioned", "suspended",
     lambda s: s.set("assets-versioning", "versioningConfiguration.status", "Suspended"))
case("s3-data-bucket-versioned", "no-companion", lambda s: s.remove("assets-versioning"))
case("s3-data-bucket-versioned", "inline-disabled", lambda s: bucket_v2_inline(s, "assets", versioned=False))
case("s3-data-bucket-encrypted", "no-companion", lambda s: s.remove("assets-sse"))
case("s3-data-bucket-encrypted", "inline-missing", lambda s: bucket_v2_inline(s, "assets", encrypted=False))
case("s3-bucket-not-public", "inline-acl", lambda s: s.set("logs", "acl", "public-read"))
case("s3-bucket-not-public", "acl-resource",
     lambda s: s.add(T["acl"], "assets-acl", {"bucket": ref("assets"), "acl": "public-read-write"}))
case("s3-bucket-not-public", "acl-grant",
     lambda s: s.add(T["acl"], "assets-acl", {"bucket": ref("assets"), "accessControlPolicy": {
         "owner": {"id": "o"}, "grants": [{"permission": "READ", "grantee": {
             "type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}}]}}))
case("s3-bucket-not-public", "public-policy", lambda s: s.set("assets-policy", "policy", PUBLIC_POLICY))
case("s3-bucket-not-public", "block-off", lambda s: s.set("backups-pab", "blockPublicPolicy", False))

# --- transport and exposure ------------------------------------------------------------------------------------
case("http-listener-redirects-to-https", "forward",
     lambda s: s.set("http", "defaultActions", [{"type": "forward", "targetGroupArn": ref("web-tg")}]))
case("http-listener-redirects-to-https", "redirect-to-http",
     lambda s: s.set("http", "defaultActions.0.redirect.protocol", "HTTP"))
case("http-listener-redirects-to-https", "protocol-unset",
     lambda s: s.drop("http", "protocol").set("http", "defaultActions", [{"type": "fixed-response", "fixedResponse": {
         "contentType": "text/plain", "statusCode": "200"}}]))
case("http-listener-redirects-to-https", "listener-rule",
     lambda s: s.add(T["rule"], "http-api", {"listenerArn": ref("http"), "priority": 10.0, "actions": [
         {"type": "forward", "targetGroupArn": ref("web-tg")}], "conditions": [{"pathPattern": {"values": ["/api"]}}]}))
case("http-listener-redirects-to-https", "classic-http",
     lambda s: clb(s, listeners=[{"lbProtocol": "http", "lbPort": 80.0, "instanceProtocol": "http",
                                  "instancePort": 8080.0}]))
case("https-listener-modern-tls", "old-policy", lambda s: s.set("https", "sslPolicy", "ELBSecurityPolicy-2016-08"))
case("https-listener-modern-tls", "unset-policy", lambda s: s.drop("https", "sslPolicy"))
case("https-listener-modern-tls", "protocol-unset-old-policy",
     lambda s: s.drop("https", "protocol").set("https", "sslPolicy", "ELBSecurityPolicy-TLS-1-1-2017-01"))
case("https-listener-modern-tls", "no-certificate", lambda s: s.drop("https", "certificateArn"))
case("https-listener-modern-tls", "classic-no-certificate", lambda s: clb(s).drop("classic", "listeners.0.sslCertificateId"))
case("https-listener-modern-tls", "policy-not-allowed", lambda s: s,
     {"allowedTlsPolicies": ["ELBSecurityPolicy-TLS13-1-3-2021-06"]})
case("cloudfront-viewer-https-tls12", "allow-all",
     lambda s: s.set("cdn", "defaultCacheBehavior.viewerProtocolPolicy", "allow-all"))
case("cloudfront-viewer-https-tls12", "ordered-allow-all",
     lambda s: s.set("cdn", "orderedCacheBehaviors", [{"pathPattern": "/img/*", "targetOriginId": "assets",
                                                       "viewerProtocolPolicy": "allow-all"}]))
case("cloudfront-viewer-https-tls12", "tls1", lambda s: s.set("cdn", "viewerCertificate.minimumProtocolVersion", "TLSv1"))
case("cloudfront-viewer-https-tls12", "default-certificate",
     lambda s: s.set("cdn", "viewerCertificate", {"cloudfrontDefaultCertificate": True}))
case("zone-apex-alias", "apex-cname",
     lambda s: s.set("apex", "type", "CNAME").drop("apex", "aliases").set("apex", "records", [ref("alb")]))
case("zone-apex-alias", "apex-fixed-ip",
     lambda s: s.drop("apex", "aliases").set("apex", "records", ["203.0.113.10"]).set("apex", "ttl", 300.0))
case("zone-apex-alias", "looked-up-zone-cname",
     lambda s: [s.set(r, "zoneId", "Z0123456789ABC") for r in ("apex", "www", "static")] and
     s.set("apex", "type", "CNAME").drop("apex", "aliases").set("apex", "records", ["shop.example.net"]))
case("zone-apex-alias", "relative-name",
     lambda s: s.set("apex", "name", "").set("apex", "type", "CNAME").drop("apex", "aliases").set(
         "apex", "records", ["shop.example.net"]).set("www", "name", "www"))
case("sg-no-sensitive-ports-from-internet", "inline-ssh",
     lambda s: s.set("alb-sg", "ingress.1", {"fromPort": 22.0, "toPort": 22.0, "protocol": "tcp",
                                             "cidrBlocks": ["0.0.0.0/0"], "description": "ssh"}))
case("sg-no-sensitive-ports-from-internet", "rule-mysql",
     lambda s: s.drop("db-from-web", "sourceSecurityGroupId").set("db-from-web", "cidrBlocks", ["0.0.0.0/0"]))
case("sg-no-sensitive-ports-from-internet", "vpc-rule-range-ipv6",
     lambda s: s.add(T["in"], "cache-open", {"securityGroupId": ref("cache-sg"), "cidrIpv6": "::/0",
                                             "fromPort": 6000.0, "toPort": 12000.0, "ipProtocol": "tcp",
                                             "description": "oops"}))
case("sg-no-sensitive-ports-from-internet", "all-ports",
     lambda s: s.set("web-egress", "cidrIpv4", "0.0.0.0/0").add(T["sgr"], "web-all", {
         "type": "ingress", "securityGroupId": ref("web-sg"), "cidrBlocks": ["0.0.0.0/0"], "fromPort": 0.0,
         "toPort": 0.0, "protocol": "-1", "description": "everything"}))
case("imdsv2-required", "template-optional", lambda s: s.set("web-lt", "metadataOptions.httpTokens", "optional"))
case("imdsv2-required", "instance-unset", lambda s: instance(s).drop("lone", "metadataOptions"))
case("imdsv2-required", "launch-configuration",
     lambda s: s.add(T["lc"], "web-lc", {"imageId": "ami-1", "instanceType": "t3.small",
                                         "rootBlockDevice": {"encrypted": True}}))
case("ebs-encrypted", "template-unencrypted", lambda s: s.set("web-lt", "blockDeviceMappings.0.ebs.encrypted", "false"))
case("ebs-encrypted", "template-no-mappings", lambda s: s.drop("web-lt", "blockDeviceMappings"))
case("ebs-encrypted", "instance-root", lambda s: instance(s).set("lone", "rootBlockDevice.encrypted", False))
case("ebs-encrypted", "instance-data-volume",
     lambda s: instance(s).set("lone", "ebsBlockDevices", [{"deviceName": "/dev/sdf", "volumeSize": 10.0}]))
case("ebs-encrypted", "volume", lambda s: s.add(T["volume"], "data-vol", {"availabilityZone": "us-east-1a",
                                                                          "size": 10.0}))

# --- hygiene (advisory) --------------------------------------------------------------------------------------
case("lb-access-logs", "alb-off", lambda s: s.set("alb", "accessLogs.enabled", False))
case("lb-access-logs", "classic-none", lambda s: clb(s).drop("classic", "accessLogs"))
case("alb-waf", "no-association", lambda s: s.remove("waf-alb"))
case("alb-drop-invalid-headers", "off", lambda s: s.drop("alb", "dropInvalidHeaderFields"))
case("lb-desync-mitigation", "monitor", lambda s: s.set("alb", "desyncMitigationMode", "monitor"))
case("no-classic-load-balancer", "classic", lambda s: clb(s))
case("clb-cross-zone-and-draining", "off",
     lambda s: clb(s, crossZoneLoadBalancing=False, connectionDraining=False))
case("cloudfront-access-logs", "none", lambda s: s.drop("cdn", "loggingConfig"))
case("cloudfront-waf", "none", lambda s: s.drop("cdn", "webAclId"))
case("cloudfront-origin-tls", "http-only",
     lambda s: s.set("cdn", "origins.1", {"originId": "alb", "domainName": ref("alb"), "customOriginConfig": {
         "originProtocolPolicy": "http-only", "httpPort": 80.0, "httpsPort": 443.0,
         "originSslProtocols": ["TLSv1", "TLSv1.2"]}}))
case("cloudfront-origin-failover", "no-group", lambda s: s.drop("cdn", "originGroups"))
case("cloudfront-s3-origin-access-control", "public-origin", lambda s: s.drop("cdn", "origins.0.originAccessControlId"))
case("cloudfront-certificate-us-east-1", "eu-certificate", lambda s: s.set("cdn-cert", "region", "eu-west-1"))
case("cloudfront-certificate-us-east-1", "literal-arn",
     lambda s: s.set("cdn", "viewerCertificate.acmCertificateArn",
                     "arn:aws:acm:eu-west-1:123456789012:certificate/abc"))
case("vpc-flow-logs", "none", lambda s: s.remove("vpc-flow"))
case("compute-subnets-no-auto-public-ip", "private-public-ip", lambda s: s.set("private-a", "mapPublicIpOnLaunch", True))
case("default-security-group-closed", "rules",
     lambda s: s.set("default-sg", "ingress", [{"fromPort": 0.0, "toPort": 0.0, "protocol": "-1", "self": True}]))
case("sg-rule-management-conflict", "mixed",
     lambda s: s.add(T["sgr"], "alb-extra", {"type": "ingress", "securityGroupId": ref("alb-sg"),
                                             "cidrBlocks": ["10.0.0.0/8"], "fromPort": 443.0, "toPort": 443.0,
                                             "protocol": "tcp", "description": "internal"}))
case("sg-descriptions", "group", lambda s: s.drop("web-sg", "description"))
case("sg-descriptions", "rule", lambda s: s.drop("db-from-web", "description"))
case("sg-data-tier-by-reference", "cidr-to-database",
     lambda s: s.drop("db-from-web", "sourceSecurityGroupId").set("db-from-web", "cidrBlocks", ["10.0.10.0/24"]))
case("imds-hop-limit", "two-hops", lambda s: s.set("web-lt", "metadataOptions.httpPutResponseHopLimit", 2.0))
case("no-public-ip-on-instances", "template",
     lambda s: s.set("web-lt", "networkInterfaces", [{"associatePublicIpAddress": "true"}]))
case("no-public-ip-on-instances", "instance", lambda s: instance(s, associatePublicIpAddress=True))
case("detailed-monitoring", "template", lambda s: s.drop("web-lt", "monitoring"))
case("instance-profile-attached", "template", lambda s: s.drop("web-lt", "iamInstanceProfile"))
case("user-data-no-secrets", "access-key",
     lambda s: instance(s, userData="#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n"))
case("user-data-no-secrets", "password",
     lambda s: instance(s, userData="#!/bin/bash\necho 'DB_PASSWORD=hunter2hunter2' >> /etc/app.env\n"))
case("asg-capacity-rebalance", "off", lambda s: s.drop("web-asg", "capacityRebalance"))
case("standalone-instance-termination-protection", "off", lambda s: instance(s, disableApiTermination=False))
case("rds-log-exports", "none", lambda s: s.drop("db", "enabledCloudwatchLogsExports"))
case("rds-performance-insights", "none", lambda s: s.drop("db", "performanceInsightsEnabled"))
case("rds-auto-minor-version-upgrade", "off", lambda s: s.set("db", "autoMinorVersionUpgrade", False))
case("rds-storage-autoscaling", "none", lambda s: s.drop("db", "maxAllocatedStorage"))
case("rds-backup-window-no-overlap", "overlap", lambda s: s.set("db", "maintenanceWindow", "sun:03:30-sun:04:30"))
case("rds-backup-window-no-overlap", "unset", lambda s: s.drop("db", "backupWindow"))
case("stateful-resources-protected", "database", lambda s: s.protect("db", False))
case("stateful-resources-protected", "backup-bucket", lambda s: s.protect("backups", False))
case("redis-encryption", "plaintext",
     lambda s: s.add(T["rg"], "redis", {"description": "r", "numCacheClusters": 2.0, "automaticFailoverEnabled": True,
                                        "multiAzEnabled": True, "atRestEncryptionEnabled": "false",
                                        "subnetGroupName": ref("cache-subnets"), "snapshotRetentionLimit": 7.0}))
case("redis-snapshot-retention", "none",
     lambda s: s.add(T["rg"], "redis", {"description": "r", "numCacheClusters": 2.0, "automaticFailoverEnabled": True,
                                        "multiAzEnabled": True, "atRestEncryptionEnabled": "true",
                                        "transitEncryptionEnabled": True, "subnetGroupName": ref("cache-subnets")}))
case("elasticache-subnet-group", "default", lambda s: s.drop("cache", "subnetGroupName"))
case("s3-backup-bucket-hardened", "no-lifecycle", lambda s: s.remove("backups-lifecycle"))
case("s3-backup-bucket-hardened", "no-lock", lambda s: s.drop("backups", "objectLockEnabled"))
case("s3-bucket-ssl-only", "no-deny", lambda s: s.set("assets-policy", "policy", '{"Statement": []}'))
case("s3-bucket-logging", "none", lambda s: s.remove("assets-logging"))
case("alarm-actions-wired", "no-actions", lambda s: s.drop("db-cpu", "alarmActions").drop("db-cpu", "okActions"))
case("alarm-actions-wired", "disabled", lambda s: s.set("db-cpu", "actionsEnabled", False))
case("alarm-actions-wired", "no-subscriber", lambda s: s.remove("alerts-email"))
case("alarm-coverage", "database", lambda s: s.remove("db-cpu"))
case("log-group-retention", "forever", lambda s: s.drop("app-logs", "retentionInDays"))
case("log-group-retention", "short", lambda s: s.set("app-logs", "retentionInDays", 7.0))
case("backup-plan-coverage", "not-selected", lambda s: s.remove("plan-db"))
case("backup-plan-coverage", "backup-bucket", lambda s: s.set("plan-db", "resources", [ref("db")]))
case("backup-plan-coverage", "stand-alone-instance", lambda s: instance(s))
case("waf-logging", "none", lambda s: s.remove("cdn-waf-logging"))
case("log-group-encrypted", "service-key", lambda s: s.drop("app-logs", "kmsKeyId"))
case("sns-topic-encrypted", "plaintext", lambda s: s.drop("alerts", "kmsMasterKeyId"))
case("asg-notifications", "none", lambda s: s.remove("web-asg-notify"))
case("asg-notifications", "launch-only", lambda s: s.set("web-asg-notify", "notifications",
                                                          ["autoscaling:EC2_INSTANCE_LAUNCH_ERROR"]))
case("rds-iam-auth", "off", lambda s: s.drop("db", "iamDatabaseAuthenticationEnabled"))
case("redis-auth", "open", lambda s: s.add(T["rg"], "redis", {"description": "r", "numCacheClusters": 2.0,
                                                             "automaticFailoverEnabled": True}))
case("iam-role-policy-conflict", "mixed", lambda s: s.set("web-role", "managedPolicyArns", [
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]))
case("backup-plan-retention-and-copy", "short", lambda s: s.set("plan", "rules.0.lifecycle.deleteAfter", 3.0))
case("backup-plan-retention-and-copy", "no-copy", lambda s: s.drop("plan", "rules.0.copyActions"))
case("backup-vault-locked", "unlocked", lambda s: s.remove("vault-lock"))
case("dns-alias-evaluate-target-health", "off", lambda s: s.set("www", "aliases.0.evaluateTargetHealth", False))
case("dns-alias-evaluate-target-health", "dangling",
     lambda s: s.set("static", "aliases.0.name", "d111111abcdef8.cloudfront.net").set(
         "static", "aliases.0.zoneId", "Z2FDTNDATAQYW2"))
case("dns-alias-evaluate-target-health", "no-www", lambda s: s.remove("www"))
case("acm-dns-validated", "email", lambda s: s.set("cert", "validationMethod", "EMAIL"))
case("acm-dns-validated", "no-validation", lambda s: s.remove("cert-validation").drop(
    "cert-valid", "validationRecordFqdns"))
case("acm-dns-validated", "wildcard", lambda s: s.set("cert", "domainName", "*.shop.example.com"))
case("az-consistency-across-tiers", "db-subnets", lambda s: s.set("db-subnets", "subnetIds", [ref("data-a")]))
case("az-consistency-across-tiers", "efs-mount-targets",
     lambda s: s.add(T["efs"], "files", {"encrypted": True}).add(T["mt"], "files-a", {
         "fileSystemId": ref("files"), "subnetId": ref("private-a")}))
case("kms-key-rotation", "off", lambda s: s.drop("backup-key", "enableKeyRotation"))
case("efs-encrypted", "off", lambda s: s.add(T["efs"], "files", {}))


case("sg-world-ingress-authorized-ports", "app-port-open",
     lambda s: s.set("alb-sg", "ingress.0.fromPort", 8443.0).set("alb-sg", "ingress.0.toPort", 8443.0))
case("sg-world-ingress-authorized-ports", "rule-range",
     lambda s: s.add(T["in"], "alb-range", {"securityGroupId": ref("alb-sg"), "cidrIpv4": "0.0.0.0/0",
                                            "fromPort": 80.0, "toPort": 443.0, "ipProtocol": "tcp",
                                            "description": "web range"}))
case("igw-routes-only-public-subnets", "web-in-public",
     lambda s: s.set("web-asg", "vpcZoneIdentifiers", [ref("public-a"), ref("public-b")]))
case("instances-in-vpc", "default-vpc", lambda s: instance(s).drop("lone", "subnetId"))
case("ebs-delete-on-termination", "template-keeps-volume",
     lambda s: s.set("web-lt", "blockDeviceMappings.0.ebs.deleteOnTermination", "false"))
case("rds-require-secure-transport", "plaintext-allowed", lambda s: s.set("db-params", "parameters.0.value", "0"))
case("rds-require-secure-transport", "default-parameter-group", lambda s: s.drop("db", "parameterGroupName"))
case("rds-non-default-master-username", "admin", lambda s: s.set("db", "username", "admin"))
case("elasticache-auto-minor-version-upgrade", "off", lambda s: s.set("cache", "autoMinorVersionUpgrade", "false"))
case("cloudfront-security-headers", "none", lambda s: s.drop("cdn", "defaultCacheBehavior.responseHeadersPolicyId"))
case("listener-certificate-from-acm", "iam-certificate",
     lambda s: s.set("https", "certificateArn", "arn:aws:iam::123456789012:server-certificate/shop-2019"))
case("route53-query-logging-and-dnssec", "none", lambda s: s.remove("zone-queries", "zone-dnssec"))
case("secret-encrypted-with-cmk", "aws-key",
     lambda s: s.add("aws:secretsmanager/secret:Secret", "api-key", {"description": "payment API key"}))
case("iam-no-wildcard-admin", "role-policy",
     lambda s: s.add("aws:iam/rolePolicy:RolePolicy", "web-admin", {"role": ref("web-role"), "policy":
                     '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'}))
case("certificate-covers-aliases", "www-not-on-certificate", lambda s: s.drop("cert", "subjectAlternativeNames"))
case("certificate-covers-aliases", "distribution-alias-missing", lambda s: s.set("cdn", "aliases", []))
case("certificate-covers-aliases", "distribution-certificate",
     lambda s: s.set("cdn-cert", "domainName", "img.shop.example.com"))
case("acm-key-strength", "rsa-1024", lambda s: s.set("cert", "keyAlgorithm", "RSA_1024"))
case("kms-key-enabled", "disabled", lambda s: s.set("backup-key", "isEnabled", False))
case("rds-snapshot-not-public", "shared-with-all",
     lambda s: s.add("aws:rds/snapshot:Snapshot", "db-manual", {"dbInstanceIdentifier": ref("db"),
                                                                "dbSnapshotIdentifier": "db-manual",
                                                                "sharedAccounts": ["all"]}))
case("sns-topic-tls-only", "no-policy", lambda s: s.remove("alerts-policy"))
case("cloudfront-s3-origin-in-stack", "foreign-bucket",
     lambda s: s.set("cdn", "origins", [{"originId": "assets", "domainName": "legacy-assets.s3.amazonaws.com",
                                         "originAccessControlId": ref("oac")}]).drop("cdn", "originGroups"))
case("network-acl-in-use", "unused", lambda s: s.add("aws:ec2/networkAcl:NetworkAcl", "spare-acl",
                                                     {"vpcId": ref("vpc")}))
case("sns-delivery-status-logging", "https-pager",
     lambda s: s.add(T["sub"], "alerts-pager", {"topic": ref("alerts"), "protocol": "https",
                                                "endpoint": "https://pager.example.com/hook"}))
case("lb-log-bucket-delivery", "kms-encrypted-log-bucket",
     lambda s: s.set("logs-sse", "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "aws:kms"))
case("lb-log-bucket-delivery", "no-delivery-grant", lambda s: s.set("logs-policy", "policy", SSL_ONLY))
case("lb-log-bucket-delivery", "created-before-policy", lambda s: setattr(s.res["alb"], "depends_on", ()) or s)
case("target-group-deregistration-delay", "default", lambda s: s.drop("web-tg", "deregistrationDelay"))
case("target-group-deregistration-delay", "long", lambda s: s.set("web-tg", "deregistrationDelay", 600.0))
case("log-bucket-hygiene", "never-expires", lambda s: s.remove("logs-lifecycle"))
case("log-bucket-hygiene", "logs-into-itself",
     lambda s: s.add(T["logging"], "logs-logging", {"bucket": ref("logs"), "targetBucket": ref("logs"),
                                                    "targetPrefix": "self/"}))
case("web-sg-only-from-load-balancer", "ssh-from-office",
     lambda s: s.add(T["in"], "web-ssh", {"securityGroupId": ref("web-sg"), "cidrIpv4": "198.51.100.0/24",
                                          "fromPort": 22.0, "toPort": 22.0, "ipProtocol": "tcp",
                                          "description": "office ssh"}))
case("web-sg-only-from-load-balancer", "app-port-from-vpc",
     lambda s: s.set("web-sg", "ingress", [{"fromPort": 8080.0, "toPort": 8080.0, "protocol": "tcp",
                                            "cidrBlocks": ["10.0.0.0/16"], "description": "app"}]))


# --- compliant variants: each must NOT trigger the policy --------------------------------------------------
N = []


def ok(policy, cid, fn, config=None):
    N.append((policy, cid, fn, config))


ok("rds-deletion-protection", "staging-stack", lambda s: _stack(s, "staging").set("db", "deletionProtection", False))
ok("lb-deletion-protection", "staging-stack",
   lambda s: _stack(s, "staging").set("alb", "enableDeletionProtection", False))
ok("rds-master-password-managed", "password-from-resource",
   lambda s: s.add("random:index/randomPassword:RandomPassword", "db-password", {"length": 32.0}).drop(
       "db", "manageMasterUserPassword").set("db", "password", ref("db-password", "generated-Secret-1")))
ok("ebs-encrypted", "account-default",
   lambda s: s.add(T["ebsdefault"], "ebs-default", {"enabled": True}).set(
       "web-lt", "blockDeviceMappings.0.ebs.encrypted", "false"))
ok("s3-bucket-not-public", "account-block",
   lambda s: s.remove("assets-pab").add("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account-pab", {
       "blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True, "restrictPublicBuckets": True}))
ok("s3-data-bucket-versioned", "inline-bucket-v2", lambda s: bucket_v2_inline(s, "assets"))
ok("s3-data-bucket-encrypted", "inline-bucket-v2", lambda s: bucket_v2_inline(s, "assets"))
ok("s3-data-bucket-versioned", "inline-bucket-current",
   lambda s: s.remove("assets-versioning").set("assets", "versioning", {"enabled": True}))
ok("s3-data-bucket-versioned", "tagged-no-data",
   lambda s: s.remove("assets-versioning").set("assets", "tags", {"holds-data": "false"}))
ok("private-route-nat-same-az", "inline-routes", inline_routes)
ok("az-loss-survivable", "inline-routes", inline_routes)
ok("imdsv2-required", "instance-from-template",
   lambda s: instance(s, launchTemplate={"id": ref("web-lt"), "version": "1"}).drop("lone", "metadataOptions"))
ok("imdsv2-required", "account-default",
   lambda s: s.add("aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults", "imds", {"httpTokens": "required"})
   .set("web-lt", "metadataOptions.httpTokens", "optional"))
ok("sticky-sessions-need-shared-store", "redis-store",
   lambda s: s.set("db", "multiAz", False).add(T["rg"], "sessions", {
       "description": "sessions", "numCacheClusters": 2.0, "automaticFailoverEnabled": True, "multiAzEnabled": True}))
ok("sticky-sessions-need-shared-store", "no-stickiness", lambda s: s.set("db", "multiAz", False).drop("web-tg", "stickiness"))
ok("asg-elb-health-check", "no-load-balancer",
   lambda s: s.drop("web-asg", "targetGroupArns").set("web-asg", "healthCheckType", "EC2"))
ok("target-group-health-check", "nlb-tcp",
   lambda s: s.set("web-tg", "protocol", "TCP").set("web-tg", "healthCheck", {
       "enabled": True, "protocol": "TCP", "interval": 10.0, "timeout": 5.0, "healthyThreshold": 3.0,
       "unhealthyThreshold": 3.0}))
ok("zone-apex-alias", "www-cname",
   lambda s: s.set("www", "type", "CNAME").drop("www", "aliases").set("www", "records", ["shop.example.com"]))
ok("web-servers-in-asg", "bastion",
   lambda s: instance(s, vpcSecurityGroupIds=[ref("bastion-sg")]).add(T["sg"], "bastion-sg", {
       "description": "SSH from the office", "ingress": [{"fromPort": 22.0, "toPort": 22.0, "protocol": "tcp",
                                                         "cidrBlocks": ["198.51.100.0/24"], "description": "ssh"}]}))
ok("redis-automatic-failover", "replication-group",
   lambda s: s.add(T["rg"], "redis", {"description": "r", "numCacheClusters": 2.0, "automaticFailoverEnabled": True,
                                      "multiAzEnabled": True}))
ok("cloudfront-viewer-https-tls12", "https-only",
   lambda s: s.set("cdn", "defaultCacheBehavior.viewerProtocolPolicy", "https-only"))
ok("sg-no-sensitive-ports-from-internet", "https-from-world", lambda s: s)
ok("no-nfs-single-point-of-failure", "regional-efs",
   lambda s: s.add(T["efs"], "files", {"encrypted": True}).add(T["mt"], "files-a", {
       "fileSystemId": ref("files"), "subnetId": ref("private-a")}).add(T["mt"], "files-b", {
       "fileSystemId": ref("files"), "subnetId": ref("private-b")}))
ok("backup-plan-coverage", "selection-by-tag",
   lambda s: s.set("db", "tags", {"backup": "daily"}).set("backups", "tags", {"backup": "daily"}).drop(
       "plan-db", "resources").set("plan-db", "selectionTags", [{"type": "STRINGEQUALS", "key": "backup",
                                                                 "value": "daily"}]))
ok("private-route-nat-same-az", "regional-nat-gateway",
   lambda s: s.add(T["nat"], "natgw-regional", {"availabilityMode": "regional", "vpcId": ref("vpc")}).set(
       "private-default-a", "natGatewayId", ref("natgw-regional")).set(
       "private-default-b", "natGatewayId", ref("natgw-regional")))
ok("az-loss-survivable", "regional-nat-gateway",
   lambda s: s.add(T["nat"], "natgw-regional", {"availabilityMode": "regional", "vpcId": ref("vpc")}).set(
       "private-default-a", "natGatewayId", ref("natgw-regional")).set(
       "private-default-b", "natGatewayId", ref("natgw-regional")))
ok("http-listener-redirects-to-https", "https-protocol-unset", lambda s: s.drop("https", "protocol"))
ok("staging-matches-production", "staging-sizes-differ",
   lambda s: _stack(s, "staging").set("db", "instanceClass", "db.t3.small").set("web-asg", "minSize", 3.0).set(
       "db", "backupRetentionPeriod", 3.0).set("cache", "numCacheNodes", 3.0), PROD_SHAPE)
ok("asg-multi-az", "one-graph-subnet-one-literal",
   lambda s: s.set("web-asg", "vpcZoneIdentifiers", [ref("private-a"), "subnet-0bbb"]))
ok("az-loss-survivable", "watched-lone-instance",
   lambda s: instance(s, subnetId=ref("private-b")).add(T["alarm"], "lone-cpu", {
       "metricName": "CPUUtilization", "dimensions": {"InstanceId": ref("lone")}, "alarmActions": [ref("alerts")]}))
ok("stateful-resources-protected", "staging-stack", lambda s: _stack(s, "staging").protect("db", False))
ok("imdsv2-required", "metadata-service-off",
   lambda s: s.set("web-lt", "metadataOptions", {"httpEndpoint": "disabled"}))
ok("certificate-covers-aliases", "wildcard-certificate",
   lambda s: s.set("cert", "subjectAlternativeNames", ["*.shop.example.com"]))
ok("network-acl-in-use", "associated",
   lambda s: s.add("aws:ec2/networkAcl:NetworkAcl", "data-acl", {"vpcId": ref("vpc"),
                                                                 "subnetIds": [ref("data-a"), ref("data-b")]}))
ok("backup-plan-coverage", "replica-bucket-is-the-copy",
   lambda s: s.add(T["bucket"], "backups-replica", {"bucket": "shop-backups-replica", "region": "us-west-2"}).add(
       T["replication"], "backups-replication", {"bucket": ref("backups"), "role": "arn:aws:iam::1:role/r", "rules": [
           {"id": "dr", "status": "Enabled", "destination": {"bucket": ref("backups-replica")}}]}))
ok("asg-multi-az", "literal-subnet-ids",
   lambda s: s.set("web-asg", "vpcZoneIdentifiers", ["subnet-0aaa", "subnet-0bbb"]))
