"""Rendering a preflight result: the `pulumi preview`-like text, the --json object and SARIF 2.1.0."""

from __future__ import annotations

import os
import pathlib
from collections import Counter
from dataclasses import dataclass, field

from .pack_results import PackResult
from .runner import STACK_REFERENCE_TYPE, RunResult, unanswered_message, unanswered_reference_message


@dataclass(frozen=True)
class OfflineGap:
    """A lookup or stack reference nothing answered offline: what the program built on it is not real."""

    rule: str  # "unanswered-lookup" or "unanswered-stack-reference"
    message: str
    urn: str
    source_position: str | None


def offline_gaps(run: RunResult) -> list[OfflineGap]:
    gaps: dict[str, OfflineGap] = {}
    for i in run.unanswered_invokes:
        msg = unanswered_message(i.token, i.args)
        gaps.setdefault(msg, OfflineGap("unanswered-lookup", msg, "", i.source_position))
    refs = {r.id: r.urn for r in run.resources if r.type == STACK_REFERENCE_TYPE}
    for name in run.unanswered_stack_references:
        msg = unanswered_reference_message(name)
        gaps.setdefault(msg, OfflineGap("unanswered-stack-reference", msg, refs.get(name, ""), None))
    return list(gaps.values())


@dataclass
class StackReport:
    run: RunResult
    packs: list[PackResult] = field(default_factory=list)
    engine_logs: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def violations(self):
        return [v for p in self.packs for v in p.violations]

    @property
    def mandatory(self) -> int:
        return sum(1 for v in self.violations if v.enforcement_level == "mandatory")


def display_type(token: str) -> str:
    """`aws:ec2/vpc:Vpc` -> `aws:ec2:Vpc`, as `pulumi preview` shows types."""
    parts = token.split(":")
    if len(parts) == 3 and "/" in parts[1]:
        return f"{parts[0]}:{parts[1].split('/')[0]}:{parts[2]}"
    return token


def _tree_rows(run: RunResult) -> list[tuple[str, str, str]]:
    by_parent: dict[str | None, list] = {}
    urns = {r.urn for r in run.resources}
    for r in run.resources:
        parent = r.parent if r.parent in urns else None
        by_parent.setdefault(parent, []).append(r)
    rows: list[tuple[str, str, str]] = []

    def walk(node, prefix: str, last: bool, depth: int) -> None:
        branch = "" if depth == 0 else ("└─ " if last else "├─ ")
        rows.append((prefix + branch, display_type(node.type), node.name))
        kids = by_parent.get(node.urn, [])
        child_prefix = prefix + ("" if depth == 0 else ("   " if last else "│  "))
        for i, k in enumerate(kids):
            walk(k, child_prefix, i == len(kids) - 1, depth + 1)

    roots = by_parent.get(None, [])
    for i, r in enumerate(roots):
        walk(r, "", i == len(roots) - 1, 0)
    return rows


def _indent(text: str, pad: str) -> str:
    return "\n".join(pad + line for line in text.splitlines())


