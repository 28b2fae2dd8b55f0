"""A data bucket whose versioning is Suspended (current split resources or the deprecated V2 ones)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
s3 = aws.s3
if form == "current":
    bucket = s3.Bucket("orders", bucket="shop-orders")
    s3.BucketVersioning("orders", bucket=bucket.id, versioning_configuration={"status": "Suspended"})
    s3.BucketServerSideEncryptionConfiguration("orders", bucket=bucket.id, rules=[
        {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}])
else:
    bucket = s3.BucketV2("orders", bucket="shop-orders")
    s3.BucketVersioningV2("orders", bucket=bucket.id, versioning_configuration={"status": "Suspended"})
    s3.BucketServerSideEncryptionConfigurationV2("orders", bucket=bucket.id, rules=[
        {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}])
s3.BucketPublicAccessBlock("orders", bucket=bucket.id, block_public_acls=True, block_public_policy=True,
                           ignore_public_acls=True, restrict_public_buckets=True)
