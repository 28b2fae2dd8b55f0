"""The storage policies' cases (rules/storage.py) on the compliant stack (the form: case_lists.py)."""
from .case_helpers import PUBLIC_POLICY, bucket_v2_inline
from .fixtures import SSL_ONLY, TOKENS, compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- s3-data-bucket-versioned ---
    ("s3-data-bucket-versioned", "suspended",
     lambda s: s.set("assets-versioning", "versioningConfiguration.status", "Suspended"), None,
     [
         ('assets',
          'Bucket \'assets\' (shop-assets) holds data but its versioning is Suspended (by \'assets-versioning\'); set versioningConfiguration.status to "Enabled" so deleted or overwritten objects can be restored.'),
     ]),
    ("s3-data-bucket-versioned", "no-companion", lambda s: s.remove("assets-versioning"), None,
     [
         ('assets',
          'Bucket \'assets\' (shop-assets) holds data but is not versioned; add an aws.s3.BucketVersioning with status "Enabled" for it (or tag it holds-data=false if it holds none).'),
     ]),
    ("s3-data-bucket-versioned", "inline-disabled", lambda s: bucket_v2_inline(s, "assets", versioned=False), None,
     [
         ('assets',
          'Bucket \'assets\' (shop-assets) holds data but is not versioned; add an aws.s3.BucketVersioning with status "Enabled" for it (or tag it holds-data=false if it holds none).'),
     ]),
    # --- s3-data-bucket-encrypted ---
    ("s3-data-bucket-encrypted", "no-companion", lambda s: s.remove("assets-sse"), None,
     [
         ('assets',
          "Bucket 'assets' (shop-assets) holds data and relies on the SSE-S3 encryption AWS applies to every bucket; declare an aws.s3.BucketServerSideEncryptionConfiguration (sseAlgorithm \"AES256\", or \"aws:kms\" with a key you control) so the choice is explicit."),
     ]),
    ("s3-data-bucket-encrypted", "inline-missing", lambda s: bucket_v2_inline(s, "assets", encrypted=False), None,
     [
         ('assets',
          "Bucket 'assets' (shop-assets) holds data and relies on the SSE-S3 encryption AWS applies to every bucket; declare an aws.s3.BucketServerSideEncryptionConfiguration (sseAlgorithm \"AES256\", or \"aws:kms\" with a key you control) so the choice is explicit."),
     ]),
    # --- s3-bucket-not-public ---
    ("s3-bucket-not-public", "inline-acl", lambda s: s.set("logs", "acl", "public-read"), None,
     [
         ('logs',
          "Bucket 'logs' (shop-logs) is made public by ACL public-read on 'logs'; use the private ACL (or none)."),
     ]),
    ("s3-bucket-not-public", "acl-resource",
     lambda s: s.add(TOKENS["acl"], "assets-acl", {"bucket": ref("assets"), "acl": "public-read-write"}), None,
     [
         ('assets',
          "Bucket 'assets' (shop-assets) is made public by ACL public-read-write on 'assets-acl'; use the private ACL (or none)."),
     ]),
    ("s3-bucket-not-public", "acl-grant",
     lambda s: s.add(TOKENS["acl"], "assets-acl", {"bucket": ref("assets"), "accessControlPolicy": {
         "owner": {"id": "o"}, "grants": [{"permission": "READ", "grantee": {
             "type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}}]}}), None,
     [
         ('assets',
          "Bucket 'assets' (shop-assets) grants access to AllUsers through 'assets-acl'; remove that grant."),
     ]),
    ("s3-bucket-not-public", "public-policy", lambda s: s.set("assets-policy", "policy", PUBLIC_POLICY), None,
     [
         ('assets',
          'Bucket \'assets\' (shop-assets) has a policy (\'assets-policy\') that allows Principal "*" without a condition; grant only specific principals, e.g. CloudFront through Origin Access Control.'),
     ]),
    ("s3-bucket-not-public", "block-off", lambda s: s.set("backups-pab", "blockPublicPolicy", False), None,
     [
         ('backups',
          "Bucket 'backups' (shop-backups) has public access block 'backups-pab' with blockPublicPolicy off; set all four flags to true."),
     ]),
    # --- s3-backup-bucket-hardened ---
    ("s3-backup-bucket-hardened", "no-lifecycle", lambda s: s.remove("backups-lifecycle"), None,
     [
         ('backups',
          "Backup bucket 'backups' (shop-backups) keeps noncurrent versions forever; add a lifecycle rule with noncurrentVersionExpiration."),
     ]),
    ("s3-backup-bucket-hardened", "no-lock", lambda s: s.drop("backups", "objectLockEnabled"), None,
     [
         ('backups',
          "Backup bucket 'backups' (shop-backups) can be emptied by one mistaken delete; enable Object Lock, MFA delete or cross-region replication (aws.s3.BucketReplicationConfig)."),
     ]),
    # --- s3-bucket-ssl-only ---
    ("s3-bucket-ssl-only", "no-deny", lambda s: s.set("assets-policy", "policy", '{"Statement": []}'), None,
     [
         ('assets',
          "Bucket 'assets' (shop-assets) accepts plain-HTTP requests; add a bucket policy statement that denies s3:* when aws:SecureTransport is false."),
     ]),
    # --- s3-bucket-logging ---
    ("s3-bucket-logging", "none", lambda s: s.remove("assets-logging"), None,
     [
         ('assets',
          "Bucket 'assets' (shop-assets) has no server access logging; add an aws.s3.BucketLogging that writes to the logs bucket."),
     ]),
    # --- efs-encrypted ---
    ("efs-encrypted", "off", lambda s: s.add(TOKENS["efs"], "files", {}), None,
     [
         ('files',
          "EFS file system 'files' is not encrypted at rest; set encrypted to true."),
     ]),
    # --- lb-log-bucket-delivery ---
    ("lb-log-bucket-delivery", "kms-encrypted-log-bucket",
     lambda s: s.set("logs-sse", "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "aws:kms"), None,
     [
         ('alb',
          "Load balancer 'alb' logs to bucket 'logs' (shop-logs), which is encrypted with SSE-KMS, so every log write is denied; use SSE-S3 (AES256) on that bucket."),
     ]),
    ("lb-log-bucket-delivery", "no-delivery-grant", lambda s: s.set("logs-policy", "policy", SSL_ONLY), None,
     [
         ('alb',
          "Load balancer 'alb' logs to bucket 'logs' (shop-logs), whose policy does not let ELB log delivery write; grant s3:PutObject to logdelivery.elasticloadbalancing.amazonaws.com (or the region's ELB account)."),
     ]),
    ("lb-log-bucket-delivery", "created-before-policy", lambda s: setattr(s.res["alb"], "depends_on", ()) or s, None,
     [
         ('alb',
          "Load balancer 'alb' may be created before the policy of its log bucket 'logs', and then fails to enable logging; add depends_on on the bucket policy."),
     ]),
    # --- log-bucket-hygiene ---
    ("log-bucket-hygiene", "never-expires", lambda s: s.remove("logs-lifecycle"), None,
     [
         ('logs',
          "Bucket 'logs' (shop-logs) receives logs from server access logs ('assets-logging') but never expires them; add a lifecycle rule with an expiration."),
     ]),
    ("log-bucket-hygiene", "logs-into-itself",
     lambda s: s.add(TOKENS["logging"], "logs-logging", {"bucket": ref("logs"), "targetBucket": ref("logs"),
                                                         "targetPrefix": "self/"}), None,
     [
         ('logs',
          "Bucket 'logs' (shop-logs) writes its access logs into itself ('logs-logging'), and every log write makes another; send them to a separate logs bucket."),
     ]),
]

COMPLIANT = [
    # --- s3-data-bucket-versioned ---
    ("s3-data-bucket-versioned", "inline-bucket-v2", lambda s: bucket_v2_inline(s, "assets"), None),
    ("s3-data-bucket-versioned", "inline-bucket-current",
     lambda s: s.remove("assets-versioning").set("assets", "versioning", {"enabled": True}), None),
    ("s3-data-bucket-versioned", "tagged-no-data",
     lambda s: s.remove("assets-versioning").set("assets", "tags", {"holds-data": "false"}), None),
    # --- s3-data-bucket-encrypted ---
    ("s3-data-bucket-encrypted", "inline-bucket-v2", lambda s: bucket_v2_inline(s, "assets"), None),
    # --- s3-bucket-not-public ---
    ("s3-bucket-not-public", "account-block",
     lambda s: s.remove("assets-pab").add("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account-pab", {
         "blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True, "restrictPublicBuckets": True}), None),
]
