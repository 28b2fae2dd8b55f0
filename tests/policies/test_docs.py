"""docs/policies.md (whose policy table the README repeats) lists every policy exactly as the manifest does."""
import os
import re

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
