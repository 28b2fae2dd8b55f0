"""A compliant stack that exercises every policy: the portal's shape written with raw pulumi_aws resources."""
import base64
import json

from .pk import Stack, ref

AZS = ("us-east-1a", "us-east-1b")
TOKENS = {  # pulumi-aws 7 tokens
    "vpc": "aws:ec2/vpc:Vpc", "subnet": "aws:ec2/subnet:Subnet", "igw": "aws:ec2/internetGateway:InternetGateway",
    "rt": "aws:ec2/routeTable:RouteTable", "route": "aws:ec2/route:Route",
    "rta": "aws:ec2/routeTableAssociation:RouteTableAssociation", "eip": "aws:ec2/eip:Eip",
    "nat": "aws:ec2/natGateway:NatGateway", "flow": "aws:ec2/flowLog:FlowLog",
    "sg": "aws:ec2/securityGroup:SecurityGroup", "dsg": "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "sgr": "aws:ec2/securityGroupRule:SecurityGroupRule",
    "in": "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "out": "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "lb": "aws:lb/loadBalancer:LoadBalancer", "tg": "aws:lb/targetGroup:TargetGroup",
    "listener": "aws:lb/listener:Listener", "rule": "aws:lb/listenerRule:ListenerRule",
    "clb": "aws:elb/loadBalancer:LoadBalancer",
    "waf": "aws:wafv2/webAcl:WebAcl", "wafa": "aws:wafv2/webAclAssociation:WebAclAssociation",
    "cert": "aws:acm/certificate:Certificate", "certv": "aws:acm/certificateValidation:CertificateValidation",
    "profile": "aws:iam/instanceProfile:InstanceProfile", "lt": "aws:ec2/launchTemplate:LaunchTemplate",
    "lc": "aws:ec2/launchConfiguration:LaunchConfiguration", "asg": "aws:autoscaling/group:Group",
    "instance": "aws:ec2/instance:Instance", "volume": "aws:ebs/volume:Volume",
    "tga": "aws:lb/targetGroupAttachment:TargetGroupAttachment", "asga": "aws:autoscaling/attachment:Attachment",
    "dbsg": "aws:rds/subnetGroup:SubnetGroup", "db": "aws:rds/instance:Instance", "cluster": "aws:rds/cluster:Cluster",
    "clusterinst": "aws:rds/clusterInstance:ClusterInstance",
    "ecsg": "aws:elasticache/subnetGroup:SubnetGroup", "cache": "aws:elasticache/cluster:Cluster",
    "rg": "aws:elasticache/replicationGroup:ReplicationGroup", "efs": "aws:efs/fileSystem:FileSystem",
    "mt": "aws:efs/mountTarget:MountTarget",
    "bucket": "aws:s3/bucket:Bucket", "versioning": "aws:s3/bucketVersioning:BucketVersioning",
    "sse": "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "pab": "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "policy": "aws:s3/bucketPolicy:BucketPolicy",
    "acl": "aws:s3/bucketAcl:BucketAcl", "logging": "aws:s3/bucketLogging:BucketLogging",
    "lifecycle": "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "replication": "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "oac": "aws:cloudfront/originAccessControl:OriginAccessControl", "cdn": "aws:cloudfront/distribution:Distribution",
    "zone": "aws:route53/zone:Zone", "record": "aws:route53/record:Record",
    "topic": "aws:sns/topic:Topic", "sub": "aws:sns/topicSubscription:TopicSubscription",
    "alarm": "aws:cloudwatch/metricAlarm:MetricAlarm", "loggroup": "aws:cloudwatch/logGroup:LogGroup",
    "kms": "aws:kms/key:Key", "vault": "aws:backup/vault:Vault",
    "vaultlock": "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "plan": "aws:backup/plan:Plan",
    "selection": "aws:backup/selection:Selection", "ebsdefault": "aws:ebs/encryptionByDefault:EncryptionByDefault",
}
# The deprecated forms a program may still use, and the current token each stands for.
DEPRECATED = {
    "aws:s3/bucket:Bucket": "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketVersioning:BucketVersioning": "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketLogging:BucketLogging": "aws:s3/bucketLoggingV2:BucketLoggingV2",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "aws:s3/bucketAcl:BucketAcl": "aws:s3/bucketAclV2:BucketAclV2",
    "aws:lb/loadBalancer:LoadBalancer": "aws:alb/loadBalancer:LoadBalancer",
    "aws:lb/targetGroup:TargetGroup": "aws:alb/targetGroup:TargetGroup",
    "aws:lb/listener:Listener": "aws:alb/listener:Listener",
    "aws:lb/listenerRule:ListenerRule": "aws:alb/listenerRule:ListenerRule",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": "aws:alb/targetGroupAttachment:TargetGroupAttachment",
}

