"""The drill's services: MariaDB, memcached, the application servers (`php -S`) and HAProxy, all on 127.0.0.1."""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
import shutil
import socket
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from drill.processes import Supervisor
from drill.stack import DrillError, HealthCheck

DB_NAME = "portal"
DB_USER = "portal_app"
ROUTER = Path(__file__).resolve().parent / "router.php"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def binary(name: str) -> str:
    # Debian puts daemons in /usr/sbin, which an unprivileged user's PATH may lack.
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not found:
        raise DrillError(f"{name} is not installed: run the Debian package installation in .ci/run "
                         "(mariadb-server memcached php-cli php-mysql haproxy)")
    return found


def wait_until(what: str, ready, timeout: float, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while True:
        result = ready()
        if result:
            return result
        if time.monotonic() > deadline:
            raise DrillError(f"{what} not ready after {timeout:.0f} s")
        time.sleep(interval)


def _connects(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _as_root_args() -> list[str]:
    # Daemons refuse to run as root unless told to; unprivileged, they run as the current user anyway.
    return ["--user=root"] if os.geteuid() == 0 else []


class MariaDB:
    """One database server with its datadir in the run folder: the Multi-AZ instance's stand-in."""

    def __init__(self, sup: Supervisor, run_dir: Path):
        self.sup, self.dir, self.port = sup, run_dir / "mariadb", free_port()
        self.socket = self.dir / "mariadb.sock"
        self.password = os.urandom(12).hex()

    def install(self) -> None:
        self.dir.mkdir()
        self.sup.run("mariadb-install", [binary("mariadb-install-db"), "--no-defaults", f"--datadir={self.dir}/data",
                                         "--auth-root-authentication-method=socket",
                                         f"--auth-root-socket-user={getpass.getuser()}", "--skip-test-db",
                                         f"--user={getpass.getuser()}"], timeout=60)

    def start(self) -> None:
        self.sup.start("mariadb", [binary("mariadbd"), "--no-defaults", f"--datadir={self.dir}/data",
                                   f"--socket={self.socket}", f"--port={self.port}", "--bind-address=127.0.0.1",
                                   f"--pid-file={self.dir}/mariadb.pid", "--skip-name-resolve", "--skip-log-bin",
                                   "--innodb-buffer-pool-size=32M", *_as_root_args()])
        # Polled finely: the drill times the servers' return from the moment the database accepts connections.
        wait_until("MariaDB", lambda: self.socket.exists() and _connects(self.port), 30, interval=0.01)

    def create_application_user(self) -> None:
        """The database and the application's own user, as the database tier provides them."""
        self.sql(f"CREATE DATABASE {DB_NAME}; CREATE USER '{DB_USER}'@'127.0.0.1' IDENTIFIED BY '{self.password}'; "
                 f"GRANT ALL PRIVILEGES ON {DB_NAME}.* TO '{DB_USER}'@'127.0.0.1';")

    def sql(self, statements: str) -> str:
        return self.sup.run("mariadb-client", [binary("mariadb"), "--no-defaults", f"--socket={self.socket}",
                                               "-u", "root", "--batch", "--skip-column-names", "-e", statements],
                            timeout=30)

    def kill(self) -> float:
        return self.sup.kill("mariadb")


class Memcached:
    def __init__(self, sup: Supervisor):
        self.sup, self.port = sup, free_port()

    def start(self) -> None:
        args = [binary("memcached"), "-l", "127.0.0.1", "-p", str(self.port), "-U", "0", "-m", "16", "-t", "2"]
        self.sup.start("memcached", args + (["-u", "root"] if os.geteuid() == 0 else []))
        wait_until("memcached", lambda: _connects(self.port), 10)

    def stop(self) -> None:
        self.sup.stop("memcached")

    def command(self, text: str) -> str:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(text.encode() + b"\r\n")
            data = b""
            while not data.endswith(b"END\r\n"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        return data.decode(errors="replace")

    def stats(self) -> dict[str, str]:
        return {parts[1]: parts[2] for parts in (line.split() for line in self.command("stats").splitlines())
                if len(parts) == 3 and parts[0] == "STAT"}

    def has(self, key: str) -> bool:
        return self.command(f"get {key}").startswith(f"VALUE {key} ")


@dataclass
class AppServer:
    """One web server: its release unpacked as the boot script does it, its portal.json, `php -S` serving public/."""

    name: str
    root: Path
    port: int

    @property
    def current(self) -> Path:
        return self.root / "opt/portal/current"

    def boot(self, archive: Path, release: str, db: MariaDB, cache: Memcached) -> None:
        release_dir = self.root / "opt/portal/releases" / release
        release_dir.mkdir(parents=True)
        with tarfile.open(archive) as tar:
            tar.extractall(release_dir, filter="data")
        self.current.symlink_to(release_dir)
        etc, run_dir, logs, health = (self.root / p for p in ("etc/portal", "run/portal", "var/log/portal",
                                                              "var/lib/portal/health"))
        for folder in (etc, run_dir, logs, health):
            folder.mkdir(parents=True)
        password_file = run_dir / "db-password"
        password_file.write_text(db.password + "\n")
        password_file.chmod(0o640)
        self.marker = health / "booted"
        # The contract's portal.json, with the drill's differences: a plain password, no TLS, no auto discovery.
        config = {
            "release": release, "region": "local", "logDir": str(logs),
            "database": {"host": "127.0.0.1", "port": db.port, "name": DB_NAME, "user": DB_USER,
                         "passwordFile": str(password_file), "iamAuth": False, "tls": False, "caFile": ""},
            "session": {"handler": "database", "table": "sessions",
                        "columns": {"id": "sess_id", "data": "sess_data", "lifetime": "sess_lifetime",
                                    "time": "sess_time"}},
            "cache": {"backend": "memcached", "configurationEndpoint": f"127.0.0.1:{cache.port}",
                      "autoDiscovery": False, "tls": False},
            "assets": {"bucket": "portal-drill-assets", "mediaPrefix": "media/",
                       "staticBaseUrl": "https://static.drill.example.com"},
            "health": {"bootMarker": str(self.marker)},
        }
        self.config_path = etc / "portal.json"
        self.config_path.write_text(json.dumps(config, indent=2))
        self.config_path.chmod(0o640)

    def start_migrate(self, sup: Supervisor):
        return sup.start(f"{self.name}-migrate", [binary("php"), "bin/migrate.php"],
                         env={"PORTAL_CONFIG": str(self.config_path)}, cwd=self.current)

    def start(self, sup: Supervisor, health_path: str) -> None:
        # The boot script writes the marker as its very last step, once the release is configured and migrated.
        self.marker.write_text(self.current.resolve().name + "\n")
        # The built-in server with workers stands in for httpd + PHP-FPM; router.php does what the boot script's
        # httpd configuration does (health path to healthz.php, other paths to index.php).
        sup.start(self.name, [binary("php"), "-d", "display_errors=0", "-d", "log_errors=1",
                              "-d", f"error_log={self.root}/var/log/portal/php.log",
                              "-S", f"127.0.0.1:{self.port}", "-t", str(self.current / "public"), str(ROUTER)],
                  env={"PORTAL_CONFIG": str(self.config_path), "PHP_CLI_SERVER_WORKERS": "4",
                       "PORTAL_HEALTH_PATH": health_path}, cwd=self.current)
        wait_until(f"{self.name} (php -S)", lambda: _connects(self.port), 10)


class HAProxy:
    """The load balancer: the stack's health check, a stickiness cookie, and a stats socket to watch it."""

    BACKEND = "web"
    COOKIE = "PORTALLB"

    def __init__(self, sup: Supervisor, run_dir: Path, check: HealthCheck):
        self.sup, self.dir, self.check, self.port = sup, run_dir / "haproxy", check, free_port()
        self.socket = self.dir / "admin.sock"

    def start(self, in_service: list[AppServer], new: list[AppServer]) -> None:
        """`in_service` start as healthy targets; `new` start as targets that have not passed a check yet."""
        self.dir.mkdir()
        config, state = haproxy_files(self.check, [(s.name, s.port) for s in in_service],
                                      [(s.name, s.port) for s in new], self.port, self.socket, self.dir / "servers.state")
        (self.dir / "haproxy.cfg").write_text(config)
        (self.dir / "servers.state").write_text(state)
        self.sup.start("haproxy", [binary("haproxy"), "-db", "-f", str(self.dir / "haproxy.cfg")])
        wait_until("HAProxy", lambda: self.socket.exists() and _connects(self.port), 10)

    def admin(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(2)
            sock.connect(str(self.socket))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def server_states(self) -> dict[str, int]:
        """Server name -> operational state (0 down, 1 starting, 2 running, 3 stopping)."""
        lines = self.admin(f"show servers state {self.BACKEND}").splitlines()
        header = next(line for line in lines if line.startswith("# ")).split()[1:]
        rows = [dict(zip(header, line.split())) for line in lines if line and line[0].isdigit() and " " in line]
        return {row["srv_name"]: int(row["srv_op_state"]) for row in rows if "srv_name" in row}

    def stats(self) -> dict[str, dict[str, str]]:
        """Per-server counters of `show stat`: stot (requests sent), chkfail, check_status, status..."""
        text = self.admin("show stat").lstrip("# ")
        return {row["svname"]: row for row in csv.DictReader(io.StringIO(text))
                if row["pxname"] == self.BACKEND and row["svname"] not in ("FRONTEND", "BACKEND")}


def haproxy_files(check: HealthCheck, in_service: list[tuple[str, int]], new: list[tuple[str, int]], port: int,
                  admin_socket: Path, state_file: Path) -> tuple[str, str]:
    """HAProxy's configuration and its initial server-state file, for servers given as (name, port)."""
    servers = in_service + new
    lines = "\n".join(f"    server {name} 127.0.0.1:{server_port} check cookie {name}" for name, server_port in servers)
    config = f"""\
global
    stats socket {admin_socket} mode 600 level admin
    server-state-file {state_file}

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    # The ALB's health check: the stack's interval, timeout and thresholds, and nothing faster
    # (no fastinter/downinter, no passive "observe" marking a server down on failed requests).
    timeout check {check.timeout}s
    load-server-state-from-file global
    # A connection refused by a dead server is retried once, on another server.
    retries 1
    option redispatch

frontend shop
    bind 127.0.0.1:{port}
    default_backend {HAProxy.BACKEND}

backend {HAProxy.BACKEND}
    balance roundrobin
    cookie {HAProxy.COOKIE} insert indirect nocache httponly maxlife {check.stickiness_seconds}s
    option httpchk GET {check.path}
    http-check expect status 200
    default-server inter {check.interval}s rise {check.healthy_threshold} fall {check.unhealthy_threshold}
    http-response set-header X-Served-By %s
{lines}
"""
    # HAProxy's own state-file format (`show servers state`): op_state 2 with full health (rise + fall - 1) is a
    # server in service; op_state 0 with health 0 is down and needs `rise` passed checks, like a newly registered
    # ALB target. Without it HAProxy would start every server up, a broken one included, until its first check.
    healthy = check.healthy_threshold + check.unhealthy_threshold - 1
    state = ["1", "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight "
             "srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state "
             "srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl "
             "srv_check_port srv_check_addr srv_agent_addr srv_agent_port"]
    for number, (name, server_port) in enumerate(servers, start=1):
        op, health = (2, healthy) if (name, server_port) in in_service else (0, 0)
        state.append(f"3 {HAProxy.BACKEND} {number} {name} 127.0.0.1 {op} 0 1 1 0 1 0 {health} 6 0 0 0 - "
                     f"{server_port} - 0 0 - - 0")
    return config, "\n".join(state) + "\n"
