"""Node.js policy packs (``runtime: nodejs``) through the preflight, started the way the Pulumi CLI starts them.

The packs are under tests/policy_packs/node/, one npm workspace (``make node-packs`` installs it from its
package-lock.json), against tests/programs/nested.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from preflight import pack_launch
from preflight.pack_results import PolicyPackError

from .conftest import POLICY_PACKS, PROGRAMS, ROOT, run_preflight_here

NODE = os.path.join(POLICY_PACKS, "node")
BASIC = os.path.join(NODE, "basic")
INITIAL_ALL = os.path.join(NODE, "initial_all")
THROWS = os.path.join(NODE, "throws")
NESTED = os.path.join(PROGRAMS, "nested")
RUN_POLICY_PACK = os.path.join(NODE, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js")
U = "urn:pulumi:test::nested::"
DB, CACHE = U + "aws:rds/instance:Instance::db", U + "aws:elasticache/cluster:Cluster::sessions"


@pytest.fixture(scope="module", autouse=True)
def node_packs_installed():
    # `make test` installs them first; a run without them must fail, never pass by leaving them out.
    if shutil.which("node") is None or not os.path.isfile(RUN_POLICY_PACK):
        pytest.fail("the Node.js test packs are not installed: run `make node-packs` (needs node and npm)")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "preflight", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def preview(*packs: str, mode: str = "preview", config: str | None = None) -> tuple[int, dict, str]:
    args = ["--cwd", NESTED, "--stack", "test", "--mode", mode, "--json"]
    for p in packs:
        args += ["--policy-pack", p]
    if config:
        args += ["--policy-pack-config", config]
    p = run_preflight_here(*args)  # the packs still start as the CLI starts them: node, in their own process
    return p.returncode, json.loads(p.stdout), p.stderr


def findings(doc: dict) -> list[tuple]:
    return sorted((v["policyPack"], v["policyName"], v["enforcementLevel"], v["urn"], v["message"])
                  for v in doc["violations"])


def node_pack_pids(marker: str) -> list[int]:
    """Live Node.js pack processes whose command line mentions ``marker`` (a pack folder)."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().split(") ", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmd and "run-policy-pack" in cmd and state != "Z":
            pids.append(int(pid))
    return pids


# ---- how the pack is started ----


def test_started_like_the_cli_does():
    """`node <run-policy-pack> <engine-address> <pack-dir>` from the pack folder, with the CLI's environment."""
    project = pack_launch.read_pack_project(BASIC)
    assert project.runtime == "nodejs" and project.node == shutil.which("node")
    # require.resolve from the pack folder: the workspace's node_modules, one folder up.
    assert project.run_policy_pack == RUN_POLICY_PACK
    assert pack_launch.launch_command(project, "127.0.0.1:4242") == [
        shutil.which("node"), RUN_POLICY_PACK, "127.0.0.1:4242", BASIC]
    env = pack_launch.launch_env(project, stack_project="nested", stack="test", dry_run=True,
                                 config={"nested:replicas": "2"}, organization="organization")
    expected = {
        "PULUMI_CONFIG": '{"nested:replicas": "2"}',
        "PULUMI_ORGANIZATION": "organization", "PULUMI_PROJECT": "nested", "PULUMI_STACK": "test",
        "PULUMI_DRY_RUN": "true",
        "PULUMI_NODEJS_ORGANIZATION": "organization", "PULUMI_NODEJS_PROJECT": "nested",
        "PULUMI_NODEJS_STACK": "test", "PULUMI_NODEJS_DRY_RUN": "true", "PULUMI_NODEJS_TYPESCRIPT": "true",
    }
    assert {k: env.get(k) for k in expected} == expected
    assert {k for k in env if k.startswith("PULUMI_") and k not in os.environ} == set(expected)


