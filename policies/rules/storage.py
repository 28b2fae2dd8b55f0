"""S3 rules that join each bucket to its companion resources (current, V2 and inline forms) through the graph."""
import json
from typing import Any, Iterable, List, Optional, Tuple

from . import _native
from ._base import ADVISORY, MANDATORY, resource_policy, stack_policy
from ._config import BACKUP_BUCKETS, DATA_BUCKETS, matches, setting
from ._graph import Graph, Node, mid_sentence
from ._props import as_list, find_values, first, is_unknown, truthy
from .topology import bucket_name, companions, describe_bucket, versioning_state

BUCKET = "s3/bucket"
PUBLIC_ACLS = ("public-read", "public-read-write", "authenticated-read")
PUBLIC_GRANTEES = ("http://acs.amazonaws.com/groups/global/AllUsers",
                   "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")
PAB_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def is_data_bucket(b: Node, config, policy: str) -> bool:
    tag = setting(config, policy, "dataTag")
    tags = b.props.get("tags")
    if isinstance(tags, dict) and tag in tags:
        return truthy(tags[tag]) is not False
    name = bucket_name(b)
    names = {name, b.name}
    if not any(matches(n, setting(config, policy, "dataBucketPatterns")) for n in names):
        return False
    return not any(matches(n, setting(config, policy, "nonDataBucketPatterns")) for n in names)


def is_backup_bucket(b: Node, config, policy: str) -> bool:
    return any(matches(n, setting(config, policy, "backupBucketPatterns")) for n in {bucket_name(b), b.name})


# --- s3-data-bucket-versioned ------------------------------------------------------------------------------
def tagged_data(b: Node, config, policy: str) -> bool:
    """The bucket's data tag says it holds data."""
    tags = b.props.get("tags")
    tag = setting(config, policy, "dataTag")
    return isinstance(tags, dict) and tag in tags and truthy(tags[tag]) is True


def serves_website(g: Graph, b: Node) -> bool:
    """The bucket hosts a static website: an inline `website` block that says what to serve, or a
    BucketWebsiteConfiguration (current or V2) for it."""
    inline = first(b.inputs, "website")
    if not isinstance(inline, dict):
        inline = first(b.inputs, "websites")
    if isinstance(inline, dict) and any(v not in (None, "", [], {}) for v in inline.values()):
        return True
    return bool(companions(g, b, "s3/bucketWebsiteConfiguration"))


