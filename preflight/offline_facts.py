"""Answers a user supplies for what cannot be known offline: their own lookups and other stacks' outputs.

``python -m preflight --offline-facts FILE`` reads one JSON file (``.json``) or YAML 1.2 file (any other
name)::

    invokes:                                  # answers to lookups, tried in file order; the first match wins
      - token: aws:ec2/getVpc:getVpc          # the invoke token, as the SDK sends it
        args: {tags: {Name: shared}}          # optional: wire (camelCase) args that must all match
        result: {id: vpc-0abc, cidrBlock: 10.20.0.0/16}
    stackReferences:                          # outputs of the stacks a StackReference reads
      org/network/prod:
        outputs: {vpcId: vpc-0abc, dbPassword: s3cret}    # what `pulumi stack output --json --show-secrets` prints
        secretOutputNames: [dbPassword]                   # optional: outputs that are secrets

A user's answer wins over a built-in one; the fields it leaves out keep the built-in answer's values (or,
for a lookup preflight does not know, values shaped by the SDK's result class).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["OfflineFacts", "OfflineFactsError", "InvokeAnswer", "StackOutputs", "load_offline_facts", "NO_FACTS"]

_TOKEN = re.compile(r"^[A-Za-z0-9_-]+:[A-Za-z0-9_./-]+:[A-Za-z0-9_]+$")
_TOP_KEYS = ("invokes", "stackReferences")
_INVOKE_KEYS = ("token", "args", "result")
_STACK_KEYS = ("outputs", "secretOutputNames")


class OfflineFactsError(Exception):
    """An unreadable or invalid facts file: every problem, one per line."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        head = f"--offline-facts {path}: " + (f"{len(problems)} problems" if len(problems) > 1 else "1 problem")
        super().__init__(head + "".join(f"\n  {path}: {p}" for p in problems))


@dataclass(frozen=True)
class InvokeAnswer:
    token: str
    args: dict
    result: dict


@dataclass(frozen=True)
class StackOutputs:
    outputs: dict
    secret_output_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class OfflineFacts:
    path: str = ""
    invokes: tuple[InvokeAnswer, ...] = ()
    stack_references: dict[str, StackOutputs] = field(default_factory=dict)

    def answer(self, token: str, args: dict) -> dict | None:
        """The user's result for this lookup, or None when no entry matches."""
        for a in self.invokes:
            if a.token == token and _matches(a.args, args):
                return a.result
        return None

    def stack_reference(self, name: str) -> StackOutputs | None:
        return self.stack_references.get(name)


NO_FACTS = OfflineFacts()


def facts_from_dict(d: dict) -> OfflineFacts:
    """OfflineFacts from its ``dataclasses.asdict`` form after a JSON round trip (for a program's own virtualenv)."""
    return OfflineFacts(
        path=d.get("path", ""),
        invokes=tuple(InvokeAnswer(**i) for i in d.get("invokes", ())),
        stack_references={name: StackOutputs(outputs=s["outputs"], secret_output_names=tuple(s["secret_output_names"]))
                          for name, s in d.get("stack_references", {}).items()})


def _matches(want: Any, got: Any) -> bool:
    """``want`` is a subset of ``got``: every key of a mapping matches, lists match item by item."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and _matches(v, got[k]) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and len(want) == len(got) and all(_matches(w, g) for w, g in zip(want, got))
    if isinstance(want, bool) or isinstance(got, bool):
        return type(want) is type(got) and want == got
    return want == got


# ---------------------------------------------------------------------------------------------
# Reading


def _show(value: Any) -> str:
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _key_path(base: str, key: str) -> str:
    return f"{base}.{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else f"{base}[{json.dumps(key)}]"


def _json_problems(value: Any, where: str, out: list[str]) -> None:
    """Values must be JSON data: a YAML date or binary value would reach the program as something else."""
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                out.append(f"{where}: key {_show(k)} is not a string: quote it")
                continue
            _json_problems(v, _key_path(where, k), out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _json_problems(v, f"{where}[{i}]", out)
    elif not (value is None or isinstance(value, (str, bool, int, float))):
        out.append(f"{where}: {value!r} is a {type(value).__name__}, not JSON data: quote it")


def _unknown_keys(obj: dict, allowed: tuple[str, ...], where: str, out: list[str]) -> None:
    for k in obj:
        if k not in allowed:
            out.append(f"{_key_path(where, str(k))}: unknown key: allowed keys are {', '.join(allowed)}")


def _parse(path: str, text: str) -> Any:
    if path.endswith(".json"):
        def no_duplicates(pairs):
            seen: dict = {}
            for k, v in pairs:
                if k in seen:
                    raise ValueError(f"duplicate key {json.dumps(k)}")
                seen[k] = v
            return seen

        return json.loads(text, object_pairs_hook=no_duplicates)
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    return yaml.load(text)


def load_offline_facts(path: str) -> OfflineFacts:
    """Read and check the facts file; raises OfflineFactsError naming every problem at once."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise OfflineFactsError(path, [f"cannot be read: {e.strerror}"]) from None
    except UnicodeDecodeError as e:
        raise OfflineFactsError(path, [f"is not UTF-8 text ({e.reason} at byte {e.start})"]) from None
    try:
        data = _parse(path, text)
    except Exception as e:  # noqa: BLE001 - json and ruamel raise many types; the message says where
        detail = " ".join(str(e).split()).split(" To suppress this check")[0]
        kind = "JSON" if path.endswith(".json") else "YAML"
        raise OfflineFactsError(path, [f"is not valid {kind}: {detail}"]) from None
    problems: list[str] = []
    facts = _check(data, problems)
    if problems:
        raise OfflineFactsError(path, problems)
    return OfflineFacts(path, *facts)