def test_runtime_options_as_the_language_host_reads_them(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(BASIC, pack)
    (pack / "node_modules").symlink_to(os.path.join(NODE, "node_modules"))
    (pack / "PulumiPolicy.yaml").write_text(
        "runtime:\n  name: nodejs\n  options:\n    typescript: false\n    tsconfig: tsconfig.ci.json\n"
        "    nodeargs: --max-old-space-size=512\n")
    project = pack_launch.read_pack_project(str(pack))
    command = pack_launch.launch_command(project, "127.0.0.1:1")
    assert command[2:] == ["--max-old-space-size=512", "127.0.0.1:1", str(pack)]
    env = pack_launch.launch_env(project, stack_project="p", stack="s", dry_run=False, config={},
                                 organization="o")
    assert "PULUMI_NODEJS_TYPESCRIPT" not in env and env["PULUMI_NODEJS_TSCONFIG_PATH"] == "tsconfig.ci.json"
    assert env["PULUMI_NODEJS_DRY_RUN"] == env["PULUMI_DRY_RUN"] == "false"
    (pack / "PulumiPolicy.yaml").write_text("runtime:\n  name: nodejs\n  options:\n    typescript: 'no'\n")
    with pytest.raises(PolicyPackError, match="typescript option must be a boolean"):
        pack_launch.read_pack_project(str(pack))


def test_a_pack_without_its_dependencies_says_to_install_them(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(BASIC, pack)
    p = run_cli("--cwd", NESTED, "--stack", "test", "--policy-pack", str(pack))
    assert p.returncode == 2 and p.stderr.count("\n") == 1, p.stderr
    assert "it looks like the policy pack's dependencies are not installed; try running npm install" in p.stderr


# ---- the findings, both modes ----


def test_preview_findings_exactly():
    code, doc, err = preview(BASIC)
    assert code == 1, err
    assert doc["policyPacks"] == [{"name": "node-basic", "version": "1.2.0", "path": BASIC}]  # from package.json
    assert findings(doc) == [
        ("node-basic", "cache-is-redis", "advisory", CACHE, "Caches run Redis.\nsessions runs memcached"),
        ("node-basic", "cache-node-limit", "advisory", CACHE,
         "Caches stay small.\nsessions has 2 nodes, more than 1"),  # the schema's default, 1
        ("node-basic", "db-not-burstable", "mandatory", DB,
         "Databases do not run on burstable instance classes.\ndb runs on db.t4g.micro"),
    ]
    # The distribution's origin is the load balancer's DNS name, unknown in a first preview.
    assert doc["diagnostics"] == [{
        "policyPack": "node-basic", "policyName": "cdn-origin-is-lb", "urn": "", "level": "advisory",
        "message": "can't run policy 'cdn-origin-is-lb' from policy pack 'node-basic@v1.2.0' during preview: "
                   "string value at .origins.0.domainName can't be known during preview"}]


def test_update_findings_exactly():
    code, doc, err = preview(BASIC, mode="update")
    assert code == 1, err
    assert findings(doc) == [
        ("node-basic", "cache-is-redis", "advisory", CACHE, "Caches run Redis.\nsessions runs memcached"),
        ("node-basic", "cache-node-limit", "advisory", CACHE, "Caches stay small.\nsessions has 2 nodes, more than 1"),
        ("node-basic", "db-not-burstable", "mandatory", DB,
         "Databases do not run on burstable instance classes.\ndb runs on db.t4g.micro"),
    ]
    assert doc["diagnostics"] == []  # the origin is known now, and it is the load balancer


def test_config_file_sets_properties_and_levels(tmp_path):
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"cache-node-limit": {"maxNodes": 2}, "db-not-burstable": "advisory"}))
    code, doc, err = preview(BASIC, config=str(cfg))
    assert code == 0, err
    assert sorted((v["policyName"], v["enforcementLevel"]) for v in doc["violations"]) == [
        ("cache-is-redis", "advisory"), ("db-not-burstable", "advisory")]


def test_config_is_checked_against_the_schema(tmp_path):
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"cache-node-limit": {"maxNodes": 0}}))
    p = run_preflight_here("--cwd", NESTED, "--stack", "test", "--policy-pack", BASIC, "--policy-pack-config", str(cfg))
    assert p.returncode == 2
    assert p.stderr == "error: policy pack config for 'cache-node-limit': property 'maxNodes' must be >= 1, got 0\n"