def _versioned(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    log_buckets = _log_buckets(g)
    for b in g.of(BUCKET, _native.BUCKET):
        if b.urn in log_buckets or not is_data_bucket(b, config, "s3-data-bucket-versioned"):
            continue  # logs are written once and expired, never restored: versioning only keeps more of them
        if serves_website(g, b) and not tagged_data(b, config, "s3-data-bucket-versioned"):
            continue  # published files, uploaded again by the program or the build that made them
        state, by = versioning_state(g, b)
        if state == "Enabled":
            continue
        if state == "Suspended":
            yield b, (f"{describe_bucket(b)} holds data but its versioning is Suspended (by {by.label()}); set "
                      f"versioningConfiguration.status to \"Enabled\" so deleted or overwritten objects can be restored.")
        elif state == "unknown":
            yield b, (f"{describe_bucket(b)} holds data but its versioning status is unknown at preview; set the status from a "
                      f"literal \"Enabled\".")
        else:
            tag = setting(config, "s3-data-bucket-versioned", "dataTag")
            how = ("set versioningConfiguration.status to \"Enabled\"" if b.kind == _native.BUCKET else
                   "add an aws.s3.BucketVersioning with status \"Enabled\" for it")
            yield b, (f"{describe_bucket(b)} holds data but is not versioned; {how} (or tag it {tag}=false if it holds "
                      f"none).")


# --- s3-data-bucket-encrypted ------------------------------------------------------------------------------
def _has_sse(data: Any) -> Optional[bool]:
    values = list(find_values(data, "sseAlgorithm"))
    if any(isinstance(v, str) and v and not is_unknown(v) for v in values):
        return True
    if any(is_unknown(v) for v in values):
        return None
    return False


def _encrypted(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    # Since January 2023 AWS encrypts every bucket with SSE-S3 whatever the program declares, so a bucket that
    # declares nothing is encrypted: this is advice to make the choice explicit, not a finding of plaintext data.
    for b in g.of(BUCKET):
        if not is_data_bucket(b, config, "s3-data-bucket-encrypted"):
            continue
        sources = [b.inputs.get("serverSideEncryptionConfiguration"), b.inputs.get("serverSideEncryptionConfigurations")]
        sources += [c.props for c in companions(g, b, "s3/bucketServerSideEncryptionConfiguration")]
        results = [_has_sse(s) for s in sources if s]
        if True in results or None in results:
            continue
        yield b, (f"{describe_bucket(b)} holds data and relies on the SSE-S3 encryption AWS applies to every bucket; declare "
                  f"an aws.s3.BucketServerSideEncryptionConfiguration (sseAlgorithm \"AES256\", or \"aws:kms\" with "
                  f"a key you control) so the choice is explicit.")


# --- s3-bucket-not-public ----------------------------------------------------------------------------------
def _policy_doc(value: Any) -> Optional[dict]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value and not is_unknown(value):
        try:
            doc = json.loads(value)
            return doc if isinstance(doc, dict) else None
        except ValueError:
            return None
    return None


def _statements(doc: Optional[dict]) -> List[dict]:
    return [s for s in as_list((doc or {}).get("Statement")) if isinstance(s, dict)]


def _public_statement(doc: Optional[dict]) -> bool:
    for st in _statements(doc):
        if st.get("Effect") != "Allow" or st.get("Condition"):
            continue
        principal = st.get("Principal")
        if principal == "*" or (isinstance(principal, dict) and "*" in as_list(principal.get("AWS"))):
            return True
    return False


def bucket_policies(g: Graph, b: Node) -> List[Tuple[Node, Optional[dict]]]:
    out = []
    if b.props.get("policy"):
        out.append((b, _policy_doc(b.props.get("policy"))))
    for c in companions(g, b, "s3/bucketPolicy"):
        out.append((c, _policy_doc(c.props.get("policy"))))
    return out


ACL_OWNERSHIPS = ("BucketOwnerPreferred", "ObjectWriter")


def _not_public(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    # Since April 2023 a new bucket has Block Public Access on and ACLs disabled (BucketOwnerEnforced): a bucket
    # is public only through what the program declares, so only that is a finding.
    log_buckets = _log_buckets(g)
    for b in g.of(BUCKET):
        acls = [(b, b.props.get("acl"))] + [(c, c.props.get("acl")) for c in companions(g, b, "s3/bucketAcl")]
        for by, acl in acls:
            if acl in PUBLIC_ACLS:
                yield b, f"{describe_bucket(b)} is made public by ACL {acl} on {by.label()}; use the private ACL (or none)."
        grants = [(c.props.get("accessControlPolicy"), c.label()) for c in companions(g, b, "s3/bucketAcl")]
        grants.append((b.inputs.get("grants"), "its inline grants"))  # the deprecated inline form
        for source, by in grants:
            uris = [v for v in find_values(source, "uri") if v in PUBLIC_GRANTEES]
            if uris:
                yield b, f"{describe_bucket(b)} grants access to {uris[0].rsplit('/', 1)[1]} through {by}; remove that grant."
        for by, doc in bucket_policies(g, b):
            if _public_statement(doc):
                yield b, (f"{describe_bucket(b)} has a policy ({by.label()}) that allows Principal \"*\" without a condition; "
                          f"grant only specific principals, e.g. CloudFront through Origin Access Control.")
        for pab in companions(g, b, "s3/bucketPublicAccessBlock"):
            off = [f for f in PAB_FLAGS if truthy(pab.props.get(f)) is not True]
            if off:
                yield b, (f"{describe_bucket(b)} has public access block {pab.label()} with {', '.join(off)} off; set all "
                          f"four flags to true.")
        if b.urn in log_buckets or not is_data_bucket(b, config, "s3-bucket-not-public"):
            continue  # CloudFront standard logs and ACL-based log delivery need ACLs enabled
        for oc in companions(g, b, "s3/bucketOwnershipControls"):
            mode = first(oc.props, "rule", "objectOwnership")
            if mode in ACL_OWNERSHIPS:
                yield b, (f"{describe_bucket(b)} turns ACLs back on through ownership controls {oc.label()} (objectOwnership "
                          f"{mode}), so object ACLs can grant access again; keep objectOwnership "
                          f"\"BucketOwnerEnforced\" (the default).")


# --- s3-backup-bucket-hardened -----------------------------------------------------------------------------
def _backup_hardened(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for b in g.of(BUCKET):
        if not is_backup_bucket(b, config, "s3-backup-bucket-hardened"):
            continue
        lifecycle = [b.inputs.get("lifecycleRules")] + [c.props for c in
                                                      companions(g, b, "s3/bucketLifecycleConfiguration")]
        noncurrent = any(list(find_values(x, "noncurrentVersionExpiration")) or
                         list(find_values(x, "noncurrentVersionExpirations")) for x in lifecycle if x)
        if not noncurrent:
            yield b, (f"Backup {mid_sentence(describe_bucket(b))} keeps noncurrent versions forever; add a lifecycle rule with "
                      f"noncurrentVersionExpiration.")
        lock = truthy(b.props.get("objectLockEnabled")) is True or bool(
            first(b.props, "objectLockConfiguration", "objectLockEnabled")) or bool(
            companions(g, b, "s3/bucketObjectLockConfiguration"))
        replicated = bool(b.inputs.get("replicationConfiguration") or b.inputs.get("replicationConfigurations")
                          or companions(g, b, "s3/bucketReplicationConfig"))
        mfa = any(first(c.props, "versioningConfiguration", "mfaDelete") == "Enabled"
                  for c in companions(g, b, "s3/bucketVersioning"))
        if not (lock or replicated or mfa):
            yield b, (f"Backup {mid_sentence(describe_bucket(b))} can be emptied by one mistaken delete; enable Object Lock, MFA delete "
                      f"or cross-region replication (aws.s3.BucketReplicationConfig).")


# --- s3-bucket-ssl-only ------------------------------------------------------------------------------------
def _denies_insecure(doc: Optional[dict]) -> bool:
    for st in _statements(doc):
        if st.get("Effect") != "Deny":
            continue
        cond = st.get("Condition") or {}
        for op in ("Bool", "BoolIfExists"):
            val = (cond.get(op) or {}).get("aws:SecureTransport")
            if str(val).lower() == "false" or val is False or val == ["false"]:
                return True
    return False


def _ssl_only(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for b in g.of(BUCKET):
        policies = bucket_policies(g, b)
        if any(doc is None for _, doc in policies):
            continue  # a policy computed at deploy time: cannot be read, do not guess
        if not any(_denies_insecure(doc) for _, doc in policies):
            yield b, (f"{describe_bucket(b)} accepts plain-HTTP requests; add a bucket policy statement that denies s3:* when "
                      f"aws:SecureTransport is false.")


# --- s3-bucket-logging -------------------------------------------------------------------------------------
def _logging(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    log_targets = set()
    for c in g.of("s3/bucketLogging"):
        for t in g.refs(c, "targetBucket", BUCKET):
            log_targets.add(t.urn)
    for b in g.of(BUCKET):
        if b.urn in log_targets or not is_data_bucket(b, config, "s3-bucket-logging"):
            continue
        if b.inputs.get("logging") or b.inputs.get("loggings") or companions(g, b, "s3/bucketLogging"):
            continue
        yield b, (f"{describe_bucket(b)} has no server access logging; add an aws.s3.BucketLogging that writes to the logs "
                  f"bucket.")


ELB_DELIVERY = "logdelivery.elasticloadbalancing.amazonaws.com"


def _grants_elb_delivery(doc: dict) -> bool:
    for st in _statements(doc):
        if st.get("Effect") != "Allow":
            continue
        actions = [str(a).lower() for a in as_list(st.get("Action"))]
        if not any(a in ("s3:putobject", "s3:*", "*") for a in actions):
            continue
        principal = st.get("Principal")
        if not isinstance(principal, dict):
            continue
        services = [str(x) for x in as_list(principal.get("Service"))]
        accounts = [str(x) for x in as_list(principal.get("AWS"))]
        if ELB_DELIVERY in services or any(x.startswith("arn:aws") and x.endswith(":root") for x in accounts):
            return True
    return False


def _lb_log_delivery(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    for lb in g.of("lb/loadBalancer", "elb/loadBalancer"):
        logs = first(lb.props, "accessLogs")
        if not isinstance(logs, dict) or truthy(logs.get("enabled")) is False:
            continue
        for b in g.refs(lb, "accessLogs", BUCKET):
            algos = [v for c in companions(g, b, "s3/bucketServerSideEncryptionConfiguration")
                     for v in find_values(c.props, "sseAlgorithm")]
            algos += list(find_values(b.inputs.get("serverSideEncryptionConfiguration"), "sseAlgorithm"))
            if any(isinstance(a, str) and a.startswith("aws:kms") for a in algos):
                yield lb, (f"Load balancer {lb.label()} logs to {mid_sentence(describe_bucket(b))}, which is "
                           f"encrypted with SSE-KMS, so every log write is denied; use SSE-S3 (AES256) on that bucket.")
            policies = bucket_policies(g, b)
            docs = [doc for _, doc in policies]
            if policies and any(doc is None for doc in docs):
                continue  # a policy computed at deploy time: cannot be read during preview, do not guess
            if not any(_grants_elb_delivery(doc) for doc in docs):
                yield lb, (f"Load balancer {lb.label()} logs to {mid_sentence(describe_bucket(b))}, whose policy "
                           f"does not let ELB log delivery write; grant s3:PutObject to {ELB_DELIVERY} (or the region's "
                           f"ELB account).")
            elif not any(p in lb.all_deps for p, _ in policies if p is not b):
                yield lb, (f"Load balancer {lb.label()} may be created before the policy of its log bucket "
                           f"{b.label()}, and then fails to enable logging; add depends_on on the bucket policy.")


def _log_buckets(g: Graph) -> dict:
    """Buckets that receive logs -> what writes them."""
    out: dict = {}
    for c in g.of("s3/bucketLogging"):
        for b in g.refs(c, "targetBucket", BUCKET):
            out.setdefault(b.urn, f"server access logs ({c.label()})")
    for lb in g.of("lb/loadBalancer", "elb/loadBalancer"):
        for b in g.refs(lb, "accessLogs", BUCKET):
            out.setdefault(b.urn, f"load balancer {lb.label()}")
    for cf in g.of("cloudfront/distribution"):
        for b in g.refs(cf, "loggingConfig", BUCKET):
            out.setdefault(b.urn, f"distribution {cf.label()}")
    for fl in g.of("ec2/flowLog"):
        for b in g.refs(fl, "logDestination", BUCKET):
            out.setdefault(b.urn, f"flow log {fl.label()}")
    return out


def _log_bucket_hygiene(g: Graph, config) -> Iterable[Tuple[Node, str]]:
    writers = _log_buckets(g)
    for b in g.of(BUCKET):
        for c in companions(g, b, "s3/bucketLogging"):
            if b in g.refs(c, "targetBucket", BUCKET):
                yield b, (f"{describe_bucket(b)} writes its access logs into itself ({c.label()}), and every log write makes "
                          f"another; send them to a separate logs bucket.")
        if b.urn not in writers:
            continue
        lifecycle = [b.inputs.get("lifecycleRules")] + [c.props for c in
                                                       companions(g, b, "s3/bucketLifecycleConfiguration")]
        if not any(list(find_values(x, "expiration")) or list(find_values(x, "expirations")) or
                   list(find_values(x, "days")) for x in lifecycle if x):
            yield b, (f"{describe_bucket(b)} receives logs from {writers[b.urn]} but never expires them; add a lifecycle rule "
                      f"with an expiration.")


def _efs_encrypted(node: Node, config) -> Iterable[str]:
    if truthy(node.props.get("encrypted")) is not True and not is_unknown(node.props.get("encrypted")):
        yield f"EFS file system {node.label()} is not encrypted at rest; set encrypted to true."


POLICIES = [
    stack_policy(
        "s3-data-bucket-versioned", _versioned, level=MANDATORY, catalogue=("B9", "NEW-12"),
        description="Buckets that hold data must have versioning Enabled (not Suspended).",
        config_schema=DATA_BUCKETS),
    stack_policy(
        "s3-data-bucket-encrypted", _encrypted, level=ADVISORY, catalogue=("H6",),
        description=("Buckets that hold data should declare their default encryption (AWS applies SSE-S3 to every "
                     "bucket that declares none)."),
        config_schema=DATA_BUCKETS),
    stack_policy(
        "s3-bucket-not-public", _not_public, level=MANDATORY, catalogue=("H2", "H3", "H4"),
        description=("Buckets must never be public: no public ACL or policy, and AWS's Block Public Access and ACL "
                     "defaults left on."),
        config_schema=DATA_BUCKETS),
    stack_policy(
        "s3-backup-bucket-hardened", _backup_hardened,
        level=ADVISORY, catalogue=("B10", "B11", "B12", "B13", "NEW-12"),
        description=("Backup buckets should expire noncurrent versions and have Object Lock or cross-region "
                     "replication."),
        config_schema=BACKUP_BUCKETS),
    stack_policy(
        "s3-bucket-ssl-only", _ssl_only, level=ADVISORY, catalogue=("H5",),
        description="Bucket policies should deny requests that are not made over TLS (aws:SecureTransport)."),
    stack_policy(
        "s3-bucket-logging", _logging, level=ADVISORY, catalogue=("H1",),
        description="Data buckets should have server access logging.",
        config_schema=DATA_BUCKETS),
    resource_policy(
        "efs-encrypted", ("efs/fileSystem",), _efs_encrypted, level=ADVISORY, catalogue=("L5",),
        description="EFS file systems should be encrypted at rest."),
    stack_policy(
        "lb-log-bucket-delivery", _lb_log_delivery, level=ADVISORY, catalogue=("NEW-12", "C8"),
        description=("A load balancer's access-log bucket must use SSE-S3, grant ELB log delivery, and exist with "
                     "its policy before the load balancer.")),
    stack_policy(
        "log-bucket-hygiene", _log_bucket_hygiene, level=ADVISORY, catalogue=("NEW-12",),
        description="Buckets that receive logs should expire them and must not log into themselves."),
]
