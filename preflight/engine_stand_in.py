"""The one engine stand-in, for both sides that call back into the engine.

A program run by ``preflight.runner`` calls it in process (the SDK's ``SETTINGS.engine``); a policy pack calls
it over gRPC at the engine address it is started with (``EngineServer``). Either way it does what the CLI's
engine does for these calls: ``Log`` is collected (DEBUG is the SDK's own tracing, which the CLI shows only
with ``--debug``, so it is dropped), ``GetRootResource`` answers that there is no root yet and
``SetRootResource`` accepts one (the runner builds the root Stack itself).
"""

from __future__ import annotations

import threading
from concurrent import futures
from dataclasses import astuple, dataclass

import grpc
from google.protobuf import empty_pb2

from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

GRPC_OPTIONS = [("grpc.max_receive_message_length", 512 * 1024 * 1024),
                ("grpc.max_send_message_length", 512 * 1024 * 1024)]


@dataclass(frozen=True)
class LogEntry:
    """One ``Log`` call: severity (``info``, ``warning``, ``error``), message and the resource's URN or "".

    Unpacks as ``severity, message, urn`` (the report reads the packs' logs that way).
    """

    severity: str
    message: str
    urn: str

    def __iter__(self):
        return iter(astuple(self))


class EngineStandIn(engine_pb2_grpc.EngineServicer):
    """The Engine service. ``context`` is None for in-process calls (the SDK passes the request only)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.entries: list[LogEntry] = []

    def Log(self, request, context=None):
        if request.severity != engine_pb2.DEBUG:
            entry = LogEntry(engine_pb2.LogSeverity.Name(request.severity).lower(), request.message, request.urn)
            with self._lock:
                self.entries.append(entry)
        return empty_pb2.Empty()

    def GetRootResource(self, request, context=None):
        return engine_pb2.GetRootResourceResponse(urn="")

    def SetRootResource(self, request, context=None):
        return engine_pb2.SetRootResourceResponse()

    def take(self) -> list[LogEntry]:
        """The entries so far, removed (each stack's report gets the logs of its own run)."""
        with self._lock:
            out, self.entries = self.entries, []
        return out


class EngineServer:
    """``EngineStandIn`` served on a loopback port: ``address`` is what packs get as their engine address."""

    def __init__(self):
        self.servicer = EngineStandIn()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=2), options=GRPC_OPTIONS)
        engine_pb2_grpc.add_EngineServicer_to_server(self.servicer, self.server)
        port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()
        self.address = f"127.0.0.1:{port}"

    def take_logs(self) -> list[LogEntry]:
        return self.servicer.take()

    def stop(self) -> None:
        self.server.stop(0)