def render_text(rep: StackReport, show_tree: bool = True) -> str:
    run = rep.run
    out: list[str] = []
    title = "Previewing update" if run.mode == "preview" else "Simulating update (fabricated outputs)"
    out.append(f"{title} ({run.stack}):")
    rows = _tree_rows(run)
    if show_tree:
        w_type = max([len(p + t) for p, t, _ in rows] + [4])
        w_name = max([len(n) for _, _, n in rows] + [4])
        out.append(f"     {'Type'.ljust(w_type)}  {'Name'.ljust(w_name)}  Plan")
        for prefix, typ, name in rows:
            out.append(f" +   {(prefix + typ).ljust(w_type)}  {name.ljust(w_name)}  create")
    out.append("")
    if run.secret_placeholders:
        out.append("Config:")
        for k in run.secret_placeholders:
            out.append(f"    {k} is a secure value that cannot be decrypted offline: the program saw a placeholder")
        out.append("")
    gaps = offline_gaps(run)
    if gaps:
        out.append("Diagnostics:")
        for g in gaps:
            out.append(f"    warning: {g.message}")
        out.append("")
    if rep.packs:
        out.append("Policies:")
        for p in rep.packs:
            mandatory = any(v.enforcement_level == "mandatory" for v in p.violations)
            mark = "❌" if mandatory else ("⚠️ " if p.violations else "✅")
            out.append(f"    {mark} {p.name}@v{p.version} (local: {p.path})")
            for v in p.violations:
                where = ""
                if v.urn:
                    t, n = v.urn.split("::")[-2].split("$")[-1], v.urn.split("::")[-1]
                    where = f"  ({display_type(t)}: {n})"
                out.append(f"        - [{v.enforcement_level}]  {v.policy_name}{where}")
                if v.urn:
                    out.append(f"          {v.urn}")
                out.append(_indent(v.message, "          "))
            for d in p.diagnostics:
                where = f"  ({d.urn})" if d.urn else ""
                label = "can't run during preview" if d.message.startswith("can't run policy") else d.level
                out.append(f"        - [{label}]  {d.policy_name or p.name}{where}")
                out.append(_indent(d.message, "          "))
            na: dict[tuple[str, str], int] = Counter((n.policy_name, n.reason) for n in p.not_applicable)
            for (policy, reason), count in sorted(na.items()):
                out.append(f"        - [not applicable]  {policy}: {count} resource{'s' if count != 1 else ''}"
                           + (f" ({reason})" if reason else ""))
        out.append("")
    if rep.engine_logs:
        out.append("Policy pack logs:")
        for sev, msg, urn in rep.engine_logs:
            out.append(f"    {sev}: {msg}" + (f" ({urn})" if urn else ""))
        out.append("")
    if run.outputs:
        out.append("Outputs:")
        w = max(len(k) for k in run.outputs)
        for k in sorted(run.outputs):
            v = run.outputs[k]
            if k in run.secret_outputs:
                shown = "[secret]"
            elif v == "04da6b54-80e4-46f7-96ec-b56ff0331ba9":
                shown = "output<string>"
            else:
                shown = repr(v)
            if len(shown) > 100:
                shown = shown[:97] + "..."
            out.append(f"    {k.ljust(w)}: {shown}")
        out.append("")
    out.append("Resources:")
    out.append(f"    + {len(run.resources)} to create")
    out.append("")
    out.append("Resources by type:")
    counts = Counter(display_type(r.type) for r in run.resources)
    w = max(len(str(c)) for c in counts.values()) if counts else 1
    for typ, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"    {str(c).rjust(w)}  {typ}")
    return "\n".join(out) + "\n"


def to_json(rep: StackReport) -> dict:
    run = rep.run
    violations = [{
        "policyPack": v.policy_pack, "policyPackVersion": v.policy_pack_version, "policyName": v.policy_name,
        "enforcementLevel": v.enforcement_level, "severity": v.severity, "urn": v.urn, "message": v.message,
    } for v in rep.violations]
    not_applicable = [{"policyPack": n.policy_pack, "policyName": n.policy_name, "urn": n.urn, "reason": n.reason}
                      for p in rep.packs for n in p.not_applicable]
    diagnostics = [{"policyPack": d.policy_pack, "policyName": d.policy_name, "urn": d.urn, "level": d.level,
                    "message": d.message} for p in rep.packs for d in p.diagnostics]
    diagnostics += [{"policyPack": "", "policyName": "", "urn": urn, "level": sev, "message": msg}
                    for sev, msg, urn in rep.engine_logs]
    diagnostics += [{"policyPack": "", "policyName": "", "urn": g.urn, "level": "warning", "message": g.message}
                    for g in offline_gaps(run)]
    return {
        "project": run.project,
        "stack": run.stack,
        "mode": run.mode,
        "resources": [{"urn": r.urn, "type": r.type, "name": r.name, "parent": r.parent, "custom": r.custom}
                      for r in run.resources],
        "policyPacks": [{"name": p.name, "version": p.version, "path": p.path} for p in rep.packs],
        "violations": violations,
        "notApplicable": not_applicable,
        "diagnostics": diagnostics,
        "secretPlaceholders": list(run.secret_placeholders),
        "outputs": run.outputs,
        "summary": {
            "resources": len(run.resources),
            "resourcesByType": dict(sorted(Counter(r.type for r in run.resources).items())),
            "violations": len(violations),
            "mandatory": sum(1 for v in violations if v["enforcementLevel"] == "mandatory"),
            "advisory": sum(1 for v in violations if v["enforcementLevel"] == "advisory"),
            "notApplicable": len(not_applicable),
            "diagnostics": len(diagnostics),
        },
    }


