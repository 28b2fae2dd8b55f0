"""`python -m release`: the commands, their arguments and exit codes (0 done, 1 rollout failed or rolled back,
2 bad input or a precondition not met, 130 interrupted)."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from functools import cached_property
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from rich.console import Console

from release.aws import Fleet, Refresh, Releases, Running, Verified, record_key
from release.errors import Refused, RolloutFailed
from release.progress import RefreshNotFinished, healthy_text, wait_for_refresh
from release.rules import release_of_archive, release_problems
from release.stacks import IMAGE_KEY, RELEASE_KEY, AutomationStack, OutputsFile, StackOps, write_config

EXIT_DONE, EXIT_FAILED, EXIT_REFUSED, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_TIMEOUT_MINUTES = 120
_ZONE = re.compile(r"([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]")


class Interrupted(Exception):
    """Ctrl-C, with what state it left (exit 130)."""


def _session(region: str | None) -> Any:
    import boto3
    return boto3.Session(region_name=region)


@dataclass
class Deps:
    """What the commands talk to; tests hand in fakes and moto-backed sessions."""

    stack: Callable[[str], StackOps] = AutomationStack
    aws: Callable[[str | None], Any] = _session
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    console: Console = field(default_factory=lambda: Console(highlight=False))
    errors: Any = None  # where the one-line causes go; stderr when None


def record_name(stack: str) -> str:
    """`org/project/staging` and `staging` record under the same name."""
    return stack.rsplit("/", 1)[-1]


class StackView:
    """One stack: its outputs (from the stack or a file), config and the AWS resources they name."""

    def __init__(self, name: str, deps: Deps, outputs_file: OutputsFile | None = None, flag: str = "--stack"):
        self.name, self.deps, self._file, self.flag = name, deps, outputs_file, flag
        self._ops: StackOps | None = None
        self._outputs: dict[str, Any] | None = None

    @property
    def ops(self) -> StackOps:
        if self._ops is None:
            try:
                self._ops = self.deps.stack(self.name)
            except FileNotFoundError:
                raise Refused(f"{self.flag} {self.name!r}: cannot open the stack: the Pulumi CLI is not on PATH (the "
                              "Automation API runs it); give --outputs where the command takes it")
            except Exception as error:  # no backend login, no such stack: preconditions
                raise Refused(f"{self.flag} {self.name!r}: cannot open the stack through the Pulumi Automation API "
                              f"({_one_line(error)})")
        return self._ops

    def outputs(self, *required: str) -> dict[str, Any]:
        if self._outputs is None:
            self._outputs = self._file.read() if self._file else self.ops.get_outputs()
        missing = [name for name in required if not self._outputs.get(name)]
        if missing:
            source = f"{self._file.flag} {str(self._file.path)!r}" if self._file else f"stack {self.name!r}"
            raise Refused([f"{source}: output {name} is missing (the release tool reads it)" for name in missing])
        return self._outputs

    @property
    def from_file(self) -> bool:
        return self._file is not None

    @property
    def zones(self) -> list[str]:
        return list(self.outputs().get("availabilityZones") or [])

    @cached_property
    def session(self) -> Any:
        found = [m.group(1) for z in self.zones if (m := _ZONE.fullmatch(z))]
        return self.deps.aws(found[0] if found else None)

    @cached_property
    def releases(self) -> Releases:
        return Releases(self.session.client("s3"), self.outputs("releasesBucketName")["releasesBucketName"])

    @cached_property
    def fleet(self) -> Fleet:
        values = self.outputs("autoScalingGroupName", "parameterPrefix", "availabilityZones")
        return Fleet(self.session, values["autoScalingGroupName"], values["parameterPrefix"])


def _one_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__


def _say(deps: Deps, text: str) -> None:
    # soft_wrap: a long line stays one line (the terminal wraps it), so logs and transcripts can be grepped.
    deps.console.print(text, highlight=False, markup=False, soft_wrap=True)


# -- commands ---------------------------------------------------------------------------------------------------

def upload(args: argparse.Namespace, deps: Deps) -> int:
    data, release, problems = release_of_archive(args.archive, args.release)
    view = StackView(args.stack, deps, _outputs_file(args.outputs, "--outputs"))
    try:
        view.outputs("releasesBucketName")
    except Refused as error:
        problems += error.problems
    if problems:
        raise Refused(problems)
    verified, uploaded = view.releases.upload(release, data)
    what = "uploaded" if uploaded else "already uploaded with the same content"
    _say(deps, f"{release}: {what}; verified {verified.url} (SHA-256 {verified.sha256})")
    return EXIT_DONE


def deploy(args: argparse.Namespace, deps: Deps) -> int:
    problems = release_problems(args.release, image=args.image)
    if problems:
        raise Refused(problems)
    view = StackView(args.stack, deps)
    return _roll_out(view, deps, args.release, args.image, args.timeout_minutes)


def promote(args: argparse.Namespace, deps: Deps) -> int:
    problems = release_problems(args.release)
    if args.source == args.target:
        problems.append(f"--to {args.target!r}: must name another stack than --from")
    if problems:
        raise Refused(problems)
    source, target = StackView(args.source, deps, flag="--from"), StackView(args.target, deps, flag="--to")
    staged = source.releases
    record = staged.record(args.release, record_name(args.source))
    if not record or record.get("outcome") != "Successful" or record.get("release") != args.release:
        raise Refused(f"--release {args.release!r}: {args.source} has not run it to a successful instance refresh "
                      f"(no success in s3://{staged.bucket}/{record_key(args.release, record_name(args.source))}); "
                      f"deploy it on {args.source} first")
    image = str(record.get("amiId") or "")
    problems = release_problems(args.release, image=image, image_flag=f"{args.source}'s recorded amiId")
    if problems:
        raise Refused(problems)
    # Checked before the copy as well as before the config: the copy changes prod's bucket and can take minutes.
    alarms = _alarm_problems(target, target.fleet.latest_refresh())
    if alarms:
        raise Refused(alarms)
    verified, copied = target.releases.copy_from(staged, args.release)
    _say(deps, f"{args.release}: {args.source} ran it with image {image} (refresh {record.get('refreshId')}, "
               f"{record.get('finishedAt')}); {'copied to' if copied else 'already in'} {verified.url}, verified")
    return _roll_out(target, deps, args.release, image, args.timeout_minutes)


def rollback(args: argparse.Namespace, deps: Deps) -> int:
    view = StackView(args.stack, deps)
    running = view.fleet.running()
    name = record_name(args.stack)
    others = [r for r in view.releases.records(name)
              if (r.get("release"), r.get("amiId")) != (running.release, running.image)]
    # A release this command left is not one to come back to (else a second rollback would return to it);
    # deploying it again writes a new record without the mark.
    left = [r for r in others if r.get("rolledBackAt")]
    earlier = [r for r in others if not r.get("rolledBackAt")]
    if not earlier:
        since = (f", except those rollback left since ({', '.join(str(r['release']) for r in left)})" if left else "")
        raise Refused(f"--stack {args.stack!r}: no release other than the running one ({running.release}) "
                      f"succeeded on it{since}; nothing to roll back to"
                      + (" (deploy one by name to run it again)" if left else ""))
    last = earlier[-1]
    release, image = str(last["release"]), str(last.get("amiId") or "")
    problems = release_problems(release, image=image, image_flag="the recorded amiId")
    if problems:
        raise Refused(problems)
    skipped = [r for r in left if str(r.get("finishedAt", "")) > str(last.get("finishedAt", ""))]
    code = _roll_out(view, deps, release, image, args.timeout_minutes, announce=(
        f"{args.stack}: rolling back from {running.release} to {release} (image {image}), which succeeded there at "
        f"{last.get('finishedAt')}" + ("; skipped: " + ", ".join(
            f"{r['release']} (rolled back from at {r['rolledBackAt']})" for r in skipped) if skipped else "")))
    _record_rollback(view.releases, name, running, release)
    return code


def _record_rollback(releases: Releases, stack: str, left: Running, release: str) -> None:
    """After a successful rollback: the new record says what it replaced, and the release left is marked."""
    record = releases.record(release, stack)
    if record is None or left.release is None:
        return
    record["rolledBackFrom"] = left.release
    releases.put_record(release, stack, record)
    previous = releases.record(left.release, stack)
    if previous and (previous.get("release"), previous.get("amiId")) == (left.release, left.image):
        previous.update(rolledBackAt=record.get("finishedAt"), rolledBackTo=release)
        releases.put_record(left.release, stack, previous)


def status(args: argparse.Namespace, deps: Deps) -> int:
    if args.outputs and len(args.stack) > 1:
        raise Refused(f"--outputs {str(args.outputs)!r}: holds one stack's outputs; give one --stack with it")
    reports = [_status_of(StackView(name, deps, _outputs_file(args.outputs, "--outputs")))
               for name in args.stack]
    if args.json:
        deps.console.file.write(json.dumps({"stacks": reports}, indent=2) + "\n")
        return EXIT_DONE
    for report in reports:
        running, config, refresh = report["running"], report["config"], report["lastRefresh"]
        lines = [report["stack"],
                 f"  running   release {running['release']}, image {running['image']} "
                 f"(launch template version {running['launchTemplateVersion']})",
                 (f"  config    {RELEASE_KEY} {config['release']}, {IMAGE_KEY} {config['image']}" if config
                  else "  config    not read (--outputs given)"),
                 f"  recorded  {report['recordedReleaseParameter']} = {report['recordedRelease']}",
                 "  refresh   " + (f"{refresh['id']} {refresh['status']} {refresh['percentage']}%"
                                   f" (started {refresh['startTime'] or '-'}, ended {refresh['endTime'] or '-'})"
                                   + (f": {refresh['reason']}" if refresh["reason"] else "")
                                   if refresh else "none"),
                 f"  healthy   {healthy_text(report['healthyTargetsPerAz'])}",
                 "  last success  " + (f"{report['lastSuccess']['release']} at {report['lastSuccess']['finishedAt']}"
                                       if report["lastSuccess"] else "none recorded")]
        for line in lines:
            _say(deps, line)
    return EXIT_DONE


def _status_of(view: StackView) -> dict[str, Any]:
    fleet = view.fleet
    group = fleet.group()
    running = fleet.running(group)
    refresh = fleet.latest_refresh()
    records = view.releases.records(record_name(view.name))
    return {
        "stack": view.name,
        "running": {"release": running.release, "image": running.image, "launchTemplateVersion": running.version},
        # With --outputs the stack itself is not opened (a machine without the Pulumi CLI): config unknown.
        "config": None if view.from_file else {"release": view.ops.get_config(RELEASE_KEY),
                                               "image": view.ops.get_config(IMAGE_KEY)},
        "recordedRelease": fleet.recorded_release(), "recordedReleaseParameter": fleet.parameter,
        "lastRefresh": None if refresh is None else {
            "id": refresh.id, "status": refresh.status, "percentage": refresh.percentage,
            "startTime": refresh.start, "endTime": refresh.end, "reason": refresh.reason},
        "healthyTargetsPerAz": fleet.healthy_per_az(view.zones, group),
        "lastSuccess": records[-1] if records else None,
    }


# -- the roll-out every deploying command shares ---------------------------------------------------------------

def _alarm_problems(view: StackView, latest: Refresh | None) -> list[str]:
    """A refresh that starts with one of its alarms in ALARM fails at once and rolls back: one line per alarm.
    INSUFFICIENT_DATA does not stop a refresh (a new stack's alarm has no data yet) and is not refused."""
    fleet = view.fleet
    return [f"{view.flag} {view.name!r}: rollback alarm {name} is in ALARM, so an instance refresh started now would "
            "fail at once and roll back; wait until it is OK, or investigate what sets it off (docs/releases.md: "
            "\"The alarm must be OK before a roll-out starts\"); nothing was changed"
            for name in fleet.alarms_in_alarm(fleet.rollback_alarms(latest))]


def _preconditions(view: StackView, release: str, image: str | None) -> tuple[Verified, str, Refresh | None]:
    """Everything checked before the config changes, every problem at once: the release intact in the stack's
    bucket, an image, and no rollback alarm firing. Returns (verified release, image, the group's last refresh)."""
    problems: list[str] = []
    try:
        verified = view.releases.verify(release)
    except Refused as error:
        problems += error.problems
    if image is None:
        image = view.ops.get_config(IMAGE_KEY) or ""
        problems += (release_problems(release, image=image, image_flag=f"{view.name}'s {IMAGE_KEY}") if image
                     else [f"--image: not given and {view.name} has no {IMAGE_KEY} to keep"])
    latest = None
    try:
        latest = view.fleet.latest_refresh()
        problems += _alarm_problems(view, latest)
    except Refused as error:  # outputs the fleet needs are missing, or its group is gone
        problems += error.problems
    if problems:
        raise Refused(problems)
    return verified, image, latest


def _roll_out(view: StackView, deps: Deps, release: str, image: str | None, timeout_minutes: float, *,
              announce: str = "") -> int:
    verified, image, before = _preconditions(view, release, image)
    fleet = view.fleet
    if announce:
        _say(deps, announce)
    _say(deps, f"{view.name}: {RELEASE_KEY} = {release}, {IMAGE_KEY} = {image} ({verified.url} verified); "
               "pulumi up --policy-pack policies")
    previous = write_config(view.ops, {RELEASE_KEY: release, IMAGE_KEY: image})
    try:
        view.ops.up(on_output=lambda line: _say(deps, f"  | {line.rstrip()}"))
    except KeyboardInterrupt:
        write_config(view.ops, previous)
        raise Interrupted(f"interrupted during pulumi up: {view.name}'s config put back to {RELEASE_KEY} "
                          f"{previous[RELEASE_KEY]}; `python -m release status --stack {view.name}` shows what runs")
    except Exception as error:
        if _new_refresh(fleet, before) is None:
            write_config(view.ops, previous)
            raise RolloutFailed(f"{view.name}: pulumi up failed ({_one_line(error)}); nothing was rolled out and "
                                f"{RELEASE_KEY} is back to {previous[RELEASE_KEY]}")
        _say(deps, f"{view.name}: pulumi up failed ({_one_line(error)}) after starting the instance refresh")
    refresh = _new_refresh(fleet, before)
    if refresh is None:
        return _no_refresh(view, deps, fleet, release, image, previous)
    try:
        refresh = wait_for_refresh(fleet, refresh.id, view.zones, deps.console, sleep=deps.sleep,
                                   clock=deps.clock, timeout_seconds=timeout_minutes * 60)
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted while waiting: refresh {refresh.id} goes on in AWS and {view.name}'s config "
                          f"names {release}; `python -m release status --stack {view.name}` shows its outcome (if "
                          "it rolls back, deploy the release it shows running to put the config back)")
    except RefreshNotFinished as error:
        raise RolloutFailed(f"{view.name}: {error.why}; {RELEASE_KEY} stays {release}; "
                            f"`python -m release status --stack {view.name}` shows the outcome")
    if refresh.status == "Successful":
        _record_success(view, deps, release, image, refresh.id, refresh.end)
        _say(deps, f"{view.name}: release {release} (image {image}) is live: refresh {refresh.id} Successful")
        return EXIT_DONE
    raise RolloutFailed(_after_failure(view, fleet, release, refresh))


