"""Findings that were false on real programs, in the form cases_containers.py describes: each class as a
compliant variant that must pass and a violating one that must still fail with its exact message.

- S3 defaults: every new bucket is encrypted with SSE-S3 and has Block Public Access on and ACLs disabled, so a
  bare bucket is neither unencrypted nor public unless the program turns a default off.
- Target groups: TCP/UDP/TCP_UDP/TLS target groups health-check at the transport level; the ALB's default matcher
  is 200; whether / is an application page is advice, not a defect.
- IMDSv2 from the image: images registered to require IMDSv2 (Amazon Linux 2023) need no metadata options.
- Secret config: an RDS master password or a secret version from secret config is encrypted like a generated one.
- Log buckets need no versioning.
- Advisory: relative record names, S3 website origins, validation with an explicit provider, Performance Insights
  on Aurora instances, access logs on TCP-only NLBs.
"""
from .case_helpers import PUBLIC_POLICY, clb, instance
from .fixtures import TOKENS as AWS_TOKENS, compliant
from .pk import ref

TOKENS = {
    "bucket": AWS_TOKENS["bucket"], "bucket-v2": "aws:s3/bucketV2:BucketV2", "pab": AWS_TOKENS["pab"],
    "policy": AWS_TOKENS["policy"], "acl-v2": "aws:s3/bucketAclV2:BucketAclV2",
    "ownership": "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "logging-v2": "aws:s3/bucketLoggingV2:BucketLoggingV2", "tg": AWS_TOKENS["tg"],
    "alb-tg": "aws:alb/targetGroup:TargetGroup", "lb": AWS_TOKENS["lb"], "listener": AWS_TOKENS["listener"],
    "website": "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "provider": "pulumi:providers:aws",
    "cluster": AWS_TOKENS["cluster"], "clusterinst": AWS_TOKENS["clusterinst"], "ami": "aws:ec2/amiCopy:AmiCopy"}
SECRET = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"
AL2023_SSM = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def stack(name="prod"):
    return compliant(name)


def secret(value):
    """A value as the engine sends a secret: pulumi-aws's SDK wraps every input its schema marks secret (an RDS
    password, a secret version's value), a literal as much as a value from secret config."""
    return {SECRET[0]: SECRET[1], "value": value}


# --- S3 defaults -----------------------------------------------------------------------------------------------
def bare(s, name="media", token=TOKENS["bucket"]):
    """A bucket with no companion resource: AWS encrypts it and blocks public access by default."""
    return s.add(token, name, {"bucket": f"shop-{name}"})


def ownership(s, bucket, mode):
    return s.add(TOKENS["ownership"], f"{bucket}-ownership", {"bucket": ref(bucket), "rule": {"objectOwnership": mode}})


_MEDIA = "Bucket 'media' (shop-media)"
_DEFAULT_SSE = (f"{_MEDIA} holds data and relies on the SSE-S3 encryption AWS applies to every bucket; declare an "
                f"aws.s3.BucketServerSideEncryptionConfiguration (sseAlgorithm \"AES256\", or \"aws:kms\" with a key "
                f"you control) so the choice is explicit.")
_ACLS_ENABLED = (f"{_MEDIA} turns ACLs back on through ownership controls 'media-ownership' (objectOwnership "
                 f"{{mode}}), so object ACLs can grant access again; keep objectOwnership \"BucketOwnerEnforced\" "
                 f"(the default).")
_UNVERSIONED = (f"{_MEDIA} holds data but is not versioned; add an aws.s3.BucketVersioning with status \"Enabled\" for "
                f"it (or tag it holds-data=false if it holds none).")


def _log_target(s, kind):
    """A bare bucket that only receives logs, as the target of one writer."""
    s = bare(s, "trail")
    if kind == "alb":
        s.set("alb", "accessLogs.bucket", ref("trail"))
    elif kind == "cloudfront":
        s.set("cdn", "loggingConfig.bucket", ref("trail"))
    elif kind == "server-access":
        s.set("assets-logging", "targetBucket", ref("trail"))
    else:  # the deprecated BucketV2 / BucketLoggingV2 pair
        s.retype("trail", TOKENS["bucket-v2"]).retype("assets-logging", TOKENS["logging-v2"]).set(
            "assets-logging", "targetBucket", ref("trail"))
    return s