SSL_ONLY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
    "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})
LOG_DELIVERY = json.dumps({"Version": "2012-10-17", "Statement": [
    json.loads(SSL_ONLY)["Statement"][0],
    {"Sid": "ElbLogDelivery", "Effect": "Allow", "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::shop-logs/alb/*"}]})
USER_DATA = base64.b64encode(b"#!/bin/bash\naws s3 cp s3://releases/app.tgz /opt/app\n").decode()


def _subnet(s: Stack, tier: str, az: str, i: int) -> str:
    name = f"{tier}-{az[-1]}"
    s.add(TOKENS["subnet"], name, {"vpcId": ref("vpc"), "availabilityZone": az, "cidrBlock": f"10.0.{i}.0/24",
                                  "mapPublicIpOnLaunch": False})
    return name


def _bucket(s: Stack, name: str, data: bool = True, protect: bool = False) -> None:
    props = {"bucket": f"shop-{name}"}
    if not data:
        props["tags"] = {"holds-data": "false"}
    s.add(TOKENS["bucket"], name, props, protect=protect)
    s.add(TOKENS["versioning"], f"{name}-versioning", {"bucket": ref(name),
                                                        "versioningConfiguration": {"status": "Enabled"}})
    s.add(TOKENS["sse"], f"{name}-sse", {"bucket": ref(name), "rules": [
        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}, "bucketKeyEnabled": True}]})
    s.add(TOKENS["pab"], f"{name}-pab", {"bucket": ref(name), "blockPublicAcls": True, "blockPublicPolicy": True,
                                          "ignorePublicAcls": True, "restrictPublicBuckets": True})
    s.add(TOKENS["policy"], f"{name}-policy", {"bucket": ref(name), "policy": LOG_DELIVERY if name == "logs" else SSL_ONLY})
    if data:
        s.add(TOKENS["logging"], f"{name}-logging", {"bucket": ref(name), "targetBucket": ref("logs"),
                                                      "targetPrefix": f"{name}/"})


def _alarm(s: Stack, name: str, dimension: str, target: str, metric: str) -> None:
    s.add(TOKENS["alarm"], name, {"metricName": metric, "namespace": "AWS/X", "comparisonOperator": "GreaterThanThreshold",
                                  "evaluationPeriods": 2.0, "period": 60.0, "statistic": "Sum", "threshold": 1.0,
                                  "dimensions": {dimension: ref(target)}, "alarmActions": [ref("alerts")],
                                  "okActions": [ref("alerts")]})


