"""Storage, CDN and DNS, for both stacks in both runner modes.

Companions are found through their property dependencies (the bucket they were built from), never through
IDs: in preview mode (a first `pulumi preview` of a new stack) every ID, ARN and domain name is unknown and
the links must still hold. Values that exist only after creation (policy documents, ARNs) are checked in
update mode against the outputs of the resources they name.
"""

import json

import pytest

from tests.conftest import MODES, linked

from preflight.runner import UNKNOWN

PURPOSES = ["assets", "releases", "backups", "logs"]

BUCKET = "aws:s3/bucket:Bucket"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
ACL = "aws:s3/bucketAcl:BucketAcl"
LOGGING = "aws:s3/bucketLogging:BucketLogging"
OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
OAC = "aws:cloudfront/originAccessControl:OriginAccessControl"
CERTIFICATE = "aws:acm/certificate:Certificate"
VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
RECORD = "aws:route53/record:Record"
ZONE = "aws:route53/zone:Zone"

# What each stack file asks for (Pulumi.<stack>.yaml): retention and protection are the only differences.
EXPECTED = {
    "staging": dict(domain="staging.shop.example.com", protect=False, access_log_days=30, lock_days=7,
                    noncurrent_transition_days=30, noncurrent_expiration_days=120, dr_region="eu-central-1"),
    "prod": dict(domain="shop.example.com", protect=True, access_log_days=365, lock_days=30,
                 noncurrent_transition_days=30, noncurrent_expiration_days=365, dr_region="eu-central-1"),
}
PORTAL_REGION = "eu-west-1"




def expected(run):
    return EXPECTED[run.stack]


def bucket(run, key):
    return run.get(BUCKET, f"portal-{run.stack}-{key}")


def companion(run, type_, bucket_resource):
    """The one resource of `type_` built from this bucket."""
    found = [r for r in run.find(type_) if linked(r, "bucket") == {bucket_resource.urn}]
    assert len(found) == 1, f"{len(found)} {type_} for {bucket_resource.name}"
    found = found[0]
    if run.mode == "update":
        assert found.inputs["bucket"] == bucket_resource.outputs["bucket"]
    return found


def statements(policy):
    return json.loads(policy.inputs["policy"])["Statement"]


