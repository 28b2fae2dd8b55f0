"""One pack's conversation for one stack, over ``pulumirpc.Analyzer``, in the CLI's order.

Handshake (the Python SDK answers UNIMPLEMENTED), ConfigureStack, GetPluginInfo, GetAnalyzerInfo, Configure
(``preflight.pack_config``; skipped for a pack without config support), Remediate (only when a policy is at
``remediate``), Analyze for every resource (its inputs, a window of calls in flight), AnalyzeStack once
(every resource's state with parent, dependencies and property dependencies), Cancel, then the process is
ended. Analyze violations get the resource's URN attached, as the engine does.
"""

from __future__ import annotations

import collections
import queue
import re
import threading
import time
from dataclasses import dataclass
from typing import Iterable

import grpc
from google.protobuf import empty_pb2, json_format

from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from .analyzer_wire import WireResource, analyze_stack_request
from .engine_stand_in import GRPC_OPTIONS
from .pack_config import build_configure_request
from .pack_process import PackProcess, error_message
from .pack_results import LEVELS, SEVERITIES, Diagnostic, NotApplicable, PackResult, PolicyMeta, PolicyPackError, \
    Violation

ANALYZE_WINDOW = 64

_PY_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*")
# The Node.js SDK's words for a policy that threw: "Error validating resource with policy 'p' from policy pack
# 'pack@v1.0.0':" then the error's stack (its message first).
_NODE_POLICY_FAILED = re.compile(r"^Error validating resource with (policy '.*' from policy pack '.*'):$")


def _one_line(text: str) -> str:
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    return lines[0] if lines else ""


def _rpc_details(e: grpc.RpcError) -> str:
    details = e.details() if hasattr(e, "details") else str(e)
    return str(details or "")


def _pack_error(proc: PackProcess, e: grpc.RpcError) -> str:
    """What went wrong in the pack, in one line: the error a Node.js pack sent back (its message, not a
    stack frame), else the exception line the Python pack's gRPC server logged on stderr, else the
    RPC's details."""
    details = _rpc_details(e)
    lines = details.splitlines()
    if lines and _NODE_POLICY_FAILED.match(lines[0].strip()):
        return f"{_NODE_POLICY_FAILED.match(lines[0].strip()).group(1)}: {error_message(lines[1:])}"
    time.sleep(0.05)  # let the stderr reader catch up with the server's log of the exception
    for line in reversed(proc.stderr_lines):
        line = line.strip()
        if _PY_EXCEPTION.match(line):
            return line
    return error_message(lines) or str(e.code() if hasattr(e, "code") else e)


@dataclass
class StackContext:
    """What a pack is told about the stack before any resource arrives."""

    project: str
    stack: str
    dry_run: bool
    config: dict[str, str]
    secret_keys: list[str]
    program_dir: str = ""


END = object()  # put on a session's queue: no more resources