def _location(rep: StackReport, urn: str, cwd: str, source_position: str | None = None) -> dict:
    run = rep.run
    res = next((r for r in run.resources if r.urn == urn), None)
    position = source_position or (res.source_position if res is not None else None)
    path, line = None, 1
    if position and "site-packages" not in position:
        path, _, ln = position.rpartition(":")
        line = int(ln) if ln.isdigit() else 1
    if path is None:
        path = os.path.join(run.program_dir, f"Pulumi.{run.stack}.yaml")
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        rel = path
    if rel.startswith("..") or os.path.isabs(rel):
        artifact = {"uri": pathlib.Path(os.path.abspath(path)).as_uri()}
    else:
        # Relative to the checkout, so a code-scanning service maps it onto its own copy of the repository.
        artifact = {"uri": rel.replace(os.sep, "/"), "uriBaseId": SRCROOT}
    loc = {"physicalLocation": {"artifactLocation": artifact, "region": {"startLine": max(line, 1)}}}
    if urn:
        loc["logicalLocations"] = [{"fullyQualifiedName": urn, "name": urn.split("::")[-1], "kind": "resource"}]
    return loc


SRCROOT = "%SRCROOT%"
_GAP_RULES = {
    "unanswered-lookup": "A lookup was not answered offline: the program saw an empty result",
    "unanswered-stack-reference": "A stack reference was not answered offline: the program saw no outputs",
}


def to_sarif(reports: list[StackReport], cwd: str, tool_version: str = "1.0.0") -> dict:
    rules: dict[str, dict] = {}
    results = []
    for rep in reports:
        for p in rep.packs:
            for pol in p.policies:
                rid = f"{p.name}/{pol.name}"
                rules.setdefault(rid, {
                    "id": rid, "name": pol.name,
                    "shortDescription": {"text": pol.description or pol.name},
                    "defaultConfiguration": {"level": "error" if pol.enforcement_level == "mandatory" else "warning"},
                    "properties": {"policyPack": p.name, "policyPackVersion": p.version,
                                   "enforcementLevel": pol.enforcement_level, "severity": pol.severity},
                })
        for v in rep.violations:
            rid = f"{v.policy_pack}/{v.policy_name}"
            rules.setdefault(rid, {"id": rid, "name": v.policy_name, "shortDescription": {"text": v.description}})
            results.append({
                "ruleId": rid,
                "level": "error" if v.enforcement_level == "mandatory" else "warning",
                "message": {"text": v.message},
                "locations": [_location(rep, v.urn, cwd)],
                "properties": {"stack": rep.run.stack, "mode": rep.run.mode, "urn": v.urn,
                               "enforcementLevel": v.enforcement_level, "severity": v.severity},
            })
        for g in offline_gaps(rep.run):
            rid = f"preflight/{g.rule}"
            rules.setdefault(rid, {
                "id": rid, "name": g.rule,
                "shortDescription": {"text": _GAP_RULES[g.rule]},
                "defaultConfiguration": {"level": "warning"},
            })
            results.append({
                "ruleId": rid, "level": "warning", "message": {"text": g.message},
                "locations": [_location(rep, g.urn, cwd, g.source_position)],
                "properties": {"stack": rep.run.stack, "mode": rep.run.mode, "urn": g.urn},
            })
    rule_list = list(rules.values())
    index = {r["id"]: i for i, r in enumerate(rule_list)}
    for r in results:
        r["ruleIndex"] = index[r["ruleId"]]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "preflight", "version": tool_version,
                                "informationUri": "https://www.pulumi.com/docs/using-pulumi/crossguard/",
                                "rules": rule_list}},
            "originalUriBaseIds": {SRCROOT: {"uri": pathlib.Path(os.path.abspath(cwd)).as_uri().rstrip("/") + "/"}},
            "results": results,
        }],
    }