def _check(data: Any, out: list[str]) -> tuple[tuple[InvokeAnswer, ...], dict[str, StackOutputs]]:
    if not isinstance(data, dict):
        out.append(f"$: {_show(data)} is not a mapping: the file holds a mapping with the keys "
                   f"{' and/or '.join(_TOP_KEYS)}")
        return (), {}
    _json_problems(data, "$", out)
    _unknown_keys(data, _TOP_KEYS, "$", out)
    invokes: list[InvokeAnswer] = []
    raw = data.get("invokes", [])
    if not isinstance(raw, list):
        out.append(f"$.invokes: {_show(raw)} is not a list: write a list of {{token, args, result}} entries")
        raw = []
    for i, entry in enumerate(raw):
        where = f"$.invokes[{i}]"
        if not isinstance(entry, dict):
            out.append(f"{where}: {_show(entry)} is not a mapping: write {{token, args, result}}")
            continue
        _unknown_keys(entry, _INVOKE_KEYS, where, out)
        ok = True
        token = entry.get("token")
        if "token" not in entry:
            out.append(f"{where}: missing key token (the invoke token, like aws:ec2/getVpc:getVpc)")
            ok = False
        elif not isinstance(token, str) or not _TOKEN.match(token):
            out.append(f"{where}.token: {_show(token)} is not an invoke token: write it as the SDK sends it, "
                       f"package:module/function:function, like aws:ec2/getVpc:getVpc")
            ok = False
        args = entry.get("args", {})
        if not isinstance(args, dict):
            out.append(f"{where}.args: {_show(args)} is not a mapping: write the wire (camelCase) arguments "
                       f"that must match, or leave args out to match every call")
            ok = False
        if "result" not in entry:
            out.append(f"{where}: missing key result (the mapping the lookup returns, with wire names)")
            ok = False
        elif not isinstance(entry["result"], dict):
            out.append(f"{where}.result: {_show(entry['result'])} is not a mapping: write the fields the lookup "
                       f"returns, with wire (camelCase) names")
            ok = False
        if ok:
            invokes.append(InvokeAnswer(token, args, entry["result"]))
    stacks: dict[str, StackOutputs] = {}
    raw_refs = data.get("stackReferences", {})
    if not isinstance(raw_refs, dict):
        out.append(f"$.stackReferences: {_show(raw_refs)} is not a mapping: map each stack name "
                   f"(org/project/stack) to {{outputs, secretOutputNames}}")
        raw_refs = {}
    for name, entry in raw_refs.items():
        where = _key_path("$.stackReferences", str(name))
        if not isinstance(name, str) or not name.strip() or name != name.strip():
            out.append(f"{where}: {_show(name)} is not a stack name: write it as the program passes it to "
                       f"StackReference, like org/network/prod")
            continue
        if not isinstance(entry, dict):
            out.append(f"{where}: {_show(entry)} is not a mapping: write {{outputs: {{...}}, secretOutputNames: [...]}}")
            continue
        _unknown_keys(entry, _STACK_KEYS, where, out)
        outputs = entry.get("outputs")
        if "outputs" not in entry:
            out.append(f"{where}: missing key outputs (the stack's outputs, as `pulumi stack output --json` "
                       f"prints them)")
            continue
        if not isinstance(outputs, dict):
            out.append(f"{where}.outputs: {_show(outputs)} is not a mapping: paste what "
                       f"`pulumi stack output --json --show-secrets` prints")
            continue
        secrets = entry.get("secretOutputNames", [])
        names: list[str] = []
        if not isinstance(secrets, list):
            out.append(f"{where}.secretOutputNames: {_show(secrets)} is not a list: list the names of the "
                       f"outputs that are secrets")
        else:
            for j, s in enumerate(secrets):
                if not isinstance(s, str) or s not in outputs:
                    known = ", ".join(sorted(outputs)) or "none"
                    out.append(f"{where}.secretOutputNames[{j}]: {_show(s)} is not one of the stack's outputs "
                               f"({known})")
                else:
                    names.append(s)
        stacks[name] = StackOutputs(dict(outputs), tuple(dict.fromkeys(names)))
    return tuple(invokes), stacks
