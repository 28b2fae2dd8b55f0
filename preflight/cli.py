"""``python -m preflight``: an offline ``pulumi preview --policy-pack`` and the stack parity check.

    python -m preflight [--cwd DIR] [--stack NAME]... [--policy-pack DIR]... [--policy-pack-config FILE]...
                        [-c|--config KEY=VALUE]... [--secrets-file FILE] [--mode preview|update] [--json]
                        [--sarif FILE]
    python -m preflight parity [--cwd DIR] --stack A --stack B [--allowed FILE] [-c KEY=VALUE]... [--secrets-file FILE]
                        [--mode preview|update] [--json]

Exit status: 0 no mandatory violation (parity: no difference outside the allowed file); 1 one or more
mandatory violations (parity: differences); 2 the program failed, the config is invalid, or a policy
pack cannot start: one line on stderr says which and why (a program's own error keeps every line of its
message, as the CLI shows it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import sys
import threading
import time
import warnings

T0 = time.perf_counter()

# Only what reading the arguments and the input files needs: `--help` and bad input answer without loading
# pulumi, gRPC or jsonschema (main_preview imports those once the input is known to be good).
from .pack_launch import PolicyPackError, read_pack_project
from .pack_process import PackProcess, kill_all
from .offline_facts import OfflineFactsError, load_offline_facts
from .config import (ConfigOverrides, StackConfigError, available_stacks, load_secrets_file, load_stack_config,
                     parse_override, placeholder_hint)
from .progress import DEFAULT_TIMEOUT, Progress, Watchdog


NO_POLICIES = "no policy pack given (--policy-pack DIR): the program was previewed, no policies ran"

EPILOG = """\
the stack parity check:
  python -m preflight parity --stack A --stack B [--allowed FILE] [-c KEY=VALUE]... [--mode M] [--json]
  compares two stacks' topologies; differences outside the allowed file fail it

