"""Keeps docs/policies.md's generated tables equal to what the policies declare.

    venv/bin/python tools/sync_policy_docs.py          # rewrite docs/policies.md
    venv/bin/python tools/sync_policy_docs.py --check  # exit 1 if docs/policies.md is stale

Tables: the policy list (name, level, description and rule ids, as each policy is declared in
policies/rules/<concern>.py), the config keys (each policy's config schema) and what each rule id means
(policies/rule_ids.py). Each lives in docs/policies.md between `<!-- NAME:begin -->` and `<!-- NAME:end -->`;
the prose around them is written by hand. tools/sync_readme.py copies the policy list into README.md.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "policies"))

from manifest import MANIFEST  # noqa: E402
from rule_ids import AREAS, RULE_IDS  # noqa: E402
from rules._config import SCHEMAS  # noqa: E402

DOC = ROOT / "docs" / "policies.md"
# A default longer than this is cut short in the config table (the policy's schema has it whole).
DEFAULT_WIDTH = 60


def _rule_id(rule_id: str) -> str:
    return f"**{rule_id}**" if rule_id.startswith("NEW-") else rule_id


def _area(rule_id: str) -> str:
    return AREAS["NEW" if rule_id.startswith("NEW-") else rule_id.rstrip("0123456789")]


def unexplained_rule_ids() -> list[str]:
    return [f"policy '{name}' names rule id '{rule_id}', which policies/rule_ids.py does not explain"
            for name, entry in MANIFEST.items() for rule_id in entry.catalogue if rule_id not in RULE_IDS]


def policy_table() -> str:
    rows = ["| Policy | Level | What it checks | Rule ids |", "|---|---|---|---|"]
    for name, entry in MANIFEST.items():
        ids = ", ".join(f"{_rule_id(i)} (none has it)" if i.startswith("NEW-") else i for i in entry.catalogue)
        rows.append(f"| `{name}` | {entry.level} | {entry.description} | {ids} |")
    return "\n".join(rows) + "\n"


def _default(value) -> str:
    text = json.dumps(value)
    if len(text) > DEFAULT_WIDTH:
        text = text[:DEFAULT_WIDTH - 3] + "..." + text[-1]
    return f"`{text}`"


def config_table() -> str:
    rows = ["| Policy | Config key | Default | Meaning |", "|---|---|---|---|"]
    for name in MANIFEST:
        for key, prop in SCHEMAS.get(name, {}).items():
            rows.append(f"| `{name}` | `{key}` | {_default(prop['default'])} | {prop['description']} |")
    return "\n".join(rows) + "\n"


def rule_id_table() -> str:
    rows = ["| Id | Area | Check |", "|---|---|---|"]
    rows += [f"| {_rule_id(i)} | {_area(i)} | {text} |" for i, text in RULE_IDS.items()]
    return "\n".join(rows) + "\n"


def sections() -> dict[str, str]:
    return {"policies": policy_table(), "policy-config": config_table(), "rule-ids": rule_id_table()}


def replace_sections(text: str, bodies: dict[str, str], where: str) -> str:
    """`text` with each `<!-- NAME:begin -->` ... `<!-- NAME:end -->` section holding bodies[NAME]."""
    for name, body in bodies.items():
        pattern = re.compile(rf"(<!-- {name}:begin -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"{where} has no <!-- {name}:begin --> ... <!-- {name}:end --> section")
        text = pattern.sub(lambda m, body=body: m.group(1) + body + m.group(2), text)
    return text


def sync_file(path: Path, render, argv: list[str], command: str) -> int:
    """Rewrites `path` as render(its text), or with --check only says (exit 1) when it is stale."""
    current = path.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if wanted != current:
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            print(f"{shown} is stale: run venv/bin/python {command}", file=sys.stderr)
            return 1
        return 0
    path.write_text(wanted, encoding="utf-8")
    return 0


def render(doc: str) -> str:
    return replace_sections(doc, sections(), "docs/policies.md")


def main(argv: list[str]) -> int:
    problems = unexplained_rule_ids()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return sync_file(DOC, render, argv, "tools/sync_policy_docs.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