def tls_only(bucket_arn):
    return {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [bucket_arn, f"{bucket_arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def bucket_keys(run):
    """Every bucket the stack holds: the four purposes and, with a DR region, the backups replica."""
    return PURPOSES + (["backups-replica"] if expected(run)["dr_region"] else [])


# -- Storage ------------------------------------------------------------------------------------------


def test_storage_is_one_component_owning_one_bucket_per_purpose(run):
    storage = run.find("ecommerce:storage:Storage")
    assert len(storage) == 1
    portal = run.find("ecommerce:portal:Portal")[0]
    assert storage[0].parent == portal.urn
    names = sorted(b.name for b in run.find(BUCKET))
    assert names == sorted(f"portal-{run.stack}-{key}" for key in bucket_keys(run))
    for key in bucket_keys(run):
        assert bucket(run, key).parent == storage[0].urn
        assert bucket(run, key).inputs["forceDestroy"] is False


@pytest.mark.parametrize("key", PURPOSES + ["backups-replica"])
def test_every_bucket_blocks_public_access_encrypts_and_versions(run, key):
    if key not in bucket_keys(run):
        pytest.fail(f"{run.stack} has no {key} bucket")
    b = bucket(run, key)
    block = companion(run, PUBLIC_ACCESS_BLOCK, b)
    assert {k: block.inputs[k] for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                          "restrictPublicBuckets")} == dict.fromkeys(
        ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True)
    encryption = companion(run, ENCRYPTION, b)
    assert encryption.inputs["rules"] == [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]
    versioning = companion(run, VERSIONING, b)
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    ownership = companion(run, OWNERSHIP, b)
    # Only the logs bucket keeps ACLs (CloudFront's standard logs are delivered through them).
    assert ownership.inputs["rule"] == {
        "objectOwnership": "BucketOwnerPreferred" if key == "logs" else "BucketOwnerEnforced"}
    lifecycle = companion(run, LIFECYCLE, b)
    assert versioning.urn in lifecycle.dependencies
    for rule in lifecycle.inputs["rules"]:
        assert rule["status"] == "Enabled" and rule["filter"] == {"prefix": ""}
        assert rule["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 7.0}
    # Buckets outside the portal's region say so; the others use the provider's region.
    if key == "backups-replica":
        for r in (b, block, encryption, versioning, ownership, lifecycle):
            assert r.inputs["region"] == expected(run)["dr_region"], r.name
    else:
        assert "region" not in b.inputs


@pytest.mark.parametrize("key", PURPOSES + ["backups-replica"])
def test_every_bucket_has_exactly_one_policy_and_it_denies_plain_http(run, key):
    if key not in bucket_keys(run):
        pytest.fail(f"{run.stack} has no {key} bucket")
    b = bucket(run, key)
    policy = companion(run, POLICY, b)
    assert b.urn in linked(policy, "policy")
    # Written after the public access block, or S3 may reject it while that is being applied.
    assert companion(run, PUBLIC_ACCESS_BLOCK, b).urn in policy.dependencies
    if run.mode == "update":
        assert statements(policy)[0] == tls_only(b.outputs["arn"])
    else:
        assert policy.inputs["policy"] == UNKNOWN


def test_protected_buckets_follow_the_stack_protection_flag(run):
    protect = expected(run)["protect"]
    for key in ("assets", "releases", "backups", "backups-replica"):
        assert bucket(run, key).protect is protect, key
    # Access logs expire by design: the logs bucket never blocks a teardown.
    assert bucket(run, "logs").protect is False


def test_backups_are_locked_and_their_old_versions_go_to_glacier_then_expire(run):
    want = expected(run)
    for key in ("backups", "backups-replica"):
        b = bucket(run, key)
        assert b.inputs["objectLockEnabled"] is True
        lock = companion(run, OBJECT_LOCK, b)
        assert lock.inputs["rule"] == {"defaultRetention": {"mode": "GOVERNANCE", "days": float(want["lock_days"])}}
        assert companion(run, VERSIONING, b).urn in lock.dependencies
        rules = companion(run, LIFECYCLE, b).inputs["rules"]
        assert len(rules) == 1
        assert rules[0]["noncurrentVersionTransitions"] == [
            {"noncurrentDays": float(want["noncurrent_transition_days"]), "storageClass": "GLACIER"}]
        assert rules[0]["noncurrentVersionExpiration"] == {"noncurrentDays": float(want["noncurrent_expiration_days"])}
        assert "expiration" not in rules[0]
    for key in ("assets", "releases", "logs"):
        assert "objectLockEnabled" not in bucket(run, key).inputs
        assert not [r for r in run.find(OBJECT_LOCK) if linked(r, "bucket") == {bucket(run, key).urn}]


def test_releases_and_assets_keep_every_version(run):
    for key in ("assets", "releases"):
        rules = companion(run, LIFECYCLE, bucket(run, key)).inputs["rules"]
        assert all("expiration" not in r and "noncurrentVersionExpiration" not in r for r in rules), key


def test_backups_replicate_to_the_dr_region_with_a_role_of_their_own(run):
    source, replica = bucket(run, "backups"), bucket(run, "backups-replica")
    replication = companion(run, REPLICATION, source)
    role = run.get("aws:iam/role:Role", f"portal-{run.stack}-backups-replication")
    assert linked(replication, "role") == {role.urn}
    assert linked(replication, "rules") == {replica.urn}
    (rule,) = replication.inputs["rules"]
    assert rule["status"] == "Enabled" and rule["filter"] == {"prefix": ""}
    assert rule["deleteMarkerReplication"] == {"status": "Disabled"}
    # Both sides must be versioned before S3 accepts a replication configuration.
    assert {companion(run, VERSIONING, source).urn, companion(run, VERSIONING, replica).urn} <= set(
        replication.dependencies)
    assert json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]["Principal"] == {"Service": "s3.amazonaws.com"}
    role_policy = run.get("aws:iam/rolePolicy:RolePolicy", f"portal-{run.stack}-backups-replication")
    assert linked(role_policy, "role") == {role.urn}
    assert linked(role_policy, "policy") == {source.urn, replica.urn}
    if run.mode == "update":
        assert rule["destination"] == {"bucket": replica.outputs["arn"], "storageClass": "STANDARD_IA"}
        assert replica.outputs["arn"].startswith("arn:aws:s3:::")
        granted = {a: s["Resource"] for s in json.loads(role_policy.inputs["policy"])["Statement"]
                   for a in s["Action"]}
        assert granted["s3:ReplicateObject"] == f"{replica.outputs['arn']}/*"
        assert granted["s3:GetObjectRetention"] == f"{source.outputs['arn']}/*"
        assert granted["s3:ListBucket"] == source.outputs["arn"]
        assert "*" not in granted.values()


def test_without_a_dr_region_nothing_is_replicated(portal_run):
    result = portal_run("prod", "preview", {"portal:drRegion": ""})
    assert result.error is None, result.error
    assert sorted(b.name for b in result.find(BUCKET)) == sorted(f"portal-prod-{p}" for p in PURPOSES)
    assert result.find(REPLICATION) == []


def test_access_logs_expire_and_the_load_balancer_may_deliver_them(run):
    logs = bucket(run, "logs")
    (rule,) = companion(run, LIFECYCLE, logs).inputs["rules"]
    assert rule["expiration"] == {"days": float(expected(run)["access_log_days"])}
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 7.0}
    policy = companion(run, POLICY, logs)
    storage = run.find("ecommerce:storage:Storage")[0]
    assert policy.parent == storage.urn and policy.name == f"portal-{run.stack}-logs"
    if run.mode == "update":
        arn = logs.outputs["arn"]
        (elb,) = [i for i in run.invokes if i.token == "aws:elb/getServiceAccount:getServiceAccount"]
        account = [i for i in run.invokes if i.token == "aws:index/getCallerIdentity:getCallerIdentity"][0]
        objects = f"{arn}/*AWSLogs/{account.result['accountId']}/*"
        assert statements(policy)[1:] == [
            {"Sid": "AllowAlbLogDeliveryService", "Effect": "Allow",
             "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, "Action": "s3:PutObject",
             "Resource": objects},
            {"Sid": "AllowAlbLogDeliveryAccount", "Effect": "Allow", "Principal": {"AWS": elb.result["arn"]},
             "Action": "s3:PutObject", "Resource": objects},
            {"Sid": "AllowS3ServerAccessLogs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
             "Action": "s3:PutObject", "Resource": f"{arn}/s3/*",
             "Condition": {"StringEquals": {"aws:SourceAccount": account.result["accountId"]}}},
        ]


