"""A data bucket with no default encryption: aws.s3.Bucket (current) or the deprecated BucketV2 with V2 companions."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
s3 = aws.s3
Bucket = s3.Bucket if form == "current" else s3.BucketV2
Versioning = s3.BucketVersioning if form == "current" else s3.BucketVersioningV2
bucket = Bucket("invoices", bucket="shop-invoices")
Versioning("invoices", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
s3.BucketPublicAccessBlock("invoices", bucket=bucket.id, block_public_acls=True, block_public_policy=True,
                           ignore_public_acls=True, restrict_public_buckets=True)
