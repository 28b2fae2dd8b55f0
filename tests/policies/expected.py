"""Exact messages each mutation in mutations.py must produce: case id -> [(resource, message), ...]."""

EXPECTED = {
    'asg-multi-az/one-subnet': [
        ('web-asg',
         "Auto Scaling group 'web-asg' spans 1 AZ (us-east-1a); give vpcZoneIdentifiers subnets in at least 2 Availability Zones."),
    ],
    'asg-multi-az/two-subnets-one-az': [
        ('web-asg',
         "Auto Scaling group 'web-asg' spans 1 AZ (us-east-1a); give vpcZoneIdentifiers subnets in at least 2 Availability Zones."),
    ],
    'asg-multi-az/availability-zones-input': [
        ('web-asg',
         "Auto Scaling group 'web-asg' spans 1 AZ (us-east-1a); give vpcZoneIdentifiers subnets in at least 2 Availability Zones."),
    ],
    'asg-multi-az/three-azs-required': [
        ('web-asg',
         "Auto Scaling group 'web-asg' spans 2 AZs (us-east-1a, us-east-1b); give vpcZoneIdentifiers subnets in at least 3 Availability Zones."),
    ],
    'asg-min-capacity-per-az/min-below-azs': [
        ('web-asg',
         "Auto Scaling group 'web-asg' has minSize 1 but spans 2 AZs; set minSize to at least 2 so every AZ keeps an instance."),
    ],
    'asg-min-capacity-per-az/min-above-max': [
        ('web-asg',
         "Auto Scaling group 'web-asg' has minSize 8 above maxSize 6; raise maxSize."),
    ],
    'asg-min-capacity-per-az/desired-outside': [
        ('web-asg',
         "Auto Scaling group 'web-asg' has desiredCapacity 10 outside [2, 6]; keep min <= desired <= max."),
    ],
    'lb-multi-az/one-subnet': [
        ('alb',
         "Load balancer 'alb' spans 1 AZ (us-east-1a); place it in subnets of at least 2 Availability Zones."),
    ],
    'lb-multi-az/subnet-mappings': [
        ('alb',
         "Load balancer 'alb' spans 1 AZ (us-east-1a); place it in subnets of at least 2 Availability Zones."),
    ],
    'lb-multi-az/classic-one-az': [
        ('classic',
         "Load balancer 'classic' spans 1 AZ (us-east-1a); place it in subnets of at least 2 Availability Zones."),
    ],
    'asg-elb-health-check/ec2-type': [
        ('web-asg',
         'Auto Scaling group \'web-asg\' is behind a load balancer but uses EC2 health checks; set healthCheckType to "ELB" so instances the load balancer finds unhealthy are replaced.'),
    ],
    'asg-elb-health-check/default-type': [
        ('web-asg',
         'Auto Scaling group \'web-asg\' is behind a load balancer but uses EC2 (the default) health checks; set healthCheckType to "ELB" so instances the load balancer finds unhealthy are replaced.'),
    ],
    'asg-elb-health-check/short-grace': [
        ('web-asg',
         "Auto Scaling group 'web-asg' has a health check grace period of 0s; set healthCheckGracePeriod to at least 60s (the instance boot time)."),
    ],
    'asg-elb-health-check/attachment-resource': [
        ('web-asg',
         'Auto Scaling group \'web-asg\' is behind a load balancer but uses EC2 (the default) health checks; set healthCheckType to "ELB" so instances the load balancer finds unhealthy are replaced.'),
    ],
    'target-group-health-check/disabled': [
        ('web-tg',
         "Target group 'web-tg' disables its health check; set healthCheck.enabled to true."),
    ],
    'target-group-health-check/timeout-not-below-interval': [
        ('web-tg',
         "Target group 'web-tg' has a health check timeout (10s) not below its interval (10s); make the timeout shorter than the interval."),
    ],
    'target-group-health-check/slow-healthy': [
        ('web-tg',
         "Target group 'web-tg' needs 10 healthy checks before sending traffic; use a healthy threshold of at most 5."),
    ],
    'target-group-health-check/unhealthy-one': [
        ('web-tg',
         "Target group 'web-tg' has an unhealthy threshold of 1; use between 2 and 5 so a failed instance is taken out quickly but not on one blip."),
    ],
    'target-group-health-check/long-interval': [
        ('web-tg',
         "Target group 'web-tg' checks health every 120s; use an interval of at most 60s."),
    ],
    'target-group-health-check/classic-tcp': [
        ('classic',
         "Classic load balancer 'classic' checks TCP:8080, which does not exercise the application; use an HTTP(S) target on an application path such as HTTP:80/healthz."),
    ],
    'target-group-health-check/classic-none': [
        ('classic',
         "Classic load balancer 'classic' has no health check; add healthCheck with an HTTP target on an application path."),
    ],
    'web-servers-in-asg/target-group-attachment': [
        ('lone',
         "Instance 'lone' serves web traffic outside an Auto Scaling group (it is registered in a target group through 'lone-attach'); run the web tier from a launch template in an Auto Scaling group attached to the load balancer's target group."),
    ],
    'web-servers-in-asg/classic-instances': [
        ('lone',
         "Instance 'lone' serves web traffic outside an Auto Scaling group (it is registered with Classic load balancer 'classic'); run the web tier from a launch template in an Auto Scaling group attached to the load balancer's target group."),
    ],
    'web-servers-in-asg/web-security-group': [
        ('lone',
         "Instance 'lone' serves web traffic outside an Auto Scaling group (its security group 'web-sg' admits web traffic on port 8080); run the web tier from a launch template in an Auto Scaling group attached to the load balancer's target group."),
    ],
    'web-servers-in-asg/group-without-load-balancer': [
        ('web-asg',
         "Auto Scaling group 'web-asg' serves web traffic with no load balancer in front (security group 'alb-sg' of 'web-lt' admits port 443 from the internet); attach it to a target group and admit web traffic only from the load balancer's security group."),
    ],
    'rds-multi-az/single-az': [
        ('db',
         "RDS instance 'db' is single-AZ; set multiAz to true so it fails over to a standby in another AZ."),
    ],
    'rds-multi-az/unset': [
        ('db',
         "RDS instance 'db' is single-AZ; set multiAz to true so it fails over to a standby in another AZ."),
    ],
    'rds-multi-az/aurora-one-instance': [
        ('aurora',
         "RDS cluster 'aurora' has 1 instance(s); add a second cluster instance so a reader in another AZ can be promoted."),
    ],
    'rds-multi-az/aurora-pinned-az': [
        ('aurora',
         "RDS cluster 'aurora' pins all its instances to us-east-1a; spread availabilityZone over at least two AZs or leave it unset."),
    ],
    'memcached-cross-az/one-node': [
        ('cache',
         "Memcached cluster 'cache' has 1 node; set numCacheNodes to at least 2 so losing a node or an AZ loses only part of the cache."),
    ],
    'memcached-cross-az/single-az': [
        ('cache',
         'Memcached cluster \'cache\' places all nodes in one AZ (azMode single-az); set azMode to "cross-az".'),
    ],
    'memcached-cross-az/one-preferred-az': [
        ('cache',
         "Memcached cluster 'cache' prefers only us-east-1a; list at least two different AZs in preferredAvailabilityZones."),
    ],
    'redis-automatic-failover/single-node': [
        ('redis',
         "Cache cluster 'redis' is a single redis node; use an aws.elasticache.ReplicationGroup with a replica, automaticFailoverEnabled and multiAzEnabled."),
    ],
    'redis-automatic-failover/no-failover': [
        ('redis',
         "Replication group 'redis' has no automatic failover; set automaticFailoverEnabled to true."),
    ],
    'redis-automatic-failover/no-replica': [
        ('redis',
         "Replication group 'redis' has no replica; set numCacheClusters to at least 2 (or replicasPerNodeGroup to at least 1)."),
    ],
    'private-route-nat-same-az/cross-az-nat': [
        ('private-default-b',
         "Route 'private-default-b' of route table 'private-rt-b' sends subnet 'private-b' (us-east-1b) to NAT gateway 'natgw-a' in us-east-1a; give every AZ its own NAT gateway and route each private subnet to the one in its AZ."),
    ],
    'private-route-nat-same-az/inline-cross-az-nat': [
        ('private-rt-b',
         "Route table 'private-rt-b' sends subnet 'private-b' (us-east-1b) to NAT gateway 'natgw-a' in us-east-1a; give every AZ its own NAT gateway and route each private subnet to the one in its AZ."),
    ],
    'private-route-nat-same-az/main-route-table': [
        ('private-default-a',
         "Route 'private-default-a' of route table 'private-rt-a' sends subnet 'private-b' (us-east-1b) to NAT gateway 'natgw-a' in us-east-1a; give every AZ its own NAT gateway and route each private subnet to the one in its AZ."),
    ],
    'private-route-nat-same-az/nat-instance': [
        ('private-default-b',
         "Route 'private-default-b' of route table 'private-rt-b' sends subnet 'private-b' to a NAT instance, a single server; route 0.0.0.0/0 to a NAT gateway in the subnet's own AZ."),
    ],
    'no-nfs-single-point-of-failure/efs-one-zone': [
        ('files',
         "EFS file system 'files' is One Zone (us-east-1a) and is lost with that AZ; remove availabilityZoneName to make it regional, or keep shared files in S3."),
    ],
    'no-nfs-single-point-of-failure/nfs-security-group': [
        ('lone',
         "Instance 'lone' serves NFS to other servers (its security group 'nfs-sg' admits NFS on port 2049), a single point of failure; keep shared files in S3 or a regional EFS file system with a mount target in every AZ."),
    ],
    'no-nfs-single-point-of-failure/nfs-user-data': [
        ('lone',
         "Instance 'lone' serves NFS to other servers (its user data sets up an NFS server (nfs-kernel-server)), a single point of failure; keep shared files in S3 or a regional EFS file system with a mount target in every AZ."),
    ],
    'sticky-sessions-need-shared-store/no-durable-store': [
        ('web-tg',
         "Target group 'web-tg' pins users to one instance, but the stack has no shared, durable session store (memcached is not durable: a lost node loses its sessions); keep sessions in a Multi-AZ RDS database (or Redis with failover, DynamoDB) or disable stickiness."),
    ],
    'sticky-sessions-need-shared-store/classic-cookie-policy': [
        ('classic-sticky',
         "Classic stickiness policy 'classic-sticky' pins users to one instance, but the stack has no shared, durable session store (memcached is not durable: a lost node loses its sessions); keep sessions in a Multi-AZ RDS database (or Redis with failover, DynamoDB) or disable stickiness."),
    ],
    'asg-instance-refresh-pinned-version/latest': [
        ('web-asg',
         "Auto Scaling group 'web-asg' uses launch template version $Latest, so an instance refresh never starts on a new template; set launchTemplate.version to the template's latestVersion."),
    ],
    'asg-instance-refresh-pinned-version/default-unset': [
        ('web-asg',
         "Auto Scaling group 'web-asg' uses launch template version $Default (unset), so an instance refresh never starts on a new template; set launchTemplate.version to the template's latestVersion."),
    ],
    'asg-instance-refresh-pinned-version/mixed-instances-default': [
        ('web-asg',
         "Auto Scaling group 'web-asg' uses launch template version $Default, so an instance refresh never starts on a new template; set launchTemplate.version to the template's latestVersion."),
    ],
    'asg-instance-refresh-pinned-version/no-refresh': [
        ('web-asg',
         'Auto Scaling group \'web-asg\' has no instanceRefresh, so a new launch template version is never rolled out; add instanceRefresh with strategy "Rolling" and a minHealthyPercentage.'),
    ],
    'asg-instance-refresh-pinned-version/low-min-healthy': [
        ('web-asg',
         "Auto Scaling group 'web-asg' lets an instance refresh drop to 10% healthy capacity; set instanceRefresh.preferences.minHealthyPercentage to at least 50."),
    ],
    'asg-instance-refresh-pinned-version/launch-configuration': [
        ('web-asg',
         "Auto Scaling group 'web-asg' uses a launch configuration, which cannot be versioned or refreshed safely; use a launch template and pin its numbered latestVersion."),
    ],
    'staging-matches-production/single-node-cache': [
        ('cache',
         "Cache cluster 'cache' has multiNode = False where production has True; give it production's setting (only sizes may differ)."),
    ],
    'staging-matches-production/single-az-database': [
        ('db',
         "RDS instance 'db' has multiAz = False where production has True; give it production's setting (only sizes may differ)."),
    ],
    'staging-matches-production/no-cdn': [
        (None,
         "Stack 'staging' lacks resource types production has: cloudfront/distribution; build it from the same program and settings as production (only sizes may differ)."),
        (None,
         "Stack 'staging' has no cdn (cloudfront/distribution) where production has one; build it from the same program and settings as production (only sizes may differ)."),
    ],
    'staging-matches-production/unpinned-version': [
        ('web-asg',
         "Auto Scaling group 'web-asg' has pinnedVersion = False where production has True; give it production's setting (only sizes may differ)."),
    ],
    'az-loss-survivable/lb-one-az': [
        ('alb',
         "Losing us-east-1a breaks the load balancer tier: load balancer 'alb' has subnets only in us-east-1a; place it in public subnets of at least two AZs."),
    ],
    'az-loss-survivable/web-one-az': [
        ('web-asg',
         "Losing us-east-1b breaks the web tier: Auto Scaling group 'web-asg' has subnets only in us-east-1b; give vpcZoneIdentifiers subnets in at least two AZs."),
    ],
    'az-loss-survivable/web-capacity': [
        ('web-asg',
         "Losing us-east-1a or us-east-1b breaks the web tier: Auto Scaling group 'web-asg' keeps 0 of its minimum 1 instances across 2 AZs; raise minSize so at least 1 instance(s) remain after losing an AZ."),
    ],
    'az-loss-survivable/egress-through-other-az': [
        ('private-b',
         "Losing us-east-1a breaks the egress tier: subnet 'private-b' in us-east-1b egresses through NAT gateway 'natgw-a' in us-east-1a (route table 'private-rt-b'); route it to a NAT gateway in us-east-1b."),
    ],
    'az-loss-survivable/single-az-database': [
        ('db',
         "Losing us-east-1a or us-east-1b breaks the database tier: RDS instance 'db' is single-AZ and has no standby; set multiAz to true."),
    ],
    'az-loss-survivable/multi-az-database-one-subnet': [
        ('db',
         "Losing us-east-1a breaks the database tier: Multi-AZ RDS instance 'db' has a subnet group only in us-east-1a; give its DB subnet group subnets in at least two AZs."),
    ],
    'az-loss-survivable/single-az-cache': [
        ('cache',
         'Losing us-east-1b breaks the cache tier: cache cluster \'cache\' keeps all its nodes in one AZ; run at least two nodes with azMode "cross-az" (memcached) or a Redis replication group with failover.'),
    ],
    'az-loss-survivable/redis-without-failover': [
        ('redis',
         "Losing us-east-1a or us-east-1b breaks the cache tier: replication group 'redis' cannot fail over to a replica; add a replica and set automaticFailoverEnabled and multiAzEnabled."),
    ],
    'az-loss-survivable/one-zone-efs': [
        ('files',
         "Losing us-east-1b breaks the shared files tier: EFS file system 'files' is One Zone in us-east-1b; use a regional file system or S3."),
    ],
    'az-loss-survivable/lone-instance-depended-on': [
        ('lone',
         "Losing us-east-1b breaks the single instance tier: instance 'lone' lives only in us-east-1b and 'lone-attach' depends on it; replace it with an Auto Scaling group across AZs or a managed Multi-AZ service."),
    ],
    'az-loss-survivable/aurora-one-instance': [
        ('aurora',
         "Losing us-east-1a or us-east-1b breaks the database tier: RDS cluster 'aurora' has no instance outside one AZ; add a second cluster instance in another AZ."),
    ],
    'az-loss-survivable/capacity-config': [
        ('web-asg',
         "Losing us-east-1a or us-east-1b breaks the web tier: Auto Scaling group 'web-asg' keeps 1 of its minimum 2 instances across 2 AZs; raise minSize so at least 2 instance(s) remain after losing an AZ."),
    ],
    'rds-backup-retention/one-day': [
        ('db',
         "RDS instance 'db' keeps automated backups for 1 day; set backupRetentionPeriod to at least 7 days."),
    ],
    'rds-backup-retention/unset': [
        ('db',
         "RDS instance 'db' keeps automated backups for an unset period (AWS defaults to 1 day or none); set backupRetentionPeriod to at least 7 days."),
    ],
    'rds-backup-retention/configured-14': [
        ('db',
         "RDS instance 'db' keeps automated backups for 7 days; set backupRetentionPeriod to at least 14 days."),
    ],
    'rds-backup-retention/aurora-cluster': [
        ('aurora',
         "RDS cluster 'aurora' keeps automated backups for 3 days; set backupRetentionPeriod to at least 7 days."),
    ],
    'rds-final-snapshot/skipped': [
        ('db',
         "RDS instance 'db' skips its final snapshot, so deleting it loses the data; set skipFinalSnapshot to false and give a finalSnapshotIdentifier."),
    ],
    'rds-final-snapshot/no-identifier': [
        ('db',
         "RDS instance 'db' has no finalSnapshotIdentifier, so a delete cannot take the final snapshot; set finalSnapshotIdentifier."),
    ],
    'rds-storage-encrypted/false': [
        ('db',
         "RDS instance 'db' stores data unencrypted; set storageEncrypted to true (optionally with kmsKeyId)."),
    ],
    'rds-storage-encrypted/unset': [
        ('db',
         "RDS instance 'db' stores data unencrypted; set storageEncrypted to true (optionally with kmsKeyId)."),
    ],
    'rds-not-public/public': [
        ('db',
         "RDS instance 'db' is publicly accessible; set publiclyAccessible to false and reach it only from the web tier's security group."),
    ],
    'rds-not-public/cluster-instance-public': [
        ('aurora-1',
         "RDS cluster instance 'aurora-1' is publicly accessible; set publiclyAccessible to false and reach it only from the web tier's security group."),
    ],
    'rds-master-password-managed/literal-password': [
        ('db',
         "RDS instance 'db' takes its master password from a plaintext literal or a non-secret config value, so it is stored unencrypted in the program or its stack configuration; set manageMasterUserPassword to true, or make it secret config (pulumi config set --secret) or a generated password (random.RandomPassword)."),
    ],
    'rds-master-password-managed/cluster-literal-password': [
        ('aurora',
         "RDS cluster 'aurora' takes its master password from a plaintext literal or a non-secret config value, so it is stored unencrypted in the program or its stack configuration; set manageMasterUserPassword to true, or make it secret config (pulumi config set --secret) or a generated password (random.RandomPassword)."),
    ],
    'rds-deletion-protection/off': [
        ('db',
         "RDS instance 'db' in production stack 'prod' can be deleted by accident; set deletionProtection to true."),
    ],
    'rds-deletion-protection/custom-production-name': [
        ('db',
         "RDS instance 'db' in production stack 'prod' can be deleted by accident; set deletionProtection to true."),
    ],
    'lb-deletion-protection/off': [
        ('alb',
         "Load balancer 'alb' in production stack 'prod' can be deleted by accident; set enableDeletionProtection to true."),
    ],
    'lb-deletion-protection/unset': [
        ('alb',
         "Load balancer 'alb' in production stack 'prod' can be deleted by accident; set enableDeletionProtection to true."),
    ],
    's3-data-bucket-versioned/suspended': [
        ('assets',
         'Bucket \'assets\' (shop-assets) holds data but its versioning is Suspended (by \'assets-versioning\'); set versioningConfiguration.status to "Enabled" so deleted or overwritten objects can be restored.'),
    ],
    's3-data-bucket-versioned/no-companion': [
        ('assets',
         'Bucket \'assets\' (shop-assets) holds data but is not versioned; add an aws.s3.BucketVersioning with status "Enabled" for it (or tag it holds-data=false if it holds none).'),
    ],
    's3-data-bucket-versioned/inline-disabled': [
        ('assets',
         'Bucket \'assets\' (shop-assets) holds data but is not versioned; add an aws.s3.BucketVersioning with status "Enabled" for it (or tag it holds-data=false if it holds none).'),
    ],
    's3-data-bucket-encrypted/no-companion': [
        ('assets',
         "Bucket 'assets' (shop-assets) holds data and relies on the SSE-S3 encryption AWS applies to every bucket; declare an aws.s3.BucketServerSideEncryptionConfiguration (sseAlgorithm \"AES256\", or \"aws:kms\" with a key you control) so the choice is explicit."),
    ],
    's3-data-bucket-encrypted/inline-missing': [
        ('assets',
         "Bucket 'assets' (shop-assets) holds data and relies on the SSE-S3 encryption AWS applies to every bucket; declare an aws.s3.BucketServerSideEncryptionConfiguration (sseAlgorithm \"AES256\", or \"aws:kms\" with a key you control) so the choice is explicit."),
    ],
    's3-bucket-not-public/inline-acl': [
        ('logs',
         "Bucket 'logs' (shop-logs) is made public by ACL public-read on 'logs'; use the private ACL (or none)."),
    ],
    's3-bucket-not-public/acl-resource': [
        ('assets',
         "Bucket 'assets' (shop-assets) is made public by ACL public-read-write on 'assets-acl'; use the private ACL (or none)."),
    ],
    's3-bucket-not-public/acl-grant': [
        ('assets',
         "Bucket 'assets' (shop-assets) grants access to AllUsers through 'assets-acl'; remove that grant."),
    ],
    's3-bucket-not-public/public-policy': [
        ('assets',
         'Bucket \'assets\' (shop-assets) has a policy (\'assets-policy\') that allows Principal "*" without a condition; grant only specific principals, e.g. CloudFront through Origin Access Control.'),
    ],
    's3-bucket-not-public/block-off': [
        ('backups',
         "Bucket 'backups' (shop-backups) has public access block 'backups-pab' with blockPublicPolicy off; set all four flags to true."),
    ],
    'http-listener-redirects-to-https/forward': [
        ('http',
         "HTTP listener 'http' answers with a forward action; make its only default action a redirect to HTTPS (port 443, HTTP_301)."),
    ],
    'http-listener-redirects-to-https/redirect-to-http': [
        ('http',
         "HTTP listener 'http' answers with a redirect action; make its only default action a redirect to HTTPS (port 443, HTTP_301)."),
    ],
    'http-listener-redirects-to-https/protocol-unset': [
        ('http',
         "HTTP listener 'http' answers with a fixed-response action; make its only default action a redirect to HTTPS (port 443, HTTP_301)."),
    ],
    'http-listener-redirects-to-https/listener-rule': [
        ('http-api',
         "Listener rule 'http-api' on HTTP listener 'http' answers with a forward action; move it to the HTTPS listener."),
    ],
    'http-listener-redirects-to-https/classic-http': [
        ('classic',
         "Classic load balancer 'classic' serves plain HTTP on port 80 and cannot redirect; serve HTTPS only, or use an ALB with an HTTP-to-HTTPS redirect."),
    ],
    'https-listener-modern-tls/old-policy': [
        ('https',
         "Listener 'https' uses TLS policy ELBSecurityPolicy-2016-08; set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 or another allowed TLS 1.2+ policy."),
    ],
    'https-listener-modern-tls/unset-policy': [
        ('https',
         "Listener 'https' uses TLS policy unset (ELBSecurityPolicy-2016-08, which allows TLS 1.0); set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 or another allowed TLS 1.2+ policy."),
    ],
    'https-listener-modern-tls/protocol-unset-old-policy': [
        ('https',
         "Listener 'https' uses TLS policy ELBSecurityPolicy-TLS-1-1-2017-01; set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 or another allowed TLS 1.2+ policy."),
    ],
    'https-listener-modern-tls/no-certificate': [
        ('https',
         "Listener 'https' has no certificate; set certificateArn to an ACM certificate."),
    ],
    'https-listener-modern-tls/classic-no-certificate': [
        ('classic',
         "Classic load balancer 'classic' has an https listener without a certificate; set sslCertificateId to an ACM certificate ARN."),
    ],
    'https-listener-modern-tls/policy-not-allowed': [
        ('https',
         "Listener 'https' uses TLS policy ELBSecurityPolicy-TLS13-1-2-2021-06; set sslPolicy to ELBSecurityPolicy-TLS13-1-3-2021-06 or another allowed TLS 1.2+ policy."),
    ],
    'cloudfront-viewer-https-tls12/allow-all': [
        ('cdn',
         'Distribution \'cdn\' serves plain HTTP on its default cache behavior; set viewerProtocolPolicy to "redirect-to-https" or "https-only".'),
    ],
    'cloudfront-viewer-https-tls12/ordered-allow-all': [
        ('cdn',
         'Distribution \'cdn\' serves plain HTTP on its cache behavior /img/*; set viewerProtocolPolicy to "redirect-to-https" or "https-only".'),
    ],
    'cloudfront-viewer-https-tls12/tls1': [
        ('cdn',
         "Distribution 'cdn' accepts viewers on TLSv1; set viewerCertificate.minimumProtocolVersion to TLSv1.2_2021 or later."),
    ],
    'cloudfront-viewer-https-tls12/default-certificate': [
        ('cdn',
         'Distribution \'cdn\' uses the default CloudFront certificate, which allows TLS 1.0; use an ACM certificate (sslSupportMethod "sni-only") with minimumProtocolVersion TLSv1.2_2021.'),
    ],
    'zone-apex-alias/apex-cname': [
        ('apex',
         "Record 'apex' makes the zone apex shop.example.com a CNAME, which DNS forbids; make it an A (and AAAA) alias record to the load balancer or CloudFront distribution."),
    ],
    'zone-apex-alias/apex-fixed-ip': [
        ('apex',
         "Record 'apex' points the zone apex shop.example.com at fixed addresses, which fail with the server behind them; make it an alias record to the load balancer or distribution."),
    ],
    'zone-apex-alias/looked-up-zone-cname': [
        ('apex',
         "Record 'apex' makes the zone apex shop.example.com a CNAME, which DNS forbids; make it an A (and AAAA) alias record to the load balancer or CloudFront distribution."),
    ],
    'zone-apex-alias/relative-name': [
        ('apex',
         "Record 'apex' makes the zone apex shop.example.com a CNAME, which DNS forbids; make it an A (and AAAA) alias record to the load balancer or CloudFront distribution."),
    ],
    'sg-no-sensitive-ports-from-internet/inline-ssh': [
        ('alb-sg',
         "Security group 'alb-sg' opens 22 (SSH) to 0.0.0.0/0; admit it only from a security group reference (e.g. the web tier's) or use SSM Session Manager instead of SSH/RDP."),
    ],
    'sg-no-sensitive-ports-from-internet/rule-mysql': [
        ('db-from-web',
         "Security group rule 'db-from-web' opens 3306 (MySQL) to 0.0.0.0/0; admit it only from a security group reference (e.g. the web tier's) or use SSM Session Manager instead of SSH/RDP."),
    ],
    'sg-no-sensitive-ports-from-internet/vpc-rule-range-ipv6': [
        ('cache-open',
         "Security group rule 'cache-open' opens 6379 (Redis), 11211 (memcached), 9200 (Elasticsearch) to ::/0; admit it only from a security group reference (e.g. the web tier's) or use SSM Session Manager instead of SSH/RDP."),
    ],
    'sg-no-sensitive-ports-from-internet/all-ports': [
        ('web-all',
         "Security group rule 'web-all' opens all ports to 0.0.0.0/0; admit only the ports the tier serves, from the security group in front of it."),
    ],
    'imdsv2-required/template-optional': [
        ('web-lt',
         'Launch template \'web-lt\' allows IMDSv1 (httpTokens optional), which SSRF can abuse to steal its role credentials; set metadataOptions.httpTokens to "required".'),
    ],
    'imdsv2-required/instance-unset': [
        ('lone',
         "Instance 'lone' leaves metadataOptions.httpTokens unset, so it allows IMDSv1 unless its image ami-0123456789abcdef0 requires IMDSv2 (as Amazon Linux 2023 images do), which the policy cannot see from here; set metadataOptions.httpTokens to \"required\" to make it explicit, or list the image id in imdsv2ImageIds."),
    ],
    'imdsv2-required/launch-configuration': [
        ('web-lc',
         "Launch configuration 'web-lc' leaves metadataOptions.httpTokens unset, so it allows IMDSv1 unless its image ami-1 requires IMDSv2 (as Amazon Linux 2023 images do), which the policy cannot see from here; set metadataOptions.httpTokens to \"required\" to make it explicit, or list the image id in imdsv2ImageIds."),
    ],
    'ebs-encrypted/template-unencrypted': [
        ('web-lt',
         'Launch template \'web-lt\' maps /dev/xvda to an unencrypted EBS volume; set ebs.encrypted to "true".'),
    ],
    'ebs-encrypted/template-no-mappings': [
        ('web-lt',
         'Launch template \'web-lt\' declares no block device mappings, so its root volume is unencrypted unless the AMI is; add a blockDeviceMappings entry for the root device with ebs.encrypted "true".'),
    ],
    'ebs-encrypted/instance-root': [
        ('lone',
         "Instance 'lone' has an unencrypted root volume; set rootBlockDevice.encrypted to true."),
    ],
    'ebs-encrypted/instance-data-volume': [
        ('lone',
         "Instance 'lone' attaches unencrypted volume /dev/sdf; set encrypted to true on it."),
    ],
    'ebs-encrypted/volume': [
        ('data-vol',
         "EBS volume 'data-vol' is unencrypted; set encrypted to true."),
    ],
    'lb-access-logs/alb-off': [
        ('alb',
         "Load balancer 'alb' writes no access logs; set accessLogs with enabled true and the logs bucket (SSE-S3, with the ELB log-delivery bucket policy)."),
    ],
    'lb-access-logs/classic-none': [
        ('classic',
         "Classic load balancer 'classic' writes no access logs; set accessLogs.bucket."),
    ],
    'alb-waf/no-association': [
        ('alb',
         "Internet-facing load balancer 'alb' has no WAF; associate a WAFv2 web ACL with it (aws.wafv2.WebAclAssociation) using the AWS managed rule groups."),
    ],
    'alb-drop-invalid-headers/off': [
        ('alb',
         "Load balancer 'alb' forwards invalid HTTP headers; set dropInvalidHeaderFields to true."),
    ],
    'lb-desync-mitigation/monitor': [
        ('alb',
         'Load balancer \'alb\' only monitors HTTP desync; set desyncMitigationMode to "defensive" or "strictest".'),
    ],
    'no-classic-load-balancer/classic': [
        ('classic',
         "Classic load balancer 'classic' lacks HTTP-to-HTTPS redirects, modern TLS policies and WAF; use an aws.lb.LoadBalancer (Application Load Balancer)."),
    ],
    'clb-cross-zone-and-draining/off': [
        ('classic',
         "Classic load balancer 'classic' keeps traffic inside each AZ; set crossZoneLoadBalancing to true so an AZ with fewer instances is not overloaded."),
        ('classic',
         "Classic load balancer 'classic' drops in-flight requests when an instance leaves; set connectionDraining to true."),
    ],
    'cloudfront-access-logs/none': [
        ('cdn',
         "Distribution 'cdn' writes no access logs; set loggingConfig.bucket to the logs bucket."),
    ],
    'cloudfront-waf/none': [
        ('cdn',
         "Distribution 'cdn' has no WAF; set webAclId to a WAFv2 web ACL with scope CLOUDFRONT (created in us-east-1)."),
    ],
    'cloudfront-origin-tls/http-only': [
        ('cdn',
         'Distribution \'cdn\' reaches origin alb with http-only; set originProtocolPolicy to "https-only".'),
        ('cdn',
         'Distribution \'cdn\' allows TLSv1 to origin alb; set originSslProtocols to ["TLSv1.2"].'),
    ],
    'cloudfront-origin-failover/no-group': [
        ('cdn',
         "Distribution 'cdn' has no origin group; add an originGroups entry with a primary and a failover origin."),
    ],
    'cloudfront-s3-origin-access-control/public-origin': [
        ('cdn',
         "Distribution 'cdn' reads S3 origin assets without Origin Access Control, so the bucket must be public; set originAccessControlId and grant CloudFront in the bucket policy."),
    ],
    'cloudfront-certificate-us-east-1/eu-certificate': [
        ('cdn',
         'Distribution \'cdn\' uses certificate \'cdn-cert\' issued in eu-west-1; CloudFront only accepts certificates from us-east-1, so create it with region="us-east-1".'),
    ],
    'cloudfront-certificate-us-east-1/literal-arn': [
        ('cdn',
         "Distribution 'cdn' uses a certificate from eu-west-1; CloudFront only accepts certificates from us-east-1."),
    ],
    'vpc-flow-logs/none': [
        ('vpc',
         "VPC 'vpc' has no flow log; add an aws.ec2.FlowLog with vpcId set to it."),
    ],
    'compute-subnets-no-auto-public-ip/private-public-ip': [
        ('private-a',
         "Subnet 'private-a' (used by Auto Scaling group 'web-asg') gives every instance a public IP; set mapPublicIpOnLaunch to false and egress through a NAT gateway."),
    ],
    'default-security-group-closed/rules': [
        ('default-sg',
         "Default security group 'default-sg' has rules; declare it with no ingress and no egress so nothing can use it by accident."),
    ],
    'sg-rule-management-conflict/mixed': [
        ('alb-sg',
         "Security group 'alb-sg' has inline rules and separate rule resources ('alb-extra'); they overwrite each other on every update, so use only one form."),
    ],
    'sg-descriptions/group': [
        ('web-sg',
         "Security group 'web-sg' has no description; say which tier it guards and why."),
    ],
    'sg-descriptions/rule': [
        ('db-from-web',
         "Security group rule 'db-from-web' has an ingress rule on port 3306 without a description; say what the rule admits."),
    ],
    'sg-data-tier-by-reference/cidr-to-database': [
        ('db-from-web',
         "Rule 'db-from-web' of security group 'db-sg' guards 'db' but admits 10.0.10.0/24 on port 3306; admit only the web tier's security group (a security group reference)."),
    ],
    'imds-hop-limit/two-hops': [
        ('web-lt',
         "Launch template 'web-lt' lets metadata responses travel 2 hops; set metadataOptions.httpPutResponseHopLimit to 1."),
    ],
    'no-public-ip-on-instances/template': [
        ('web-lt',
         'Launch template \'web-lt\' gives instances a public IP; set networkInterfaces[].associatePublicIpAddress to "false".'),
    ],
    'no-public-ip-on-instances/instance': [
        ('lone',
         "Instance 'lone' gets a public IP; set associatePublicIpAddress to false and sit behind the load balancer."),
    ],
    'detailed-monitoring/template': [
        ('web-lt',
         "Launch template 'web-lt' has only 5-minute metrics; set monitoring.enabled to true for 1-minute scaling and alarms."),
    ],
    'instance-profile-attached/template': [
        ('web-lt',
         "Launch template 'web-lt' has no IAM instance profile; attach one with least privilege (SSM core, its release prefix, its log groups)."),
    ],
    'user-data-no-secrets/access-key': [
        ('lone',
         "Instance 'lone' has an AWS access key in its user data, readable by anyone who can describe the instance; read it at boot from Secrets Manager or SSM Parameter Store."),
    ],
    'user-data-no-secrets/password': [
        ('lone',
         "Instance 'lone' has a password or token in its user data, readable by anyone who can describe the instance; read it at boot from Secrets Manager or SSM Parameter Store."),
    ],
    'asg-capacity-rebalance/off': [
        ('web-asg',
         "Auto Scaling group 'web-asg' uses a single instance type without capacity rebalancing; set capacityRebalance to true or add a mixedInstancesPolicy with several instance types."),
    ],
    'standalone-instance-termination-protection/off': [
        ('lone',
         "Instance 'lone' stands outside an Auto Scaling group and can be terminated by accident; set disableApiTermination to true (or move it into an Auto Scaling group)."),
    ],
    'rds-log-exports/none': [
        ('db',
         "RDS instance 'db' exports no logs; set enabledCloudwatchLogsExports (e.g. error, slowquery) so failures can be diagnosed."),
    ],
    'rds-performance-insights/none': [
        ('db',
         "RDS instance 'db' has neither Performance Insights nor enhanced monitoring; set performanceInsightsEnabled to true or monitoringInterval to 60 or less."),
    ],
    'rds-auto-minor-version-upgrade/off': [
        ('db',
         "RDS instance 'db' turns off automatic minor version upgrades; set autoMinorVersionUpgrade to true."),
    ],
    'rds-storage-autoscaling/none': [
        ('db',
         "RDS instance 'db' cannot grow its storage; set maxAllocatedStorage above allocatedStorage so a full disk does not stop the database."),
    ],
    'rds-backup-window-no-overlap/overlap': [
        ('db',
         "RDS instance 'db' has backup window 03:00-04:00 overlapping maintenance window sun:03:30-sun:04:30; move one of them."),
    ],
    'rds-backup-window-no-overlap/unset': [
        ('db',
         "RDS instance 'db' leaves backupWindow to AWS; set both backupWindow and maintenanceWindow so backups and maintenance run at known, separate times."),
    ],
    'stateful-resources-protected/database': [
        ('db',
         "RDS instance 'db' holds state that a mistaken `pulumi destroy` or replacement would lose; add opts=ResourceOptions(protect=True)."),
    ],
    'stateful-resources-protected/backup-bucket': [
        ('backups',
         "Backup bucket 'backups' holds state that a mistaken `pulumi destroy` or replacement would lose; add opts=ResourceOptions(protect=True)."),
    ],
    'redis-encryption/plaintext': [
        ('redis',
         "Replication group 'redis' stores data unencrypted; set atRestEncryptionEnabled to true."),
        ('redis',
         "Replication group 'redis' accepts plaintext connections; set transitEncryptionEnabled to true."),
    ],
    'redis-snapshot-retention/none': [
        ('redis',
         "Replication group 'redis' keeps no automatic snapshots (0 days); set snapshotRetentionLimit to at least 1."),
    ],
    'elasticache-subnet-group/default': [
        ('cache',
         "Cache cluster 'cache' runs in the default subnet group; create an aws.elasticache.SubnetGroup over the private data subnets of every AZ and set subnetGroupName."),
    ],
    's3-backup-bucket-hardened/no-lifecycle': [
        ('backups',
         "Backup bucket 'backups' (shop-backups) keeps noncurrent versions forever; add a lifecycle rule with noncurrentVersionExpiration."),
    ],
    's3-backup-bucket-hardened/no-lock': [
        ('backups',
         "Backup bucket 'backups' (shop-backups) can be emptied by one mistaken delete; enable Object Lock, MFA delete or cross-region replication (aws.s3.BucketReplicationConfig)."),
    ],
    's3-bucket-ssl-only/no-deny': [
        ('assets',
         "Bucket 'assets' (shop-assets) accepts plain-HTTP requests; add a bucket policy statement that denies s3:* when aws:SecureTransport is false."),
    ],
    's3-bucket-logging/none': [
        ('assets',
         "Bucket 'assets' (shop-assets) has no server access logging; add an aws.s3.BucketLogging that writes to the logs bucket."),
    ],
    'alarm-actions-wired/no-actions': [
        ('db-cpu',
         "Alarm 'db-cpu' notifies nobody; set alarmActions to the alert topic's ARN."),
    ],
    'alarm-actions-wired/disabled': [
        ('db-cpu',
         "Alarm 'db-cpu' has its actions disabled; set actionsEnabled to true."),
    ],
    'alarm-actions-wired/no-subscriber': [
        ('alb-5xx',
         "Alarm 'alb-5xx' notifies topic 'alerts', which has no subscription; add an aws.sns.TopicSubscription (email, SMS or a paging HTTPS endpoint)."),
        ('asg-in-service',
         "Alarm 'asg-in-service' notifies topic 'alerts', which has no subscription; add an aws.sns.TopicSubscription (email, SMS or a paging HTTPS endpoint)."),
        ('db-cpu',
         "Alarm 'db-cpu' notifies topic 'alerts', which has no subscription; add an aws.sns.TopicSubscription (email, SMS or a paging HTTPS endpoint)."),
        ('cache-cpu',
         "Alarm 'cache-cpu' notifies topic 'alerts', which has no subscription; add an aws.sns.TopicSubscription (email, SMS or a paging HTTPS endpoint)."),
    ],
    'alarm-coverage/database': [
        ('db',
         "RDS instance 'db' has no CloudWatch alarm; add alarms on its key metrics (e.g. 5XX, unhealthy hosts, CPU, free storage, evictions) that notify the alert topic."),
    ],
    'log-group-retention/forever': [
        ('app-logs',
         "Log group 'app-logs' keeps logs forever; set retentionInDays (at least 30)."),
    ],
    'log-group-retention/short': [
        ('app-logs',
         "Log group 'app-logs' keeps logs 7 days; set retentionInDays to at least 30."),
    ],
    'backup-plan-coverage/not-selected': [
        ('db',
         "RDS instance 'db' is in no AWS Backup selection; add it to an aws.backup.Selection of a plan with a cross-region copy."),
        ('backups',
         "Backup bucket 'backups' is in no AWS Backup selection; add it to an aws.backup.Selection of a plan with a cross-region copy."),
    ],
    'backup-plan-coverage/backup-bucket': [
        ('backups',
         "Backup bucket 'backups' is in no AWS Backup selection; add it to an aws.backup.Selection of a plan with a cross-region copy."),
    ],
    'backup-plan-coverage/stand-alone-instance': [
        ('lone',
         "Stand-alone instance 'lone' is in no AWS Backup selection; add it to an aws.backup.Selection of a plan with a cross-region copy."),
    ],
    'waf-logging/none': [
        ('cdn-waf',
         "Web ACL 'cdn-waf' keeps no record of what it blocked; add an aws.wafv2.WebAclLoggingConfiguration for it."),
    ],
    'log-group-encrypted/service-key': [
        ('app-logs',
         "Log group 'app-logs' is encrypted only with the service key; set kmsKeyId to a customer-managed key."),
    ],
    'sns-topic-encrypted/plaintext': [
        ('alerts',
         "Topic 'alerts' is not encrypted; set kmsMasterKeyId (e.g. alias/aws/sns or a customer key)."),
    ],
    'asg-notifications/none': [
        ('web-asg',
         "Auto Scaling group 'web-asg' fails to launch or terminate instances silently; add an aws.autoscaling.Notification for launch and terminate errors to the alert topic."),
    ],
    'asg-notifications/launch-only': [
        ('web-asg',
         "Auto Scaling group 'web-asg' fails to launch or terminate instances silently; add an aws.autoscaling.Notification for launch and terminate errors to the alert topic."),
    ],
    'rds-iam-auth/off': [
        ('db',
         "RDS instance 'db' accepts only password logins; set iamDatabaseAuthenticationEnabled to true so operators connect with short-lived IAM tokens."),
    ],
    'redis-auth/open': [
        ('redis',
         "Replication group 'redis' lets any client in its security group connect; set an authToken (with transit encryption) or userGroupIds."),
    ],
    'iam-role-policy-conflict/mixed': [
        ('web-role',
         "Role 'web-role' declares policies inline and through 'web-role-ssm'; they overwrite each other on every update, so use only attachment resources."),
    ],
    'backup-plan-retention-and-copy/short': [
        ('plan',
         "Backup plan 'plan' rule daily deletes recovery points after 3 days; keep them at least 7 days."),
    ],
    'backup-plan-retention-and-copy/no-copy': [
        ('plan',
         "Backup plan 'plan' keeps every copy in one region; add a copyActions entry to a vault in another region or account."),
    ],
    'backup-vault-locked/unlocked': [
        ('vault',
         "Backup vault 'vault' can have its recovery points deleted; add an aws.backup.VaultLockConfiguration with a minimum retention."),
    ],
    'dns-alias-evaluate-target-health/off': [
        ('www',
         "Alias record 'www' to load balancer 'alb' ignores target health; set evaluateTargetHealth to true."),
    ],
    'dns-alias-evaluate-target-health/dangling': [
        ('static',
         "Alias record 'static' points at d111111abcdef8.cloudfront.net, which no resource of this stack provides; point it at the stack's load balancer or distribution outputs."),
    ],
    'dns-alias-evaluate-target-health/no-www': [
        ('apex',
         "Apex record 'apex' (shop.example.com) has no www.shop.example.com companion; add a www alias record so both names serve."),
    ],
    'acm-dns-validated/email': [
        ('cert',
         'Certificate \'cert\' is validated by EMAIL, which needs a person for every renewal; set validationMethod to "DNS".'),
    ],
    'acm-dns-validated/no-validation': [
        ('cert',
         "Certificate 'cert' has no DNS validation records or CertificateValidation in the stack; create the records from domainValidationOptions and an aws.acm.CertificateValidation."),
    ],
    'acm-dns-validated/wildcard': [
        ('cert',
         "Certificate 'cert' is a wildcard (*.shop.example.com); name the hosts (apex, www, static) in subjectAlternativeNames instead."),
    ],
    'az-consistency-across-tiers/db-subnets': [
        ('db-subnets',
         "Subnet group 'db-subnets' has no subnet in us-east-1b, where the web tier runs; add a data subnet of every web AZ so the standby can live there."),
    ],
    'az-consistency-across-tiers/efs-mount-targets': [
        ('files',
         "EFS file system 'files' has no mount target in us-east-1b, where the web tier runs; add a mount target in every web AZ."),
    ],
    'kms-key-rotation/off': [
        ('backup-key',
         "KMS key 'backup-key' is never rotated; set enableKeyRotation to true."),
    ],
    'efs-encrypted/off': [
        ('files',
         "EFS file system 'files' is not encrypted at rest; set encrypted to true."),
    ],
    'sg-world-ingress-authorized-ports/app-port-open': [
        ('alb-sg',
         "Security group 'alb-sg' opens port 8443 to the internet, beyond the authorised ports 80, 443; admit other ports only from security group references."),
    ],
    'sg-world-ingress-authorized-ports/rule-range': [
        ('alb-range',
         "Security group rule 'alb-range' opens ports 80-443 to the internet, beyond the authorised ports 80, 443; admit other ports only from security group references."),
    ],
    'igw-routes-only-public-subnets/web-in-public': [
        ('public-a',
         "Subnet 'public-a' holds Auto Scaling group 'web-asg' but routes 0.0.0.0/0 to an internet gateway through route table 'public'; put it behind a NAT gateway in a private route table."),
        ('public-b',
         "Subnet 'public-b' holds Auto Scaling group 'web-asg' but routes 0.0.0.0/0 to an internet gateway through route table 'public'; put it behind a NAT gateway in a private route table."),
    ],
    'instances-in-vpc/default-vpc': [
        ('lone',
         "Instance 'lone' has no subnet, so it lands in the default VPC; set subnetId to a private subnet of the stack's VPC."),
    ],
    'ebs-delete-on-termination/template-keeps-volume': [
        ('web-lt',
         "Launch template 'web-lt' keeps volume /dev/xvda after the instance ends; set deleteOnTermination to true (snapshot what must be kept)."),
    ],
    'rds-require-secure-transport/plaintext-allowed': [
        ('db',
         "RDS instance 'db' accepts unencrypted connections; give it a parameter group that sets require_secure_transport to 1."),
    ],
    'rds-require-secure-transport/default-parameter-group': [
        ('db',
         "RDS instance 'db' accepts unencrypted connections; give it a parameter group that sets require_secure_transport to 1."),
    ],
    'rds-non-default-master-username/admin': [
        ('db',
         "RDS instance 'db' uses the default master username 'admin'; choose an application-specific name."),
    ],
    'elasticache-auto-minor-version-upgrade/off': [
        ('cache',
         "Cache cluster 'cache' turns off automatic minor version upgrades; set autoMinorVersionUpgrade to true."),
    ],
    'cloudfront-security-headers/none': [
        ('cdn',
         "Distribution 'cdn' sends no security headers on its default cache behavior; set responseHeadersPolicyId (e.g. the managed SecurityHeadersPolicy)."),
    ],
    'listener-certificate-from-acm/iam-certificate': [
        ('https',
         "Listener 'https' uses IAM server certificate shop-2019, which nobody renews; use an ACM certificate validated through DNS."),
    ],
    'route53-query-logging-and-dnssec/none': [
        ('zone',
         "Hosted zone 'zone' logs no queries; add an aws.route53.QueryLog to a log group in us-east-1."),
        ('zone',
         "Hosted zone 'zone' is not signed; add a KeySigningKey and an aws.route53.HostedZoneDnsSec so resolvers can detect spoofed answers."),
    ],
    'secret-encrypted-with-cmk/aws-key': [
        ('api-key',
         "Secret 'api-key' is encrypted with the AWS-managed key; set kmsKeyId to a customer-managed key so access can be audited and revoked."),
    ],
    'iam-no-wildcard-admin/role-policy': [
        ('web-admin',
         "IAM policy 'web-admin' allows every action on every resource; grant the actions and resources the role needs (least privilege)."),
    ],
    'certificate-covers-aliases/www-not-on-certificate': [
        ('www',
         "Record 'www' sends www.shop.example.com to load balancer 'alb', whose HTTPS certificate does not cover it; add www.shop.example.com to the certificate's subjectAlternativeNames."),
    ],
    'certificate-covers-aliases/distribution-alias-missing': [
        ('static',
         "Record 'static' sends static.shop.example.com to distribution 'cdn', which does not list it in aliases; add static.shop.example.com to the distribution's aliases."),
    ],
    'certificate-covers-aliases/distribution-certificate': [
        ('static',
         "Record 'static' sends static.shop.example.com to distribution 'cdn', whose certificate does not cover it; add static.shop.example.com to the certificate's subjectAlternativeNames."),
    ],
    'acm-key-strength/rsa-1024': [
        ('cert',
         "Certificate 'cert' uses a RSA_1024 key; request RSA_2048 or an EC key."),
    ],
    'kms-key-enabled/disabled': [
        ('backup-key',
         "KMS key 'backup-key' is disabled, so everything encrypted with it is unreadable; set isEnabled to true."),
    ],
    'rds-snapshot-not-public/shared-with-all': [
        ('db-manual',
         "Snapshot 'db-manual' is shared with all AWS accounts, so anyone can restore the data; share it only with named accounts."),
    ],
    'sns-topic-tls-only/no-policy': [
        ('alerts',
         "Topic 'alerts' accepts publishing over plain HTTP; add a topic policy statement that denies sns:Publish when aws:SecureTransport is false."),
    ],
    'cloudfront-s3-origin-in-stack/foreign-bucket': [
        ('cdn',
         "Distribution 'cdn' reads S3 origin legacy-assets.s3.amazonaws.com, a bucket this stack does not manage; if it is deleted anyone can recreate it and serve your users, so create the bucket here."),
    ],
    'network-acl-in-use/unused': [
        ('spare-acl',
         "Network ACL 'spare-acl' protects no subnet; associate it with the subnets it is meant for, or delete it."),
    ],
    'sns-delivery-status-logging/https-pager': [
        ('alerts',
         "Topic 'alerts' delivers to an HTTP(S) endpoint but logs no failed deliveries; set httpFailureFeedbackRoleArn (and httpSuccessFeedbackRoleArn) to a role that writes to CloudWatch Logs."),
    ],
    'lb-log-bucket-delivery/kms-encrypted-log-bucket': [
        ('alb',
         "Load balancer 'alb' logs to bucket 'logs' (shop-logs), which is encrypted with SSE-KMS, so every log write is denied; use SSE-S3 (AES256) on that bucket."),
    ],
    'lb-log-bucket-delivery/no-delivery-grant': [
        ('alb',
         "Load balancer 'alb' logs to bucket 'logs' (shop-logs), whose policy does not let ELB log delivery write; grant s3:PutObject to logdelivery.elasticloadbalancing.amazonaws.com (or the region's ELB account)."),
    ],
    'lb-log-bucket-delivery/created-before-policy': [
        ('alb',
         "Load balancer 'alb' may be created before the policy of its log bucket 'logs', and then fails to enable logging; add depends_on on the bucket policy."),
    ],
    'target-group-deregistration-delay/default': [
        ('web-tg',
         "Target group 'web-tg' keeps the default 300 s deregistration delay, so every instance replaced in a rollout lingers 5 minutes; set deregistrationDelay (e.g. 30)."),
    ],
    'target-group-deregistration-delay/long': [
        ('web-tg',
         "Target group 'web-tg' waits 600 s before deregistering an instance; set deregistrationDelay to at most 120."),
    ],
    'log-bucket-hygiene/never-expires': [
        ('logs',
         "Bucket 'logs' (shop-logs) receives logs from server access logs ('assets-logging') but never expires them; add a lifecycle rule with an expiration."),
    ],
    'log-bucket-hygiene/logs-into-itself': [
        ('logs',
         "Bucket 'logs' (shop-logs) writes its access logs into itself ('logs-logging'), and every log write makes another; send them to a separate logs bucket."),
    ],
    'web-sg-only-from-load-balancer/ssh-from-office': [
        ('web-ssh',
         "Rule 'web-ssh' of security group 'web-sg' lets 198.51.100.0/24 reach the web servers of 'web-asg' on port 22, around the load balancer; admit only the load balancer's security group (use SSM Session Manager for shell access)."),
    ],
    'web-sg-only-from-load-balancer/app-port-from-vpc': [
        ('web-sg',
         "Security group 'web-sg' lets 10.0.0.0/16 reach the web servers of 'web-asg' on port 8080, around the load balancer; admit only the load balancer's security group (use SSM Session Manager for shell access)."),
    ],
}