# --- target groups ---------------------------------------------------------------------------------------------
def nlb_group(s, protocol="TCP", health=None):
    """A target group behind a Network Load Balancer, with AWS's default health check unless one is given."""
    props = {"port": 443.0 if protocol == "TLS" else 8080.0, "protocol": protocol, "vpcId": ref("vpc"),
             "targetType": "instance", "deregistrationDelay": 30.0}
    if health is not None:
        props["healthCheck"] = health
    return s.add(TOKENS["tg"], "tcp-tg", props)


_ROOT_HINT = "if / is not a page that exercises the application, set healthCheck.path to an endpoint that does " \
             "(e.g. /healthz)."


# --- IMDSv2 from the image -------------------------------------------------------------------------------------
AL2023 = "ami-0a1b2c3d4e5f60718"


def _unset(label, image):
    return (f"{label} leaves metadataOptions.httpTokens unset, so it allows IMDSv1 unless its image {image} requires "
            f"IMDSv2 (as Amazon Linux 2023 images do), which the policy cannot see from here; set "
            f"metadataOptions.httpTokens to \"required\" to make it explicit, or list the image id in imdsv2ImageIds.")


# --- secret config ---------------------------------------------------------------------------------------------
def from_config(s, key, value, secret_config):
    """Stack config as the engine hands it to the pack (ConfigureStack): the value, and whether its key is secret."""
    s.config[f"shop:{key}"] = value
    if secret_config:
        s.secret_keys.add(f"shop:{key}")
    return s


def _password(s, value, secret_config, key="password", db="db"):
    """The master password from stack config; the input arrives secret either way (see `secret`)."""
    if db == "db":
        s.drop("db", "manageMasterUserPassword")
    return from_config(s, "dbPassword", value, secret_config).set(db, key, secret(value))


def _aurora(s):
    s.add(TOKENS["cluster"], "aurora", {"engine": "aurora-mysql", "storageEncrypted": True, "backupRetentionPeriod": 7.0,
                                        "finalSnapshotIdentifier": "aurora-final", "masterUsername": "shop",
                                        "deletionProtection": True, "dbSubnetGroupName": ref("db-subnets"),
                                        "enabledCloudwatchLogsExports": ["error"],
                                        "preferredBackupWindow": "03:00-04:00",
                                        "preferredMaintenanceWindow": "sun:05:00-sun:06:00"})
    for i in range(2):
        s.add(TOKENS["clusterinst"], f"aurora-{i}", {"clusterIdentifier": ref("aurora"), "instanceClass": "db.r6g.large",
                                                      "engine": "aurora-mysql", "performanceInsightsEnabled": True})
    return s


_PLAIN_DB = ("{what} takes its master password from a plaintext literal or a non-secret config value, so it is "
             "stored unencrypted in the program or its stack configuration; set manageMasterUserPassword to true, or "
             "make it secret config (pulumi config set --secret) or a generated password (random.RandomPassword).")


# --- advisory ----------------------------------------------------------------------------------------------------
def relative_names(s):
    """Records named relative to their zone (www, static, apex as the zone name)."""
    s.set("zone", "name", "shop.example.com")
    return s.set("www", "name", "www").set("static", "name", "static").set("apex", "name", "")


def website_origin(s, domain):
    """A custom origin on an S3 website endpoint, which answers only over HTTP."""
    return s.set("cdn", "origins.1", {"originId": "backups", "domainName": domain, "customOriginConfig": {
        "httpPort": 80.0, "httpsPort": 443.0, "originProtocolPolicy": "http-only", "originSslProtocols": ["TLSv1.2"]}})


def provider_certificate(s):
    """A certificate and its validation through an explicit us-east-1 provider; the validation record is found
    through the CertificateValidation's validationRecordFqdns, as programs that loop over domainValidationOptions
    in an apply build it."""
    s.add(TOKENS["provider"], "us-east-1", {"region": "us-east-1"})
    s.drop("cdn-cert", "region").set("cdn-cert-validation", "name", "_x1.static.shop.example.com")
    s.set("cdn-cert-validation", "type", "CNAME").set("cdn-cert-validation", "records", ["_x2.acm-validations.aws"])
    return s


