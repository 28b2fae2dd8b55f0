"""The file preflight runs is the program's own entry point, as the Python language host finds it: `__main__.py`
in the program folder, or what `main:` in Pulumi.yaml names. A folder without one is bad input, not a cue to run
whatever `__main__` module the import path happens to find (this repository's own program, from its root)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from preflight.config import StackConfigError, load_stack_config

from .conftest import ROOT


def _program(tmp_path, main_line: str = "", files: dict | None = None) -> str:
    (tmp_path / "Pulumi.yaml").write_text(f"name: orders\nruntime: python\n{main_line}")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    for rel, text in (files or {}).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return str(tmp_path)


def test_a_folder_without_main_is_bad_input_from_the_repository_root(tmp_path):
    program = _program(tmp_path, files={"app/handler.py": "def handler(e, c):\n    return e\n"})
    p = subprocess.run([sys.executable, "-m", "preflight", "--cwd", program, "--stack", "dev"], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 2
    assert p.stdout == ""
    assert p.stderr == (f"error: {os.path.join(program, 'Pulumi.yaml')}: the program folder {program} has no "
                        f"__main__.py, which the Python language host runs; add it, or name the program's file or "
                        f"folder with main: in Pulumi.yaml\n")


@pytest.mark.parametrize("main_line, files, problem", [
    ("main: src/\n", {}, "src, which does not exist"),
    ("main: infra.py\n", {}, "infra.py, which does not exist"),
    ("main: src/\n", {"src/handler.py": "x = 1\n"}, "src, which has no __main__.py"),
])
def test_main_naming_no_program_is_bad_input(tmp_path, main_line, files, problem):
    program = _program(tmp_path, main_line, files)
    with pytest.raises(StackConfigError) as e:
        load_stack_config(program, "dev")
    assert str(e.value) == (f"{os.path.join(program, 'Pulumi.yaml')}: {main_line.strip()} names "
                            f"{os.path.join(program, problem)}")


@pytest.mark.parametrize("main_line, files, entry", [
    ("", {"__main__.py": "import pulumi\n"}, ""),
    ("main: src/\n", {"src/__main__.py": "import pulumi\n"}, "src"),
    ("main: infra.py\n", {"infra.py": "import pulumi\n"}, "infra.py"),
])
def test_an_existing_entry_point_is_what_runs(tmp_path, main_line, files, entry):
    program = _program(tmp_path, main_line, files)
    assert load_stack_config(program, "dev").main == os.path.abspath(os.path.join(program, entry))