def compliant(stack: str = "prod") -> Stack:
    s = Stack(stack)
    # Network: public, private (web) and data subnets in two AZs, a NAT gateway per AZ, flow logs.
    s.add(TOKENS["vpc"], "vpc", {"cidrBlock": "10.0.0.0/16", "enableDnsHostnames": True})
    s.add(TOKENS["dsg"], "default-sg", {"vpcId": ref("vpc")})
    s.add(TOKENS["flow"], "vpc-flow", {"vpcId": ref("vpc"), "trafficType": "ALL", "logDestinationType": "s3",
                                       "logDestination": ref("logs")})
    s.add(TOKENS["igw"], "igw", {"vpcId": ref("vpc")})
    s.add(TOKENS["rt"], "public", {"vpcId": ref("vpc")})
    s.add(TOKENS["route"], "public-default", {"routeTableId": ref("public"), "destinationCidrBlock": "0.0.0.0/0",
                                              "gatewayId": ref("igw")})
    s.add(TOKENS["rt"], "data", {"vpcId": ref("vpc")})
    for i, az in enumerate(AZS):
        z = az[-1]
        pub = _subnet(s, "public", az, i)
        s.set(pub, "mapPublicIpOnLaunch", True)
        _subnet(s, "private", az, 10 + i)
        _subnet(s, "data", az, 20 + i)
        s.add(TOKENS["rta"], f"rta-public-{z}", {"subnetId": ref(pub), "routeTableId": ref("public")})
        s.add(TOKENS["eip"], f"nat-eip-{z}", {"domain": "vpc"})
    for az in AZS:
        z = az[-1]
        s.add(TOKENS["nat"], f"natgw-{z}", {"subnetId": ref(f"public-{z}"), "allocationId": ref(f"nat-eip-{z}")})
        s.add(TOKENS["rt"], f"private-rt-{z}", {"vpcId": ref("vpc")})
        s.add(TOKENS["route"], f"private-default-{z}", {"routeTableId": ref(f"private-rt-{z}"),
                                                         "destinationCidrBlock": "0.0.0.0/0",
                                                         "natGatewayId": ref(f"natgw-{z}")})
        s.add(TOKENS["rta"], f"rta-private-{z}", {"subnetId": ref(f"private-{z}"), "routeTableId": ref(f"private-rt-{z}")})
        s.add(TOKENS["rta"], f"rta-data-{z}", {"subnetId": ref(f"data-{z}"), "routeTableId": ref("data")})

    # Security groups chained by reference, in all three rule forms.
    s.add(TOKENS["sg"], "alb-sg", {"vpcId": ref("vpc"), "description": "ALB: HTTP(S) from the internet",
                                   "ingress": [
                                       {"fromPort": 443.0, "toPort": 443.0, "protocol": "tcp",
                                        "cidrBlocks": ["0.0.0.0/0"], "description": "HTTPS"},
                                       {"fromPort": 80.0, "toPort": 80.0, "protocol": "tcp",
                                        "cidrBlocks": ["0.0.0.0/0"], "description": "HTTP, redirected"}],
                                   "egress": [{"fromPort": 0.0, "toPort": 0.0, "protocol": "-1",
                                               "cidrBlocks": ["10.0.0.0/16"], "description": "to the VPC"}]})
    s.add(TOKENS["sg"], "web-sg", {"vpcId": ref("vpc"), "description": "Web servers: the app port from the ALB"})
    s.add(TOKENS["in"], "web-from-alb", {"securityGroupId": ref("web-sg"), "referencedSecurityGroupId": ref("alb-sg"),
                                         "fromPort": 8080.0, "toPort": 8080.0, "ipProtocol": "tcp",
                                         "description": "app port from the ALB"})
    s.add(TOKENS["out"], "web-egress", {"securityGroupId": ref("web-sg"), "cidrIpv4": "0.0.0.0/0", "ipProtocol": "-1",
                                        "description": "updates and AWS APIs through the NAT"})
    s.add(TOKENS["sg"], "db-sg", {"vpcId": ref("vpc"), "description": "MySQL: only from the web servers"})
    s.add(TOKENS["sgr"], "db-from-web", {"type": "ingress", "securityGroupId": ref("db-sg"),
                                         "sourceSecurityGroupId": ref("web-sg"), "fromPort": 3306.0, "toPort": 3306.0,
                                         "protocol": "tcp", "description": "MySQL from the web servers"})
    s.add(TOKENS["sg"], "cache-sg", {"vpcId": ref("vpc"), "description": "memcached: only from the web servers",
                                     "ingress": [{"fromPort": 11211.0, "toPort": 11211.0, "protocol": "tcp",
                                                  "securityGroups": [ref("web-sg")],
                                                  "description": "memcached from the web servers"}]})

    # Certificates (DNS-validated in the zone), the ALB with its listeners, WAF and target group.
    s.add(TOKENS["zone"], "zone", {"name": "shop.example.com"}, protect=True)
    s.add("aws:route53/queryLog:QueryLog", "zone-queries", {"zoneId": ref("zone"),
                                                            "cloudwatchLogGroupArn": ref("app-logs")})
    s.add("aws:route53/hostedZoneDnsSec:HostedZoneDnsSec", "zone-dnssec", {"hostedZoneId": ref("zone")})
    for cert, domain, region in (("cert", "shop.example.com", None), ("cdn-cert", "static.shop.example.com",
                                                                       "us-east-1")):
        props = {"domainName": domain, "validationMethod": "DNS"}
        if cert == "cert":
            props["subjectAlternativeNames"] = ["www.shop.example.com"]
        if region:
            props["region"] = region
        s.add(TOKENS["cert"], cert, props)
        s.add(TOKENS["record"], f"{cert}-validation", {"zoneId": ref("zone"), "name": ref(cert), "type": ref(cert),
                                                       "records": [ref(cert)], "ttl": 60.0})
        s.add(TOKENS["certv"], f"{cert}-valid", {"certificateArn": ref(cert),
                                                 "validationRecordFqdns": [ref(f"{cert}-validation")]})
    s.add(TOKENS["lb"], "alb", {"loadBalancerType": "application", "internal": False,
                                "subnets": [ref("public-a"), ref("public-b")], "securityGroups": [ref("alb-sg")],
                                "enableDeletionProtection": True, "dropInvalidHeaderFields": True,
                                "desyncMitigationMode": "defensive",
                                "accessLogs": {"bucket": ref("logs"), "prefix": "alb", "enabled": True}},
          depends_on=("logs-policy",))
    s.add(TOKENS["waf"], "waf", {"scope": "REGIONAL", "defaultAction": {"allow": {}}})
    s.add(TOKENS["wafa"], "waf-alb", {"resourceArn": ref("alb"), "webAclArn": ref("waf")})
    s.add(TOKENS["tg"], "web-tg", {"port": 8080.0, "protocol": "HTTP", "vpcId": ref("vpc"), "targetType": "instance",
                                   "deregistrationDelay": 30.0,
                                   "healthCheck": {"enabled": True, "path": "/healthz", "matcher": "200",
                                                   "interval": 10.0, "timeout": 5.0, "healthyThreshold": 2.0,
                                                   "unhealthyThreshold": 2.0},
                                   "stickiness": {"type": "lb_cookie", "enabled": True, "cookieDuration": 3600.0}})
    s.add(TOKENS["listener"], "https", {"loadBalancerArn": ref("alb"), "port": 443.0, "protocol": "HTTPS",
                                        "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                                        "certificateArn": ref("cert-valid"),
                                        "defaultActions": [{"type": "forward", "targetGroupArn": ref("web-tg")}]})
    s.add(TOKENS["listener"], "http", {"loadBalancerArn": ref("alb"), "port": 80.0, "protocol": "HTTP",
                                       "defaultActions": [{"type": "redirect", "redirect": {
                                           "protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}]})

    # Web tier: a launch template and an Auto Scaling group over the private subnets.
    s.add(TOKENS["profile"], "web-profile", {"role": "web"})
    s.add(TOKENS["lt"], "web-lt", {"imageId": "ami-0123456789abcdef0", "instanceType": "t3.small",
                                   "vpcSecurityGroupIds": [ref("web-sg")],
                                   "iamInstanceProfile": {"arn": ref("web-profile")},
                                   "metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 1.0,
                                                       "httpEndpoint": "enabled"},
                                   "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {
                                       "encrypted": "true", "volumeSize": 20.0, "volumeType": "gp3"}}],
                                   "monitoring": {"enabled": True}, "userData": USER_DATA})
    s.add(TOKENS["asg"], "web-asg", {"vpcZoneIdentifiers": [ref("private-a"), ref("private-b")],
                                     "minSize": 2.0, "maxSize": 6.0, "healthCheckType": "ELB",
                                     "healthCheckGracePeriod": 300.0, "capacityRebalance": True,
                                     "launchTemplate": {"id": ref("web-lt"), "version": ref("web-lt", "3")},
                                     "targetGroupArns": [ref("web-tg")],
                                     "instanceRefresh": {"strategy": "Rolling",
                                                         "preferences": {"minHealthyPercentage": 90.0}}})

    # Database: MySQL Multi-AZ, encrypted, managed password, protected, backed up.
    s.add(TOKENS["dbsg"], "db-subnets", {"subnetIds": [ref("data-a"), ref("data-b")]})
    s.add("aws:rds/parameterGroup:ParameterGroup", "db-params", {"family": "mysql8.0", "parameters": [
        {"name": "require_secure_transport", "value": "1"}, {"name": "character_set_server", "value": "utf8mb4"}]})
    s.add(TOKENS["db"], "db", {"engine": "mysql", "instanceClass": "db.t3.medium", "multiAz": True,
                               "allocatedStorage": 20.0, "maxAllocatedStorage": 100.0, "storageEncrypted": True,
                               "backupRetentionPeriod": 7.0, "skipFinalSnapshot": False,
                               "finalSnapshotIdentifier": "db-final", "publiclyAccessible": False,
                               "manageMasterUserPassword": True, "username": "shop", "deletionProtection": True,
                               "dbSubnetGroupName": ref("db-subnets"), "vpcSecurityGroupIds": [ref("db-sg")],
                               "parameterGroupName": ref("db-params"),
                               "enabledCloudwatchLogsExports": ["error", "slowquery"],
                               "performanceInsightsEnabled": True, "backupWindow": "03:00-04:00",
                               "iamDatabaseAuthenticationEnabled": True,
                               "maintenanceWindow": "sun:05:00-sun:06:00"}, protect=True)

    # Cache: memcached, two nodes across AZs.
    s.add(TOKENS["ecsg"], "cache-subnets", {"subnetIds": [ref("data-a"), ref("data-b")]})
    s.add(TOKENS["cache"], "cache", {"engine": "memcached", "nodeType": "cache.t3.small", "numCacheNodes": 2.0,
                                     "azMode": "cross-az", "preferredAvailabilityZones": list(AZS),
                                     "subnetGroupName": ref("cache-subnets"), "securityGroupIds": [ref("cache-sg")]})

    # Storage: buckets by purpose with their companions; the logs bucket holds no data.
    _bucket(s, "logs", data=False)
    s.add(TOKENS["lifecycle"], "logs-lifecycle", {"bucket": ref("logs"), "rules": [
        {"id": "expire", "status": "Enabled", "expiration": {"days": 90.0}}]})
    _bucket(s, "assets")
    _bucket(s, "backups", protect=True)
    s.set("backups", "objectLockEnabled", True)
    s.add(TOKENS["lifecycle"], "backups-lifecycle", {"bucket": ref("backups"), "rules": [
        {"id": "old-versions", "status": "Enabled", "noncurrentVersionExpiration": {"noncurrentDays": 90.0}}]})

    # CDN: CloudFront over the assets bucket through OAC, with origin failover.
    s.add(TOKENS["oac"], "oac", {"originAccessControlOriginType": "s3", "signingBehavior": "always",
                                 "signingProtocol": "sigv4"})
    s.add(TOKENS["waf"], "cdn-waf", {"scope": "CLOUDFRONT", "region": "us-east-1", "defaultAction": {"allow": {}}})
    s.add(TOKENS["cdn"], "cdn", {
        "enabled": True, "aliases": ["static.shop.example.com"], "webAclId": ref("cdn-waf"),
        "origins": [{"originId": "assets", "domainName": ref("assets"), "originAccessControlId": ref("oac")},
                         {"originId": "backups", "domainName": ref("backups"), "originAccessControlId": ref("oac")}],
        "originGroups": [{"originId": "group", "failoverCriteria": {"statusCodes": [500.0, 502.0]},
                               "members": [{"originId": "assets"}, {"originId": "backups"}]}],
        "defaultCacheBehavior": {"targetOriginId": "group", "viewerProtocolPolicy": "redirect-to-https",
                                      "responseHeadersPolicyId": "67f7725c-6f97-4210-82d7-5512b31e9d03",
                                      "allowedMethods": ["GET", "HEAD"], "cachedMethods": ["GET", "HEAD"]},
        "viewerCertificate": {"acmCertificateArn": ref("cdn-cert-valid"), "sslSupportMethod": "sni-only",
                                   "minimumProtocolVersion": "TLSv1.2_2021"},
        "loggingConfig": {"bucket": ref("logs"), "prefix": "cdn/"},
        "restrictions": {"geoRestriction": {"restrictionType": "none"}}})

    # DNS: apex and www as aliases to the ALB, static to CloudFront.
    for name, fqdn, target in (("apex", "shop.example.com", "alb"), ("www", "www.shop.example.com", "alb"),
                               ("static", "static.shop.example.com", "cdn")):
        s.add(TOKENS["record"], name, {"zoneId": ref("zone"), "name": fqdn, "type": "A", "aliases": [
            {"name": ref(target), "zoneId": ref(target), "evaluateTargetHealth": target == "alb"}]})

    # Monitoring: a subscribed topic and an alarm on every critical resource.
    s.add(TOKENS["topic"], "alerts", {"kmsMasterKeyId": "alias/aws/sns"})
    s.add("aws:sns/topicPolicy:TopicPolicy", "alerts-policy", {"arn": ref("alerts"), "policy": json.dumps({
        "Version": "2012-10-17", "Statement": [{"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*",
                                                "Action": "sns:Publish", "Resource": "*",
                                                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})})
    s.add(TOKENS["sub"], "alerts-email", {"topic": ref("alerts"), "protocol": "email", "endpoint": "ops@example.com"})
    _alarm(s, "alb-5xx", "LoadBalancer", "alb", "HTTPCode_ELB_5XX_Count")
    _alarm(s, "asg-in-service", "AutoScalingGroupName", "web-asg", "GroupInServiceInstances")
    _alarm(s, "db-cpu", "DBInstanceIdentifier", "db", "CPUUtilization")
    _alarm(s, "cache-cpu", "CacheClusterId", "cache", "CPUUtilization")
    s.add(TOKENS["kms"], "logs-key", {"enableKeyRotation": True})
    s.add(TOKENS["loggroup"], "app-logs", {"retentionInDays": 30.0, "kmsKeyId": ref("logs-key")})
    s.add(TOKENS["loggroup"], "waf-logs", {"name": "aws-waf-logs-shop", "retentionInDays": 90.0, "kmsKeyId": ref("logs-key")})

    # Backup: a locked vault, a plan with a cross-region copy, the database selected.
    s.add(TOKENS["kms"], "backup-key", {"enableKeyRotation": True})
    s.add(TOKENS["vault"], "vault", {"kmsKeyArn": ref("backup-key")})
    s.add(TOKENS["vaultlock"], "vault-lock", {"backupVaultName": ref("vault"), "minRetentionDays": 7.0})
    s.add(TOKENS["plan"], "plan", {"rules": [{"ruleName": "daily", "targetVaultName": ref("vault"),
                                              "schedule": "cron(0 3 * * ? *)", "lifecycle": {"deleteAfter": 35.0},
                                              "copyActions": [{"destinationVaultArn":
                                                               "arn:aws:backup:us-west-2:123456789012:backup-vault:dr"}]}]})
    s.add(TOKENS["selection"], "plan-db", {"planId": ref("plan"), "iamRoleArn": "arn:aws:iam::123456789012:role/backup",
                                           "resources": [ref("db"), ref("backups")]})
    for acl in ("waf", "cdn-waf"):
        s.add("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", f"{acl}-logging", {
            "resourceArn": ref(acl), "logDestinationConfigs": [ref("waf-logs")]})
    s.add("aws:autoscaling/notification:Notification", "web-asg-notify", {
        "groupNames": [ref("web-asg")], "topicArn": ref("alerts"),
        "notifications": ["autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"]})
    s.add("aws:iam/role:Role", "web-role", {"assumeRolePolicy": "{}"})
    s.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "web-role-ssm", {
        "role": ref("web-role"), "policyArn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"})
    return s


def deprecated(s: Stack) -> Stack:
    """The same stack written with the deprecated tokens (BucketV2, aws.alb.*...)."""
    s = s.copy()
    for r in s.res.values():
        r.token = DEPRECATED.get(r.token, r.token)
    return s
