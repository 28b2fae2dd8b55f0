"""The pack analysed in this process: the host's whole conversation (preflight.analyze_session.PackSession,
unchanged) with the pack's servicer, each request and response passing through its wire bytes, but no pack
process and no sockets.

The pack's process costs most of an end-to-end case (an interpreter importing pulumi, grpc and every rule), so
most broken programs are analysed here; a few in test_pack_end_to_end.py still start the pack the way the CLI
does, and one test there compares both ways on the same run, finding for finding.

The servicer is pulumi-policy's, with the policies of `rules.all_policies()` under the name and default level
of `policies/__main__.py`, and with framework_cache installed as that file installs it; the patches are taken
off again when the analysis ends, so the rest of the tests see pulumi-policy as released.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import os
from collections import namedtuple

import grpc
from pulumi.runtime.proto import analyzer_pb2_grpc
from pulumi_policy import EnforcementLevel
from pulumi_policy import policy as framework

from preflight.analyze_session import PackSession, StackContext
from preflight.pack_launch import read_pack_project
from preflight.pack_results import PackResult

from .pk import PACK_DIR  # noqa: I001 - puts the pack on sys.path first

import framework_cache  # noqa: E402
from rules import all_policies  # noqa: E402

PACK_NAME = "ecommerce-portal-guard"
SERVICER = framework._PolicyAnalyzerServicer  # pylint: disable=protected-access
SERVICER_METHODS = ("Analyze", "AnalyzeStack", "_configure_runtime_settings")
FRAMEWORK_NAMES = ("StackValidationArgs", "json_format", "deserialize_properties", "unknown_checking_proxy")

_CallDetails = namedtuple("_CallDetails", ("method", "invocation_metadata"))


@contextlib.contextmanager
def pack_patches():
    """framework_cache installed as the pack's `__main__` installs it, for the duration of the block."""
    methods = {name: SERVICER.__dict__[name] for name in SERVICER_METHODS}
    names = {name: getattr(framework, name) for name in FRAMEWORK_NAMES}
    try:
        framework_cache.install()
        yield
    finally:
        for name, value in methods.items():
            setattr(SERVICER, name, value)
        for name, value in names.items():
            setattr(framework, name, value)


class InProcessRpcError(grpc.RpcError):
    """What a gRPC client sees when the servicer fails: a status code and details."""

    def __init__(self, code: grpc.StatusCode, details: str):
        super().__init__(details)
        self._code, self._details = code, details

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details


class _Context:
    """The servicer context pulumi-policy's methods may set a status on (the generated UNIMPLEMENTED ones do)."""

    def __init__(self) -> None:
        self.code, self.details = None, ""

    def set_code(self, code: grpc.StatusCode) -> None:
        self.code = code

    def set_details(self, details: str) -> None:
        self.details = details


class _Method:
    """One unary method of the servicer, called the way a channel's multi-callable is."""

    def __init__(self, handler, request_serializer, response_deserializer):
        self._handler = handler
        self._serialize, self._deserialize = request_serializer, response_deserializer

    def _invoke(self, request):
        if self._handler is None:
            raise InProcessRpcError(grpc.StatusCode.UNIMPLEMENTED, "Method not found!")
        data = request if self._serialize is None else self._serialize(request)
        context = _Context()
        try:
            response = self._handler.unary_unary(self._handler.request_deserializer(data), context)
        except Exception as e:  # noqa: BLE001 - a failing servicer is a failed call, as over gRPC
            if context.code is not None:
                raise InProcessRpcError(context.code, context.details) from None
            raise InProcessRpcError(grpc.StatusCode.UNKNOWN, f"Exception calling application: {e}") from None
        wire = self._handler.response_serializer(response)
        return wire if self._deserialize is None else self._deserialize(wire)

    def __call__(self, request, timeout=None, **_):
        return self._invoke(request)

    def future(self, request, timeout=None, **_):
        f: concurrent.futures.Future = concurrent.futures.Future()
        try:
            f.set_result(self._invoke(request))
        except InProcessRpcError as e:
            f.set_exception(e)
        return f


class InProcessChannel:
    """A channel to the servicer's generated handlers (the ones a gRPC server would dispatch to)."""

    def __init__(self, servicer):
        self._handlers = []
        analyzer_pb2_grpc.add_AnalyzerServicer_to_server(servicer, self)

    def add_generic_rpc_handlers(self, handlers) -> None:  # called by the generated registration
        self._handlers.extend(handlers)

    def add_registered_method_handlers(self, service, handlers) -> None:  # newer generated code
        pass

    def unary_unary(self, method, request_serializer=None, response_deserializer=None, **_):
        details = _CallDetails(method, ())
        handler = next((h for h in (g.service(details) for g in self._handlers) if h is not None), None)
        return _Method(handler, request_serializer, response_deserializer)

    def subscribe(self, callback, try_to_connect=False) -> None:
        callback(grpc.ChannelConnectivity.READY)

    def unsubscribe(self, callback) -> None:
        pass

    def close(self) -> None:
        pass


class _NoProcess:
    returncode = None

    @staticmethod
    def poll():
        return None


class InProcessPack:
    """Stands in for preflight's PackProcess: the pack folder's project, and a servicer instead of a process."""

    def __init__(self, pack_dir: str = PACK_DIR):
        self.display = pack_dir
        self.project_info = read_pack_project(pack_dir)
        self.path = self.project_info.path
        self.proc = _NoProcess()
        self.stderr_lines: list[str] = []
        self.servicer = SERVICER(PACK_NAME, "0.0.1", all_policies(), EnforcementLevel.ADVISORY)

    def wait_port(self, timeout: float = 0) -> int:
        return 0

    def last_error_line(self) -> str:
        return ""

    def close(self) -> None:
        pass


class _InProcessSession(PackSession):
    def _open_channel(self, port: int):
        return InProcessChannel(self.proc.servicer)


def analyze_in_process(run, file_config: dict | None = None, program_dir: str | None = None) -> PackResult:
    """The pack's result for a finished run (a preflight RunResult), as preflight.analyze_session.analyze gives
    it over gRPC."""
    from preflight.analyzer_wire import wire_resources

    wire = wire_resources(run)
    ctx = StackContext(run.project, run.stack, run.mode == "preview", dict(run.config),
                       list(run.secret_placeholders), program_dir or run.program_dir or os.getcwd())
    with pack_patches():
        session = _InProcessSession(InProcessPack(), ctx, file_config)
        session.submit(wire)
        return session.finish(wire)