def test_data_buckets_log_their_requests_into_the_logs_bucket(run):
    logs = bucket(run, "logs")
    delivery = companion(run, POLICY, logs)
    for key in ("assets", "releases", "backups"):
        logging = companion(run, LOGGING, bucket(run, key))
        assert linked(logging, "targetBucket") == {logs.urn}
        assert logging.inputs["targetPrefix"] == f"s3/{key}/"
        assert delivery.urn in logging.dependencies
        if run.mode == "update":
            assert logging.inputs["targetBucket"] == logs.outputs["bucket"]
    # Neither the logs bucket (it would log its own deliveries) nor the replica (another region) logs here.
    assert len(run.find(LOGGING)) == 3


# -- CDN ----------------------------------------------------------------------------------------------


def distribution(run):
    (found,) = run.find(DISTRIBUTION)
    return found


def test_cloudfront_reads_the_assets_bucket_through_an_origin_access_control(run):
    cdn = run.find("ecommerce:cdn:Cdn")
    assert len(cdn) == 1
    oac = run.get(OAC, f"portal-{run.stack}-assets")
    assert oac.parent == cdn[0].urn
    assert {k: oac.inputs[k] for k in ("originAccessControlOriginType", "signingBehavior", "signingProtocol")} == {
        "originAccessControlOriginType": "s3", "signingBehavior": "always", "signingProtocol": "sigv4"}
    d = distribution(run)
    assert d.parent == cdn[0].urn
    assert linked(d, "origins") == {oac.urn, bucket(run, "assets").urn}
    (origin,) = d.inputs["origins"]
    assert "s3OriginConfig" not in origin and "customOriginConfig" not in origin
    assert d.inputs["defaultCacheBehavior"]["targetOriginId"] == origin["originId"]
    if run.mode == "update":
        assert origin["originAccessControlId"] == oac.id
        assert origin["domainName"] == bucket(run, "assets").outputs["bucketRegionalDomainName"]


