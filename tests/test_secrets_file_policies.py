"""Secret config given in clear through --secrets-file is still secret config for the policy pack: the host must
list those keys as secret in ConfigureStack, as the Pulumi CLI lists every `secure:` key, or a password from
secret config reads as a plaintext one."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import PROGRAMS, ROOT

PROGRAM = os.path.join(PROGRAMS, "secret_db_password")
PACK = os.path.join(ROOT, "policies")
PLAIN = ("RDS instance 'db-plain' takes its master password from a plaintext literal or a non-secret config value, "
         "so it is stored unencrypted in the program or its stack configuration; set manageMasterUserPassword to "
         "true, or make it secret config (pulumi config set --secret) or a generated password (random.RandomPassword).")


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_values_from_the_secrets_file_count_as_secret_config(tmp_path, mode):
    secrets = tmp_path / "test.secrets.yaml"
    secrets.write_text("secret-db-password:dbPassword: Corr3ct-Horse-Battery\n"
                       "secret-db-password:apiKey: sk-live-0123456789\n")
    p = subprocess.run([sys.executable, "-m", "preflight", "--cwd", PROGRAM, "--stack", "test", "--mode", mode,
                        "--secrets-file", str(secrets), "--policy-pack", PACK, "--json"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 1, p.stderr
    report = json.loads(p.stdout)
    got = sorted((v["policyName"], v["enforcementLevel"], v["urn"].rsplit("::", 1)[-1], v["message"].split("\n")[-1])
                 for v in report["violations"]
                 if v["policyName"] in ("rds-master-password-managed", "secret-version-not-literal"))
    assert got == [
        ("rds-master-password-managed", "mandatory", "db-plain", PLAIN),
        ("secret-version-not-literal", "mandatory", "api-plain",
         "Secret version 'api-plain' sets secretString from a plaintext literal or a non-secret config value, so the "
         "value is written unencrypted in the program or its stack configuration; make it secret config (pulumi "
         "config set --secret), generate it in the stack (e.g. random.RandomPassword) or let the service create it."),
    ]
