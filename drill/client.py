"""A browser for the drill: keeps its cookies (the session's and the load balancer's) across requests."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def served_by(self) -> str:
        """The server HAProxy sent the request to; empty when no server answered (HAProxy's own 503)."""
        return self.headers.get("x-served-by", "")

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Browser:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None, port: int | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=15)
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            data = raw.read()
        finally:
            conn.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data, time.monotonic() - started)

    def account(self, port: int | None = None) -> tuple[Response, dict]:
        response = self.request("GET", "/cart.json", port=port)
        return response, (response.json() if response.status == 200 else {})

    def post(self, path: str, **form: str) -> Response:
        _, account = self.account()
        return self.request("POST", path, {**form, "csrf": account.get("csrf", "")})
