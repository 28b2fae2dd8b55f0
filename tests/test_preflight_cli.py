"""`python -m preflight`: protocol handling, reports, exit codes and bad input, on tests/ fixtures only."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from preflight import analyzer_wire, cli

from .conftest import POLICY_PACKS, PROGRAMS, ROOT, run_preflight_here, start_interruptible

NESTED = os.path.join(PROGRAMS, "nested")
TWIN = os.path.join(PROGRAMS, "twin")
PROTOCOL = os.path.join(POLICY_PACKS, "protocol")
BUCKET_URN = "urn:pulumi:test::nested::test:index:Outer$test:index:Inner$aws:s3/bucket:Bucket::outer-inner-bucket"
CDN_URN = "urn:pulumi:test::nested::aws:cloudfront/distribution:Distribution::cdn"


def _pack_processes(marker: str) -> list[int]:
    """Pids of live processes whose command line mentions ``marker`` (a pack folder)."""
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().split(") ", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmd and "-m pulumi.policy" in cmd and state != "Z":
            pids.append(int(pid))
    return pids


def _own_copy(tmp_path, pack: str) -> str:
    """A private copy of a pack: other people may run the same packs on this machine at the same time,
    so the leftover-process checks look for a path only this test uses."""
    import shutil

    dest = tmp_path / f"pack-{pack}"
    shutil.copytree(os.path.join(POLICY_PACKS, pack), dest, ignore=shutil.ignore_patterns("__pycache__"))
    return str(dest)


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "preflight", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def run_inproc(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def protocol_run(tmp_path_factory):
    """One `--json` run of the protocol pack on the nested program, read by the report tests and by the check
    that no pack process outlives it (hence a private copy of the pack, and the processes listed at its end)."""
    pack = _own_copy(tmp_path_factory.mktemp("protocol-run"), "protocol")
    p = run_cli("--cwd", NESTED, "--stack", "test", "--policy-pack", pack, "--json")
    return SimpleNamespace(code=p.returncode, doc=json.loads(p.stdout), err=p.stderr, pack=pack,
                           left_running=_pack_processes(pack))


@pytest.fixture(scope="module")
def preview_json(protocol_run):
    return protocol_run.code, protocol_run.doc, protocol_run.err


# ---- the protocol, through the JSON report ----


def test_mandatory_violation_exits_1(preview_json):
    code, _, err = preview_json
    assert code == 1, err


def test_json_top_level_schema(protocol_run):
    doc = protocol_run.doc
    assert set(doc) >= {"project", "stack", "mode", "resources", "policyPacks", "violations", "notApplicable",
                        "diagnostics", "summary"}
    assert (doc["project"], doc["stack"], doc["mode"]) == ("nested", "test", "preview")
    assert doc["policyPacks"] == [{"name": "protocol-pack", "version": "2.3.4", "path": protocol_run.pack}]
    assert {"urn": BUCKET_URN, "type": "aws:s3/bucket:Bucket", "name": "outer-inner-bucket",
            "parent": "urn:pulumi:test::nested::test:index:Outer$test:index:Inner::outer-inner",
            "custom": True} in doc["resources"]
    assert doc["summary"]["resources"] == len(doc["resources"]) == 9
    assert doc["summary"]["mandatory"] == 1
    assert doc["summary"]["violations"] == len(doc["violations"])


def test_analyze_violation_carries_the_resource_urn(preview_json):
    _, doc, _ = preview_json
    [v] = [v for v in doc["violations"] if v["policyName"] == "bucket-tags"]
    assert v == {"policyPack": "protocol-pack", "policyPackVersion": "2.3.4", "policyName": "bucket-tags",
                 "enforcementLevel": "mandatory", "severity": "high", "urn": BUCKET_URN,
                 "message": "Buckets carry tags.\nbucket outer-inner-bucket has no tags"}


def test_advisory_and_secrets_seen_unwrapped(preview_json):
    _, doc, _ = preview_json
    names = [v["policyName"] for v in doc["violations"]]
    # rds-multi-az reports when the database is not Multi-AZ or its secret password is not the placeholder:
    # silence proves both the input and the unwrapped secret arrived.
    assert "rds-multi-az" not in names
    assert all(v["enforcementLevel"] == "advisory" for v in doc["violations"] if v["policyName"] == "stack-graph")


def test_analyze_stack_sees_parents_dependencies_and_property_dependencies(preview_json):
    _, doc, _ = preview_json
    messages = {v["message"].split("\n", 1)[1]: v["urn"] for v in doc["violations"] if v["policyName"] == "stack-graph"}
    # No report that the distribution's origins lack the LB: propertyDependencies arrived.
    assert "the distribution's origins do not depend on the load balancer" not in messages
    assert messages["bucket ancestry: test:index:Inner < test:index:Outer < pulumi:pulumi:Stack"] == BUCKET_URN
    assert messages["db depends on: outer-inner-bucket"] == "urn:pulumi:test::nested::aws:rds/instance:Instance::db"
    # Default providers live in the engine; analyzers see them like any resource.
    assert "providers: urn:pulumi:test::nested::pulumi:providers:aws::default_7_51_1" in messages


def test_unknown_at_preview_is_a_diagnostic_not_a_violation(preview_json):
    _, doc, _ = preview_json
    [d] = [d for d in doc["diagnostics"] if d["policyName"] == "cdn-origin"]
    assert d["urn"] == CDN_URN and d["level"] == "advisory"
    assert d["message"].startswith("can't run policy 'cdn-origin'") and "during preview" in d["message"]
    assert "cdn-origin" not in [v["policyName"] for v in doc["violations"]]


def test_not_applicable_is_reported_per_resource(preview_json):
    _, doc, _ = preview_json
    na = [n for n in doc["notApplicable"] if n["policyName"] == "rds-multi-az"]
    assert {n["reason"] for n in na} == {"only RDS instances"}
    assert BUCKET_URN in {n["urn"] for n in na}
    assert "urn:pulumi:test::nested::aws:rds/instance:Instance::db" not in {n["urn"] for n in na}


def test_engine_log_calls_from_the_pack_are_collected(preview_json):
    _, doc, _ = preview_json
    assert {"policyPack": "", "policyName": "", "urn": "", "level": "info",
            "message": "checked urn:pulumi:test::nested::aws:rds/instance:Instance::db"} in doc["diagnostics"]


def test_update_mode_runs_the_policy_preview_could_not(capsys):
    code, out, err = run_inproc(capsys, "--cwd", NESTED, "--stack", "test", "--policy-pack", PROTOCOL,
                                "--mode", "update", "--json")
    doc = json.loads(out)
    assert doc["mode"] == "update"
    assert not [d for d in doc["diagnostics"] if d["policyName"] == "cdn-origin"]
    assert "cdn-origin" not in [v["policyName"] for v in doc["violations"]]  # origin is the ALB DNS name
    assert code == 1


def test_text_report_like_pulumi_preview(capsys):
    code, out, err = run_inproc(capsys, "--cwd", NESTED, "--stack", "test", "--policy-pack", PROTOCOL)
    assert code == 1
    assert out.startswith("Previewing update (test):")
    assert " +   │     └─ aws:s3:Bucket" in out
    assert "❌ protocol-pack@v2.3.4 (local: " in out
    assert "- [mandatory]  bucket-tags  (aws:s3:Bucket: outer-inner-bucket)" in out
    assert BUCKET_URN in out
    assert "- [can't run during preview]  cdn-origin" in out
    assert "- [not applicable]  rds-multi-az: " in out
    assert "nested:dbPassword is a secure value that cannot be decrypted offline" in out
    assert "password     : [secret]" in out
    assert "    + 9 to create" in out
    assert "Resources by type:" in out and "1  aws:rds:Instance" in out


# ---- policy pack config (the CLI's file format) ----


def _config(tmp_path, doc) -> str:
    p = tmp_path / "policy-config.json"
    p.write_text(json.dumps(doc))
    return str(p)


def test_config_can_lower_a_level_and_set_properties(capsys, tmp_path):
    cfg = _config(tmp_path, {"bucket-tags": "advisory", "cache-node-limit": {"maxNodes": 1}})
    code, out, _ = run_inproc(capsys, "--cwd", NESTED, "--stack", "test", "--policy-pack", PROTOCOL,
                              "--policy-pack-config", cfg, "--json")
    doc = json.loads(out)
    by_name = {v["policyName"]: v for v in doc["violations"]}
    assert by_name["bucket-tags"]["enforcementLevel"] == "advisory"
    # Config travels in a protobuf Struct, as from the CLI: numbers arrive as floats.
    assert by_name["cache-node-limit"]["message"].endswith("2 nodes is more than 1.0")
    assert code == 0


def test_config_default_comes_from_the_schema(preview_json):
    _, doc, _ = preview_json
    assert "cache-node-limit" not in [v["policyName"] for v in doc["violations"]]  # 2 nodes <= default 5


def test_config_all_disables_everything(capsys, tmp_path):
    code, out, _ = run_inproc(capsys, "--cwd", NESTED, "--stack", "test", "--policy-pack", PROTOCOL,
                              "--policy-pack-config", _config(tmp_path, {"all": "disabled"}), "--json")
    assert code == 0 and json.loads(out)["violations"] == []


def test_config_of_the_wrong_type_is_bad_input(capsys, tmp_path):
    cfg = _config(tmp_path, {"cache-node-limit": {"maxNodes": "many"}})
    code, out, err = run_inproc(capsys, "--cwd", NESTED, "--stack", "test", "--policy-pack", PROTOCOL,
                                "--policy-pack-config", cfg)
    assert code == 2
    assert err == "error: policy pack config for 'cache-node-limit': property 'maxNodes' must be of type integer, got \"many\"\n"


# ---- SARIF ----


def test_sarif_has_one_result_per_violation(capsys, tmp_path):
    path = tmp_path / "out.sarif"
    code, out, _ = run_inproc(capsys, "--cwd", NESTED, "--stack", "test", "--policy-pack", PROTOCOL,
                              "--sarif", str(path), "--json")
    doc = json.loads(out)
    sarif = json.loads(path.read_text())
    assert sarif["version"] == "2.1.0" and "sarif-2.1.0" in sarif["$schema"]
    [run] = sarif["runs"]
    assert run["tool"]["driver"]["name"] == "preflight"
    assert len(run["results"]) == len(doc["violations"])
    [bucket] = [r for r in run["results"] if r["ruleId"] == "protocol-pack/bucket-tags"]
    assert bucket["level"] == "error"
    assert run["tool"]["driver"]["rules"][bucket["ruleIndex"]]["id"] == "protocol-pack/bucket-tags"
    loc = bucket["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "tests/programs/nested/__main__.py"
    assert loc["physicalLocation"]["region"]["startLine"] == 17
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == BUCKET_URN
    assert {r["level"] for r in run["results"]} == {"error", "warning"}


# ---- several stacks, no packs ----


def test_several_stacks_in_one_object(capsys):
    code, out, _ = run_inproc(capsys, "--cwd", TWIN, "--stack", "staging", "--stack", "prod", "--json")
    doc = json.loads(out)
    assert code == 0
    assert [s["stack"] for s in doc["stacks"]] == ["staging", "prod"]
    assert doc["summary"]["stacks"] == 2 and doc["summary"]["resources"] == 12


def test_without_packs_prints_the_tree(capsys):
    code, out, _ = run_inproc(capsys, "--cwd", TWIN, "--stack", "prod")
    assert code == 0
    assert " +   ├─ aws:ec2:Vpc" in out and "│  ├─ aws:ec2:Subnet" in out and "    + 6 to create" in out


# ---- parity ----


def test_parity_same_topology(capsys):
    code, out, _ = run_inproc(capsys, "parity", "--cwd", TWIN, "--stack", "staging", "--stack", "prod")
    assert code == 0
    assert "0 differences not allowed, 2 allowed" in out


def test_parity_reports_a_readable_diff_and_exits_1(capsys):
    code, out, _ = run_inproc(capsys, "parity", "--cwd", TWIN, "--stack", "prod", "--stack", "drift")
    assert code == 1
    assert "  ~ aws:rds/instance:Instance {stack}-db\n      ~ multiAz: true ≠ false\n" in out
    assert "  ~ aws:ec2/subnet:Subnet {stack}-data-us-east-1b\n      - only in prod\n" in out


def test_parity_without_the_allowed_file_flags_sizes(capsys, tmp_path):
    empty = tmp_path / "none.yaml"
    empty.write_text("properties: []\n")
    code, out, _ = run_inproc(capsys, "parity", "--cwd", TWIN, "--stack", "staging", "--stack", "prod",
                              "--allowed", str(empty), "--json")
    doc = json.loads(out)
    assert code == 1
    assert {d["detail"] for d in doc["differences"]} == {
        'instanceClass: "db.t4g.micro" ≠ "db.r6g.large"', "backupRetentionPeriod: 7.0 ≠ 35.0"}


def test_parity_file_entries_need_a_reason(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("properties:\n  - type: '*'\n    paths: [tags]\n")
    code, _, err = run_inproc(capsys, "parity", "--cwd", TWIN, "--stack", "staging", "--stack", "prod",
                              "--allowed", str(bad))
    assert code == 2 and "needs paths and a 'why'" in err and err.count("\n") == 1


# ---- bad input: one clear line, exit 2, no traceback, no leftover process ----


def _assert_bad(p: subprocess.CompletedProcess, *fragments: str) -> None:
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert p.stderr.count("\n") == 1 and p.stderr.startswith("error: "), p.stderr
    assert "Traceback" not in p.stderr + p.stdout
    for f in fragments:
        assert f in p.stderr, p.stderr


def test_missing_project_file(tmp_path):
    _assert_bad(run_cli("--cwd", str(tmp_path), "--stack", "dev"), "no Pulumi.yaml")


def test_unknown_stack():
    _assert_bad(run_cli("--cwd", TWIN, "--stack", "qa"), "unknown stack 'qa'", "drift, prod, staging")


def test_missing_stack_file(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    _assert_bad(run_cli("--cwd", str(tmp_path), "--stack", "dev"), "no Pulumi.dev.yaml")


@pytest.mark.parametrize("value", ["novalue", "=x", "a b=1"])
def test_malformed_config_value(value):
    _assert_bad(run_cli("--cwd", TWIN, "--stack", "prod", "-c", value), "malformed config override")


def test_program_failure():
    p = run_cli("--cwd", os.path.join(PROGRAMS, "raises"), "--stack", "dev")
    _assert_bad(p, "stack dev: the program failed (at tests/programs/raises/settings.py:3): "
                   "ValueError: portal:azCount = 1: at least 2 are needed")


def test_program_failure_as_json():
    p = run_preflight_here("--cwd", os.path.join(PROGRAMS, "raises"), "--stack", "dev", "--json")
    assert p.returncode == 2
    assert json.loads(p.stdout)["error"]["kind"] == "program"


def test_pack_folder_without_pulumipolicy_yaml():
    pack = os.path.join(POLICY_PACKS, "not_a_pack")
    _assert_bad(run_cli("--cwd", TWIN, "--stack", "prod", "--policy-pack", pack), "no PulumiPolicy.yaml")


@pytest.mark.parametrize("pack, fragment", [
    ("prints_before_port", "printed 'loading rules...' before its port"),
    ("crash_at_start", "exited with code 1 before reporting its port: ModuleNotFoundError: No module named "
                       "'no_such_module_for_preflight_tests'"),
    ("exits_early", "exited with code 3 before reporting its port"),
])
def test_pack_that_cannot_start(pack, fragment, tmp_path):
    path = _own_copy(tmp_path, pack)
    _assert_bad(run_cli("--cwd", TWIN, "--stack", "prod", "--policy-pack", path), fragment)
    assert _pack_processes(path) == []


def test_pack_that_never_reports_its_port(tmp_path):
    path = _own_copy(tmp_path, "no_port")
    p = run_cli("--cwd", TWIN, "--stack", "prod", "--policy-pack", path, env={"PREFLIGHT_PACK_START_TIMEOUT": "3"})
    _assert_bad(p, "did not report its port within 3s")
    assert _pack_processes(path) == []


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_pack_dies_with_a_killed_preflight(tmp_path, sig):
    path = _own_copy(tmp_path, "no_port")
    proc = subprocess.Popen([sys.executable, "-m", "preflight", "--cwd", TWIN, "--stack", "prod",
                             "--policy-pack", path], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    def started() -> bool:  # the pack itself, not the launcher that sets the parent-death signal
        return any(b"-S" not in open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
                   for pid in _pack_processes(path))

    try:
        for _ in range(600):
            with contextlib.suppress(OSError):
                if started():
                    break
            time.sleep(0.05)
        assert _pack_processes(path), "the pack never started"
        # SIGTERM: preflight's handler ends the pack; SIGKILL: no handler runs, the kernel must take it down.
        proc.send_signal(sig)
        proc.wait(timeout=10)
        for _ in range(100):
            if not _pack_processes(path):
                break
            time.sleep(0.05)
        assert _pack_processes(path) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in _pack_processes(path):
            os.kill(pid, signal.SIGKILL)


def test_mismatched_pack_config_count(capsys, tmp_path):
    code, _, err = run_inproc(capsys, "--cwd", TWIN, "--stack", "prod", "--policy-pack-config",
                              _config(tmp_path, {}))
    assert code == 2 and "--policy-pack-config was given 1 time(s) for 0 --policy-pack" in err


def test_successful_run_leaves_no_pack_process(protocol_run):
    assert protocol_run.code == 1
    assert protocol_run.left_running == []


def test_pack_that_crashes_during_analysis(tmp_path):
    pack = _own_copy(tmp_path, "raises_in_policy")
    p = run_cli("--cwd", NESTED, "--stack", "test", "--policy-pack", pack)
    _assert_bad(p, "failed analyzing urn:pulumi:test::nested::aws:rds/instance:Instance::db: ",
                "policy bug: cannot read engine version")
    assert _pack_processes(pack) == []


def test_pack_with_a_missing_virtualenv(capsys, tmp_path):
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime:\n  name: python\n  options:\n    virtualenv: venv\n")
    code, _, err = run_inproc(capsys, "--cwd", TWIN, "--stack", "prod", "--policy-pack", str(tmp_path))
    assert code == 2 and "its virtualenv" in err and "does not exist" in err and err.count("\n") == 1


def test_two_packs_are_reported_separately(capsys):
    cfg_dir = os.path.join(POLICY_PACKS, "protocol")
    code, out, _ = run_inproc(capsys, "--cwd", NESTED, "--stack", "test", "--policy-pack", cfg_dir,
                              "--policy-pack", os.path.join(ROOT, "bench", "pack"), "--json")
    doc = json.loads(out)
    assert [p["name"] for p in doc["policyPacks"]] == ["protocol-pack", "bench-pack"]
    assert {v["policyPack"] for v in doc["violations"]} == {"protocol-pack", "bench-pack"}
    assert code == 1


def test_program_failure_with_packs_running(tmp_path):
    pack = _own_copy(tmp_path, "protocol")
    p = run_cli("--cwd", os.path.join(PROGRAMS, "raises"), "--stack", "dev", "--policy-pack", pack)
    _assert_bad(p, "stack dev: the program failed")
    assert _pack_processes(pack) == []


def test_parity_in_update_mode_pairs_fabricated_identifiers(capsys):
    # Fabricated ids differ per stack (vpc-..., subnet-..., generated names); the same resource's same
    # output becomes one symbol on both sides, so only real differences remain.
    code, out, _ = run_inproc(capsys, "parity", "--cwd", TWIN, "--stack", "staging", "--stack", "prod",
                              "--mode", "update")
    assert code == 0, out
    assert "0 differences not allowed, 2 allowed" in out


def test_every_config_problem_reaches_the_user():
    """The portal reports all its config problems at once; the user must see each, not only the heading."""
    p = run_preflight_here("--stack", "staging", "-c", "portal:azCount=1", "-c", "portal:appPort=5")
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr + p.stdout
    lines = p.stderr.splitlines()
    assert lines[0].startswith("error: stack staging: the program failed (at __main__.py:")
    assert lines[0].endswith("): invalid stack settings (2 problem(s)):")
    assert lines[1:] == [
        "  - portal:azCount = 1: the portal must survive the loss of an Availability Zone, so at least 2 are needed",
        "  - portal:appPort = 5: must be between 80 and 65535",
    ]


def test_a_multi_line_program_error_is_shown_whole():
    p = run_preflight_here("--cwd", os.path.join(PROGRAMS, "raises_multiline"), "--stack", "dev",
                "-c", "raises-multiline:kind=value")
    assert p.returncode == 2, p.stderr
    assert p.stderr.splitlines() == [
        "error: stack dev: the program failed (at tests/programs/raises_multiline/__main__.py:6): ValueError: two problems:",
        "  first: bad",
        "  second: worse",
    ]


def test_a_host_failure_while_streaming_resources_fails_the_run(capsys, monkeypatch):
    """Resources after a failure would get no Analyze call: the run must say so and exit 2, not pass."""
    def broken_add(self, resource):
        raise RuntimeError("cannot encode")

    monkeypatch.setattr(analyzer_wire.WireBuilder, "add", broken_add)
    code, out, err = run_inproc(capsys, "--cwd", NESTED, "--stack", "test", "--policy-pack", PROTOCOL)
    assert code == 2 and out == ""
    assert err.startswith("error: stack test: the preflight could not hand a resource to the policy packs: "
                          "the resource listener failed on urn:pulumi:test::"), err
    assert err.endswith(": RuntimeError: cannot encode\n") and err.count("\n") == 1


def test_make_preview_json_prints_only_the_json_document():
    """Deploy tools pipe `make preview-json` into a JSON parser: no recipe echo, no directory lines."""
    # Run as a user would, not as a sub-make of `make test` (which prints "Entering directory" lines).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    p = subprocess.run(["make", "preview-json", "STACK=staging"], cwd=ROOT, capture_output=True, text=True,
                       timeout=300, env=env)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["stack"] == "staging" and doc["summary"]["mandatory"] == 0


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_a_failing_apply_awaited_by_many_resources_is_one_line_on_stderr(mode):
    p = run_cli("--cwd", os.path.join(PROGRAMS, "raises_in_many_applies"), "--stack", "dev", "--mode", mode)
    assert p.returncode == 2
    assert p.stderr.splitlines() == [
        # The SDK re-raises one exception object from every dependent output, which loses the
        # callback's frame, so no program location can be named here.
        "error: stack dev: the program failed: ZeroDivisionError: division by zero"
    ]


# ---- SARIF for code-scanning services ----


def _sarif_validator():
    import jsonschema

    with open(os.path.join(os.path.dirname(__file__), "schemas", "sarif-2.1.0.json"), encoding="utf-8") as f:
        return jsonschema.Draft4Validator(json.load(f))


@pytest.fixture(scope="module")
def sarif_of(tmp_path_factory):
    """The SARIF document `ARGS --sarif FILE` writes; tests that run the same ARGS share one run."""
    written = {}

    def sarif(*args: str) -> dict:
        if args not in written:
            path = tmp_path_factory.mktemp("sarif") / "out.sarif"
            run_preflight_here(*args, "--sarif", str(path))
            written[args] = json.loads(path.read_text())
        return written[args]

    return sarif


@pytest.mark.parametrize("args", [
    ("--cwd", NESTED, "--stack", "test", "--policy-pack", PROTOCOL),
    ("--cwd", NESTED, "--stack", "test", "--policy-pack", PROTOCOL, "--mode", "update"),
    ("--cwd", TWIN, "--stack", "staging", "--stack", "prod"),
])
def test_sarif_is_valid_against_the_2_1_0_schema(sarif_of, args):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in _sarif_validator().iter_errors(sarif_of(*args))]
    assert errors == []


def test_sarif_locations_are_relative_to_srcroot(sarif_of):
    [run] = sarif_of("--cwd", NESTED, "--stack", "test", "--policy-pack", PROTOCOL)["runs"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file://" + ROOT.rstrip("/") + "/"}}
    artifacts = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["locations"][0][
        "physicalLocation"]["artifactLocation"].get("uriBaseId") for r in run["results"]}
    assert artifacts == {"tests/programs/nested/__main__.py": "%SRCROOT%",
                         "tests/programs/nested/Pulumi.test.yaml": "%SRCROOT%"}


@pytest.mark.parametrize("as_json", [True, False])
def test_a_sarif_write_failure_comes_before_any_success(capsys, tmp_path, as_json):
    target = str(tmp_path / "missing-dir" / "out.sarif")
    code, out, err = run_inproc(capsys, "--cwd", NESTED, "--stack", "test", "--policy-pack", PROTOCOL,
                                "--sarif", target, *(["--json"] if as_json else []))
    assert code == 2
    assert err == f"error: could not write SARIF to {target}: No such file or directory\n"
    if as_json:
        assert json.loads(out) == {"error": {"kind": "output", "message":
                                             f"could not write SARIF to {target}: No such file or directory"}}
    else:
        assert out == ""


# ---- for the person at the keyboard ----


def test_help_lists_parity_and_the_exit_codes(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "python -m preflight parity --stack A --stack B" in out
    for line in ["0  no mandatory policy violation", "1  one or more mandatory policy violations",
                 "2  bad input", "130  interrupted"]:
        assert line in out, line


def test_without_a_policy_pack_the_report_says_no_policies_ran(capsys):
    code, out, err = run_inproc(capsys, "--cwd", TWIN, "--stack", "prod")
    assert code == 0
    assert out.endswith("no policy pack given (--policy-pack DIR): the program was previewed, no policies ran\n")


def test_ctrl_c_exits_130_with_one_line(tmp_path):
    program = tmp_path / "slow"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: slow\nruntime: python\n")
    (program / "Pulumi.dev.yaml").write_text("config: {}\n")
    (program / "__main__.py").write_text("import time\nprint('started', flush=True)\ntime.sleep(60)\n")
    proc = start_interruptible([sys.executable, "-m", "preflight", "--cwd", str(program), "--stack", "dev"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr.readline() == "started\n"  # the program's prints go to stderr
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert (out, err) == ("", "error: interrupted\n")


def _sleeping_program(tmp_path) -> str:
    program = tmp_path / "slow"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: slow\nruntime: python\n")
    (program / "Pulumi.dev.yaml").write_text("config: {}\n")
    (program / "__main__.py").write_text(
        "import time\nimport pulumi\nimport pulumi_aws as aws\n"
        "a = aws.sns.Topic('a')\nb = aws.sns.Topic('b')\n"
        "pulumi.Output.all(a.urn, b.urn).apply(lambda _: time.sleep(60))\n")
    return str(program)


@pytest.mark.parametrize("as_json", [False, True])
def test_timeout_names_the_stage_it_stopped_in(tmp_path, as_json):
    started = time.monotonic()
    p = run_cli("--cwd", _sleeping_program(tmp_path), "--stack", "dev", "--timeout", "3",
                *(["--json"] if as_json else []))
    assert time.monotonic() - started < 30
    message = ("timed out after 3s while running the program of stack dev (3 resource(s) registered) "
               "(--timeout SECONDS to allow longer)")
    assert p.returncode == 2
    assert p.stderr == f"error: {message}\n"
    assert p.stdout == (json.dumps({"error": {"kind": "timeout", "message": message}}) + "\n" if as_json else "")


def test_parity_has_the_timeout_too(tmp_path):
    program = _sleeping_program(tmp_path)
    (tmp_path / "slow" / "Pulumi.prod.yaml").write_text("config: {}\n")
    p = run_cli("parity", "--cwd", program, "--stack", "dev", "--stack", "prod", "--timeout", "2")
    assert p.returncode == 2
    assert p.stderr.startswith("error: timed out after 2s while running the program of stack dev")


@pytest.mark.parametrize("value", ["0", "-5"])
def test_timeout_must_be_positive(capsys, value):
    code, out, err = run_inproc(capsys, "--cwd", TWIN, "--stack", "prod", "--timeout", value)
    assert code == 2
    assert err == f"error: --timeout {float(value):g}: must be a number of seconds greater than 0\n"


def test_progress_shows_each_stage_and_counts_resources():
    from preflight.progress import Progress

    shown = []

    class Status:  # the part of rich's Status that Progress drives
        def __init__(self, text):
            shown.append(text)

        def start(self):
            pass

        def stop(self):
            shown.append("(stopped)")

        def update(self, text):
            shown.append(text)

    class Console:
        def status(self, text):
            return Status(text)

    progress = Progress(Console())
    progress.start()
    progress.enter("starting the policy packs")
    progress.enter("running the program", "prod")
    for _ in range(3):
        progress.resource_registered()
    assert progress.describe() == "running the program of stack prod (3 resource(s) registered)"
    progress.enter("analysing the resources", "prod")
    progress.stop()
    assert shown[:3] == ["starting", "starting the policy packs",
                         "running the program of stack prod (0 resource(s) registered)"]
    assert shown[-2:] == ["analysing the resources of stack prod", "(stopped)"]


def test_progress_draws_with_rich_on_a_terminal():
    from io import StringIO

    from rich.console import Console

    from preflight.progress import Progress

    screen = StringIO()
    progress = Progress(Console(file=screen, force_terminal=True, width=120))
    progress.start()
    progress.enter("analysing the resources", "prod")
    progress.stop()
    assert "analysing the resources of stack prod" in screen.getvalue()


def test_no_status_line_when_stderr_is_not_a_terminal():
    p = run_cli("--cwd", TWIN, "--stack", "prod")
    assert p.returncode == 0 and p.stderr == ""


def test_an_unanswered_stack_reference_failure_is_its_lines_and_nothing_else():
    p = run_cli("--cwd", os.path.join(PROGRAMS, "stack_refs"), "--stack", "dev")
    assert p.returncode == 2
    assert p.stderr.splitlines() == [
        "error: stack dev: the program failed: KeyError: 'privateSubnetIds'",
        "stack reference org/network/prod was not answered offline (its outputs are empty); answer it in "
        "--offline-facts FILE",
    ]
