"""The README is the user's manual: its commands, config table, outputs and policy list must stay true."""

import re
from pathlib import Path

from components.schema import readme_table
from tools.sync_readme import render
from policies.manifest import MANIFEST
from tests.test_outputs import OUTPUTS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
MAKEFILE = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
CI = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()


def test_the_two_commands_come_first_and_exist():
    first_section = README.split("\n## ")[1]
    assert first_section.startswith("The two commands")
    assert "make preview STACK=staging" in first_section and "make test" in first_section
    assert re.search(r"^preview: ", MAKEFILE, re.M) and re.search(r"^test: ", MAKEFILE, re.M)
    assert "make test" in CI


def test_the_generated_tables_are_current():
    assert render(README) == README, "regenerate: make docs"
    table = README.split("<!-- config:begin -->\n")[1].split("<!-- config:end -->")[0]
    assert table == readme_table()


def test_every_output_is_documented():
    for name in OUTPUTS:
        assert f"| `{name}` |" in README, name


def test_every_policy_is_listed_with_its_level():
    for name, entry in MANIFEST.items():
        assert re.search(rf"^\| `{re.escape(name)}` \| {entry.level} \|", README, re.M), name
