"""The drill's scenarios and its report. Entry point: `python -m drill [--stack staging] [--keep]`."""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from drill.client import Browser
from drill.processes import RUN_TAG, Supervisor
from drill.services import AppServer, HAProxy, Memcached, MariaDB, free_port, wait_until
from drill.stack import ROOT, DrillError, HealthCheck, health_check

RELEASE = "drill"
BROKEN_RELEASE = "drill-broken"
# What the broken release lacks: a file only its health check loads, as a release packed without a file would.
BROKEN_BY_REMOVING = "src/Health.php"
GOOD_SERVERS = ("app1", "app2", "app3")
BROKEN_SERVER = "app4"
DOWN, UP = 0, 2
# How often HAProxy's server states are read: the resolution of every measured time.
POLL_SECONDS = 0.01


@dataclass
class Row:
    scenario: str
    expectation: str
    measured: str
    passed: bool


class StatePoller(threading.Thread):
    """Asks HAProxy for its servers' states every 20 ms and keeps when each state began."""

    def __init__(self, lb: HAProxy):
        super().__init__(daemon=True)
        self.lb, self.history, self._stop = lb, {}, threading.Event()
        self._lock = threading.Lock()

    def run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            try:
                states = self.lb.server_states()
            except OSError:
                continue
            now = time.monotonic()
            with self._lock:
                for name, state in states.items():
                    changes = self.history.setdefault(name, [])
                    if not changes or changes[-1][1] != state:
                        changes.append((now, state))

    def stop(self) -> None:
        self._stop.set()

    def ever(self, name: str, state: int) -> bool:
        with self._lock:
            return any(s == state for _, s in self.history.get(name, []))

    def entered(self, name: str, state: int, after: float) -> float | None:
        with self._lock:
            changes = list(self.history.get(name, []))
        return next((t for t, s in changes if s == state and t >= after), None)

    def wait(self, name: str, state: int, after: float, timeout: float) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (t := self.entered(name, state, after)) is not None:
                return t
            time.sleep(POLL_SECONDS)
        return self.entered(name, state, after)


