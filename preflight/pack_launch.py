"""How the Pulumi CLI launches a policy pack: PulumiPolicy.yaml read, then the command line and environment.

Both runtimes start from the pack folder as working directory, with the environment of the CLI plus what
its ``constructEnv`` adds (``pkg/resource/plugin/analyzer_plugin.go``): ``PULUMI_CONFIG`` (the stack config
as a JSON object of strings), ``PULUMI_ORGANIZATION``, ``PULUMI_PROJECT``, ``PULUMI_STACK`` and
``PULUMI_DRY_RUN`` (``true``/``false``). The first line a pack prints is its gRPC port.

- ``runtime: python``: ``python -u -m pulumi.policy <engine-address> <pack-dir>``, on the interpreter of the
  pack's ``virtualenv`` option if it has one, else the one running preflight.
- ``runtime: nodejs``: as the Node.js language host's ``RunPlugin`` does for an analyzer: ``node
  <run-policy-pack> [nodeargs...] <engine-address> <pack-dir>``, where ``<run-policy-pack>`` is what
  ``require.resolve('@pulumi/pulumi/cmd/run-policy-pack')`` finds from the pack folder (its own
  ``node_modules``, or one in a folder above it, as Node looks). The Node.js SDK reads the
  ``PULUMI_NODEJS_*`` names, so the CLI also sets ``PULUMI_NODEJS_ORGANIZATION``, ``PULUMI_NODEJS_PROJECT``,
  ``PULUMI_NODEJS_STACK`` and ``PULUMI_NODEJS_DRY_RUN``, plus ``PULUMI_NODEJS_TYPESCRIPT=true`` unless the
  runtime option ``typescript`` is false, and ``PULUMI_NODEJS_TSCONFIG_PATH`` from the ``tsconfig`` option.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from dataclasses import dataclass, field

from .yaml_files import YamlFileError, read_yaml

RUNTIMES = ("python", "nodejs")
RUN_POLICY_PACK = os.path.join("@pulumi", "pulumi", "cmd", "run-policy-pack")


class PolicyPackError(Exception):
    """A pack cannot be used (missing, does not start, bad config, crashes); the message is one clear line.

    Defined beside the first reader of a pack, so reporting bad input never loads the gRPC stack."""


@dataclass
class PackProject:
    path: str  # the pack folder, absolute
    runtime: str  # "python" | "nodejs"
    version: str | None
    description: str | None
    options: dict = field(default_factory=dict)  # PulumiPolicy.yaml's runtime options
    interpreter: str = ""  # python: the interpreter that runs the pack
    node: str = ""  # nodejs: the node binary
    run_policy_pack: str = ""  # nodejs: the SDK's run-policy-pack script the pack's dependencies provide


def read_pack_project(pack_dir: str) -> PackProject:
    """PulumiPolicy.yaml of ``pack_dir``, with everything needed to start the pack checked now (one line if not)."""
    path = os.path.abspath(pack_dir)
    if not os.path.isdir(path):
        raise PolicyPackError(f"policy pack folder {pack_dir} does not exist")
    proj_file = None
    for n in ("PulumiPolicy.yaml", "PulumiPolicy.yml"):
        if os.path.isfile(os.path.join(path, n)):
            proj_file = os.path.join(path, n)
    if proj_file is None:
        raise PolicyPackError(f"{pack_dir} is not a policy pack: it has no PulumiPolicy.yaml")
    try:
        doc = read_yaml(proj_file) or {}
    except YamlFileError as e:
        raise PolicyPackError(str(e)) from None
    if not isinstance(doc, dict):
        raise PolicyPackError(f"{proj_file} is not a YAML mapping")
    runtime = doc.get("runtime")
    name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if name not in RUNTIMES:
        raise PolicyPackError(f"{proj_file}: runtime {name!r} is not supported; preflight runs Python (runtime: "
                              "python) and Node.js (runtime: nodejs) policy packs")
    options = runtime.get("options") if isinstance(runtime, dict) else None
    if options is not None and not isinstance(options, dict):
        raise PolicyPackError(f"{proj_file}: runtime options must be a mapping")
    version = doc.get("version")
    project = PackProject(path, name, str(version) if version is not None else None, doc.get("description"),
                          dict(options or {}))
    if name == "python":
        project.interpreter = _python_interpreter(proj_file, path, project.options)
    else:
        _node_options(proj_file, project.options)
        project.node = shutil.which("node") or ""
        if not project.node:
            raise PolicyPackError(f"{proj_file}: a runtime: nodejs pack needs Node.js, and `node` is not on PATH")
        project.run_policy_pack = _resolve_run_policy_pack(path)
        if not project.run_policy_pack:
            # The CLI's words when the module is missing.
            raise PolicyPackError(f"policy pack {pack_dir}: it looks like the policy pack's dependencies are not "
                                  f"installed; try running npm install or yarn install in {path}")
    return project


def _python_interpreter(proj_file: str, path: str, options: dict) -> str:
    venv = options.get("virtualenv")
    if not venv:
        return sys.executable
    venv_dir = venv if os.path.isabs(venv) else os.path.join(path, venv)
    candidate = os.path.join(venv_dir, "bin", "python")
    if not os.path.exists(candidate):
        raise PolicyPackError(f"{proj_file}: its virtualenv {venv_dir} does not exist")
    return candidate


def _node_options(proj_file: str, options: dict) -> None:
    """The language host's option checks (its ``parseOptions``), in its words."""
    for key, kind, word in (("typescript", bool, "a boolean"), ("tsconfig", str, "a string"),
                            ("nodeargs", str, "a string")):
        if key in options and not isinstance(options[key], kind):
            raise PolicyPackError(f"{proj_file}: {key} option must be {word}")


