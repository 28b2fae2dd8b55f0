"""A data bucket that declares no encryption and no public access block: AWS encrypts it with SSE-S3 and blocks
public access by default, so no mandatory policy may fail (aws.s3.Bucket, or the deprecated BucketV2 with V2
companions)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
s3 = aws.s3
Bucket = s3.Bucket if form == "current" else s3.BucketV2
Versioning = s3.BucketVersioning if form == "current" else s3.BucketVersioningV2
bucket = Bucket("invoices", bucket="shop-invoices")
Versioning("invoices", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