def _new_refresh(fleet: Fleet, before: Refresh | None) -> Refresh | None:
    latest = fleet.latest_refresh()
    return latest if latest and (before is None or latest.id != before.id) else None


def _no_refresh(view: StackView, deps: Deps, fleet: Fleet, release: str, image: str,
                previous: dict[str, str | None]) -> int:
    running = fleet.running()
    if (running.release, running.image) == (release, image):
        # A group pulumi up created (or resized) is already waited for until min_size servers are healthy.
        if (previous[RELEASE_KEY], previous[IMAGE_KEY]) != (release, image):
            _record_success(view, deps, release, image, None, "")
        _say(deps, f"{view.name}: release {release} (image {image}) runs: no instance refresh was needed")
        return EXIT_DONE
    write_config(view.ops, previous)
    raise RolloutFailed(f"{view.name}: pulumi up started no instance refresh and the group still runs "
                        f"{running.release} (launch template version {running.version}); {RELEASE_KEY} is back to "
                        f"{previous[RELEASE_KEY]}")


def _record_success(view: StackView, deps: Deps, release: str, image: str, refresh_id: str | None,
                    finished: str) -> None:
    name = record_name(view.name)
    view.releases.put_record(release, name, {
        "stack": name, "release": release, "amiId": image, "refreshId": refresh_id,
        "finishedAt": finished or deps.now().isoformat(timespec="seconds"), "outcome": "Successful"})


