"""Topology parity between stacks: the same resources, parents and HA-shaping properties.

Every input of every matched resource is compared (after normalising stack-specific text such as the
stack name), so nothing HA-shaping can slip through by being left off a list. What may differ is data,
not code: the allowed-differences file (``parity.yaml`` at the program root by default) lists, with a
reason each, the property paths and resource options that may differ per type, and resources that may
exist in one stack only.

File format::

    normalize: [portal:domain]          # config keys whose per-stack values are replaced by {key}
    properties:
      - type: "aws:rds/instance:Instance"   # fnmatch pattern on the type token
        paths: [instanceClass, backupRetentionPeriod]   # fnmatch patterns on dotted paths (list items: *)
        why: sizes and retention
    options:
      - type: "*"
        names: [protect, retainOnDelete]
        why: protection flags
    resources:                           # may exist in one stack only
      - type: "aws:rds/instance:Instance"
        name: "*-replica-*"
        why: read replicas are a count inside the tier
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from .runner import RunResult
from .yaml_files import YamlFileError, YamlReadError, read_yaml


class ParityFileError(Exception):
    pass


@dataclass
class Allowed:
    normalize: list[str] = field(default_factory=list)
    properties: list[dict] = field(default_factory=list)
    options: list[dict] = field(default_factory=list)
    resources: list[dict] = field(default_factory=list)
    path: str | None = None

    def property_allowed(self, type_: str, path: str) -> bool:
        return any(fnmatchcase(type_, e.get("type", "*")) and any(fnmatchcase(path, p) for p in e.get("paths", []))
                   for e in self.properties)

    def option_allowed(self, type_: str, name: str) -> bool:
        return any(fnmatchcase(type_, e.get("type", "*")) and name in e.get("names", []) for e in self.options)

    def resource_allowed(self, type_: str, name: str) -> bool:
        return any(fnmatchcase(type_, e.get("type", "*")) and fnmatchcase(name, e.get("name", "*"))
                   for e in self.resources)


def load_allowed(path: str | None) -> Allowed:
    if path is None:
        return Allowed()
    try:
        doc = read_yaml(path) or {}
    except YamlReadError as e:
        raise ParityFileError(f"could not read allowed-differences file {path}: {e.reason}") from None
    except YamlFileError as e:
        raise ParityFileError(str(e)) from None
    if not isinstance(doc, dict):
        raise ParityFileError(f"{path} must be a mapping with normalize/properties/options/resources")
    unknown = set(doc) - {"normalize", "properties", "options", "resources"}
    if unknown:
        raise ParityFileError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}")
    for section, required in (("properties", ("paths",)), ("options", ("names",)), ("resources", ("type",))):
        for i, e in enumerate(doc.get(section) or []):
            if not isinstance(e, dict) or any(k not in e for k in required) or not e.get("why"):
                raise ParityFileError(
                    f"{path}: {section}[{i}] needs {', '.join(required)} and a 'why' (reviewed data says why)")
    return Allowed(normalize=list(doc.get("normalize") or []), properties=list(doc.get("properties") or []),
                   options=list(doc.get("options") or []), resources=list(doc.get("resources") or []), path=path)


def _substitutions(run: RunResult, allowed: Allowed) -> _Subs:
    pairs = []
    for key in allowed.normalize:
        value = run.config.get(key)
        if value:
            pairs.append((value, "{" + key + "}"))
    pairs.append((run.stack, "{stack}"))
    # Longest first, so "staging.shop.example.com" is replaced before "staging".
    subs = _Subs(sorted(pairs, key=lambda s: -len(s[0])))
    return subs


class _Subs(list):
    """Text substitutions, plus a regex that turns fabricated ids/ARNs into symbolic references."""

    pattern: "re.Pattern | None" = None
    refs: dict[str, str] = {}


def _norm(value: Any, subs) -> Any:
    if isinstance(value, str):
        if subs.pattern is not None:
            value = subs.pattern.sub(lambda m: subs.refs[m.group(0)], value)
        for old, new in subs:
            if old:
                value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {k: _norm(v, subs) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v, subs) for v in value]
    return value


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths to leaves; list items are indexed (`a.0.b`), so `a.*.b` matches every item."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for i, v in enumerate(value):
            out.update(_flatten(v, f"{prefix}.{i}" if prefix else str(i)))
        return out
    return {prefix: value}


@dataclass
class Difference:
    kind: str  # "only-in-a" | "only-in-b" | "parent" | "property" | "option" | "custom"
    type: str
    name: str
    detail: str
    allowed: bool


def _key(r, subs) -> tuple[str, str]:
    return (r.type, _norm(r.name, subs))


def _pair_fabricated(ra: dict, rb: dict, sa: _Subs, sb: _Subs) -> None:
    """Outputs the mocks fabricated per stack (ids, ARNs, endpoints; update mode) become the same symbol
    on both sides when they belong to the same resource and output, so references compare equal."""
    refs_a: dict[str, str] = {}
    refs_b: dict[str, str] = {}
    for k in ra.keys() & rb.keys():
        x, y = ra[k], rb[k]
        if not x.custom or not y.custom:
            continue
        fx = _flatten({kk: v for kk, v in x.outputs.items() if kk not in x.inputs})
        fy = _flatten({kk: v for kk, v in y.outputs.items() if kk not in y.inputs})
        pairs = [(x.id, y.id, "id")] + [(fx[p], fy[p], p) for p in fx.keys() & fy.keys()]
        for vx, vy, path in pairs:
            if isinstance(vx, str) and isinstance(vy, str) and vx != vy and len(vx) >= 6 and len(vy) >= 6:
                symbol = "{" + f"{k[0]} {k[1]}.{path}" + "}"
                refs_a.setdefault(vx, symbol)
                refs_b.setdefault(vy, symbol)
    for subs, refs in ((sa, refs_a), (sb, refs_b)):
        if refs:
            subs.refs = refs
            subs.pattern = re.compile("|".join(re.escape(v) for v in sorted(refs, key=len, reverse=True)))


def compare(a: RunResult, b: RunResult, allowed: Allowed) -> list[Difference]:
    sa, sb = _substitutions(a, allowed), _substitutions(b, allowed)
    ra = {_key(r, sa): r for r in a.resources}
    rb = {_key(r, sb): r for r in b.resources}
    _pair_fabricated(ra, rb, sa, sb)
    urn_a = {r.urn: _key(r, sa) for r in a.resources}
    urn_b = {r.urn: _key(r, sb) for r in b.resources}
    diffs: list[Difference] = []
    for k in ra.keys() - rb.keys():
        diffs.append(Difference("only-in-a", k[0], k[1], f"only in {a.stack}", allowed.resource_allowed(*k)))
    for k in rb.keys() - ra.keys():
        diffs.append(Difference("only-in-b", k[0], k[1], f"only in {b.stack}", allowed.resource_allowed(*k)))
    for k in ra.keys() & rb.keys():
        x, y = ra[k], rb[k]
        if x.custom != y.custom:
            diffs.append(Difference("custom", k[0], k[1], "custom resource in one stack, component in the other", False))
        px = urn_a.get(x.parent) if x.parent else None
        py = urn_b.get(y.parent) if y.parent else None
        if px != py:
            def show(p):
                return "none" if p is None else f"{p[0]} {p[1]}"
            diffs.append(Difference("parent", k[0], k[1], f"parent {show(px)} ≠ {show(py)}", False))
        fx, fy = _flatten(_norm(x.inputs, sa)), _flatten(_norm(y.inputs, sb))
        for path in sorted(fx.keys() | fy.keys()):
            vx, vy = fx.get(path, "<absent>"), fy.get(path, "<absent>")
            if vx != vy:
                diffs.append(Difference("property", k[0], k[1],
                                        f"{path}: {json.dumps(vx)} ≠ {json.dumps(vy)}",
                                        allowed.property_allowed(k[0], path)))
        ox = dict(_norm(x.options, sa), protect=x.protect)
        oy = dict(_norm(y.options, sb), protect=y.protect)
        for name in sorted(ox.keys() | oy.keys()):
            if ox.get(name) != oy.get(name):
                diffs.append(Difference("option", k[0], k[1],
                                        f"option {name}: {json.dumps(ox.get(name))} ≠ {json.dumps(oy.get(name))}",
                                        allowed.option_allowed(k[0], name)))
    diffs.sort(key=lambda d: (d.type, d.name, d.kind, d.detail))
    return diffs


def render(a: RunResult, b: RunResult, diffs: list[Difference], allowed: Allowed) -> str:
    bad = [d for d in diffs if not d.allowed]
    ok = [d for d in diffs if d.allowed]
    lines = [f"Parity {a.stack} ↔ {b.stack}: {len(a.resources)} vs {len(b.resources)} resources, "
             f"{len(bad)} difference{'s' if len(bad) != 1 else ''} not allowed, {len(ok)} allowed"
             + (f" (by {os.path.relpath(allowed.path)})" if allowed.path else "")]
    current = None
    for d in bad:
        head = (d.type, d.name)
        if head != current:
            lines.append(f"  ~ {d.type} {d.name}")
            current = head
        mark = {"only-in-a": "-", "only-in-b": "+"}.get(d.kind, "~")
        lines.append(f"      {mark} {d.detail}")
    if not bad:
        lines.append(f"  {a.stack} and {b.stack} have the same topology.")
    return "\n".join(lines) + "\n"


def to_json(a: RunResult, b: RunResult, diffs: list[Difference]) -> dict:
    return {
        "stacks": [a.stack, b.stack],
        "differences": [{"kind": d.kind, "type": d.type, "name": d.name, "detail": d.detail, "allowed": d.allowed}
                        for d in diffs],
        "summary": {"notAllowed": sum(1 for d in diffs if not d.allowed),
                    "allowed": sum(1 for d in diffs if d.allowed)},
    }


__all__ = ["Allowed", "Difference", "ParityFileError", "compare", "load_allowed", "render", "to_json"]
