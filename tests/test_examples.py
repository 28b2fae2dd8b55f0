"""The example CI workflow runs the checks `make test` runs beside pytest, so the README's CI paragraph stays true."""

from __future__ import annotations

import os
import re
import shlex

from preflight.yaml_files import read_yaml

from .conftest import ROOT


def _recipe(text: str, target: str) -> str:
    return re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", text, re.M).group(1)


def _make_test_commands() -> list[list[str]]:
    """The commands of `make test`'s recipe and of the test-* targets it makes, in the order it names them."""
    text = open(os.path.join(ROOT, "Makefile"), encoding="utf-8").read()
    recipe = _recipe(text, "test")
    for target in re.findall(r"\b(test-[\w-]+)", recipe):
        recipe += _recipe(text, target)
    subst = {"$(PY)": "venv/bin/python", "$(PACK)": "policies"}
    commands = []
    for line in recipe.splitlines():
        line = line.strip().lstrip("@")
        for k, v in subst.items():
            line = line.replace(k, v)
        if "-m preflight" in line:
            commands.append(shlex.split(line))
    return commands


def test_the_workflow_runs_make_tests_preflight_commands_and_uploads_sarif():
    workflow = read_yaml(os.path.join(ROOT, "examples", "ci", "preflight.yml"))
    steps = workflow["jobs"]["preflight"]["steps"]
    runs = [shlex.split(s["run"]) for s in steps if "run" in s and "-m preflight" in s["run"]]
    sarif = [r for r in runs if "--sarif" in r]
    assert len(sarif) == 1
    i = sarif[0].index("--sarif")
    sarif_file = sarif[0][i + 1]
    without_sarif = [r[:i] + r[i + 2:] if r is sarif[0] else r for r in runs]
    assert without_sarif == _make_test_commands()
    assert {"run": "make venv", "name": "Create the virtualenv from requirements.txt"} in steps
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload and upload[0]["with"]["sarif_file"] == sarif_file
    assert workflow["permissions"]["security-events"] == "write"