def test_cloudfront_serves_https_only_with_tls12_sni_and_compression(run):
    d = distribution(run)
    behavior = d.inputs["defaultCacheBehavior"]
    assert behavior["viewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["compress"] is True
    assert behavior["allowedMethods"] == ["GET", "HEAD", "OPTIONS"]
    cert = d.inputs["viewerCertificate"]
    assert cert["minimumProtocolVersion"] == "TLSv1.2_2021"
    assert cert["sslSupportMethod"] == "sni-only"
    assert "cloudfrontDefaultCertificate" not in cert
    validation = run.get(VALIDATION, f"portal-{run.stack}-cdn")
    assert linked(d, "viewerCertificate") == {validation.urn}
    assert d.inputs["aliases"] == [f"static.{expected(run)['domain']}"]
    assert d.inputs["priceClass"] == "PriceClass_100"
    assert d.inputs["enabled"] is True and d.inputs["isIpv6Enabled"] is True
    if run.mode == "update":
        assert cert["acmCertificateArn"].startswith("arn:aws:acm:us-east-1:")


def test_cloudfront_logs_to_the_logs_bucket_once_awslogsdelivery_is_granted(run):
    d = distribution(run)
    logs = bucket(run, "logs")
    assert linked(d, "loggingConfig") == {logs.urn}
    assert d.inputs["loggingConfig"]["prefix"] == "cloudfront/"
    assert d.inputs["loggingConfig"]["includeCookies"] is False
    acl = companion(run, ACL, logs)
    assert acl.urn in d.dependencies
    assert {companion(run, OWNERSHIP, logs).urn, companion(run, PUBLIC_ACCESS_BLOCK, logs).urn} <= set(
        acl.dependencies)
    (owner,) = [i for i in run.invokes if i.token == "aws:s3/getCanonicalUserId:getCanonicalUserId"]
    (delivery,) = [i for i in run.invokes if i.token ==
                   "aws:cloudfront/getLogDeliveryCanonicalUserId:getLogDeliveryCanonicalUserId"]
    policy = acl.inputs["accessControlPolicy"]
    assert policy["owner"].get("id") == owner.result.get("id")
    assert [(g["grantee"]["type"], g["grantee"].get("id"), g["permission"]) for g in policy["grants"]] == [
        ("CanonicalUser", owner.result.get("id"), "FULL_CONTROL"),
        ("CanonicalUser", delivery.result.get("id"), "FULL_CONTROL")]
    # No other bucket carries an ACL: theirs are disabled (BucketOwnerEnforced).
    assert [r.name for r in run.find(ACL)] == [acl.name]
    if run.mode == "update":
        assert d.inputs["loggingConfig"]["bucket"] == logs.outputs["bucketDomainName"]


def test_the_assets_bucket_policy_admits_only_this_distribution(run):
    assets = bucket(run, "assets")
    policy = companion(run, POLICY, assets)
    d = distribution(run)
    assert policy.parent == run.find("ecommerce:cdn:Cdn")[0].urn
    assert linked(policy, "policy") == {assets.urn, d.urn}
    if run.mode == "update":
        deny, allow = statements(policy)
        assert deny == tls_only(assets.outputs["arn"])
        assert allow == {
            "Sid": "AllowThisDistributionOnly", "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
            "Resource": f"{assets.outputs['arn']}/*",
            "Condition": {"StringEquals": {"AWS:SourceArn": d.outputs["arn"]}},
        }
        assert d.outputs["arn"].startswith("arn:aws:cloudfront::") and d.outputs["arn"].endswith(f"/{d.id}")


# -- DNS ----------------------------------------------------------------------------------------------


def test_the_zone_is_created_for_the_domain_and_protected_with_the_stack(run):
    dns = run.find("ecommerce:dns:Dns")
    assert len(dns) == 1
    (zone,) = run.find(ZONE)
    assert zone.parent == dns[0].urn
    assert zone.inputs["name"] == expected(run)["domain"]
    assert zone.inputs["forceDestroy"] is False
    assert zone.protect is expected(run)["protect"]
    for record in run.find(RECORD):
        assert linked(record, "zoneId") == {zone.urn}, record.name
        if run.mode == "update":
            assert record.inputs["zoneId"] == zone.outputs["zoneId"]


def test_an_existing_zone_is_looked_up_not_created(portal_run):
    result = portal_run("prod", "preview", {"portal:hostedZoneId": "Z0123456789ABCDEFGHIJ"})
    assert result.error is None, result.error
    assert result.find(ZONE) == []
    lookups = [i for i in result.invokes if i.token == "aws:route53/getZone:getZone"]
    assert [i.args for i in lookups] == [{"zoneId": "Z0123456789ABCDEFGHIJ"}]
    records = result.find(RECORD)
    assert records and all(r.inputs["zoneId"] == "Z0123456789ABCDEFGHIJ" for r in records)


def test_a_zone_that_cannot_hold_the_domain_is_refused(portal_run):
    # The offline getZone answers "example.com" for a lookup by ID; shop.example.org cannot live there.
    result = portal_run("prod", "preview", {"portal:hostedZoneId": "Z0123456789ABCDEFGHIJ",
                                            "portal:domain": "shop.example.org"})
    assert result.error is not None
    assert "portal:hostedZoneId = Z0123456789ABCDEFGHIJ: the zone is example.com, which cannot hold " \
           "portal:domain shop.example.org" in result.error.message


@pytest.mark.parametrize("key, names, region", [
    ("regional", ["apex", "www"], None),
    ("cdn", ["static"], "us-east-1"),
])
def test_certificates_are_dns_validated_in_the_right_region(run, key, names, region):
    domain = expected(run)["domain"]
    fqdn = {"apex": domain, "www": f"www.{domain}", "static": f"static.{domain}"}
    cert = run.get(CERTIFICATE, f"portal-{run.stack}-{key}")
    validation = run.get(VALIDATION, f"portal-{run.stack}-{key}")
    assert cert.inputs["validationMethod"] == "DNS"
    assert cert.inputs["domainName"] == fqdn[names[0]]
    assert cert.inputs.get("subjectAlternativeNames", []) == [fqdn[n] for n in names[1:]]
    assert cert.inputs.get("region") == region and validation.inputs.get("region") == region
    records = [run.get(RECORD, f"portal-{run.stack}-validation-{n}") for n in names]
    assert linked(validation, "certificateArn") == {cert.urn}
    assert linked(validation, "validationRecordFqdns") == {r.urn for r in records}
    for record in records:
        assert {*linked(record, "name"), *linked(record, "type"), *linked(record, "records")} == {cert.urn}
        assert record.inputs["ttl"] == 60.0
    if run.mode == "update":
        assert cert.outputs["arn"].split(":")[3] == (region or PORTAL_REGION)
        options = {o["domainName"]: o for o in cert.outputs["domainValidationOptions"]}
        for short, record in zip(names, records):
            option = options[fqdn[short]]
            assert (record.inputs["name"], record.inputs["type"], record.inputs["records"]) == (
                option["resourceRecordName"], option["resourceRecordType"], [option["resourceRecordValue"]])
        assert validation.inputs["validationRecordFqdns"] == [r.outputs["fqdn"] for r in records]


def test_static_is_an_alias_to_cloudfront_and_nothing_is_a_cname_but_acm_validations(run):
    domain = expected(run)["domain"]
    d = distribution(run)
    for record_type in ("A", "AAAA"):
        record = run.get(RECORD, f"portal-{run.stack}-static-{record_type.lower()}")
        assert (record.inputs["name"], record.inputs["type"]) == (f"static.{domain}", record_type)
        assert "records" not in record.inputs and "ttl" not in record.inputs
        assert linked(record, "aliases") == {d.urn}
        (alias,) = record.inputs["aliases"]
        assert alias["evaluateTargetHealth"] is False
        if run.mode == "update":
            assert (alias["name"], alias["zoneId"]) == (d.outputs["domainName"], d.outputs["hostedZoneId"])
    validation_records = {f"portal-{run.stack}-validation-{n}" for n in ("apex", "www", "static")}
    for record in run.find(RECORD):
        if record.name in validation_records:
            continue
        assert record.inputs["type"] in ("A", "AAAA"), record.name
        assert "aliases" in record.inputs and "records" not in record.inputs, record.name


def test_apex_and_www_are_alias_records_to_the_portal_load_balancer(run):
    domain = expected(run)["domain"]
    alb = run.get("aws:lb/loadBalancer:LoadBalancer", f"portal-{run.stack}-alb")
    dns = run.find("ecommerce:dns:Dns")[0]
    for short, name in (("apex", domain), ("www", f"www.{domain}")):
        at_name = [r for r in run.find(RECORD) if r.inputs.get("name") == name]
        assert sorted(r.inputs["type"] for r in at_name) == ["A", "AAAA"], name
        for record in at_name:
            assert record.name == f"portal-{run.stack}-{short}-{record.inputs['type'].lower()}"
            assert record.parent == dns.urn
            assert "records" not in record.inputs and "ttl" not in record.inputs
            assert linked(record, "aliases") == {alb.urn}
            (alias,) = record.inputs["aliases"]
            assert alias["evaluateTargetHealth"] is True
            if run.mode == "update":
                assert (alias["name"], alias["zoneId"]) == (alb.outputs["dnsName"], alb.outputs["zoneId"])


# -- point_at with a stand-in load balancer ----------------------------------------------------------


@pytest.fixture(params=MODES)
def aliases_run(request, program_run):
    result = program_run("dns_aliases", "test", request.param)
    assert result.error is None, result.error
    return result


def test_apex_and_www_are_alias_a_and_aaaa_to_the_load_balancer_with_health_evaluated(aliases_run):
    alb = aliases_run.get("aws:lb/loadBalancer:LoadBalancer", "standin-alb")
    dns = aliases_run.find("ecommerce:dns:Dns")[0]
    for short, name in (("apex", "shop.example.com"), ("www", "www.shop.example.com")):
        for record_type in ("A", "AAAA"):
            record = aliases_run.get(RECORD, f"portal-test-{short}-{record_type.lower()}")
            assert record.parent == dns.urn
            assert (record.inputs["name"], record.inputs["type"]) == (name, record_type)
            assert "records" not in record.inputs
            assert linked(record, "aliases") == {alb.urn}
            (alias,) = record.inputs["aliases"]
            assert alias["evaluateTargetHealth"] is True
            if aliases_run.mode == "update":
                assert (alias["name"], alias["zoneId"]) == (alb.outputs["dnsName"], alb.outputs["zoneId"])
    apex = [r for r in aliases_run.find(RECORD) if r.inputs.get("name") == "shop.example.com"]
    assert sorted(r.inputs["type"] for r in apex) == ["A", "AAAA"]


def test_a_second_alias_call_cannot_duplicate_or_repoint_the_records(aliases_run):
    assert aliases_run.outputs["aliases"] == ["apex-a", "apex-aaaa", "static-a", "static-aaaa", "www-a", "www-aaaa"]
    assert aliases_run.outputs["secondCallRefused"] == (
        "the zone's aliases exist already: point_at is called once, with both targets")
    static = [r for r in aliases_run.find(RECORD) if r.inputs.get("name") == "static.shop.example.com"]
    assert sorted(r.inputs["type"] for r in static) == ["A", "AAAA"]