class Drill:
    def __init__(self, sup: Supervisor, run_dir: Path, check: HealthCheck):
        self.sup, self.dir, self.check = sup, run_dir, check
        self.started = time.monotonic()
        self.db = MariaDB(sup, run_dir)
        self.cache = Memcached(sup)
        self.servers = {name: AppServer(name, run_dir / name, free_port()) for name in (*GOOD_SERVERS, BROKEN_SERVER)}
        self.lb = HAProxy(sup, run_dir, check)
        self.poller = StatePoller(self.lb)
        self.rows: list[Row] = []

    def say(self, text: str) -> None:
        print(f"drill: {time.monotonic() - self.started:6.1f}s {text}", file=sys.stderr, flush=True)

    def row(self, scenario: str, expectation: str, measured: str, passed: bool) -> None:
        self.rows.append(Row(scenario, expectation, measured, passed))
        self.say(f"{'PASS' if passed else 'FAIL'} {scenario}: {measured}")

    def measure(self, name: str, state: int, since: float, bound: int) -> tuple[float | None, bool, str]:
        """Seconds from `since` until HAProxy put `name` into `state`, whether that is within `bound`, and a text.

        HAProxy starts checks one interval apart and acts on a check's result when the check completes, so the
        deciding check's own duration (HAProxy's check_duration) and the polling step are added to the bound, and
        nothing else.
        """
        seen = self.poller.wait(name, state, since, max(0.0, since + bound + self.check.interval - time.monotonic()))
        if seen is None:
            return None, False, f"{name} not after {bound + self.check.interval} s"
        took = seen - since
        allowance = POLL_SECONDS + int(self.lb.stats()[name]["check_duration"] or 0) / 1000
        note = "" if took <= bound else f" (bound + {allowance * 1000:.0f} ms: deciding check and polling step)"
        return took, took <= bound + allowance, f"{name} {took:.2f} s{note}"

    def healthz(self, server: AppServer):
        return Browser(server.port).request("GET", self.check.path)

    # -- setup -----------------------------------------------------------------------------------------------------

    def setup(self) -> None:
        c = self.check
        self.say(f"health check of stack {c.stack}: GET {c.path} every {c.interval} s, timeout {c.timeout} s, "
                 f"healthy after {c.healthy_threshold}, unhealthy after {c.unhealthy_threshold}")
        self.say("starting MariaDB and memcached")
        self.db.install()
        self.db.start()
        self.db.create_application_user()
        self.cache.start()
        self.say("building the release (make release) and a broken one")
        releases = self.dir / "releases"
        self.sup.run("release-build", [sys.executable, str(ROOT / "app" / "build.py"), RELEASE, "--out",
                                       str(releases)])
        good = releases / RELEASE / "portal.tar.gz"
        broken = self._broken_release(good, releases)
        for name, server in self.servers.items():
            server.boot(broken if name == BROKEN_SERVER else good,
                        BROKEN_RELEASE if name == BROKEN_SERVER else RELEASE, self.db, self.cache)
        self.scenario_concurrent_migrations()
        for server in self.servers.values():
            server.start(self.sup, c.path)
        for name in GOOD_SERVERS:
            response = self.healthz(self.servers[name])
            if response.status != 200:
                raise DrillError(f"{name}: {c.path} answered {response.status} before the drill began: "
                                 f"{response.body[:300]!r} (see {self.servers[name].root}/var/log/portal)")
        self.lb.start([self.servers[n] for n in GOOD_SERVERS], [self.servers[BROKEN_SERVER]])
        self.lb_started = time.monotonic()
        self.poller.start()
        wait_until("HAProxy's first state", lambda: all(n in self.poller.history for n in self.servers), 5)
        self.say(f"in service behind HAProxy on 127.0.0.1:{self.lb.port}: {', '.join(GOOD_SERVERS)}; "
                 f"{BROKEN_SERVER} runs the broken release")

    def _broken_release(self, good: Path, releases: Path) -> Path:
        target = releases / BROKEN_RELEASE / "portal.tar.gz"
        target.parent.mkdir(parents=True)
        with tarfile.open(good) as src, tarfile.open(target, "w:gz") as dst:
            for member in src.getmembers():
                if member.name == "RELEASE":
                    data = f"{BROKEN_RELEASE}\n".encode()
                    member.size = len(data)
                    dst.addfile(member, io.BytesIO(data))
                elif member.name != BROKEN_BY_REMOVING:
                    dst.addfile(member, src.extractfile(member) if member.isfile() else None)
        return target

    # -- scenarios -------------------------------------------------------------------------------------------------

    def scenario_concurrent_migrations(self) -> None:
        self.say(f"booting {len(self.servers)} servers at once: each runs bin/migrate.php")
        for server in self.servers.values():
            server.start_migrate(self.sup)
        outputs = {}
        for name in self.servers:
            code = self.sup.wait(f"{name}-migrate", 60)
            outputs[name] = (code, (self.dir / f"{name}-migrate.log").read_text().strip())
        appliers = [name for name, (_, out) in outputs.items() if " applied " in out]
        recorded = self.db.sql("SELECT COUNT(*) FROM portal.schema_migrations").strip()
        passed = all(code == 0 for code, _ in outputs.values()) and len(appliers) == 1 and recorded == "3"
        measured = (f"{', '.join(appliers) or 'none'} applied 3 migrations, the others found the schema up to date; "
                    f"{recorded} recorded" if passed else "; ".join(f"{n}: exit {c}: {o}" for n, (c, o) in outputs.items()))
        self.row("0 concurrent boot", f"{len(self.servers)} servers migrate at once (GET_LOCK): each migration "
                 "applied once", measured, passed)
        if not all(code == 0 for code, _ in outputs.values()):
            raise DrillError("migrations failed: " + measured)

    def scenario_sticky_server_dies(self) -> tuple[Browser, str, dict, str, float]:
        user = Browser(self.lb.port)
        email, password = f"drill-{os.getpid()}@example.com", "drill-password-1"
        steps = [user.post("/register", email=email, password=password),
                 user.post("/cart", sku="MUG-001"), user.post("/cart", sku="MUG-001"),
                 user.post("/cart", sku="TEE-001")]
        response, before = user.account()
        # With maxlife HAProxy appends dates to the server's cookie value: "app1|<last seen>|<first seen>".
        sticky = user.cookies.get(HAProxy.COOKIE, "").split("|")[0]
        if any(s.status != 303 for s in steps) or before.get("customer") != email or sticky not in GOOD_SERVERS:
            raise DrillError(f"could not sign in and fill a cart: {[s.status for s in steps]}, {before}, "
                             f"sticky {sticky!r}")
        died = self.sup.kill(sticky)
        response, after = user.account()
        passed = (response.status == 200 and response.served_by not in ("", sticky)
                  and after.get("customer") == email and after.get("cart") == before["cart"])
        self.row("1 sticky server dies", "the next request lands on another server, still signed in, same cart",
                 f"killed {sticky} (holding the sticky session); next request {response.status} from "
                 f"{response.served_by or 'no server'} in {response.seconds:.2f} s, signed in as "
                 f"{after.get('customer')}, cart {after.get('cart')}", passed)
        return user, email, before["cart"], sticky, died

    def scenario_detection(self, sticky: str, died: float) -> None:
        c = self.check
        self.say(f"waiting for HAProxy to take {sticky} out of rotation (at most {c.detection_bound} s)")
        _, passed, measured = self.measure(sticky, DOWN, died, c.detection_bound)
        self.row("2 dead server leaves rotation", f"<= interval x unhealthy threshold = {c.interval} x "
                 f"{c.unhealthy_threshold} = {c.detection_bound} s (HAProxy show servers state)", measured, passed)

    def scenario_cache_outage(self, email: str, live: list[str], meanwhile) -> None:
        """memcached stays down for at least the detection bound, long enough for HAProxy to drop any server whose
        health check failed over it; `meanwhile` runs during the outage."""
        self.cache.stop()
        stopped = time.monotonic()
        shop = Browser(self.lb.port)
        page = shop.request("GET", "/")
        visitor = Browser(self.lb.port)
        login = visitor.post("/login", email=email, password="drill-password-1")
        _, account = visitor.account()
        health = self.healthz(self.servers[live[0]])
        status = health.json().get("status") if health.status == 200 else health.status
        meanwhile()
        time.sleep(max(0.0, stopped + self.check.detection_bound - time.monotonic()))
        stayed = all(self.poller.entered(name, DOWN, stopped) is None for name in live)
        outage = time.monotonic() - stopped
        self.cache.start()
        after = [shop.request("GET", "/") for _ in range(3)]
        hit = next((r for r in after if r.headers.get("x-cache") == "hit"), None)
        stored = self.cache.has("portal:catalog:v1")
        hits = self.cache.stats().get("get_hits", "?")
        passed = (page.status == 200 and page.headers.get("x-cache") == "unavailable" and login.status == 303
                  and account.get("customer") == email and status == "degraded" and stayed
                  and hit is not None and stored)
        self.row("3 cache outage", "memcached down: the shop serves and signs in, /healthz degraded but 200, no "
                 "server leaves; back: caching resumes",
                 f"down: GET / {page.status} (X-Cache {page.headers.get('x-cache')}), login {login.status} -> "
                 f"{account.get('customer')}, {live[0]} /healthz {health.status} {status}, "
                 f"{'no server left rotation' if stayed else 'a server LEFT rotation'} in {outage:.0f} s; back: X-Cache "
                 f"{', '.join(r.headers.get('x-cache', '-') for r in after)}, catalogue key "
                 f"{'stored' if stored else 'MISSING'}, get_hits {hits}", passed)

    def scenario_database_outage(self, user: Browser, email: str, cart: dict, live: list[str]) -> None:
        c = self.check
        died = self.db.kill()
        probes = {name: self.healthz(self.servers[name]) for name in live}
        failing = {name: r for name, r in probes.items()
                   if r.status == 503 and r.json()["checks"]["database"] != "ok"}
        self.say(f"database killed; waiting for HAProxy to take {', '.join(live)} out (at most {c.detection_bound} s)")
        gone = [self.measure(name, DOWN, died, c.detection_bound) for name in live]
        front = Browser(self.lb.port).request("GET", "/")
        passed = (len(failing) == len(live) and all(ok for _, ok, _ in gone)
                  and front.status == 503 and not front.served_by)
        reason = next(iter(failing.values())).json()["checks"]["database"][:60] if failing else "-"
        self.row("4a database down", f"/healthz fails on every server; all leave rotation <= {c.detection_bound} s; "
                 "the load balancer stops sending traffic",
                 f"/healthz 503 on {len(failing)}/{len(live)} ({reason}); out after "
                 + ", ".join(text for _, _, text in gone)
                 + f"; GET / through HAProxy: {front.status} from {front.served_by or 'no server'}", passed)
        self.db.start()
        back = time.monotonic()
        self.say(f"database back; waiting for the servers to return (at most {c.recovery_bound} s)")
        returned = [self.measure(name, UP, back, c.recovery_bound) for name in live]
        response, account = user.account()
        passed = (all(ok for _, ok, _ in returned) and response.status == 200
                  and account.get("customer") == email and account.get("cart") == cart)
        self.row("4b database back", f"servers return <= interval x healthy threshold = {c.interval} x "
                 f"{c.healthy_threshold} = {c.recovery_bound} s; the session is intact",
                 "back after " + ", ".join(text for _, _, text in returned)
                 + f"; {response.status} from {response.served_by or 'no server'}: signed in as "
                 f"{account.get('customer')}, cart {account.get('cart')}", passed)

    def scenario_broken_release(self) -> None:
        server = self.servers[BROKEN_SERVER]
        health = self.healthz(server)
        stats = self.lb.stats()[BROKEN_SERVER]
        observed = time.monotonic() - self.lb_started
        entered = self.poller.ever(BROKEN_SERVER, UP) or self.poller.ever(BROKEN_SERVER, 1)
        requests = int(stats["stot"] or 0)
        # It must have been watched long enough for a healthy server to have entered.
        passed = (not entered and requests == 0 and health.status != 200
                  and observed >= self.check.recovery_bound)
        self.row("5 broken release", f"its {self.check.path} fails: it never enters rotation",
                 f"{BROKEN_SERVER} ({BROKEN_RELEASE}, no {BROKEN_BY_REMOVING}): {self.check.path} {health.status}; "
                 f"{'never in rotation' if not entered else 'ENTERED rotation'} in {observed:.0f} s (last check "
                 f"{stats['check_status']} {stats['check_code']}), {requests} requests sent to it", passed)

    def run(self) -> list[Row]:
        self.setup()
        user, email, cart, sticky, died = self.scenario_sticky_server_dies()
        live = [name for name in GOOD_SERVERS if name != sticky]
        # The cache outage overlaps the wait for HAProxy to notice the dead server: it changes no server's health
        # check result, so it cannot disturb that measurement, which is taken from HAProxy's own state.
        self.scenario_cache_outage(email, live, meanwhile=lambda: self.scenario_detection(sticky, died))
        self.scenario_database_outage(user, email, cart, live)
        self.scenario_broken_release()
        self.poller.stop()
        return sorted(self.rows, key=lambda row: row.scenario)


