"""False alarms removed, through the preflight's gRPC host the way the Pulumi CLI runs the pack: a bare bucket
relies on AWS's defaults, and a password from secret config is told from a plain one by the stack config the host
sends in ConfigureStack (values and secret keys), which the pack records."""
import os

import pytest

from .test_pack_end_to_end import PROGRAMS, RDS, _skipped, analyze

BUCKET = {"test": "aws:s3/bucket:Bucket", "deprecated": "aws:s3/bucketV2:BucketV2"}
VERSION = "aws:secretsmanager/secretVersion:SecretVersion"


@pytest.mark.parametrize("mode", ["preview", "update"])
@pytest.mark.parametrize("stack", ["test", "deprecated"])
def test_a_bare_bucket_relies_on_the_aws_defaults(stack, mode):
    run, result = analyze(os.path.join(PROGRAMS, "bare_bucket"), stack, mode)
    assert _skipped(result) == []
    assert [(v.policy_name, v.urn) for v in result.violations if v.enforcement_level == "mandatory"] == []
    bucket = run.get(BUCKET[stack], "invoices").urn
    advice = [(v.enforcement_level, v.urn, v.message.split("\n")[-1]) for v in result.violations
              if v.policy_name == "s3-data-bucket-encrypted"]
    assert advice == [("advisory", bucket,
                       "Bucket 'invoices' (shop-invoices) holds data and relies on the SSE-S3 encryption AWS applies "
                       "to every bucket; declare an aws.s3.BucketServerSideEncryptionConfiguration (sseAlgorithm "
                       "\"AES256\", or \"aws:kms\" with a key you control) so the choice is explicit.")]


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_secret_config_passes_and_plain_config_fails(mode):
    run, result = analyze(os.path.join(PROGRAMS, "secret_db_password"), "test", mode)
    assert _skipped(result) == []
    # The SDK marks these inputs secret whatever their origin, so the envelope cannot be what decides.
    for typ, name, key in ((RDS, "db", "password"), (RDS, "db-plain", "password"), (VERSION, "api", "secretString"),
                           (VERSION, "api-plain", "secretString")):
        assert key in run.get(typ, name).secret_inputs, name
    got = [(v.policy_name, v.enforcement_level, v.urn, v.message.split("\n")[-1]) for v in result.violations
           if v.policy_name in ("rds-master-password-managed", "secret-version-not-literal")]
    assert sorted(got) == sorted([
        ("rds-master-password-managed", "mandatory", run.get(RDS, "db-plain").urn,
         "RDS instance 'db-plain' takes its master password from a plaintext literal or a non-secret config value, so "
         "it is stored unencrypted in the program or its stack configuration; set manageMasterUserPassword to true, "
         "or make it secret config (pulumi config set --secret) or a generated password (random.RandomPassword)."),
        ("secret-version-not-literal", "mandatory", run.get(VERSION, "api-plain").urn,
         "Secret version 'api-plain' sets secretString from a plaintext literal or a non-secret config value, so the "
         "value is written unencrypted in the program or its stack configuration; make it secret config (pulumi "
         "config set --secret), generate it in the stack (e.g. random.RandomPassword) or let the service create it."),
    ])
