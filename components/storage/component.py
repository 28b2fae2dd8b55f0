"""`ecommerce:storage:Storage`: the portal's S3 buckets, one per purpose, each locked down the same way.

Shared files live here, not on NFS or One Zone EFS (either is a single point of failure): static files and
media in `assets` (served only through CloudFront, whose distribution writes that bucket's policy), application `releases`, `backups`
and access `logs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import pulumi
import pulumi_aws as aws

from components.storage.settings import StorageSettings
from components.iam import assume_role_policy, policy_document
from components.tagging import tagger

PURPOSES = ("assets", "releases", "backups", "logs")
# Uploaded media live under this prefix of the assets bucket (served by the CDN like the static files); the web
# servers may write there and nowhere else.
MEDIA_PREFIX = "media/"

# Losing one of these loses data nobody can rebuild: uploaded media, the releases a rollback needs, backups.
# Access logs expire by design, so the logs bucket is not protected (a stack can be torn down with them).
PROTECTED = ("assets", "releases", "backups")

# CloudFront's legacy access logs are delivered with bucket ACLs, so the logs bucket keeps ACLs enabled and
# lets the bucket owner own what `bucket-owner-full-control` uploads write; every other bucket disables ACLs.
OWNERSHIP = {"logs": "BucketOwnerPreferred"}

ALB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"
S3_LOG_DELIVERY_SERVICE = "logging.s3.amazonaws.com"
S3_ACCESS_LOG_PREFIX = "s3"
# Buckets whose requests are logged into the logs bucket. The logs bucket would log its own log deliveries,
# and the disaster-recovery replica lives in another region, where S3 cannot deliver to the logs bucket.
ACCESS_LOGGED = ("assets", "releases", "backups")
MULTIPART_ABORT_DAYS = 7
LOG_NONCURRENT_DAYS = 7


def tls_only_statement(bucket_arn: str) -> dict[str, Any]:
    """Deny every request that does not come over TLS, whoever makes it."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def log_delivery_statements(bucket_arn: str, account_id: str, elb_account_arn: str | None) -> list[dict]:
    """ALB access-log delivery into `AWSLogs/<account>/` under any prefix the load balancer picks, and S3
    server access logs under `s3/`.

    Regions opened since August 2022 deliver ALB logs as the log-delivery service principal; older regions
    deliver as the region's Elastic Load Balancing account. Both are granted where the region has such an
    account.
    """
    objects = f"{bucket_arn}/*AWSLogs/{account_id}/*"
    statements = [{
        "Sid": "AllowAlbLogDeliveryService",
        "Effect": "Allow",
        "Principal": {"Service": ALB_LOG_DELIVERY_SERVICE},
        "Action": "s3:PutObject",
        "Resource": objects,
    }]
    if elb_account_arn:
        statements.append({
            "Sid": "AllowAlbLogDeliveryAccount",
            "Effect": "Allow",
            "Principal": {"AWS": elb_account_arn},
            "Action": "s3:PutObject",
            "Resource": objects,
        })
    # S3 server access logs of the other buckets, from this account's buckets only.
    statements.append({
        "Sid": "AllowS3ServerAccessLogs",
        "Effect": "Allow",
        "Principal": {"Service": S3_LOG_DELIVERY_SERVICE},
        "Action": "s3:PutObject",
        "Resource": f"{bucket_arn}/{S3_ACCESS_LOG_PREFIX}/*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    })
    return statements


@dataclass(frozen=True)
class StorageArgs:
    settings: StorageSettings
    environment: str
    protect: bool = True
    # `portal:drRegion` (components/backup/settings.py): where the backups bucket replicates; empty for none.
    dr_region: str = ""
    tags: Mapping[str, str] = field(default_factory=dict)


class Storage(pulumi.ComponentResource):
    buckets: dict[str, aws.s3.Bucket]
    bucket_names: dict[str, pulumi.Output[str]]
    bucket_arns: dict[str, pulumi.Output[str]]
    log_delivery_policy: aws.s3.BucketPolicy

    def __init__(self, name: str, args: StorageArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:storage:Storage", name, None, opts)
        self._name = name
        self._args = args
        self._tagger = tagger(args.environment, args.tags)
        settings = args.settings

        # Every bucket this component owns, the disaster-recovery replica included, by stable key.
        self.all_buckets: dict[str, aws.s3.Bucket] = {}
        self.public_access_blocks: dict[str, aws.s3.BucketPublicAccessBlock] = {}
        self.ownership_controls: dict[str, aws.s3.BucketOwnershipControls] = {}
        self.encryption: dict[str, aws.s3.BucketServerSideEncryptionConfiguration] = {}
        self.versioning: dict[str, aws.s3.BucketVersioning] = {}
        self.lifecycles: dict[str, aws.s3.BucketLifecycleConfiguration] = {}
        self.policies: dict[str, aws.s3.BucketPolicy] = {}

        for purpose in PURPOSES:
            self._bucket(purpose, protect=args.protect and purpose in PROTECTED,
                         object_lock=purpose == "backups")

        multipart = {"days_after_initiation": MULTIPART_ABORT_DAYS}
        self._lifecycle("assets", [{"id": "abort-incomplete-uploads", "status": "Enabled", "filter": {"prefix": ""},
                                    "abort_incomplete_multipart_upload": multipart}])
        # A rollback fetches the previous release: old versions stay, only failed uploads are cleaned up.
        self._lifecycle("releases", [{"id": "abort-incomplete-uploads", "status": "Enabled",
                                      "filter": {"prefix": ""}, "abort_incomplete_multipart_upload": multipart}])
        self._lifecycle("backups", self._backup_rules(settings))
        self._lifecycle("logs", [{
            "id": "expire-access-logs", "status": "Enabled", "filter": {"prefix": ""},
            "expiration": {"days": settings.access_log_retention_days},
            "noncurrent_version_expiration": {"noncurrent_days": LOG_NONCURRENT_DAYS},
            "abort_incomplete_multipart_upload": multipart,
        }])

        self.object_lock = self._object_lock("backups")

        for purpose in ("releases", "backups"):
            self._policy(purpose, self.all_buckets[purpose].arn.apply(lambda arn: policy_document(tls_only_statement(arn))))

        account_id = aws.get_caller_identity().account_id
        elb_account_arn = _elb_account_arn()
        self.log_delivery_policy = self._policy("logs", self.all_buckets["logs"].arn.apply(
            lambda arn: policy_document(tls_only_statement(arn),
                                    *log_delivery_statements(arn, account_id, elb_account_arn))))

        self.cloudfront_log_acl = self._cloudfront_log_acl()
        self.access_logging: dict[str, aws.s3.BucketLogging] = {
            purpose: aws.s3.BucketLogging(
                f"{name}-{purpose}", bucket=self.all_buckets[purpose].id, target_bucket=self.all_buckets["logs"].id,
                target_prefix=f"{S3_ACCESS_LOG_PREFIX}/{purpose}/",
                opts=self._opts(depends_on=[self.log_delivery_policy]))
            for purpose in ACCESS_LOGGED}

        self.replica_bucket: aws.s3.Bucket | None = None
        self.replication: aws.s3.BucketReplicationConfig | None = None
        if args.dr_region:
            self._replicate_backups(settings, args.dr_region)

        self.buckets = {p: self.all_buckets[p] for p in PURPOSES}
        self.bucket_names = {p: b.bucket for p, b in self.buckets.items()}
        self.bucket_arns = {p: b.arn for p, b in self.buckets.items()}
        self.register_outputs({
            "bucketNames": self.bucket_names,
            "bucketArns": self.bucket_arns,
            "backupReplicaBucketName": self.replica_bucket.bucket if self.replica_bucket else None,
        })

    # -- building blocks ----------------------------------------------------------------------------

    def _opts(self, **more: Any) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **more)

    def _tags(self, label: str, purpose: str) -> dict[str, str]:
        return self._tagger(label, Purpose=purpose)

    def _bucket(self, key: str, *, protect: bool, object_lock: bool, region: str | None = None,
                purpose: str | None = None) -> aws.s3.Bucket:
        """A bucket and the companions every bucket has: no public access, ownership, encryption, versioning."""
        label = f"{self._name}-{key}"
        purpose = purpose or key
        bucket = aws.s3.Bucket(
            label, region=region, force_destroy=False,
            # Object Lock can only be switched on when the bucket is created.
            object_lock_enabled=True if object_lock else None,
            tags=self._tags(label, purpose), opts=self._opts(protect=protect))
        self.all_buckets[key] = bucket
        self.public_access_blocks[key] = aws.s3.BucketPublicAccessBlock(
            label, bucket=bucket.id, region=region, block_public_acls=True, block_public_policy=True,
            ignore_public_acls=True, restrict_public_buckets=True, opts=self._opts())
        self.ownership_controls[key] = aws.s3.BucketOwnershipControls(
            label, bucket=bucket.id, region=region,
            rule={"object_ownership": OWNERSHIP.get(purpose, "BucketOwnerEnforced")}, opts=self._opts())
        # SSE-S3 everywhere: ALB access logs cannot be written with SSE-KMS, and replication of SSE-S3 objects
        # needs no key grants in the disaster-recovery region.
        self.encryption[key] = aws.s3.BucketServerSideEncryptionConfiguration(
            label, bucket=bucket.id, region=region,
            rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}], opts=self._opts())
        self.versioning[key] = aws.s3.BucketVersioning(
            label, bucket=bucket.id, region=region, versioning_configuration={"status": "Enabled"},
            opts=self._opts())
        return bucket

    def _lifecycle(self, key: str, rules: list[dict], region: str | None = None) -> None:
        # Lifecycle rules on a versioned bucket must follow the versioning change.
        self.lifecycles[key] = aws.s3.BucketLifecycleConfiguration(
            f"{self._name}-{key}", bucket=self.all_buckets[key].id, region=region, rules=rules,
            opts=self._opts(depends_on=[self.versioning[key]]))

    def _policy(self, key: str, document: pulumi.Input[str], region: str | None = None) -> aws.s3.BucketPolicy:
        # S3 rejects a policy written while the public access block is still being applied.
        policy = aws.s3.BucketPolicy(
            f"{self._name}-{key}", bucket=self.all_buckets[key].id, region=region, policy=document,
            opts=self._opts(depends_on=[self.public_access_blocks[key]]))
        self.policies[key] = policy
        return policy

    def _object_lock(self, key: str, region: str | None = None) -> aws.s3.BucketObjectLockConfiguration:
        settings = self._args.settings
        return aws.s3.BucketObjectLockConfiguration(
            f"{self._name}-{key}", bucket=self.all_buckets[key].id, region=region,
            rule={"default_retention": {"mode": settings.backup_object_lock_mode,
                                        "days": settings.backup_object_lock_days}},
            opts=self._opts(depends_on=[self.versioning[key]]))

    def _cloudfront_log_acl(self) -> aws.s3.BucketAcl:
        """CloudFront's standard logs are written by the awslogsdelivery account, which needs FULL_CONTROL in the
        logs bucket's ACL; the owner keeps FULL_CONTROL too, since this ACL replaces the whole grant list."""
        owner_id = aws.s3.get_canonical_user_id().id
        log_delivery_id = aws.cloudfront.get_log_delivery_canonical_user_id().id
        return aws.s3.BucketAcl(
            f"{self._name}-logs", bucket=self.all_buckets["logs"].id,
            access_control_policy={
                "owner": {"id": owner_id},
                "grants": [
                    {"grantee": {"type": "CanonicalUser", "id": owner_id}, "permission": "FULL_CONTROL"},
                    {"grantee": {"type": "CanonicalUser", "id": log_delivery_id}, "permission": "FULL_CONTROL"},
                ],
            },
            # ACLs are only accepted once object ownership allows them.
            opts=self._opts(depends_on=[self.ownership_controls["logs"], self.public_access_blocks["logs"]]))

    @staticmethod
    def _backup_rules(settings: StorageSettings) -> list[dict]:
        return [{
            "id": "noncurrent-to-glacier", "status": "Enabled", "filter": {"prefix": ""},
            "noncurrent_version_transitions": [{"noncurrent_days": settings.backup_noncurrent_transition_days,
                                                "storage_class": "GLACIER"}],
            "noncurrent_version_expiration": {"noncurrent_days": settings.backup_noncurrent_expiration_days},
            "abort_incomplete_multipart_upload": {"days_after_initiation": MULTIPART_ABORT_DAYS},
        }]

    def _replicate_backups(self, settings: StorageSettings, dr_region: str) -> None:
        """A locked, versioned copy of every backup in the disaster-recovery region."""
        key = "backups-replica"
        self.replica_bucket = self._bucket(key, protect=self._args.protect, object_lock=True, region=dr_region,
                                           purpose="backups")
        self._lifecycle(key, self._backup_rules(settings), region=dr_region)
        self.replica_object_lock = self._object_lock(key, region=dr_region)
        self._policy(key, self.replica_bucket.arn.apply(lambda arn: policy_document(tls_only_statement(arn))),
                     region=dr_region)

        label = f"{self._name}-backups-replication"
        self.replication_role = aws.iam.Role(
            label, assume_role_policy=assume_role_policy("s3.amazonaws.com"),
            tags=self._tags(label, "backups"), opts=self._opts())
        source, replica = self.all_buckets["backups"], self.replica_bucket
        aws.iam.RolePolicy(
            label, role=self.replication_role.id,
            policy=pulumi.Output.all(source.arn, replica.arn).apply(lambda arns: policy_document(
                {"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                 "Resource": arns[0]},
                # Object Lock retention and legal holds travel with each replicated version.
                {"Effect": "Allow",
                 "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
                            "s3:GetObjectVersionTagging", "s3:GetObjectRetention", "s3:GetObjectLegalHold"],
                 "Resource": f"{arns[0]}/*"},
                {"Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                 "Resource": f"{arns[1]}/*"},
            )), opts=self._opts())
        self.replication = aws.s3.BucketReplicationConfig(
            label, bucket=source.id, role=self.replication_role.arn,
            rules=[{
                "id": "disaster-recovery", "status": "Enabled", "filter": {"prefix": ""},
                # A deletion in the primary region must not reach the copy.
                "delete_marker_replication": {"status": "Disabled"},
                "destination": {"bucket": replica.arn, "storage_class": "STANDARD_IA"},
            }],
            opts=self._opts(depends_on=[self.versioning["backups"], self.versioning[key]]))


def _elb_account_arn() -> str | None:
    """The region's Elastic Load Balancing account, or None in regions that deliver as a service principal."""
    try:
        return aws.elb.get_service_account().arn
    except Exception:  # noqa: BLE001 - the invoke fails in regions opened after August 2022, by design
        return None
