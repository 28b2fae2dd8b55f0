"""bench/realworld.py: the findings table, the totals and the precision from a verdicts file, the set-up of fetched
programs, and its errors, on programs of this repository."""

from __future__ import annotations

import importlib.util
import json
import os

import pytest

from .conftest import PROGRAMS, ROOT

_spec = importlib.util.spec_from_file_location("realworld", os.path.join(ROOT, "bench", "realworld.py"))
realworld = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(realworld)

PLAIN_DB = "secret_db_password/rds-master-password-managed/db-plain"
PLAIN_SECRET = "secret_db_password/secret-version-not-literal/api-plain"


@pytest.fixture
def programs(tmp_path):
    (tmp_path / "programs").mkdir()
    os.symlink(os.path.join(PROGRAMS, "secret_db_password"), tmp_path / "programs" / "secret_db_password")
    (tmp_path / "programs" / "notes").mkdir()  # no Pulumi.yaml: not a program
    return str(tmp_path / "programs")


def test_precision_from_the_verdicts(programs, tmp_path, capsys):
    verdicts = tmp_path / "verdicts.yaml"
    verdicts.write_text(f"verdicts:\n  {PLAIN_DB}: {{verdict: true, reason: literal in plain config}}\n"
                        f"  {PLAIN_SECRET}: {{verdict: false, reason: judged wrong on purpose}}\n"
                        f"  other/policy/resource: {{verdict: true, reason: not found in this run}}\n")
    assert realworld.main([programs, "--stack", "test", "--modes", "preview", "--verdicts", str(verdicts),
                           "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(f["key"], f["modes"], f["verdict"], f["reason"]) for f in out["findings"]] == [
        (PLAIN_DB, ["preview"], True, "literal in plain config"),
        (PLAIN_SECRET, ["preview"], False, "judged wrong on purpose")]
    assert out["failures"] == []
    assert out["totals"] == {"programs": 1, "failedRuns": 0, "mandatory": 2, "judged": 2, "true": 1, "false": 1,
                             "unjudged": [], "precision": 0.5, "ruleCrashes": []}


def test_the_table_names_the_runs_that_failed(tmp_path, capsys):
    folder = tmp_path / "programs"
    (folder / "broken").mkdir(parents=True)
    (folder / "broken" / "Pulumi.yaml").write_text("name: broken\nruntime: python\n")
    (folder / "broken" / "Pulumi.dev.yaml").write_text("config: {}\n")
    os.symlink(os.path.join(PROGRAMS, "secret_db_password"), folder / "secret_db_password")
    assert realworld.main([str(folder), "--stack", "dev", "--modes", "preview"]) == 0
    lines = capsys.readouterr().out.splitlines()
    broken = os.path.join(str(folder), "broken")
    assert lines[-3:] == [
        f"could not run broken (preview): exit 2: error: {os.path.join(broken, 'Pulumi.yaml')}: the program folder "
        f"{broken} has no __main__.py, which the Python language host runs; add it, or name the program's file or "
        f"folder with main: in Pulumi.yaml",
        "could not run secret_db_password (preview): exit 2: error: unknown stack 'dev': no Pulumi.dev.yaml in "
        f"{os.path.join(str(folder), 'secret_db_password')} (stacks found: test)",
        "programs 2, runs failed 2, mandatory findings 0, judged 0: true 0, false 0, precision n/a, rule crashes 0"]


def test_prepare_sets_up_a_fetched_program(tmp_path):
    folder = tmp_path / "programs"
    (folder / "site").mkdir(parents=True)
    (folder / "site" / "__main__.py").write_text("import pulumi_aws as aws\nb = aws.s3.Bucket('b', name='x')\n")
    spec = {"site": {"repository": "example/repo", "files": {"__main__.py": "site/__main__.py@abc"},
                     "stack": {"aws:region": "us-east-1", "site:domain": "www.example.com"},
                     "secrets": {"site:token": "t0ken"}, "stubs": {"www/index.html": "<p>hi</p>\n"},
                     "edits": [{"file": "__main__.py", "old": "name='x'", "new": "bucket='x'"}]},
            "missing": {"repository": "example/other", "files": {"__main__.py": "m/__main__.py@def"}}}
    assert realworld.prepare(str(folder), spec, "dev") == [
        "missing: fetch __main__.py from example/other first"]
    site = folder / "site"
    assert (site / "Pulumi.yaml").read_text() == "description: from example/repo\nname: site\nruntime: python\n"
    assert (site / "Pulumi.dev.yaml").read_text() == (
        "config:\n  aws:region: us-east-1\n  site:domain: www.example.com\n  site:token:\n"
        "    secure: v1:AAAAAAAAAAAAAAAAAAAAAAAA\n")
    assert (site / "stack.secrets.yaml").read_text() == "site:token: t0ken\n"
    assert (site / "www" / "index.html").read_text() == "<p>hi</p>\n"
    assert (site / "__main__.py").read_text() == "import pulumi_aws as aws\nb = aws.s3.Bucket('b', bucket='x')\n"
    # Applied edits stay applied; an edit whose text is gone is reported.
    assert realworld.prepare(str(folder), {"site": spec["site"]}, "dev") == []
    spec["site"]["edits"].append({"file": "__main__.py", "old": "acl='private'", "new": "acl=None"})
    assert realworld.prepare(str(folder), {"site": spec["site"]}, "dev") == [
        "site: __main__.py has neither the text to edit nor the edit: \"acl='private'\""]


@pytest.mark.parametrize("text, error", [
    ("verdicts:\n  a/b/c: yes-please\n", "verdicts a/b/c need `verdict: true` or `verdict: false`"),
    ("verdicts:\n  a/b/c: {verdict: maybe}\n", "verdicts a/b/c need `verdict: true` or `verdict: false`"),
    ("- just\n- a list\n", "expected a mapping with `programs:` and `verdicts:`"),
])
def test_a_malformed_verdicts_file_is_named(tmp_path, text, error):
    path = tmp_path / "v.yaml"
    path.write_text(text)
    with pytest.raises(SystemExit) as e:
        realworld.load_verdicts(str(path))
    assert str(e.value).endswith(error)
    assert str(e.value).startswith("error: ")
