"""A program whose Pulumi.yaml names a virtualenv runs on that virtualenv's interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig

import pytest

from preflight.config import project_virtualenv
from preflight.program_env import program_python
from preflight.runner import run_program

from .conftest import ROOT, run_preflight_here, start_interruptible

PROGRAM = """\
import sys

import pulumi
import pulumi_aws as aws
import only_in_the_programs_venv

topic = aws.sns.Topic(only_in_the_programs_venv.NAME)
print("program says hello")
pulumi.export("python", sys.prefix)
"""


def _venv_with_our_packages(path) -> str:
    """A virtualenv that sees this environment's packages through a .pth file, plus a module of its own."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    [site] = [str(p) for p in path.glob("lib/python*/site-packages")]
    with open(os.path.join(site, "ours.pth"), "w") as f:
        f.write(sysconfig.get_paths()["purelib"] + "\n")
    os.symlink(os.path.join(sysconfig.get_paths()["purelib"], "pulumi"), os.path.join(site, "pulumi"))
    with open(os.path.join(site, "only_in_the_programs_venv.py"), "w") as f:
        f.write('NAME = "from-the-programs-venv"\n')
    return site


def _sibling(program: str, folder):
    """Another program beside ``program``: the same project and stack files, the same virtualenv."""
    folder.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        (folder / name).write_text(open(os.path.join(program, name)).read())
    os.symlink(os.path.join(program, "venv"), folder / "venv")
    return folder


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    root = tmp_path_factory.mktemp("own-venv")
    (root / "Pulumi.yaml").write_text("name: own-venv\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n")
    (root / "Pulumi.dev.yaml").write_text("config:\n  aws:region: eu-west-1\n")
    (root / "__main__.py").write_text(PROGRAM)
    _venv_with_our_packages(root / "venv")
    return str(root)


def test_the_named_virtualenv_is_found(program):
    project = {"runtime": {"name": "python", "options": {"virtualenv": "venv"}}}
    assert project_virtualenv(program, project) == os.path.join(program, "venv")
    assert program_python(project_virtualenv(program, project)) == os.path.join(program, "venv", "bin", "python")


@pytest.mark.parametrize("project", [
    {"runtime": "python"},
    {"runtime": {"name": "python", "options": {"virtualenv": "missing"}}},
    {"runtime": {"name": "python", "options": {"toolchain": "uv"}}},
])
def test_no_virtualenv_or_one_without_pulumi_runs_here(program, project):
    assert program_python(project_virtualenv(program, project)) is None


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_the_program_runs_on_its_own_interpreter_and_streams_its_resources(program, mode):
    seen = []
    r = run_program(program, "dev", mode, on_resource=lambda res: seen.append(res.urn))
    assert r.error is None
    topic = r.get("aws:sns/topic:Topic", "from-the-programs-venv")
    assert topic.dependencies == () and isinstance(topic.secret_inputs, tuple)
    assert r.outputs["python"] == os.path.join(program, "venv")
    assert topic.urn in seen and len(seen) == len(r.resources)
    if mode == "update":
        assert topic.outputs["arn"] == "arn:aws:sns:eu-west-1:123456789012:" + topic.outputs["name"]


def test_the_cli_reports_it_like_any_program(program):
    p = subprocess.run([sys.executable, "-m", "preflight", "--cwd", program, "--stack", "dev", "--json"],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stderr == "program says hello\n"
    assert '"from-the-programs-venv"' in p.stdout


def test_a_program_failing_in_its_own_venv_is_reported_in_full(program, tmp_path):
    broken = _sibling(program, tmp_path / "broken")
    (broken / "__main__.py").write_text("import pulumi\nraise pulumi.RunError('two problems:\\n  a\\n  b')\n")
    r = run_program(str(broken), "dev", "preview")
    assert r.error.message == "two problems:\n  a\n  b"


def test_a_virtualenv_that_cannot_run_the_program_is_one_line(tmp_path):
    root = tmp_path / "bad-venv"
    root.mkdir()
    (root / "Pulumi.yaml").write_text("name: bad\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n")
    (root / "Pulumi.dev.yaml").write_text("config: {}\n")
    (root / "__main__.py").write_text("import pulumi\n")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")], check=True)
    [site] = list((root / "venv").glob("lib/python*/site-packages"))
    (site / "pulumi").mkdir()
    (site / "pulumi" / "__init__.py").write_text("raise ImportError('this pulumi is broken')\n")
    p = run_preflight_here("--cwd", str(root), "--stack", "dev")
    assert p.returncode == 2
    python = root / "venv" / "bin" / "python"
    assert p.stderr.splitlines() == [
        f"error: the program's virtualenv interpreter {python} cannot load the Pulumi SDK: "
        "ImportError: this pulumi is broken"]


def test_a_program_that_ends_its_interpreter_is_reported(program, tmp_path):
    gone = _sibling(program, tmp_path / "gone")
    (gone / "__main__.py").write_text("import os, sys\nprint('bye', file=sys.stderr, flush=True)\nos._exit(3)\n")
    with pytest.raises(Exception) as e:
        run_program(str(gone), "dev", "preview")
    assert str(e.value) == (f"the program's virtualenv interpreter {gone / 'venv' / 'bin' / 'python'} exited with "
                            "code 3 before the program finished: bye")


def _children_running(marker: str) -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if marker.encode() in open(f"/proc/{pid}/cmdline", "rb").read():
                    found.append(int(pid))
            except OSError:
                pass
    return found


@pytest.mark.parametrize("how", ["ctrl-c", "timeout"])
def test_an_interrupted_run_leaves_no_child_behind(program, tmp_path, how):
    import signal
    import time

    slow = _sibling(program, tmp_path / "slow")
    (slow / "__main__.py").write_text("import sys, time\nprint('started', file=sys.stderr, flush=True)\n"
                                      "time.sleep(60)\n")
    args = [sys.executable, "-m", "preflight", "--cwd", str(slow), "--stack", "dev"]
    if how == "timeout":
        args += ["--timeout", "3"]
    proc = start_interruptible(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr.readline() == "started\n"
        assert _children_running(str(slow / "venv" / "bin" / "python")) or _children_running("program_child")
        if how == "ctrl-c":
            proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == (130 if how == "ctrl-c" else 2)
    assert len(err.splitlines()) == 1
    for _ in range(50):
        if not _children_running("program_child"):
            break
        time.sleep(0.1)
    assert _children_running("program_child") == []


def test_offline_facts_reach_a_program_in_its_own_virtualenv(program, tmp_path):
    from preflight.offline_facts import load_offline_facts

    refs = _sibling(program, tmp_path / "refs")
    (refs / "__main__.py").write_text(
        "import pulumi\nimport pulumi_aws as aws\n"
        "network = pulumi.StackReference('org/network/prod')\n"
        "aws.ec2.SecurityGroup('web', vpc_id=network.require_output('vpcId'))\n")
    facts = tmp_path / "facts.yaml"
    facts.write_text("stackReferences:\n  org/network/prod:\n    outputs:\n      vpcId: vpc-0f00dfeedbeef0001\n")
    r = run_program(str(refs), "dev", "preview", offline_facts=load_offline_facts(str(facts)))
    assert r.error is None
    assert r.get("aws:ec2/securityGroup:SecurityGroup", "web").inputs["vpcId"] == "vpc-0f00dfeedbeef0001"
