"""Writes the `config:` block of Pulumi.yaml from the keys declared in code, so the two never drift.

`python -m components.schema` prints the block; `--write` replaces it in Pulumi.yaml; `--readme` prints the
README's config reference table. The CLI refuses
`type:` and `default:` on keys outside the project's namespace (the project is `ecommerce-portal`, the keys
are `portal:*`), so each key carries its project-wide default as `value:` and its type in the description.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from components.settings import all_keys
from components.validation import NAMESPACE

PROJECT_FILE = Path(__file__).resolve().parent.parent / "Pulumi.yaml"


def config_block() -> dict:
    return {f"{NAMESPACE}:{key.name}": {"description": f"({key.type}) {key.description}", "value": key.default}
            for key in all_keys()}


def render() -> str:
    return yaml.safe_dump({"config": config_block()}, sort_keys=False, width=110, allow_unicode=True)


def readme_table() -> str:
    """The README's config reference, one row per key, in the order the tiers declare them."""
    import json

    rows = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for key in all_keys():
        default = json.dumps(key.default) if not isinstance(key.default, str) else (key.default or '""')
        rows.append(f"| `{NAMESPACE}:{key.name}` | {key.type} | `{default}` | {key.description.replace('|', '/')} |")
    return "\n".join(rows) + "\n"


def write(path: Path = PROJECT_FILE) -> None:
    text = path.read_text()
    head, _, _ = text.partition("\nconfig:")
    path.write_text(head.rstrip("\n") + "\n" + render())


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        write()
    elif "--readme" in sys.argv[1:]:
        sys.stdout.write(readme_table())
    else:
        sys.stdout.write(render())
