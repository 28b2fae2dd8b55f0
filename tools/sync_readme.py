"""Keeps the README's generated tables equal to their sources.

    venv/bin/python tools/sync_readme.py          # rewrite README.md
    venv/bin/python tools/sync_readme.py --check  # exit 1 if README.md is stale

Tables: the config reference (from the keys declared in components/), the outputs contract (docs/outputs.md)
and the policy list (from the policies' declarations, as in docs/policies.md). Each lives in README.md between
`<!-- NAME:begin -->` and `<!-- NAME:end -->`. docs/policies.md's own tables are regenerated first
(tools/sync_policy_docs.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components.schema import readme_table  # noqa: E402
from tools import sync_policy_docs  # noqa: E402

README = ROOT / "README.md"


def _first_table(markdown: str, header: str) -> str:
    start = markdown.index(header)
    end = markdown.find("\n\n", start)
    return markdown[start:] if end == -1 else markdown[start:end + 1]


def sections() -> dict[str, str]:
    return {
        "config": readme_table(),
        "outputs": _first_table((ROOT / "docs" / "outputs.md").read_text(), "| name | meaning |"),
        "policies": sync_policy_docs.policy_table(),
    }


def render(readme: str) -> str:
    return sync_policy_docs.replace_sections(readme, sections(), "README.md")


def main(argv: list[str]) -> int:
    if sync_policy_docs.main(argv):
        return 1
    return sync_policy_docs.sync_file(README, render, argv, "tools/sync_readme.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
