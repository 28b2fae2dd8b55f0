"""Policy pack config, reconciled and validated as the CLI does it, then the Configure request.

The CLI (``pkg/resource/analyzer/config.go``, ``ReconcilePolicyPackConfig``) builds each policy's config in
three layers, and so does ``build_configure_request``:

1. **Defaults**: the policy's own enforcement level (GetAnalyzerInfo) and its schema's ``default`` values.
2. **The pack's ``initialConfig``** (``new PolicyPack(name, args, initialConfig)`` in Node.js,
   ``PolicyPack(initial_config=...)`` in Python), then
3. **the ``--policy-pack-config`` file**; each layer applied the same way:

   - an ``all`` entry's enforcement level first goes to every policy (properties stay);
   - then each entry (``all`` and names that are not policies included: the pack receives them all) sets
     its enforcement level, if it has one, and merges its properties over what is there, key by key.

   An ``initialConfig`` entry always has a level: proto3 cannot leave it unset, and the CLI reads an unset
   level as ``advisory`` (an entry with only properties makes its policy advisory, exactly as under the
   CLI). In the file, a policy's value is a level (``"mandatory"``) or an object whose
   ``enforcementLevel`` key, if present, is the level and whose other keys are properties; an entry with
   neither is ignored.

Then every policy's properties are validated against its schema with the pack's ``properties`` and
``required``, plus ``enforcementLevel`` (string, one of the four levels), as a JSON Schema object (the CLI
uses gojsonschema; here the ``jsonschema`` library, formats included). Configure sends every entry with its
level and its properties (an empty struct when it has none: the Node.js SDK reads the properties of every
entry). A pack that does not support config is not configured, as under the CLI.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from google.protobuf import json_format

from pulumi.runtime.proto import analyzer_pb2

from .pack_results import LEVEL_VALUES, LEVELS, PolicyPackError

if TYPE_CHECKING:
    import jsonschema

LEVEL_NAMES = ("advisory", "mandatory", "remediate", "disabled")


@dataclass
class PolicyConfig:
    level: str | None  # None: this layer does not set one
    properties: dict = field(default_factory=dict)


def load_policy_config_file(path: str) -> dict:
    """The ``--policy-pack-config`` JSON file, checked as the CLI checks it when it loads the file."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise PolicyPackError(f"could not read policy pack config {path}: {e.strerror}") from None
    if not text.strip():
        return {}  # the CLI allows an empty file
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise PolicyPackError(f"policy pack config {path} is not valid JSON: {e.msg} at line {e.lineno}") from None
    if not isinstance(doc, dict):
        raise PolicyPackError(f"policy pack config {path} must be a JSON object of policy name to config")
    parse_policy_config(doc)
    return doc


def _level(value: Any, where: str) -> str:
    if value not in LEVEL_NAMES:
        raise PolicyPackError(f"{where}: enforcement level must be advisory, mandatory, remediate or disabled, "
                              f"got {json.dumps(value)}")
    return value


def parse_policy_config(doc: dict) -> dict[str, PolicyConfig]:
    """The file's entries (the CLI's ``parsePolicyPackConfig``): a level, or an object of an optional
    ``enforcementLevel`` and properties; entries with neither are dropped."""
    out: dict[str, PolicyConfig] = {}
    for name, value in doc.items():
        where = f"policy pack config for '{name}'" if name != "all" else "policy pack config 'all'"
        if isinstance(value, str):
            out[name] = PolicyConfig(_level(value, where))
        elif isinstance(value, dict):
            props = dict(value)
            level = _level(props.pop("enforcementLevel"), where) if "enforcementLevel" in props else None
            if level is not None or props:
                out[name] = PolicyConfig(level, props)
        else:
            raise PolicyPackError(f"{where} must be an enforcement level or an object")
    return out


def initial_config(info: analyzer_pb2.AnalyzerInfo) -> dict[str, PolicyConfig]:
    """The pack's initialConfig as the CLI reads it from GetAnalyzerInfo (an unset level is ``advisory``)."""
    return {name: PolicyConfig(LEVELS.get(ic.enforcementLevel, "advisory"),
                               json_format.MessageToDict(ic.properties) if ic.HasField("properties") else {})
            for name, ic in info.initialConfig.items()}


def _apply(result: dict[str, PolicyConfig], layer: dict[str, PolicyConfig]) -> None:
    """The CLI's ``applyConfig``."""
    everything = layer.get("all")
    if everything is not None and everything.level is not None:
        for cfg in result.values():
            cfg.level = everything.level
    for name, given in layer.items():
        cfg = result.setdefault(name, PolicyConfig(None))
        if given.level is not None:
            cfg.level = given.level
        cfg.properties.update(given.properties)


def _schema(p: analyzer_pb2.PolicyInfo) -> dict:
    return json_format.MessageToDict(p.configSchema) if p.HasField("configSchema") else {}


def _validation_schema(schema: dict) -> dict:
    """What the CLI validates a policy's properties against: its schema as an object, plus enforcementLevel."""
    props = dict(schema.get("properties") or {})
    props["enforcementLevel"] = {"type": "string", "enum": list(LEVEL_NAMES)}
    out: dict = {"type": "object", "properties": props}
    if schema.get("required"):
        out["required"] = list(schema["required"])
    return out