def test_initial_config_all_then_each_policy_then_the_environment():
    """new PolicyPack(name, args, {all: "mandatory", quiet: "advisory"}): every policy mandatory, then quiet's
    own entry; the pack's SDK read the stack it runs for from the environment the CLI sets."""
    code, doc, err = preview(INITIAL_ALL)
    assert code == 1, err
    assert doc["policyPacks"] == [{"name": "node-initial-all", "version": "0.3.0", "path": INITIAL_ALL}]
    assert findings(doc) == [
        ("node-initial-all", "quiet", "advisory", "",
         "Reports once, at the level its own initialConfig entry gives it.\nquiet"),
        ("node-initial-all", "stack-env", "mandatory", "",
         "Reports the stack the pack was started for.\norganization/nested/test dryRun=true replicas=2"),
    ]
    code, doc, err = preview(INITIAL_ALL, mode="update")
    assert [v["message"].split("\n")[1] for v in doc["violations"] if v["policyName"] == "stack-env"] == [
        "organization/nested/test dryRun=false replicas=2"]


def test_the_file_overrides_initial_config(tmp_path):
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"all": "advisory", "quiet": "disabled"}))
    code, doc, err = preview(INITIAL_ALL, config=str(cfg))
    assert code == 0, err
    assert [(v["policyName"], v["enforcementLevel"]) for v in doc["violations"]] == [("stack-env", "advisory")]


# ---- failures: one line, the error's message, no process left ----


def test_a_policy_that_throws_reports_its_message_not_a_stack_frame(tmp_path):
    pack = tmp_path / "throws"
    shutil.copytree(THROWS, pack)
    (pack / "node_modules").symlink_to(os.path.join(NODE, "node_modules"))
    p = run_cli("--cwd", NESTED, "--stack", "test", "--policy-pack", str(pack))
    assert p.returncode == 2 and p.stdout == "", p.stdout
    assert p.stderr == (
        f"error: policy pack {pack} failed analyzing {DB}: policy 'db-engine-version' from policy pack "
        "'node-throws@v1.2.0': Error: node policy bug: cannot read engine version\n")
    time.sleep(0.2)
    assert node_pack_pids(str(pack)) == []


def test_a_pack_that_cannot_load_reports_the_error_not_its_last_line(tmp_path):
    pack = tmp_path / "broken"
    shutil.copytree(THROWS, pack)
    (pack / "node_modules").symlink_to(os.path.join(NODE, "node_modules"))
    (pack / "index.js").write_text('"use strict";\nrequire("no-such-module-for-preflight-tests");\n')
    p = run_cli("--cwd", NESTED, "--stack", "test", "--policy-pack", str(pack))
    assert p.returncode == 2
    assert p.stderr == (f"error: policy pack {pack} exited with code 32 before reporting its port: "
                        "Error: Cannot find module 'no-such-module-for-preflight-tests'\n")
    assert node_pack_pids(str(pack)) == []


def test_a_node_and_a_python_pack_together():
    code, doc, err = preview(BASIC, os.path.join(POLICY_PACKS, "protocol"))
    assert code == 1, err
    assert [p["name"] for p in doc["policyPacks"]] == ["node-basic", "protocol-pack"]
    assert {v["policyPack"] for v in doc["violations"]} == {"node-basic", "protocol-pack"}


def test_a_node_pack_dies_with_a_killed_preflight(tmp_path):
    """The kernel ends the pack when preflight dies, even by SIGKILL (no handler runs): same launcher as Python."""
    import signal

    pack = tmp_path / "silent"
    shutil.copytree(THROWS, pack)
    (pack / "node_modules").symlink_to(os.path.join(NODE, "node_modules"))
    (pack / "index.js").write_text("setInterval(() => {}, 1000);  // never serves, never prints a port\n")
    proc = subprocess.Popen([sys.executable, "-m", "preflight", "--cwd", NESTED, "--stack", "test",
                             "--policy-pack", str(pack)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if node_pack_pids(str(pack)) and not any(
                    b"-S" in open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0") for pid in node_pack_pids(str(pack))):
                break
            time.sleep(0.05)
        assert node_pack_pids(str(pack)), "the pack never started"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        for _ in range(100):
            if not node_pack_pids(str(pack)):
                break
            time.sleep(0.05)
        assert node_pack_pids(str(pack)) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in node_pack_pids(str(pack)):
            os.kill(pid, signal.SIGKILL)