def table(rows: list[Row]) -> str:
    header = ("scenario", "expectation", "measured", "result")
    lines = [(r.scenario, r.expectation, r.measured, "pass" if r.passed else "FAIL") for r in rows]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(4)]

    def line(cells) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + " |"

    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, lines)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drill", description=__doc__)
    parser.add_argument("--stack", default="staging", help="stack file whose health check is used (default staging)")
    parser.add_argument("--keep", action="store_true", help="keep the run folder (logs, configs) after the drill")
    args = parser.parse_args(argv)
    started = time.monotonic()
    run_dir = Path(tempfile.mkdtemp(prefix="portal-drill-"))
    print(f"drill: run folder {run_dir}", file=sys.stderr, flush=True)
    sup = None
    try:
        check = health_check(args.stack)
        # A caller may name the run (tests do, to look for leftover processes); by default the folder names it.
        sup = Supervisor(run_dir, os.environ.get(RUN_TAG) or run_dir.name)
        rows = Drill(sup, run_dir, check).run()
    except DrillError as error:
        print(f"drill: {error}", file=sys.stderr)
        return 2
    finally:
        if sup is not None:
            sup.stop_all()
        if args.keep:
            print(f"drill: run folder kept: {run_dir}", file=sys.stderr)
        else:
            shutil.rmtree(run_dir, ignore_errors=True)
    print(table(rows))
    failed = [r.scenario for r in rows if not r.passed]
    print(f"\n{len(rows) - len(failed)}/{len(rows)} passed in {time.monotonic() - started:.0f} s"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0