def _path(error: jsonschema.ValidationError) -> str:
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _tidy(value: Any) -> Any:
    """A schema value as its author wrote it: a protobuf Struct makes every number a float (1.0 for 1)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    return value


def _rule(error: jsonschema.ValidationError) -> tuple[str, str]:
    """(property path, the rule it breaks) for one error, in words."""
    v, rule = error.validator, _tidy(error.validator_value)
    path = _path(error)
    if v == "required":
        missing = next((k for k in rule if isinstance(error.instance, dict) and k not in error.instance
                        and repr(k) in error.message), rule[0] if rule else "")
        return (f"{path}.{missing}" if path else missing), "is required"
    words = {
        "type": lambda: f"must be of type {' or '.join(rule) if isinstance(rule, list) else rule}",
        "enum": lambda: f"must be one of {json.dumps(rule)}",
        "const": lambda: f"must be {json.dumps(rule)}",
        "minimum": lambda: f"must be >= {rule}",
        "maximum": lambda: f"must be <= {rule}",
        "exclusiveMinimum": lambda: f"must be > {rule}",
        "exclusiveMaximum": lambda: f"must be < {rule}",
        "multipleOf": lambda: f"must be a multiple of {rule}",
        "pattern": lambda: f"must match the pattern {json.dumps(rule)}",
        "format": lambda: f"must be a valid {rule}",
        "minLength": lambda: f"must be at least {rule} character(s) long",
        "maxLength": lambda: f"must be at most {rule} character(s) long",
        "minItems": lambda: f"must have at least {rule} item(s)",
        "maxItems": lambda: f"must have at most {rule} item(s)",
        "uniqueItems": lambda: "must not repeat an item",
        "minProperties": lambda: f"must have at least {rule} propert(ies)",
        "maxProperties": lambda: f"must have at most {rule} propert(ies)",
        "additionalProperties": lambda: f"is not allowed to have other properties ({error.message})",
    }
    text = words[v]() if v in words else f"is invalid: {error.message}"
    return path, text


def validate_properties(policy: str, schema: dict, props: dict) -> list[str]:
    """One message per problem, each naming the policy, the property path, the rule and the value."""
    import jsonschema  # a tenth of a second to load: only runs whose packs have config schemas need it

    validation = _validation_schema(schema)
    cls = jsonschema.validators.validator_for(validation, default=jsonschema.Draft7Validator)
    try:
        cls.check_schema(validation)
    except jsonschema.SchemaError as e:
        raise PolicyPackError(f"policy '{policy}' has an invalid config schema: {e.message}") from None
    validator = cls(validation, format_checker=cls.FORMAT_CHECKER)
    found = []
    for error in validator.iter_errors(props):
        path, rule = _rule(error)
        got = "" if error.validator == "required" else f", got {json.dumps(_tidy(error.instance))}"
        found.append((path, f"{rule}{got}"))
    return [f"policy pack config for '{policy}': property '{path}' {text}" if path else
            f"policy pack config for '{policy}': {text}" for path, text in sorted(found)]


def build_configure_request(info: analyzer_pb2.AnalyzerInfo, file_config: dict | None, pack: str
                            ) -> tuple[analyzer_pb2.ConfigureAnalyzerRequest | None, dict[str, str], list[str]]:
    """(request, effective level per policy, warnings) from defaults, initialConfig and the file.

    The request is None for a pack that does not support config: the CLI does not configure it.
    """
    layer = parse_policy_config(dict(file_config or {}))
    names = [p.name for p in info.policies]
    warnings = [f"policy pack config names '{k}', which is not a policy of {pack}"
                for k in layer if k != "all" and k not in names]
    result: dict[str, PolicyConfig] = {}
    for p in info.policies:
        defaults = {k: spec["default"] for k, spec in (_schema(p).get("properties") or {}).items()
                    if isinstance(spec, dict) and "default" in spec}
        result[p.name] = PolicyConfig(LEVELS.get(p.enforcementLevel, "advisory"), defaults)
    if not info.supportsConfig:
        return None, {n: c.level for n, c in result.items()}, warnings
    _apply(result, initial_config(info))
    _apply(result, layer)
    problems = [m for p in info.policies for m in validate_properties(p.name, _schema(p), result[p.name].properties)]
    if problems:
        raise PolicyPackError("; ".join(problems))
    req = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, cfg in result.items():
        if cfg.level is None:
            # Not a policy and no level of its own: the CLI's Configure refuses the whole config.
            what = "'all'" if name == "all" else f"'{name}', which is not a policy of {pack},"
            raise PolicyPackError(f"policy pack config {what} has properties but no enforcement level; the "
                                  "Pulumi CLI fails on it (invalid enforcement level \"\")")
        pc = analyzer_pb2.PolicyConfig(enforcementLevel=LEVEL_VALUES[cfg.level])
        pc.properties.update(cfg.properties)
        pc.properties.SetInParent()  # always present, even when empty
        req.policyConfig[name].CopyFrom(pc)
    levels = {p.name: result[p.name].level for p in info.policies}
    return req, levels, warnings