exit status:
  0  no mandatory policy violation (parity: no difference outside the allowed file)
  1  one or more mandatory policy violations (parity: differences)
  2  bad input (flags, config, policy pack config), the program failed, or a policy pack could not
     run: one line on stderr names the cause (a program's own error keeps every line of its message)
  130  interrupted (Ctrl-C)
"""


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        raise UsageError(message)


def _parser(parity: bool) -> argparse.ArgumentParser:
    p = _Parser(prog="python -m preflight" + (" parity" if parity else ""), add_help=True,
                description="Offline pulumi preview with policy packs." if not parity else
                "Compare two stacks' topologies.", epilog=None if parity else EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cwd", default=".", help="the Pulumi program folder (default: .)")
    p.add_argument("--stack", "-s", action="append", default=[], help="stack to preview (repeatable)")
    p.add_argument("-c", "--config", action="append", default=[], metavar="KEY=VALUE",
                   help="config override, as `pulumi preview -c` (repeatable)")
    p.add_argument("--secrets-file", metavar="FILE",
                   help="YAML or JSON map of config key to plain value, kept secret; gives secure: values that "
                        "cannot be decrypted offline (name it *.secrets.yaml: git ignores those)")
    p.add_argument("--mode", choices=["preview", "update"], default="preview",
                   help="preview: computed outputs unknown (first preview); update: fabricated outputs")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the text report")
    p.add_argument("--offline-facts", metavar="FILE",
                   help="JSON or YAML answers for the program's own lookups and stack references "
                        "(format: preflight/offline_facts.py)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"give up after SECONDS, naming the stage the run was in (default: {DEFAULT_TIMEOUT:g})")
    if parity:
        p.add_argument("--allowed", default=None,
                       help="allowed-differences file (default: parity.yaml in the program folder, if present)")
    else:
        p.add_argument("--policy-pack", action="append", default=[], metavar="DIR", help="policy pack folder")
        p.add_argument("--policy-pack-config", action="append", default=[], metavar="FILE",
                       help="JSON config for the matching --policy-pack, in the CLI's format")
        p.add_argument("--sarif", metavar="FILE", help="also write SARIF 2.1.0 to FILE")
        p.add_argument("-v", "--verbose", action="store_true",
                       help="also print the program's traceback on failure (without it: the program's whole error "
                            "message and its own file:line)")
    return p


def _fail(message: str, as_json: bool, kind: str) -> int:
    if as_json:
        print(json.dumps({"error": {"kind": kind, "message": message}}))
    print(f"error: {message}", file=sys.stderr)
    return 2


def _stacks(args) -> list[str]:
    if args.stack:
        return list(dict.fromkeys(args.stack))
    found = available_stacks(args.cwd)
    if len(found) == 1:
        return found
    raise StackConfigError("no stack selected: pass --stack NAME (stacks found: "
                           + (", ".join(found) if found else "none") + ")")


def _overrides(args) -> ConfigOverrides:
    overrides = ConfigOverrides()
    if args.secrets_file:
        load_secrets_file(args.secrets_file, into=overrides)
    for c in args.config:
        key, value = parse_override(c)
        overrides.set(key, value, f"-c {c}")
    return overrides


def _where(details: str) -> str:
    frames = re.findall(r'File "([^"]+)", line (\d+)', details or "")
    if not frames:
        return ""
    path, line = frames[-1]
    with contextlib.suppress(ValueError):
        rel = os.path.relpath(path)
        path = rel if not rel.startswith("..") else path
    return f" (at {path}:{line})"


def _program_failed(stack: str, error, as_json: bool, verbose: bool = False, placeholders=()) -> int:
    """Every line of the program's message, with the program's own frame on the first line, where it reads
    before a list of problems rather than after its last one; then how to give the secrets the program only
    saw as placeholders, which may be why it failed."""
    if verbose and error.details:
        print(error.details, file=sys.stderr, end="")
    hint = placeholder_hint(placeholders)
    return _fail(f"stack {stack}: the program failed{_where(error.details)}: {error.message}"
                 + (f"\n{hint}" if hint else ""), as_json, "program")


def _watch(args, progress: Progress) -> Watchdog:
    """Start the ``--timeout`` watchdog; on expiry it ends the process with one line, exit 2."""
    if not args.timeout > 0:
        raise UsageError(f"--timeout {args.timeout:g}: must be a number of seconds greater than 0")
    stdout, stderr, as_json = sys.stdout, sys.stderr, args.json  # the program's run redirects sys.stdout

    def expire(stage: str) -> None:
        progress.stop()
        message = f"timed out after {args.timeout:g}s while {stage} (--timeout SECONDS to allow longer)"
        if as_json:
            print(json.dumps({"error": {"kind": "timeout", "message": message}}), file=stdout, flush=True)
        print(f"error: {message}", file=stderr, flush=True)
        kill_all()
        os._exit(2)

    return Watchdog(args.timeout, progress, expire).start()


def _run(program_dir: str, stack: str, mode: str, overrides, on_resource=None, facts=None):
    from .runner import run_program  # imports pulumi: after the packs have been started

    with contextlib.redirect_stdout(sys.stderr):  # the program's prints never mix with --json
        return run_program(program_dir, stack, mode, overrides, on_resource, offline_facts=facts)


def _facts(args):
    return load_offline_facts(args.offline_facts) if args.offline_facts else None


def main_preview(argv: list[str]) -> int:
    args = _parser(False).parse_args(argv)
    as_json = args.json
    overrides = _overrides(args)
    stacks = _stacks(args)
    configs = {s: load_stack_config(args.cwd, s, overrides) for s in stacks}
    facts = _facts(args)
    if args.policy_pack_config and len(args.policy_pack_config) != len(args.policy_pack):
        raise UsageError(f"--policy-pack-config was given {len(args.policy_pack_config)} time(s) for "
                         f"{len(args.policy_pack)} --policy-pack; give one per pack, in the same order")
    for pack in args.policy_pack:
        read_pack_project(pack)
    file_configs = [None] * len(args.policy_pack)
    if args.policy_pack_config:
        from .pack_config import load_policy_config_file  # jsonschema: only to check a pack config file

        file_configs = [load_policy_config_file(f) for f in args.policy_pack_config]
    from .analyze_session import PackSession, StackContext
    from .analyzer_wire import WireBuilder, wire_resources
    from .engine_stand_in import EngineServer
    from .report import StackReport, render_text, to_json, to_sarif
    from .runner import ListenerError

    progress = Progress()
    watchdog = _watch(args, progress)
    progress.start()
    engine = EngineServer() if args.policy_pack else None
    sessions: dict[str, list[PackSession]] = {}
    reports = []
    try:
        if args.policy_pack:
            progress.enter("starting the policy packs")
        # Start every pack first, each on a thread that configures it as soon as its port is known:
        # their start-up overlaps the program runs, and resources are analysed as they register.
        for s in stacks:
            cfg = configs[s]
            ctx = StackContext(cfg.project, s, args.mode == "preview", dict(cfg.values),
                               list(cfg.secret_keys), cfg.program_dir)
            sessions[s] = [
                PackSession(PackProcess(pack, cfg.project, s, ctx.dry_run, cfg.values, engine.address),
                            ctx, file_configs[i], engine.address)
                for i, pack in enumerate(args.policy_pack)]
        for s in stacks:
            cfg = configs[s]
            builder = WireBuilder(cfg.project, s, cfg.values)

            def stream(resource, builder=builder, targets=sessions[s]):
                progress.resource_registered()
                if targets:
                    wires = builder.add(resource)
                    for t in targets:
                        t.submit(wires)

            t_run = time.perf_counter()
            try:
                progress.enter("running the program", s)
                run = _run(args.cwd, s, args.mode, overrides, stream, facts)
            except ListenerError as e:
                return _fail(f"stack {s}: the preflight could not hand a resource to the policy packs: {e}",
                             as_json, "internal")
            t_ran = time.perf_counter()
            if run.error is not None:
                return _program_failed(s, run.error, as_json, args.verbose, run.secret_placeholders)
            wire = wire_resources(run)  # final state (components' outputs) for AnalyzeStack
            results: dict[int, object] = {}

            def finish(i: int, session: PackSession) -> None:
                try:
                    results[i] = session.finish(wire)
                except PolicyPackError as e:
                    results[i] = e
                except Exception as e:  # noqa: BLE001 - reported as one line below
                    results[i] = PolicyPackError(f"policy pack {session.proc.display} failed: "
                                                 f"{type(e).__name__}: {e}")

            progress.enter("analysing the resources", s)
            threads = [threading.Thread(target=finish, args=(i, x)) for i, x in enumerate(sessions[s])]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            sessions[s] = []
            if os.environ.get("PREFLIGHT_TIMINGS"):
                print(f"timings {s}: since start {t_run - T0:.2f}s, program {t_ran - t_run:.2f}s, "
                      f"packs after the program {time.perf_counter() - t_ran:.2f}s "
                      + " ".join(f"{k}={v:.2f}" for r in results.values() if not isinstance(r, Exception)
                                 for k, v in r.timings.items()), file=sys.stderr)
            packs = []
            for i in range(len(args.policy_pack)):
                if isinstance(results[i], Exception):
                    return _fail(str(results[i]), as_json, "policyPack")
                packs.append(results[i])
            reports.append(StackReport(run, packs, engine.take_logs() if engine else []))
    finally:
        watchdog.cancel()
        progress.stop()
        for pending in sessions.values():
            for x in pending:
                x.abandon()
        if engine:
            engine.stop()

    mandatory = sum(r.mandatory for r in reports)
    # Written before anything reports success, so a failed write is the only outcome a reader sees and
    # stdout stays one JSON document.
    if args.sarif:
        try:
            with open(args.sarif, "w", encoding="utf-8") as f:
                json.dump(to_sarif(reports, os.getcwd()), f, indent=2)
        except OSError as e:
            return _fail(f"could not write SARIF to {args.sarif}: {e.strerror}", as_json, "output")
    if as_json:
        objs = [to_json(r) for r in reports]
        if len(objs) == 1:
            print(json.dumps(objs[0], indent=2))
        else:
            print(json.dumps({"stacks": objs, "summary": {
                "stacks": len(objs),
                "resources": sum(o["summary"]["resources"] for o in objs),
                "violations": sum(o["summary"]["violations"] for o in objs),
                "mandatory": sum(o["summary"]["mandatory"] for o in objs),
                "advisory": sum(o["summary"]["advisory"] for o in objs),
                "notApplicable": sum(o["summary"]["notApplicable"] for o in objs),
                "diagnostics": sum(o["summary"]["diagnostics"] for o in objs)}}, indent=2))
    else:
        for i, r in enumerate(reports):
            if i:
                print()
            print(render_text(r), end="")
        if len(reports) > 1 or args.policy_pack:
            verdict = "failed" if mandatory else "passed"
            print(f"\npreflight {verdict}: {len(reports)} stack(s), {mandatory} mandatory violation(s), "
                  f"{sum(len(r.violations) - r.mandatory for r in reports)} advisory")
        if not args.policy_pack:
            print(f"\n{NO_POLICIES}")
    return 1 if mandatory else 0


def main_parity(argv: list[str]) -> int:
    from . import parity

    args = _parser(True).parse_args(argv)
    overrides = _overrides(args)
    if len(args.stack) != 2:
        raise UsageError("parity compares exactly two stacks: pass --stack A --stack B")
    for s in args.stack:
        load_stack_config(args.cwd, s, overrides)
    allowed_path = args.allowed
    if allowed_path is None:
        default = os.path.join(args.cwd, "parity.yaml")
        allowed_path = default if os.path.exists(default) else None
    allowed = parity.load_allowed(allowed_path)
    facts = _facts(args)
    runs = []
    progress = Progress()
    watchdog = _watch(args, progress)
    progress.start()
    try:
        for s in args.stack:
            progress.enter("running the program", s)
            run = _run(args.cwd, s, args.mode, overrides, progress.resource_registered, facts)
            if run.error is not None:
                return _program_failed(s, run.error, args.json, placeholders=run.secret_placeholders)
            runs.append(run)
    finally:
        watchdog.cancel()
        progress.stop()
    diffs = parity.compare(runs[0], runs[1], allowed)
    if args.json:
        print(json.dumps(parity.to_json(runs[0], runs[1], diffs), indent=2))
    else:
        print(parity.render(runs[0], runs[1], diffs, allowed), end="")
    return 1 if any(not d.allowed for d in diffs) else 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    # A failed program leaves SDK coroutines nobody awaits; Python would name each of them at exit, after the
    # one line that reports the failure.
    warnings.filterwarnings("ignore", message=r"coroutine '.*' was never awaited", category=RuntimeWarning)

    def on_signal(signum, frame):
        kill_all()
        os._exit(128 + signum)

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            previous[sig] = signal.signal(sig, on_signal)
    try:
        if argv and argv[0] == "parity":
            return main_parity(argv[1:])
        return main_preview(argv)
    except UsageError as e:
        return _fail(str(e), as_json, "usage")
    except StackConfigError as e:
        return _fail(str(e), as_json, "config")
    except OfflineFactsError as e:
        return _fail(str(e), as_json, "offlineFacts")
    except PolicyPackError as e:
        return _fail(str(e), as_json, "policyPack")
    except Exception as e:  # noqa: BLE001 - never a traceback; PREFLIGHT_DEBUG=1 shows it
        from .parity import ParityFileError

        if isinstance(e, ParityFileError):
            return _fail(str(e), as_json, "parity")
        if os.environ.get("PREFLIGHT_DEBUG"):
            raise
        return _fail(f"internal error: {type(e).__name__}: {e} (set PREFLIGHT_DEBUG=1 for the traceback)",
                     as_json, "internal")
    except KeyboardInterrupt:
        kill_all()
        _fail("interrupted", as_json, "interrupted")
        return 130
    finally:
        kill_all()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
