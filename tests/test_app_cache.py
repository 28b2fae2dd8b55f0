"""The application's memcached client (app/src/MemcachedClient.php) against small stand-ins: ElastiCache auto
discovery, a plain memcached without it, TLS with the server's name verified, and a cache that is down or hung
(a CacheError, quickly, never a hang)."""

from __future__ import annotations

import json
import socketserver
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLIENT = """
require 'app/src/bootstrap.php';
$cache = new Portal\\MemcachedClient(['configurationEndpoint' => $argv[1], 'autoDiscovery' => $argv[2] === '1',
                                      'tls' => $argv[3] === '1']);
try {
    $cache->set('catalog', "a value\\r\\nEND\\r\\nthat looks like a reply", 60);
    echo json_encode(['got' => $cache->get('catalog'), 'missing' => $cache->get('nothing')]);
} catch (Portal\\CacheError $e) {
    echo json_encode(['error' => $e->getMessage()]);
}
"""


class FakeMemcached(socketserver.ThreadingTCPServer):
    """Speaks the text protocol's get/set; with `nodes`, also answers `config get cluster` as ElastiCache does."""

    daemon_threads = allow_reuse_address = True

    def __init__(self, nodes: str | None = None):
        self.store, self.commands, self.nodes = {}, [], nodes
        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        server = self.server
        while line := self.rfile.readline():
            words = line.decode().split()
            server.commands.append(words[0] if words else "")
            if words[:3] == ["config", "get", "cluster"]:
                if server.nodes is None:
                    self.wfile.write(b"ERROR\r\n")
                else:
                    body = f"7\n{server.nodes}\n".encode()
                    self.wfile.write(b"CONFIG cluster 0 %d\r\n%s\r\nEND\r\n" % (len(body), body))
            elif words[:1] == ["set"]:
                data = self.rfile.read(int(words[4]) + 2)[:-2]
                server.store[words[1]] = data
                self.wfile.write(b"STORED\r\n")
            elif words[:1] == ["get"]:
                if words[1] in server.store:
                    data = server.store[words[1]]
                    self.wfile.write(b"VALUE %s 0 %d\r\n%s\r\n" % (words[1].encode(), len(data), data))
                self.wfile.write(b"END\r\n")


class TlsFakeMemcached(FakeMemcached):
    """The same, behind TLS, as ElastiCache with in-transit encryption."""

    def __init__(self, context: ssl.SSLContext, nodes: str | None = None):
        self.context = context
        super().__init__(nodes)

    def get_request(self):
        sock, address = super().get_request()
        return self.context.wrap_socket(sock, server_side=True), address


def run_client(endpoint: str, discovery: bool, tmp_path: Path, tls: bool = False, ca: Path | None = None) -> dict:
    env = {"TMPDIR": str(tmp_path), **({"SSL_CERT_FILE": str(ca)} if ca else {})}
    result = subprocess.run(["php", "-r", CLIENT, endpoint, "1" if discovery else "0", "1" if tls else "0"],
                            cwd=ROOT, capture_output=True, text=True, timeout=20, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_auto_discovery_sends_keys_to_the_nodes_the_configuration_endpoint_lists(tmp_path):
    node = FakeMemcached()
    endpoint = FakeMemcached(nodes=f"127.0.0.1|127.0.0.1|{node.server_address[1]}")
    assert run_client(endpoint.address, True, tmp_path) == {
        "got": "a value\r\nEND\r\nthat looks like a reply", "missing": None}
    assert endpoint.commands == ["config"]
    assert node.commands == ["set", "get", "get"]
    # The node list is kept for a minute: a second request asks the configuration endpoint nothing.
    run_client(endpoint.address, True, tmp_path)
    assert endpoint.commands == ["config"]


def test_a_plain_memcached_without_discovery_is_its_own_only_node(tmp_path):
    plain = FakeMemcached()
    assert run_client(plain.address, True, tmp_path)["got"] == "a value\r\nEND\r\nthat looks like a reply"
    assert plain.commands == ["config", "set", "get", "get"]


@pytest.mark.parametrize("discovery", [False, True])
def test_a_cache_that_is_down_is_an_error(tmp_path, discovery):
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as closed:
        port = closed.server_address[1]
    started = time.monotonic()
    result = run_client(f"127.0.0.1:{port}", discovery, tmp_path)
    assert result == {"error": f"cannot connect to 127.0.0.1:{port}: Connection refused"}
    assert time.monotonic() - started < 5


class Silent(socketserver.StreamRequestHandler):
    def handle(self):
        self.rfile.readline()
        time.sleep(5)


def test_a_cache_that_stops_answering_times_out_within_half_a_second(tmp_path):
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Silent) as hung:
        hung.daemon_threads = True
        threading.Thread(target=hung.serve_forever, daemon=True).start()
        address = f"127.0.0.1:{hung.server_address[1]}"
        started = time.monotonic()
        assert run_client(address, False, tmp_path) == {"error": f"timeout reading from {address}"}
        assert time.monotonic() - started < 2
        hung.shutdown()


@pytest.fixture(scope="module")
def localhost_certificate(tmp_path_factory) -> tuple[Path, ssl.SSLContext]:
    """A self-signed certificate for `localhost` that the PHP client trusts through SSL_CERT_FILE."""
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / "cert.pem")], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return folder / "cert.pem", context


def test_tls_with_auto_discovery_verifies_each_server_by_name(tmp_path, localhost_certificate):
    ca, context = localhost_certificate
    node = TlsFakeMemcached(context)
    endpoint = TlsFakeMemcached(context, nodes=f"localhost|127.0.0.1|{node.server_address[1]}")
    result = run_client(f"localhost:{endpoint.server_address[1]}", True, tmp_path, tls=True, ca=ca)
    assert result == {"got": "a value\r\nEND\r\nthat looks like a reply", "missing": None}
    assert (endpoint.commands, node.commands) == (["config"], ["set", "get", "get"])


def test_tls_refuses_a_server_whose_certificate_names_another_host(tmp_path, localhost_certificate):
    ca, context = localhost_certificate
    node = TlsFakeMemcached(context)
    result = run_client(f"127.0.0.1:{node.server_address[1]}", False, tmp_path, tls=True, ca=ca)
    assert result["error"].startswith(f"cannot connect to 127.0.0.1:{node.server_address[1]}")
    assert node.store == {}