def _resolve_run_policy_pack(pack_path: str) -> str:
    """Node's ``require.resolve`` of the run-policy-pack folder from ``pack_path``: its ``index.js`` in the
    nearest ``node_modules`` that has it, from the pack folder up to the root."""
    d = pack_path
    while True:
        if os.path.basename(d) != "node_modules":
            candidate = os.path.join(d, "node_modules", RUN_POLICY_PACK, "index.js")
            if os.path.isfile(candidate):
                return candidate
        parent = os.path.dirname(d)
        if parent == d:
            return ""
        d = parent


def launch_command(project: PackProject, engine_address: str) -> list[str]:
    if project.runtime == "python":
        return [project.interpreter, "-u", "-m", "pulumi.policy", engine_address, project.path]
    nodeargs = shlex.split(project.options.get("nodeargs", "") or "")
    # The language host puts nodeargs after the script, then the plugin's args, then the pack folder last.
    return [project.node, project.run_policy_pack, *nodeargs, engine_address, project.path]


def launch_env(project: PackProject, *, stack_project: str, stack: str, dry_run: bool, config: dict[str, str],
               organization: str) -> dict[str, str]:
    env = dict(os.environ)
    flag = "true" if dry_run else "false"
    if project.runtime == "nodejs":
        env.update(PULUMI_NODEJS_ORGANIZATION=organization, PULUMI_NODEJS_PROJECT=stack_project,
                   PULUMI_NODEJS_STACK=stack, PULUMI_NODEJS_DRY_RUN=flag)
        if project.options.get("typescript", True):
            env["PULUMI_NODEJS_TYPESCRIPT"] = "true"
        if project.options.get("tsconfig"):
            env["PULUMI_NODEJS_TSCONFIG_PATH"] = project.options["tsconfig"]
    else:
        env["PYTHONUNBUFFERED"] = "1"
    env.update(PULUMI_CONFIG=json.dumps(config), PULUMI_ORGANIZATION=organization, PULUMI_PROJECT=stack_project,
               PULUMI_STACK=stack, PULUMI_DRY_RUN=flag)
    return env
