"""docs/policies.md (whose policy table the README repeats) lists every policy exactly as the manifest does."""
import os
import re
import subprocess
import sys

import pytest

from .pk import ROOT  # noqa: I001 - puts the pack on sys.path first

from manifest import MANIFEST  # noqa: E402
from rules._config import SCHEMAS  # noqa: E402


def _doc():
    with open(os.path.join(ROOT, "docs", "policies.md"), encoding="utf-8") as f:
        return f.read()


def test_policy_table_matches_manifest():
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (mandatory|advisory) \| (.+?) \| (.+?) \|$", _doc(), re.M)
    assert [r[0] for r in rows] == list(MANIFEST)
    for name, level, what, catalogue in rows:
        entry = MANIFEST[name]
        assert level == entry.level, name
        assert what == entry.description, name
        ids = [c.strip("*") for c in re.findall(r"\*\*NEW-\d+\*\*|[A-L]\d+", catalogue)]
        assert tuple(ids) == entry.catalogue, name


def test_config_table_lists_every_key():
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| `([A-Za-z0-9]+)` \|", _doc(), re.M)
    assert sorted(rows) == sorted((p, k) for p, props in SCHEMAS.items() for k in props)


def test_every_rule_id_is_explained_in_the_docs():
    from rule_ids import AREAS, RULE_IDS

    used = {c for e in MANIFEST.values() for c in e.catalogue}
    assert used == set(RULE_IDS), "rule_ids.py must explain exactly the ids the manifest uses"
    rows = re.findall(r"^\| (\*\*NEW-\d+\*\*|[A-L]\d+) \| (.+?) \| (.+?) \|$", _doc(), re.M)
    assert [(i.strip("*"), area, check) for i, area, check in rows] == [
        (i, AREAS["NEW" if i.startswith("NEW") else i[0]], text) for i, text in RULE_IDS.items()]


def test_docs_stand_on_their_own():
    doc = _doc()
    for outside in ("rule-catalogue", "../shared", "the article"):
        assert outside not in doc, outside


def test_generated_tables_are_current():
    from tools.sync_policy_docs import render

    assert render(_doc()) == _doc(), "regenerate: venv/bin/python tools/sync_policy_docs.py"


def test_a_stale_table_is_reported_and_regenerated(tmp_path, monkeypatch, capsys):
    from tools import sync_policy_docs

    stale = tmp_path / "policies.md"
    stale.write_text(_doc().replace("| `asg-multi-az` | mandatory |", "| `asg-multi-az` | advisory |"), encoding="utf-8")
    monkeypatch.setattr(sync_policy_docs, "DOC", stale)
    assert sync_policy_docs.main(["--check"]) == 1
    assert capsys.readouterr().err == f"{stale} is stale: run venv/bin/python tools/sync_policy_docs.py\n"
    assert sync_policy_docs.main([]) == 0
    assert stale.read_text(encoding="utf-8") == _doc()


def test_a_rule_id_without_an_explanation_is_named(monkeypatch, capsys):
    from tools import sync_policy_docs

    monkeypatch.delitem(sync_policy_docs.RULE_IDS, "G3")
    assert sync_policy_docs.main(["--check"]) == 1
    assert capsys.readouterr().err == (
        "policy 'redis-encryption' names rule id 'G3', which policies/rule_ids.py does not explain\n")


def test_a_missing_section_is_named():
    from tools.sync_policy_docs import render

    with pytest.raises(SystemExit, match="^docs/policies.md has no <!-- rule-ids:begin --> ... <!-- rule-ids:end --> "
                                         "section$"):
        render(_doc().replace("<!-- rule-ids:begin -->", ""))


def test_check_command_passes_on_the_repository():
    done = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "sync_policy_docs.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert (done.returncode, done.stderr) == (0, "")