class PackSession:
    """One pack's conversation for one stack, on a thread of its own.

    ``submit`` queues resources for Analyze as soon as they are known (the runner reports each
    registration), so the pack analyses while the program is still running, as under the engine;
    ``finish`` sends AnalyzeStack with the final state and ends the pack.
    """

    def __init__(self, proc: PackProcess, ctx: StackContext, file_config: dict | None = None,
                 engine_address: str = ""):
        self.proc = proc
        self.ctx = ctx
        self.file_config = file_config
        self.engine_address = engine_address
        self.queue: queue.Queue = queue.Queue()
        self.result: PackResult | None = None
        self.error: PolicyPackError | None = None
        self.channel = None
        self.stub = None
        self.timings: dict[str, float] = {}
        self._ended = False
        self._thread = threading.Thread(target=self._main, daemon=True)
        self._t0 = time.perf_counter()
        self._thread.start()

    def submit(self, wires: Iterable[WireResource]) -> None:
        for w in wires:
            self.queue.put(w)

    def abandon(self) -> None:
        """End the pack without a result (the run failed before AnalyzeStack)."""
        self.proc.close()
        self.queue.put(END)

    # -- the pack thread ------------------------------------------------------------------------

    def _main(self) -> None:
        try:
            self._connect()
            self._analyze_stream()
        except PolicyPackError as e:
            self.error = e
        except grpc.RpcError as e:
            self.error = self._rpc_failure(e)
        except Exception as e:  # noqa: BLE001 - a failure inside the host: surfaced as one line by the command
            self.error = PolicyPackError(f"policy pack {self.proc.display} failed: {type(e).__name__}: "
                                         f"{_one_line(e)}")
        if self.error is not None and not self._ended:
            # Drain until the caller's end marker so nobody blocks on a dead session.
            while self.queue.get() is not END:
                pass

    def _rpc_failure(self, e: grpc.RpcError) -> PolicyPackError:
        if self.proc.proc.poll() is not None:
            return PolicyPackError(f"policy pack {self.proc.display} exited with code {self.proc.proc.returncode}: "
                                   f"{self.proc.last_error_line()}")
        return PolicyPackError(f"policy pack {self.proc.display} failed: {_pack_error(self.proc, e)}")

    def _connect(self) -> None:
        port = self.proc.wait_port()
        self.timings["start"] = time.perf_counter() - self._t0
        self.channel = self._open_channel(port)
        stub = self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)
        try:
            grpc.channel_ready_future(self.channel).result(timeout=30)
        except grpc.FutureTimeoutError:
            raise PolicyPackError(f"policy pack {self.proc.display} reported port {port} but does not answer") from None
        ctx = self.ctx
        try:
            stub.Handshake(analyzer_pb2.AnalyzerHandshakeRequest(
                engine_address=self.engine_address, root_directory=ctx.program_dir,
                program_directory=self.proc.path), timeout=10)
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.UNIMPLEMENTED:
                raise
        stub.ConfigureStack(analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=ctx.stack, project=ctx.project, organization="organization", dry_run=ctx.dry_run,
            config=dict(ctx.config), config_secret_keys=list(ctx.secret_keys),
            tags={"pulumi:project": ctx.project, "pulumi:runtime": "python"}), timeout=30)
        stub.GetPluginInfo(empty_pb2.Empty(), timeout=30)
        info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=30)
        name = info.name
        version = self.proc.project_info.version or info.version or "0.0.1"
        result = self.result = PackResult(name=name, version=version, path=self.proc.display)
        req, levels, warnings = build_configure_request(info, self.file_config, name)
        for w in warnings:
            result.diagnostics.append(Diagnostic(name, "", "", "warning", w))
        for p in info.policies:
            result.policies.append(PolicyMeta(
                name=p.name, description=p.description, enforcement_level=levels.get(p.name, "advisory"),
                type="stack" if p.policy_type == analyzer_pb2.POLICY_TYPE_STACK else "resource",
                severity=SEVERITIES.get(p.severity),
                config_schema=json_format.MessageToDict(p.configSchema) if p.HasField("configSchema") else {}))
        if req is not None and req.policyConfig:
            stub.Configure(req, timeout=30)
        self._severity = {p.name: p.severity for p in result.policies}
        self._remediate = any(level == "remediate" for level in levels.values())
        self.timings["configure"] = time.perf_counter() - self._t0

    def _open_channel(self, port: int):
        return grpc.insecure_channel(f"127.0.0.1:{port}", options=GRPC_OPTIONS)

    def _collect(self, resp, urn: str | None) -> None:
        result = self.result
        name, version = result.name, result.version
        for d in resp.diagnostics:
            d_urn = d.urn or (urn or "")
            if d.message.startswith(f"can't run policy '{d.policyName}'"):
                result.diagnostics.append(Diagnostic(name, d.policyName, d_urn, "advisory", d.message))
                continue
            level = LEVELS.get(d.enforcementLevel, "advisory")
            if level == "disabled":
                continue
            if level == "remediate":
                level = "mandatory"
            result.violations.append(Violation(
                policy_pack=name, policy_pack_version=version, policy_name=d.policyName,
                enforcement_level=level, severity=SEVERITIES.get(d.severity) or self._severity.get(d.policyName),
                urn=d_urn, message=d.message, description=d.description))
        for na in resp.not_applicable:
            result.not_applicable.append(NotApplicable(name, na.policy_name, urn or "", na.reason))

    def _analyze_stream(self) -> None:
        # Analyze calls are independent: keep a window of them in flight so the pack's server threads
        # and our side overlap instead of paying a round trip per resource. Requests go out as bytes
        # assembled from each resource's pre-serialised parts (no serializer).
        analyze_raw = self.channel.unary_unary("/pulumirpc.Analyzer/Analyze", request_serializer=None,
                                               response_deserializer=analyzer_pb2.AnalyzeResponse.FromString)
        pending: collections.deque = collections.deque()

        def settle() -> None:
            u, f = pending.popleft()
            try:
                resp = f.result()
            except grpc.RpcError as e:
                for _, other in pending:
                    other.cancel()
                pending.clear()
                raise PolicyPackError(f"policy pack {self.proc.display} failed analyzing {u}: "
                                      f"{_pack_error(self.proc, e)}") from None
            self._collect(resp, u)

        while True:
            try:
                w = self.queue.get(timeout=0.02) if pending else self.queue.get()
            except queue.Empty:
                settle()  # nothing new yet: make progress on what is in flight
                continue
            if w is END:
                self._ended = True
                break
            props = None
            if self._remediate:
                rr = self.stub.Remediate(w.analyze_message(), timeout=120)
                for rem in rr.remediations:
                    self.result.remediations.append({"policyName": rem.policyName, "urn": w.urn,
                                                     "diagnostic": rem.diagnostic})
                    if rem.HasField("properties"):
                        props = rem.properties.SerializeToString()
            pending.append((w.urn, analyze_raw.future(w.analyze_request(props), timeout=300)))
            if len(pending) >= ANALYZE_WINDOW:
                settle()
        while pending:
            settle()
        self.timings["analyze"] = time.perf_counter() - self._t0

    # -- the caller's side ----------------------------------------------------------------------

    def finish(self, wire: list[WireResource] | None) -> PackResult:
        """End of the program: wait for Analyze, send AnalyzeStack (unless ``wire`` is None: abort)."""
        if wire is None:
            self.proc.close()  # unblocks a start-up still waiting for the port
        self.queue.put(END)
        try:
            self._thread.join()
            if wire is None:
                raise PolicyPackError("aborted")
            if self.error is not None:
                raise self.error
            t = time.perf_counter()
            stack_raw = self.channel.unary_unary("/pulumirpc.Analyzer/AnalyzeStack", request_serializer=None,
                                                 response_deserializer=analyzer_pb2.AnalyzeResponse.FromString)
            try:
                self._collect(stack_raw(analyze_stack_request(wire), timeout=600), None)
            except grpc.RpcError as e:
                if self.proc.proc.poll() is not None:
                    raise self._rpc_failure(e) from None
                raise PolicyPackError(f"policy pack {self.proc.display} failed in AnalyzeStack: "
                                      f"{_pack_error(self.proc, e)}") from None
            self.timings["analyzeStack"] = time.perf_counter() - t
            self.result.timings = dict(self.timings)
            return self.result
        finally:
            self.close()

    def close(self) -> None:
        if self.stub is not None:
            try:
                self.stub.Cancel(empty_pb2.Empty(), timeout=2)
            except grpc.RpcError:
                pass  # the Python SDK does not implement Cancel; ending the process is the shutdown
        if self.channel is not None:
            self.channel.close()
        self.proc.close()


def analyze(proc: PackProcess, run, wire: list[WireResource], file_config: dict | None = None,
            program_dir: str | None = None, engine_address: str = "") -> PackResult:
    """Drive one pack through the whole protocol for a finished run (a ``RunResult``; used by the benchmark
    and tests)."""
    ctx = StackContext(run.project, run.stack, run.mode == "preview", dict(run.config),
                       list(run.secret_keys), program_dir or run.program_dir)
    session = PackSession(proc, ctx, file_config, engine_address)
    session.submit(wire)
    return session.finish(wire)
