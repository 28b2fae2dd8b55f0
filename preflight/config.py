"""Stack configuration the way the Pulumi CLI assembles it, without a backend.

Sources, lowest precedence first: ``Pulumi.yaml`` project config (``default:`` for project keys,
``value:`` for keys of other namespaces), ``Pulumi.<stack>.yaml`` ``config:``, then overrides
(``--secrets-file FILE``, then ``-c key=value``). Values are handed to the program as strings, as the CLI
does; structured values become JSON. ``secure:`` values are ciphertext that cannot be decrypted offline, so
they become a placeholder string that is marked secret and listed so the report can say so; a secrets file
gives their plain values instead.

An override must name a key the project declares (in Pulumi.yaml or the stack file) or a key of a provider
the program can use: a typo would otherwise be ignored silently and the preview would check the wrong
configuration.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .yaml_files import YamlFileError, read_yaml

SECRET_PLACEHOLDER = "preflight-secret-placeholder"


class StackConfigError(Exception):
    """The program folder, stack or config cannot be used; the message is one clear line."""


@dataclass
class StackConfig:
    project: str
    stack: str
    program_dir: str
    main: str  # the folder or file the language host would run
    runtime: str
    values: dict[str, str] = field(default_factory=dict)
    secret_keys: list[str] = field(default_factory=list)
    secret_placeholders: list[str] = field(default_factory=list)
    virtualenv: str = ""  # absolute folder Pulumi.yaml's runtime.options.virtualenv names, "" when none


class ConfigOverrides(dict):
    """Overrides (key -> string) that remember where each came from, for messages, and which are secret.

    A plain mapping works as overrides too; its keys count as given with ``-c``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.origins: dict[str, str] = {}
        self.secret: set[str] = set()

    def set(self, key: str, value: str, origin: str, secret: bool = False) -> None:
        self[key] = value
        self.origins[key] = origin
        if secret:
            self.secret.add(key)


SECRETS_FILE_PATTERN = "*.secrets.yaml"

_KEY_RE = re.compile(r"^[A-Za-z0-9_.\-]+(:[A-Za-z0-9_.\-/]+)?$")


def _read_yaml(path: str) -> Any:
    try:
        return read_yaml(path)
    except YamlFileError as e:
        raise StackConfigError(str(e)) from None


def project_virtualenv(program_dir: str, project: dict) -> str:
    """The absolute virtualenv folder ``project`` (the parsed Pulumi.yaml) names, or "" when it names none."""
    runtime = project.get("runtime")
    options = runtime.get("options") if isinstance(runtime, dict) else None
    venv = options.get("virtualenv") if isinstance(options, dict) else None
    if not isinstance(venv, str) or not venv:
        return ""
    return venv if os.path.isabs(venv) else os.path.normpath(os.path.join(program_dir, venv))


def _find_project_file(program_dir: str) -> str:
    for name in ("Pulumi.yaml", "Pulumi.yml"):
        p = os.path.join(program_dir, name)
        if os.path.isfile(p):
            return p
    raise StackConfigError(f"no Pulumi.yaml project file found in {program_dir}")


def available_stacks(program_dir: str) -> list[str]:
    out = []
    try:
        names = os.listdir(program_dir)
    except OSError:
        return out
    for n in sorted(names):
        m = re.match(r"^Pulumi\.(.+)\.ya?ml$", n)
        if m:
            out.append(m.group(1))
    return out


