"""Measures the policy pack on other teams' Pulumi programs: every mandatory finding, and its precision.

    venv/bin/python bench/realworld.py DIR [--verdicts bench/realworld_verdicts.yaml] [--modes preview update]
                                       [--policy-pack policies] [--stack dev] [--json]

DIR holds one folder per program, each a Pulumi program with its Pulumi.yaml and a stack file
(Pulumi.<stack>.yaml); a program's secret config goes in `stack.secrets.yaml` beside them (passed as
--secrets-file). Each program runs through `python -m preflight` in each mode. The script prints one row per
mandatory finding (program, policy, resource, the modes that reported it, verdict, reason), the programs that
could not run, the findings where a rule could not evaluate, and the totals. A finding's key is
`program/policy/resource`; with a verdicts file (YAML or JSON: `verdicts: {key: {verdict: true|false, reason:
...}}`) it prints how many findings are true and the precision, true / (true + false). The file's `programs:`
section names where each program was fetched from and how it was set up: fetch its `files` into DIR/<program>/
and `--prepare` writes the rest, so the measurement can be repeated.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULE_CRASH = "The policy could not evaluate"


def programs(folder: str) -> list[str]:
    return sorted(d for d in os.listdir(folder) if os.path.isfile(os.path.join(folder, d, "Pulumi.yaml")))


def run(program_dir: str, stack: str, mode: str, pack: str, timeout: int) -> tuple[dict | None, str]:
    """One preflight run: its JSON report, or None and the one-line cause when the program or the pack failed."""
    cmd = [sys.executable, "-m", "preflight", "--cwd", program_dir, "--stack", stack, "--mode", mode,
           "--policy-pack", pack, "--json"]
    secrets = os.path.join(program_dir, "stack.secrets.yaml")
    if os.path.isfile(secrets):
        cmd += ["--secrets-file", secrets]
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"no answer within {timeout} s"
    if p.returncode in (0, 1):
        try:
            return json.loads(p.stdout), ""
        except json.JSONDecodeError:
            return None, f"exit {p.returncode} without a JSON report: {p.stdout.strip()[:200]}"
    lines = [line for line in p.stderr.strip().splitlines() if line.strip()]
    return None, f"exit {p.returncode}: {lines[0] if lines else '(no message)'}"


def resource_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1] if urn else "(stack)"


def collect(folder: str, stack: str, modes: list[str], pack: str, timeout: int):
    findings: dict[str, dict] = {}
    failures: list[tuple[str, str, str]] = []
    for name in programs(folder):
        for mode in modes:
            report, cause = run(os.path.join(folder, name), stack, mode, pack, timeout)
            if report is None:
                failures.append((name, mode, cause))
                continue
            for v in report.get("violations", []):
                if v.get("enforcementLevel") != "mandatory":
                    continue
                key = f"{name}/{v['policyName']}/{resource_name(v.get('urn', ''))}"
                entry = findings.setdefault(key, {"program": name, "policy": v["policyName"],
                                                  "resource": resource_name(v.get("urn", "")), "modes": [],
                                                  "message": v.get("message", "")})
                if mode not in entry["modes"]:
                    entry["modes"].append(mode)
    return findings, failures


def load_file(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError) as e:
        raise SystemExit(f"error: --verdicts {path}: {e}")
    if not isinstance(data, dict):
        raise SystemExit(f"error: --verdicts {path}: expected a mapping with `programs:` and `verdicts:`")
    return data


def prepare(folder: str, programs_spec: dict, stack: str) -> list[str]:
    """Turns fetched sources into runnable programs: Pulumi.yaml, the stack file (secrets as `secure:` entries,
    their values in stack.secrets.yaml), stub files, and the recorded edits. Returns every problem found."""
    problems = []
    for name, spec in sorted(programs_spec.items()):
        d = os.path.join(folder, name)
        missing = [f for f in (spec.get("files") or {}) if not os.path.isfile(os.path.join(d, f))]
        if missing:
            problems.append(f"{name}: fetch {', '.join(missing)} from {spec.get('repository')} first")
            continue
        with open(os.path.join(d, "Pulumi.yaml"), "w", encoding="utf-8") as f:
            yaml.safe_dump({"name": name, "runtime": "python", "description": f"from {spec.get('repository')}"}, f)
        secrets = spec.get("secrets") or {}
        config = dict(spec.get("stack") or {})
        config.update({k: {"secure": "v1:AAAAAAAAAAAAAAAAAAAAAAAA"} for k in secrets})
        with open(os.path.join(d, f"Pulumi.{stack}.yaml"), "w", encoding="utf-8") as f:
            yaml.safe_dump({"config": config}, f, sort_keys=False)
        if secrets:
            with open(os.path.join(d, "stack.secrets.yaml"), "w", encoding="utf-8") as f:
                yaml.safe_dump(secrets, f, sort_keys=False)
        for rel, text in (spec.get("stubs") or {}).items():
            os.makedirs(os.path.dirname(os.path.join(d, rel)) or d, exist_ok=True)
            with open(os.path.join(d, rel), "w", encoding="utf-8") as f:
                f.write(text)
        for edit in spec.get("edits") or []:
            path = os.path.join(d, edit["file"])
            with open(path, encoding="utf-8") as f:
                text = f.read()
            if edit["old"] in text:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text.replace(edit["old"], edit["new"]))
            elif edit["new"] not in text:
                problems.append(f"{name}: {edit['file']} has neither the text to edit nor the edit: {edit['old']!r}")
    return problems


def load_verdicts(path: str | None) -> dict:
    if not path:
        return {}
    data = load_file(path)
    verdicts = data.get("verdicts") or {}
    bad = [k for k, v in verdicts.items() if not isinstance(v, dict) or not isinstance(v.get("verdict"), bool)]
    if bad:
        raise SystemExit(f"error: {path}: verdicts {', '.join(bad)} need `verdict: true` or `verdict: false`")
    return verdicts


def summarise(findings: dict, failures: list, verdicts: dict, n_programs: int) -> dict:
    judged = {k: verdicts[k]["verdict"] for k in findings if k in verdicts}
    true = sum(1 for v in judged.values() if v)
    false = len(judged) - true
    crashes = sorted(k for k, f in findings.items() if RULE_CRASH in f["message"])
    return {"programs": n_programs, "failedRuns": len(failures), "mandatory": len(findings),
            "judged": len(judged), "true": true, "false": false,
            "unjudged": sorted(k for k in findings if k not in verdicts),
            "precision": round(true / len(judged), 4) if judged else None, "ruleCrashes": crashes}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", help="a folder of Pulumi programs, one per sub-folder")
    ap.add_argument("--verdicts", help="YAML or JSON file of verdicts per finding key")
    ap.add_argument("--modes", nargs="+", default=["preview", "update"], choices=["preview", "update"])
    ap.add_argument("--policy-pack", default=os.path.join(ROOT, "policies"))
    ap.add_argument("--stack", default="dev")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per preflight run")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--prepare", action="store_true",
                    help="first set up the fetched programs from the verdicts file's `programs:` section")
    a = ap.parse_args(argv)
    if not os.path.isdir(a.folder):
        ap.error(f"{a.folder}: no such folder")
    if a.prepare:
        if not a.verdicts:
            ap.error("--prepare needs --verdicts (its `programs:` section says how to set each program up)")
        problems = prepare(a.folder, load_file(a.verdicts).get("programs") or {}, a.stack)
        if problems:
            raise SystemExit("error: " + "\n       ".join(problems))
    verdicts = load_verdicts(a.verdicts)
    findings, failures = collect(a.folder, a.stack, a.modes, os.path.abspath(a.policy_pack), a.timeout)
    totals = summarise(findings, failures, verdicts, len(programs(a.folder)))
    if a.json:
        rows = [dict(f, key=k, verdict=verdicts.get(k, {}).get("verdict"), reason=verdicts.get(k, {}).get("reason"))
                for k, f in sorted(findings.items())]
        print(json.dumps({"findings": rows, "failures": failures, "totals": totals}, indent=1))
        return 0
    print(f"{'program':24} {'policy':42} {'resource':34} {'modes':15} verdict  reason")
    for k, f in sorted(findings.items()):
        v = verdicts.get(k)
        verdict = "-" if v is None else ("true" if v["verdict"] else "FALSE")
        print(f"{f['program']:24} {f['policy']:42} {f['resource']:34} {'+'.join(f['modes']):15} {verdict:8} "
              f"{(v or {}).get('reason', '')}")
    for name, mode, cause in failures:
        print(f"could not run {name} ({mode}): {cause}")
    for k in totals["ruleCrashes"]:
        print(f"rule could not evaluate: {k}")
    for k in totals["unjudged"]:
        print(f"no verdict: {k}")
    precision = "n/a" if totals["precision"] is None else f"{totals['precision']:.1%}"
    print(f"programs {totals['programs']}, runs failed {totals['failedRuns']}, mandatory findings "
          f"{totals['mandatory']}, judged {totals['judged']}: true {totals['true']}, false {totals['false']}, "
          f"precision {precision}, rule crashes {len(totals['ruleCrashes'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