def _after_failure(view: StackView, fleet: Fleet, release: str, refresh: Refresh) -> str:
    """Puts config and the release parameter back to what the group really runs; the message saying so."""
    fired = fleet.alarms_in_alarm(refresh.alarms)
    cause = (f"alarm {', '.join(fired)} fired" if fired else refresh.reason or
             (f"none of its alarms ({', '.join(refresh.alarms)}) is in ALARM now" if refresh.alarms else "no reason given"))
    running: Running = fleet.running()
    what = "rolled back" if refresh.status.startswith("Rollback") else "failed"
    head = f"{view.name}: release {release} {what} (refresh {refresh.id} {refresh.status}): {cause}"
    if running.release is None or running.release == release:
        return (f"{head}; the group is still on launch template version {running.version} "
                f"({running.release or 'release unknown'}), so {RELEASE_KEY} stays {release}")
    write_config(view.ops, {RELEASE_KEY: running.release, IMAGE_KEY: running.image})
    fleet.record_release(running.release)
    return (f"{head}; running {running.release} (image {running.image}), so {RELEASE_KEY}, {IMAGE_KEY} and "
            f"{fleet.parameter} are back to it")


# -- arguments --------------------------------------------------------------------------------------------------

def _outputs_file(path: Path | None, flag: str) -> OutputsFile | None:
    return OutputsFile(path, flag) if path is not None else None


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1
    if not 1 <= value <= 24 * 60:
        raise argparse.ArgumentTypeError(f"{text!r}: must be a number of minutes from 1 to 1440")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise Refused(f"{self.prog}: {message}")


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="python -m release", description=(
        "Ship portal releases from the stacks' outputs: upload an archive to a stack's releases bucket, roll it "
        "out with pulumi up and wait for the instance refresh, promote what staging ran to prod, roll back, and "
        "report what runs. Exit codes: 0 done, 1 the rollout failed or was rolled back, 2 bad input or a "
        "precondition not met, 130 interrupted (config never half-written)."))
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def add(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=f"{summary[0].upper()}{summary[1:]}. "
                                                                    f"{description}")

    def timeout(p: argparse.ArgumentParser) -> None:
        p.add_argument("--timeout-minutes", type=_minutes, default=DEFAULT_TIMEOUT_MINUTES, metavar="MINUTES",
                       help=f"stop waiting for the instance refresh after this long (exit 1; it goes on in AWS); "
                            f"default {DEFAULT_TIMEOUT_MINUTES}")

    p = add("upload", "upload a release archive and its .sha256 to a stack's releases bucket, then verify them",
            "The release id comes from the archive's RELEASE file (or --release, which must match it) and follows "
            "the stack's portal:release rule. A release already there with different content is refused.")
    p.add_argument("--stack", required=True, help="the stack whose releasesBucketName receives the archive")
    p.add_argument("--archive", required=True, type=Path,
                   help="portal.tar.gz (RELEASE, public/index.php, public/healthz.php; bin/migrate.php when the "
                        "release migrates a schema)")
    p.add_argument("--release", help="release id (default: the archive's RELEASE file)")
    p.add_argument("--outputs", type=Path, metavar="FILE",
                   help="the stack's outputs as `pulumi stack output --json --stack S` prints them, instead of "
                        "reading the stack")

    p = add("deploy", "roll an uploaded, verified release out on a stack and wait for its instance refresh",
            "Sets portal:release and portal:amiId, runs pulumi up --policy-pack policies, then shows the refresh "
            "(percentage, instances replaced, healthy targets per AZ) until it ends. After a rollback it names the "
            "alarm that fired and puts portal:release, portal:amiId and <parameterPrefix>release back to what the "
            "servers run. A success is recorded in releases/<id>/promotions/<stack>.json (what promote checks). "
            "Refused before any change while a rollback alarm of the group's instance refresh is in ALARM (the "
            "refresh would fail at once); INSUFFICIENT_DATA does not block.")
    p.add_argument("--stack", required=True)
    p.add_argument("--release", required=True, help="an uploaded release id")
    p.add_argument("--image", help="the image (ami-...) to pin with it (default: the stack's portal:amiId)")
    timeout(p)

    p = add("promote", "deploy on one stack (prod) the release and image another (staging) ran successfully",
            "Refused unless the source stack recorded a successful refresh of the release; copies the verified "
            "archive to the target's releases bucket, then deploys it there with the image the source ran.")
    p.add_argument("--from", dest="source", required=True, metavar="STACK", help="e.g. staging")
    p.add_argument("--to", dest="target", required=True, metavar="STACK", help="e.g. prod")
    p.add_argument("--release", required=True)
    timeout(p)

    p = add("rollback", "deploy again the last release that succeeded on a stack before the running one",
            "Reads the stack's success records (releases/*/promotions/<stack>.json) and deploys the newest one "
            "whose release and image differ from what the servers run, skipping releases an earlier rollback left "
            "(marked rolledBackAt in their record): a second rollback goes further back instead of returning to "
            "the release the first one left. Deploying such a release again by name clears the mark.")
    p.add_argument("--stack", required=True)
    timeout(p)

    p = add("status", "show the release and image each stack runs, its last refresh and healthy targets per AZ",
            "Running means the launch template version the group is on; config and the release parameter are "
            "shown beside it, so a disagreement is visible.")
    p.add_argument("--stack", required=True, action="append", help="repeat for several stacks")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.add_argument("--outputs", type=Path, metavar="FILE", help="the stack's outputs JSON (one --stack only)")
    return top


COMMANDS = {"upload": upload, "deploy": deploy, "promote": promote, "rollback": rollback, "status": status}


def main(argv: list[str], deps: Deps | None = None) -> int:
    deps = deps or Deps()
    errors = deps.errors or sys.stderr

    def fail(code: int, lines: list[str]) -> int:
        for line in lines:
            print(f"release: {line}", file=errors)
        return code

    try:
        args = parser().parse_args(argv)
        return COMMANDS[args.command](args, deps)
    except Refused as error:
        return fail(EXIT_REFUSED, error.problems)
    except RolloutFailed as error:
        return fail(EXIT_FAILED, [str(error)])
    except Interrupted as error:
        return fail(EXIT_INTERRUPTED, [str(error)])
    except KeyboardInterrupt:
        return fail(EXIT_INTERRUPTED, ["interrupted; the stack's config was not changed"])
    except Exception as error:
        # AWS refusing a call (credentials, region, permissions) is a precondition; anything else is a bug and
        # keeps its traceback.
        if type(error).__module__.split(".")[0] not in ("botocore", "boto3"):
            raise
        return fail(EXIT_REFUSED, [f"AWS: {_one_line(error)}"])