def _namespaced(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _is_project_key(project: str, key: str) -> bool:
    return ":" not in key or key.startswith(project + ":")


def to_config_string(value: Any) -> str:
    """A YAML value as the CLI hands it to the program (Go's %v for scalars, JSON otherwise)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value))
        return repr(value)
    if isinstance(value, (int, str)):
        return str(value)
    return json.dumps(_strip_secure(value), separators=(",", ":"), sort_keys=True)


def _strip_secure(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_PLACEHOLDER
        return {str(k): _strip_secure(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_secure(v) for v in value]
    return value


def _contains_secure(value: Any) -> bool:
    if isinstance(value, dict):
        return set(value) == {"secure"} or any(_contains_secure(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_secure(v) for v in value)
    return False


def _type_ok(type_name: str, items: Any, value: Any) -> bool:
    # Mirrors ValidateConfigValue in the CLI (sdk/go/common/workspace/project.go).
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return True
        if isinstance(value, float):
            return value == math.trunc(value)
        if isinstance(value, str):
            return re.fullmatch(r"[+-]?\d+", value) is not None
        return False
    if type_name == "boolean":
        return isinstance(value, bool) or value in ("true", "false")
    if type_name == "array":
        if not isinstance(value, list) or not isinstance(items, dict):
            return False
        return all(_type_ok(items.get("type", ""), items.get("items"), v) for v in value)
    return True


def _full_type_name(type_name: str, items: Any) -> str:
    if type_name == "array" and isinstance(items, dict):
        return f"List<{_full_type_name(items.get('type', ''), items.get('items'))}>"
    return type_name


def parse_override(text: str) -> tuple[str, str]:
    """``key=value`` from ``-c``; the key may be un-namespaced."""
    if "=" not in text:
        raise StackConfigError(f"malformed config override {text!r}: expected KEY=VALUE")
    key, value = text.split("=", 1)
    _check_key(key, f"malformed config override {text!r}")
    return key, value


def _check_key(key: str, context: str) -> None:
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise StackConfigError(
            f"{context}: config keys look like 'name' or 'namespace:name', got {key!r}"
        )


def load_secrets_file(path: str, into: ConfigOverrides | None = None) -> ConfigOverrides:
    """The plain values of ``--secrets-file``: a YAML (or JSON) mapping of config key to value."""
    overrides = into if into is not None else ConfigOverrides()
    flag = f"--secrets-file {path}"
    doc = _read_yaml(path)
    if doc is None:
        return overrides
    if not isinstance(doc, dict):
        got = {list: "a list", str: "a string"}.get(type(doc), f"a {type(doc).__name__}")
        raise StackConfigError(f"{flag} must be a mapping of config key to plain value, got {got}")
    problems = []
    for key, raw in doc.items():
        if not isinstance(key, str) or not _KEY_RE.match(key):
            problems.append(f"{flag}: config keys look like 'name' or 'namespace:name', got {key!r}")
        elif raw is None:
            problems.append(f"{flag}: {key} has no value")
        elif _contains_secure(raw):
            problems.append(f"{flag}: {key} is a secure: ciphertext; the file holds the plain value")
        else:
            overrides.set(key, to_config_string(raw), f"{key} in {flag}", secret=True)
    if problems:
        raise StackConfigError("\n".join(problems))
    return overrides


def placeholder_hint(placeholders: Sequence[str]) -> str:
    """What to tell a user whose program failed while secure values were placeholders ("" if none were)."""
    if not placeholders:
        return ""
    keys = ", ".join(placeholders)
    if len(placeholders) == 1:
        what, give = f"{keys} is a secure value", f"give it a value with -c {keys}=VALUE"
    else:
        what, give = f"{keys} are secure values", "give them values with -c KEY=VALUE"
    return (f"hint: {what} that cannot be decrypted offline, so the program got the placeholder "
            f"'{SECRET_PLACEHOLDER}'; {give} or --secrets-file FILE (a YAML map of key: value, named "
            f"{SECRETS_FILE_PATTERN} so git ignores it)")


@functools.lru_cache(maxsize=None)
def _is_provider_namespace(namespace: str) -> bool:
    """``pulumi`` (the engine's own settings) or the namespace of an installed provider package."""
    if namespace == "pulumi":
        return True
    try:
        spec = importlib.util.find_spec("pulumi_" + namespace.replace("-", "_"))
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    for folder in spec.submodule_search_locations:
        try:
            with open(os.path.join(folder, "pulumi-plugin.json"), encoding="utf-8") as f:
                plugin = json.load(f)
        except (OSError, ValueError):
            continue
        if isinstance(plugin, dict) and plugin.get("resource") and plugin.get("name") == namespace:
            return True
    return False


def _closest(full: str, declared: Sequence[str]) -> str | None:
    name = full.split(":", 1)[1]
    same_name = [k for k in declared if k.split(":", 1)[1] == name]
    if same_name:
        return sorted(same_name)[0]
    match = difflib.get_close_matches(full, declared, n=1)
    if match:
        return match[0]
    by_name = {k.split(":", 1)[1]: k for k in sorted(declared, reverse=True)}
    match = difflib.get_close_matches(name, list(by_name), n=1)
    return by_name[match[0]] if match else None


def _undeclared(project: str, files: str, overrides: Mapping[str, Any], declared: set[str]) -> list[str]:
    origins = getattr(overrides, "origins", {})
    problems = []
    for key, value in overrides.items():
        full = _namespaced(project, key)
        if full in declared or _is_provider_namespace(full.split(":", 1)[0]):
            continue
        origin = origins.get(key) or f"-c {key}={value}"
        note = "" if ":" in key else f" (a key without a namespace is in the project's, {project})"
        suggestion = _closest(full, sorted(declared))
        advice = f"did you mean {suggestion}?" if suggestion else "declare it in the config section of Pulumi.yaml"
        problems.append(f"{origin}: {full} is not declared in {files}{note}; {advice}")
    return problems


def load_stack_config(
    program_dir: str, stack: str, overrides: Mapping[str, str] | None = None
) -> StackConfig:
    program_dir = os.path.abspath(str(program_dir))
    if not os.path.isdir(program_dir):
        raise StackConfigError(f"program folder {program_dir} does not exist")
    project_file = _find_project_file(program_dir)
    proj = _read_yaml(project_file)
    if not isinstance(proj, dict):
        raise StackConfigError(f"{project_file} is not a YAML mapping")
    name = proj.get("name")
    if not name or not isinstance(name, str):
        raise StackConfigError(f"{project_file}: project is missing a 'name' attribute")
    runtime = proj.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if not runtime_name:
        raise StackConfigError(f"{project_file}: project is missing a 'runtime' attribute")
    if runtime_name != "python":
        raise StackConfigError(
            f"{project_file}: runtime '{runtime_name}' is not supported; preflight runs Python programs"
        )
    main = os.path.join(program_dir, proj.get("main") or "")
    main = os.path.abspath(main)

    if not isinstance(stack, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", stack or ""):
        raise StackConfigError(f"invalid stack name {stack!r}")
    stacks = available_stacks(program_dir)
    stack_file = None
    for ext in ("yaml", "yml"):
        p = os.path.join(program_dir, f"Pulumi.{stack}.{ext}")
        if os.path.isfile(p):
            stack_file = p
    if stack_file is None:
        known = ", ".join(stacks) if stacks else "none"
        raise StackConfigError(
            f"unknown stack '{stack}': no Pulumi.{stack}.yaml in {program_dir} (stacks found: {known})"
        )

    values: dict[str, str] = {}
    secret_keys: list[str] = []
    placeholders: list[str] = []
    schema: dict[str, dict] = {}

    project_config = proj.get("config") or {}
    if not isinstance(project_config, dict):
        raise StackConfigError(f"{project_file}: 'config' must be a mapping")
    for key, decl in project_config.items():
        key = str(key)
        if isinstance(decl, dict) and set(decl) & {"type", "default", "value", "description", "secret", "items"}:
            if "default" in decl and "value" in decl:
                raise StackConfigError(
                    f"project config '{key}' cannot have both a 'default' and 'value' attribute"
                )
            explicit_type = "type" in decl
            if _is_project_key(name, key):
                if explicit_type and decl["type"] == "array" and "items" not in decl:
                    raise StackConfigError(
                        f"The configuration key '{key}' declares an array but does not specify the "
                        "underlying type via the 'items' attribute"
                    )
                if explicit_type and "default" in decl and not _type_ok(decl["type"], decl.get("items"), decl["default"]):
                    raise StackConfigError(
                        f"The default value specified for configuration key '{key}' is not of the "
                        f"expected type '{_full_type_name(decl['type'], decl.get('items'))}'"
                    )
            else:
                if explicit_type:
                    raise StackConfigError(
                        f"Configuration key '{key}' is not namespaced by the project and should not define a type"
                    )
                if "default" in decl:
                    raise StackConfigError(
                        f"Configuration key '{key}' is not namespaced by the project and should not define "
                        "a default value. Did you mean to use the 'value' attribute instead of 'default'?"
                    )
                if "value" not in decl:
                    raise StackConfigError(
                        f"Configuration key '{key}' is namespaced and must provide an attribute 'value'"
                    )
            full = _namespaced(name, key)
            schema[full] = decl
            raw = decl.get("default", decl.get("value"))
            if "default" in decl or "value" in decl:
                values[full] = to_config_string(raw)
        else:
            # Shorthand `key: value` is a default value.
            if not _is_project_key(name, key):
                raise StackConfigError(
                    f"Configuration key '{key}' is not namespaced by the project and should not define "
                    "a default value. Did you mean to use the 'value' attribute instead of 'default'?"
                )
            values[_namespaced(name, key)] = to_config_string(decl)

    stack_doc = _read_yaml(stack_file) or {}
    if not isinstance(stack_doc, dict):
        raise StackConfigError(f"{stack_file} is not a YAML mapping")
    stack_config = stack_doc.get("config") or {}
    if not isinstance(stack_config, dict):
        raise StackConfigError(f"{stack_file}: 'config' must be a mapping")
    for key, raw in stack_config.items():
        key = str(key)
        _check_key(key, f"{stack_file}: invalid config key")
        full = _namespaced(name, key)
        if isinstance(raw, dict) and set(raw) == {"secure"}:
            values[full] = SECRET_PLACEHOLDER
            secret_keys.append(full)
            placeholders.append(full)
            continue
        if _contains_secure(raw):
            secret_keys.append(full)
            placeholders.append(full)
        decl = schema.get(full)
        if isinstance(decl, dict) and "type" in decl and not _type_ok(decl["type"], decl.get("items"), raw):
            raise StackConfigError(
                f"Stack '{stack}' with configuration key '{key}' must be of type "
                f"'{_full_type_name(decl['type'], decl.get('items'))}'"
            )
        values[full] = to_config_string(raw)

    overrides = overrides or {}
    for key, value in overrides.items():
        _check_key(key, "malformed config override")
        if not isinstance(value, str):
            raise StackConfigError(f"malformed config override {key!r}: the value must be a string")
    files = f"{os.path.basename(project_file)} or {os.path.basename(stack_file)}"
    undeclared = _undeclared(name, files, overrides, set(schema) | set(values))
    if undeclared:
        raise StackConfigError("\n".join(undeclared))
    secret_overrides = getattr(overrides, "secret", ())
    for key, value in overrides.items():
        full = _namespaced(name, key)
        values[full] = value
        if full in placeholders:
            placeholders.remove(full)
        if key in secret_overrides:
            secret_keys.append(full)

    missing = [
        k for k, d in schema.items()
        if isinstance(d, dict) and "type" in d and "default" not in d and "value" not in d and k not in values
    ]
    if missing:
        raise StackConfigError(
            f"Stack '{stack}' is missing configuration value{'s' if len(missing) > 1 else ''} "
            + ", ".join(f"'{k}'" for k in sorted(missing))
        )

    # Checked once the stack config is known good, so a config error is still the one reported. Without the check,
    # runpy would import whichever `__main__` module comes first on sys.path.
    if not proj.get("main") and not os.path.isfile(os.path.join(main, "__main__.py")):
        raise StackConfigError(f"{project_file}: the program folder {program_dir} has no __main__.py, which the "
                               f"Python language host runs; add it, or name the program's file or folder with main: "
                               f"in Pulumi.yaml")
    if proj.get("main") and not os.path.exists(main):
        raise StackConfigError(f"{project_file}: main: {proj.get('main')} names {main}, which does not exist")
    if proj.get("main") and os.path.isdir(main) and not os.path.isfile(os.path.join(main, "__main__.py")):
        raise StackConfigError(f"{project_file}: main: {proj.get('main')} names {main}, which has no __main__.py")

    return StackConfig(
        project=name,
        stack=stack,
        program_dir=program_dir,
        main=main,
        runtime=runtime_name,
        values=values,
        secret_keys=sorted(set(secret_keys)),
        secret_placeholders=sorted(set(placeholders)),
        virtualenv=project_virtualenv(program_dir, proj),
    )