def nlb(s, listeners):
    s.add(TOKENS["lb"], "nlb", {"loadBalancerType": "network", "internal": False,
                                "subnets": [ref("public-a"), ref("public-b")], "enableDeletionProtection": True})
    for i, (protocol, port) in enumerate(listeners):
        props = {"loadBalancerArn": ref("nlb"), "port": port, "protocol": protocol,
                 "defaultActions": [{"type": "forward", "targetGroupArn": ref("tcp-tg")}]}
        if protocol == "TLS":
            props.update(certificateArn=ref("cert-valid"), sslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06")
        s.add(TOKENS["listener"], f"nlb-{i}", props)
    return nlb_group(s)


VIOLATING = [
    # S3 defaults: what the program turns off is still found, on bare buckets and in both forms.
    ("s3-data-bucket-encrypted", "bare-bucket-relies-on-default", lambda s: bare(s), None,
     [("media", _DEFAULT_SSE)]),
    ("s3-data-bucket-encrypted", "bare-bucket-v2-relies-on-default", lambda s: bare(s, token=TOKENS["bucket-v2"]), None,
     [("media", _DEFAULT_SSE)]),
    ("s3-bucket-not-public", "ownership-enables-acls",
     lambda s: ownership(bare(s), "media", "BucketOwnerPreferred"), None,
     [("media", _ACLS_ENABLED.format(mode="BucketOwnerPreferred"))]),
    ("s3-bucket-not-public", "ownership-object-writer",
     lambda s: ownership(bare(s, token=TOKENS["bucket-v2"]), "media", "ObjectWriter"), None,
     [("media", _ACLS_ENABLED.format(mode="ObjectWriter"))]),
    ("s3-bucket-not-public", "bare-bucket-public-acl",
     lambda s: bare(s, token=TOKENS["bucket-v2"]).add(TOKENS["acl-v2"], "media-acl", {"bucket": ref("media"),
                                                                                     "acl": "public-read"}), None,
     [("media", f"{_MEDIA} is made public by ACL public-read on 'media-acl'; use the private ACL (or none).")]),
    ("s3-bucket-not-public", "bare-bucket-v2-inline-grant",
     lambda s: bare(s, token=TOKENS["bucket-v2"]).set("media", "grants", [
         {"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permissions": ["READ"]}]), None,
     [("media", f"{_MEDIA} grants access to AllUsers through its inline grants; remove that grant.")]),
    ("s3-bucket-not-public", "bare-bucket-block-turned-off",
     lambda s: bare(s).add(TOKENS["pab"], "media-pab", {"bucket": ref("media"), "blockPublicAcls": True,
                                                        "blockPublicPolicy": False, "ignorePublicAcls": True,
                                                        "restrictPublicBuckets": False}), None,
     [("media", f"{_MEDIA} has public access block 'media-pab' with blockPublicPolicy, restrictPublicBuckets off; "
                f"set all four flags to true.")]),
    ("s3-bucket-not-public", "bare-bucket-public-policy",
     lambda s: bare(s).add(TOKENS["policy"], "media-policy", {"bucket": ref("media"), "policy": PUBLIC_POLICY}), None,
     [("media", f"{_MEDIA} has a policy ('media-policy') that allows Principal \"*\" without a condition; grant "
                f"only specific principals, e.g. CloudFront through Origin Access Control.")]),
    ("s3-data-bucket-versioned", "bare-data-bucket", lambda s: bare(s), None, [("media", _UNVERSIONED)]),
    # Target groups: a disabled check is still found on an NLB group; / is advice of its own.
    ("target-group-health-check", "nlb-check-disabled",
     lambda s: nlb_group(s, "TCP", {"enabled": False}), None,
     [("tcp-tg", "Target group 'tcp-tg' disables its health check; set healthCheck.enabled to true.")]),
    ("target-group-health-check-path", "root-path", lambda s: s.set("web-tg", "healthCheck.path", "/"), None,
     [("web-tg", f"Target group 'web-tg' health-checks path /; {_ROOT_HINT}")]),
    ("target-group-health-check-path", "default-path", lambda s: s.drop("web-tg", "healthCheck"), None,
     [("web-tg", f"Target group 'web-tg' health-checks path / (the default); {_ROOT_HINT}")]),
    ("target-group-health-check-path", "deprecated-token-default-path",
     lambda s: s.retype("web-tg", TOKENS["alb-tg"]).drop("web-tg", "healthCheck.path"), None,
     [("web-tg", f"Target group 'web-tg' health-checks path / (the default); {_ROOT_HINT}")]),
    ("target-group-health-check-path", "nlb-group-http-check-on-root",
     lambda s: nlb_group(s, "TCP", {"protocol": "HTTP", "path": "/"}), None,
     [("tcp-tg", f"Target group 'tcp-tg' health-checks path /; {_ROOT_HINT}")]),
    ("target-group-health-check-path", "configured-path",
     lambda s: s.set("web-tg", "healthCheck.path", "/ping"), {"forbiddenPaths": ["/", "/ping"]},
     [("web-tg", "Target group 'web-tg' health-checks path /ping; if /ping is not a page that exercises the "
                 "application, set healthCheck.path to an endpoint that does (e.g. /healthz).")]),
    ("target-group-health-check-path", "classic-root",
     lambda s: clb(s).set("classic", "healthCheck.target", "HTTP:8080/"), None,
     [("classic", "Classic load balancer 'classic' checks HTTP:8080/; if / is not a page that exercises the "
                  "application, point the target at an endpoint that does (e.g. HTTP:8080/healthz).")]),
    # IMDSv2 from the image: without metadata options the finding says what the policy cannot see.
    ("imdsv2-required", "image-not-listed", lambda s: instance(s, ami=AL2023).drop("lone", "metadataOptions"), None,
     [("lone", _unset("Instance 'lone'", AL2023))]),
    ("imdsv2-required", "template-image-not-listed",
     lambda s: s.drop("web-lt", "metadataOptions.httpTokens"), {"imdsv2ImageIds": [AL2023]},
     [("web-lt", _unset("Launch template 'web-lt'", "ami-0123456789abcdef0"))]),
    ("imdsv2-required", "listed-image-but-tokens-optional",
     lambda s: instance(s, ami=AL2023).set("lone", "metadataOptions.httpTokens", "optional"),
     {"imdsv2ImageIds": [AL2023]},
     [("lone", "Instance 'lone' allows IMDSv1 (httpTokens optional), which SSRF can abuse to steal its role "
               "credentials; set metadataOptions.httpTokens to \"required\".")]),
    ("imdsv2-required", "image-not-known-until-deploy",
     lambda s: s.add(TOKENS["ami"], "golden", {"sourceAmiId": AL2023, "sourceAmiRegion": "us-east-1"}).set(
         "web-lt", "imageId", ref("golden", "ami-0feedc0de0000001")).drop("web-lt", "metadataOptions.httpTokens"),
     {"imdsv2ImageIds": ["ami-0feedc0de0000001"]},
     {"preview": [("web-lt", _unset("Launch template 'web-lt'", "(an id not known until deploy)"))], "update": []}),
    # Secret config: plaintext still fails, on an instance and an Aurora cluster.
    ("rds-master-password-managed", "non-secret-config-value", lambda s: _password(s, "from-plain-config", False),
     None, [("db", _PLAIN_DB.format(what="RDS instance 'db'"))]),
    ("rds-master-password-managed", "literal-beside-secret-config",
     lambda s: from_config(s, "apiKey", "from-secret-config", True).drop("db", "manageMasterUserPassword").set(
         "db", "password", secret("a-literal-in-the-program")), None,
     [("db", _PLAIN_DB.format(what="RDS instance 'db'"))]),
    ("rds-master-password-managed", "cluster-literal",
     lambda s: _aurora(s).set("aurora", "masterPassword", secret("s3cr3t-pw")), None,
     [("aurora", _PLAIN_DB.format(what="RDS cluster 'aurora'"))]),
    ("rds-master-password-managed", "value-in-plain-and-secret-config",
     lambda s: from_config(_password(s, "reused-Passw0rd", True), "legacyPassword", "reused-Passw0rd", False), None,
     [("db", _PLAIN_DB.format(what="RDS instance 'db'"))]),
    # Log buckets: a data bucket that receives no logs still needs versioning (the deprecated writer form too).
    ("s3-data-bucket-versioned", "bucket-logging-elsewhere",
     lambda s: _log_target(s, "deprecated").set("assets-logging", "targetBucket", ref("logs")).remove(
         "assets-versioning"), None,
     [("assets", "Bucket 'assets' (shop-assets) holds data but is not versioned; add an aws.s3.BucketVersioning "
                 "with status \"Enabled\" for it (or tag it holds-data=false if it holds none)."),
      ("trail", "Bucket 'trail' (shop-trail) holds data but is not versioned; add an aws.s3.BucketVersioning with "
                "status \"Enabled\" for it (or tag it holds-data=false if it holds none).")]),
    # Advisory: what is still worth saying.
    ("certificate-covers-aliases", "relative-name-not-covered",
     lambda s: relative_names(s).set("www", "name", "shop"), None,
     [("www", "Record 'www' sends shop.shop.example.com to load balancer 'alb', whose HTTPS certificate does not "
              "cover it; add shop.shop.example.com to the certificate's subjectAlternativeNames.")]),
    ("cloudfront-origin-tls", "custom-origin-http-only",
     lambda s: website_origin(s, "origin.shop.example.com"), None,
     [("cdn", "Distribution 'cdn' reaches origin backups with http-only; set originProtocolPolicy to \"https-only\".")]),
    ("acm-dns-validated", "provider-certificate-without-validation",
     lambda s: provider_certificate(s).remove("cdn-cert-valid").set("cdn", "viewerCertificate.acmCertificateArn",
                                                                    ref("cdn-cert")), None,
     [("cdn-cert", "Certificate 'cdn-cert' has no DNS validation records or CertificateValidation in the stack; "
                   "create the records from domainValidationOptions and an aws.acm.CertificateValidation.")]),
    ("rds-performance-insights", "aurora-instance-without",
     lambda s: _aurora(s).drop("aurora-1", "performanceInsightsEnabled"), None,
     [("aurora-1", "RDS cluster instance 'aurora-1' has neither Performance Insights nor enhanced monitoring; set "
                   "performanceInsightsEnabled to true or monitoringInterval to 60 or less.")]),
    ("lb-access-logs", "nlb-with-tls-listener", lambda s: nlb(s, [("TCP", 80.0), ("TLS", 443.0)]), None,
     [("nlb", "Load balancer 'nlb' writes no access logs; set accessLogs with enabled true and the logs bucket "
              "(SSE-S3, with the ELB log-delivery bucket policy).")]),
]

COMPLIANT = [
    # S3 defaults: a bare bucket is private (current and deprecated form), a data bucket needs no block of its own.
    ("s3-bucket-not-public", "bare-bucket", lambda s: bare(s), None),
    ("s3-bucket-not-public", "bare-bucket-v2", lambda s: bare(s, token=TOKENS["bucket-v2"]), None),
    ("s3-bucket-not-public", "data-bucket-without-own-block", lambda s: s.remove("assets-pab"), None),
    ("s3-bucket-not-public", "ownership-enforced", lambda s: ownership(bare(s), "media", "BucketOwnerEnforced"), None),
    ("s3-bucket-not-public", "cloudfront-log-bucket-enables-acls",
     lambda s: ownership(s, "logs", "BucketOwnerPreferred"), None),
    ("s3-data-bucket-encrypted", "declared-kms", lambda s: s.set("assets-sse", "rules.0.applyServerSideEncryptionByDefault",
                                                                   {"sseAlgorithm": "aws:kms"}), None),
    # Log buckets need no versioning, whatever writes to them.
    ("s3-data-bucket-versioned", "logs-bucket-by-name", lambda s: s.drop("logs", "tags").remove("logs-versioning"),
     None),
    ("s3-data-bucket-versioned", "alb-log-bucket", lambda s: _log_target(s, "alb"), None),
    ("s3-data-bucket-versioned", "cloudfront-log-bucket", lambda s: _log_target(s, "cloudfront"), None),
    ("s3-data-bucket-versioned", "server-access-log-bucket", lambda s: _log_target(s, "server-access"), None),
    ("s3-data-bucket-versioned", "server-access-log-bucket-v2", lambda s: _log_target(s, "deprecated"), None),
    # Target groups: the defaults are a real check; transport-level checks have no path or matcher.
    ("target-group-health-check", "no-block-default-check", lambda s: s.drop("web-tg", "healthCheck"), None),
    ("target-group-health-check", "alb-default-matcher", lambda s: s.drop("web-tg", "healthCheck.matcher"), None),
    ("target-group-health-check", "root-path-is-advice", lambda s: s.set("web-tg", "healthCheck.path", "/"), None),
    ("target-group-health-check", "classic-root-is-advice",
     lambda s: clb(s).set("classic", "healthCheck.target", "HTTP:8080/"), None),
    ("target-group-health-check", "tcp-default", lambda s: nlb_group(s, "TCP"), None),
    ("target-group-health-check", "udp-default", lambda s: nlb_group(s, "UDP"), None),
    ("target-group-health-check", "tcp-udp-default", lambda s: nlb_group(s, "TCP_UDP"), None),
    ("target-group-health-check", "tls-default", lambda s: nlb_group(s, "TLS"), None),
    ("target-group-health-check", "tcp-explicit",
     lambda s: nlb_group(s, "TCP", {"enabled": True, "protocol": "TCP", "interval": 10.0, "healthyThreshold": 3.0,
                                    "unhealthyThreshold": 3.0}), None),
    ("target-group-health-check-path", "tcp-default", lambda s: nlb_group(s, "TCP"), None),
    ("target-group-health-check-path", "tls-default", lambda s: nlb_group(s, "TLS"), None),
    ("target-group-health-check-path", "udp-explicit-tcp-check",
     lambda s: nlb_group(s, "UDP", {"enabled": True, "protocol": "TCP", "port": "8080"}), None),
    ("target-group-health-check-path", "root-allowed-by-config", lambda s: s.set("web-tg", "healthCheck.path", "/"),
     {"forbiddenPaths": []}),
    ("target-group-health-check-path", "lambda-target", lambda s: s.add(TOKENS["tg"], "fn-tg", {"targetType": "lambda"}),
     None),
    # IMDSv2 from the image.
    ("imdsv2-required", "listed-image-instance", lambda s: instance(s, ami=AL2023).drop("lone", "metadataOptions"),
     {"imdsv2ImageIds": [AL2023]}),
    ("imdsv2-required", "listed-image-template", lambda s: s.drop("web-lt", "metadataOptions"),
     {"imdsv2ImageIds": ["ami-0123456789abcdef0"]}),
    ("imdsv2-required", "listed-image-pattern", lambda s: instance(s, ami=AL2023).drop("lone", "metadataOptions"),
     {"imdsv2ImageIds": ["ami-0a1b2c3d*"]}),
    ("imdsv2-required", "al2023-public-parameter",
     lambda s: s.set("web-lt", "imageId", AL2023_SSM).drop("web-lt", "metadataOptions.httpTokens"), None),
    # Secret config: encrypted in config and state, like a generated password.
    ("rds-master-password-managed", "instance-secret-config", lambda s: _password(s, "from-secret-config", True),
     None),
    ("rds-master-password-managed", "cluster-secret-config",
     lambda s: _password(_aurora(s), "from-secret-config", True, key="masterPassword", db="aurora"), None),
    ("rds-master-password-managed", "secret-config-object",
     lambda s: from_config(s.drop("db", "manageMasterUserPassword").set("db", "password", secret("pw-in-object")),
                           "database", '{"user": "shop", "password": "pw-in-object"}', True), None),
    ("secret-version-not-literal", "secret-config-value",
     lambda s: from_config(s, "apiKey", '{"key": "sk_live_1"}', True).add(
         "aws:secretsmanager/secretVersion:SecretVersion", "api-key-v1",
         {"secretId": "shop/payment-api", "secretString": secret('{"key": "sk_live_1"}')}), None),
    # Advisory.
    ("certificate-covers-aliases", "relative-record-names", relative_names, None),
    ("certificate-covers-aliases", "relative-names-zone-looked-up",
     lambda s: relative_names(s).drop("zone", "name"), None),
    ("cloudfront-origin-tls", "s3-website-endpoint",
     lambda s: website_origin(s, "shop-backups.s3-website-us-east-1.amazonaws.com"), None),
    ("cloudfront-origin-tls", "s3-website-endpoint-dotted-region",
     lambda s: website_origin(s, "shop-backups.s3-website.eu-west-1.amazonaws.com"), None),
    ("cloudfront-origin-tls", "s3-website-configuration-output",
     lambda s: website_origin(s.add(TOKENS["website"], "backups-site", {"bucket": ref("backups"),
                                                                        "indexDocument": {"suffix": "index.html"}}),
                              ref("backups-site", "shop-backups.s3-website-us-east-1.amazonaws.com")), None),
    ("acm-dns-validated", "explicit-provider", provider_certificate, None),
    ("rds-performance-insights", "aurora-set-per-instance", _aurora, None),
    ("lb-access-logs", "nlb-tcp-listeners-only", lambda s: nlb(s, [("TCP", 80.0), ("TCP", 443.0)]), None),
    ("lb-access-logs", "nlb-udp-listener", lambda s: nlb(s, [("UDP", 53.0)]), None),
]
