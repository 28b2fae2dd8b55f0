"""A data bucket made public: by a bucket policy (current) or by a public-read ACL (deprecated BucketAclV2)."""
import json

import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
s3 = aws.s3
Bucket = s3.Bucket if form == "current" else s3.BucketV2
Versioning = s3.BucketVersioning if form == "current" else s3.BucketVersioningV2
Sse = (s3.BucketServerSideEncryptionConfiguration if form == "current"
       else s3.BucketServerSideEncryptionConfigurationV2)
bucket = Bucket("media", bucket="shop-media")
Versioning("media", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
Sse("media", bucket=bucket.id, rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}])
s3.BucketPublicAccessBlock("media", bucket=bucket.id, block_public_acls=True, block_public_policy=True,
                           ignore_public_acls=True, restrict_public_buckets=True)
if form == "current":
    s3.BucketPolicy("media", bucket=bucket.id, policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shop-media/*"}]}))
else:
    s3.BucketAclV2("media", bucket=bucket.id, acl="public-read")
