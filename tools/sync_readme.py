"""Keeps the README's generated tables equal to their sources.

    venv/bin/python tools/sync_readme.py          # rewrite README.md
    venv/bin/python tools/sync_readme.py --check  # exit 1 if README.md is stale

Tables: the config reference (from the keys declared in components/), the outputs contract (docs/outputs.md)
and the policy list (from the policies' declarations, as in docs/policies.md). Each lives in README.md between
`<!-- NAME:begin -->` and `<!-- NAME:end -->`. docs/policies.md's own tables are regenerated first
(tools/sync_policy_docs.py).
"""

from __future__ import annotations

import re
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
    for name, body in sections().items():
        pattern = re.compile(rf"(<!-- {name}:begin -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(readme):
            raise SystemExit(f"README.md has no <!-- {name}:begin --> ... <!-- {name}:end --> section")
        readme = pattern.sub(lambda m: m.group(1) + body + m.group(2), readme)
    return readme


def main(argv: list[str]) -> int:
    if sync_policy_docs.main(argv):
        return 1
    current = README.read_text()
    wanted = render(current)
    if "--check" in argv:
        if wanted != current:
            print("README.md is stale: run venv/bin/python tools/sync_readme.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
