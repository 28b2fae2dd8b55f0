"""Run CrossGuard policy packs the way the Pulumi CLI does, against a ``RunResult``.

A pack is started as ``python -u -m pulumi.policy <engine-address> <pack-dir>`` with the pack folder as
working directory and ``PULUMI_PROJECT``/``PULUMI_STACK``/``PULUMI_DRY_RUN``/``PULUMI_CONFIG`` set; the
first line it prints is its gRPC port. Then, over ``pulumirpc.Analyzer``: Handshake (the Python SDK
answers UNIMPLEMENTED), ConfigureStack, GetPluginInfo, GetAnalyzerInfo, Configure, Remediate (only when
a policy is at ``remediate``), Analyze for every resource (its inputs), AnalyzeStack once (every
resource's outputs with parent, dependencies and property dependencies), Cancel, then the process is
ended. ``engine-address`` is a small Engine server of our own that collects Log calls.

Secrets are sent as the engine sends them: wrapped in the secret envelope. pulumi-policy unwraps the
envelope when it deserializes properties, so policies see plain values exactly as under the CLI, and
a pack that inspects the raw wire sees what the engine would send. The runner records secretness per
top-level property, so a secret nested inside an object is wrapped at the top-level key (the pack
sees the same plain value either way).
"""

from __future__ import annotations

import atexit
import collections
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any, Iterable

import grpc
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2

from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, engine_pb2, engine_pb2_grpc

from .runner import SECRET_SIG, SECRET_VALUE_SIG, RunResult

PORT_TIMEOUT = float(os.environ.get("PREFLIGHT_PACK_START_TIMEOUT", "120"))
ANALYZE_WINDOW = 64
_GRPC_OPTIONS = [("grpc.max_receive_message_length", 512 * 1024 * 1024),
                 ("grpc.max_send_message_length", 512 * 1024 * 1024)]

LEVELS = {analyzer_pb2.ADVISORY: "advisory", analyzer_pb2.MANDATORY: "mandatory",
          analyzer_pb2.DISABLED: "disabled", analyzer_pb2.REMEDIATE: "remediate"}
LEVEL_VALUES = {v: k for k, v in LEVELS.items()}
SEVERITIES = {analyzer_pb2.POLICY_SEVERITY_LOW: "low", analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
              analyzer_pb2.POLICY_SEVERITY_HIGH: "high", analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical"}


class PolicyPackError(Exception):
    """A pack cannot be used (missing, does not start, bad config); the message is one clear line."""


@dataclass
class PolicyMeta:
    name: str
    description: str
    enforcement_level: str
    type: str  # "resource" | "stack"
    severity: str | None
    config_schema: dict


@dataclass
class Violation:
    policy_pack: str
    policy_pack_version: str
    policy_name: str
    enforcement_level: str  # "mandatory" | "advisory"
    severity: str | None
    urn: str
    message: str
    description: str


@dataclass
class NotApplicable:
    policy_pack: str
    policy_name: str
    urn: str
    reason: str


@dataclass
class Diagnostic:
    policy_pack: str
    policy_name: str
    urn: str
    level: str  # "advisory" (e.g. can't run during preview), "info", "warning", "error"
    message: str


@dataclass
class PackResult:
    name: str
    version: str
    path: str
    policies: list[PolicyMeta] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    remediations: list[dict] = field(default_factory=list)
    timings: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# The engine side: a Log sink the pack can connect back to.


class _EngineServicer(engine_pb2_grpc.EngineServicer):
    def __init__(self):
        self.lock = threading.Lock()
        self.logs: list[tuple[str, str, str]] = []

    def Log(self, request, context):
        sev = engine_pb2.LogSeverity.Name(request.severity).lower()
        with self.lock:
            self.logs.append((sev, request.message, request.urn))
        return empty_pb2.Empty()

    def GetRootResource(self, request, context):
        return engine_pb2.GetRootResourceResponse(urn="")

    def SetRootResource(self, request, context):
        return engine_pb2.SetRootResourceResponse()


class EngineServer:
    def __init__(self):
        self.servicer = _EngineServicer()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=2), options=_GRPC_OPTIONS)
        engine_pb2_grpc.add_EngineServicer_to_server(self.servicer, self.server)
        port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()
        self.address = f"127.0.0.1:{port}"

    def take_logs(self) -> list[tuple[str, str, str]]:
        with self.servicer.lock:
            out, self.servicer.logs = self.servicer.logs, []
        return out

    def stop(self) -> None:
        self.server.stop(0)


# ---------------------------------------------------------------------------------------------
# Pack processes


_LIVE: set["PackProcess"] = set()
_LIVE_LOCK = threading.Lock()


def kill_all() -> None:
    with _LIVE_LOCK:
        procs = list(_LIVE)
    for p in procs:
        p.close()


atexit.register(kill_all)


# Exec'd in front of the pack command: asks Linux to kill the pack if preflight dies (even by SIGKILL),
# then becomes exactly `python -u -m pulumi.policy ...` (same pid). Doing this in a preexec_fn would force
# a fork() while gRPC threads run; this keeps the cheap vfork path.
_PDEATHSIG_EXEC = (
    "import ctypes,os,signal,sys\n"
    "try:\n ctypes.CDLL('libc.so.6').prctl(1, signal.SIGKILL)\n"
    "except Exception:\n pass\n"
    # preflight may have died before prctl took effect: then nobody would ever end this pack.
    "if str(os.getppid()) != os.environ.pop('PREFLIGHT_PARENT_PID', str(os.getppid())):\n os._exit(1)\n"
    "os.execv(sys.argv[1], sys.argv[1:])"
)


@dataclass
class PackProject:
    path: str
    interpreter: str
    version: str | None
    description: str | None


def read_pack_project(pack_dir: str) -> PackProject:
    path = os.path.abspath(pack_dir)
    if not os.path.isdir(path):
        raise PolicyPackError(f"policy pack folder {pack_dir} does not exist")
    proj_file = None
    for n in ("PulumiPolicy.yaml", "PulumiPolicy.yml"):
        if os.path.isfile(os.path.join(path, n)):
            proj_file = os.path.join(path, n)
    if proj_file is None:
        raise PolicyPackError(f"{pack_dir} is not a policy pack: it has no PulumiPolicy.yaml")
    try:
        with open(proj_file, encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError) as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise PolicyPackError(f"could not read {proj_file}: {first}") from None
    if not isinstance(doc, dict):
        raise PolicyPackError(f"{proj_file} is not a YAML mapping")
    runtime = doc.get("runtime")
    name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if name != "python":
        raise PolicyPackError(f"{proj_file}: runtime {name!r} is not supported; preflight runs Python policy packs")
    interpreter = sys.executable
    options = runtime.get("options") if isinstance(runtime, dict) else None
    venv = (options or {}).get("virtualenv") if isinstance(options, dict) else None
    if venv:
        venv_dir = venv if os.path.isabs(venv) else os.path.join(path, venv)
        candidate = os.path.join(venv_dir, "bin", "python")
        if not os.path.exists(candidate):
            raise PolicyPackError(f"{proj_file}: its virtualenv {venv_dir} does not exist")
        interpreter = candidate
    version = doc.get("version")
    return PackProject(path, interpreter, str(version) if version is not None else None, doc.get("description"))


class PackProcess:
    """One running pack: started at once, its port read later, so start-up overlaps the program run."""

    def __init__(self, pack_dir: str, project: str, stack: str, dry_run: bool, config: dict[str, str],
                 engine_address: str, organization: str = "organization"):
        self.display = pack_dir
        self.project_info = read_pack_project(pack_dir)
        self.path = self.project_info.path
        env = dict(os.environ)
        env.update(PULUMI_PROJECT=project, PULUMI_STACK=stack, PULUMI_DRY_RUN="true" if dry_run else "false",
                   PULUMI_CONFIG=json.dumps(config), PULUMI_ORGANIZATION=organization, PYTHONUNBUFFERED="1",
                   PREFLIGHT_PARENT_PID=str(os.getpid()))
        self.stdout_lines: list[str] = []
        self.stderr_lines: list[str] = []
        self._first: queue.Queue = queue.Queue()
        self._closed = False
        self.port: int | None = None
        try:
            python = self.project_info.interpreter
            command = [python, "-u", "-m", "pulumi.policy", engine_address, self.path]
            if sys.platform.startswith("linux"):
                command = [python, "-S", "-c", _PDEATHSIG_EXEC] + command
            self.command = command
            self.proc = subprocess.Popen(
                command, cwd=self.path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, start_new_session=True,
            )
        except OSError as e:
            raise PolicyPackError(f"policy pack {pack_dir} could not be started: {e.strerror}") from None
        with _LIVE_LOCK:
            _LIVE.add(self)
        self._threads = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _read_stdout(self) -> None:
        first = True
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if first:
                self._first.put(line)
                first = False
            else:
                self.stdout_lines.append(line)
        if first:
            self._first.put(None)

    def _read_stderr(self) -> None:
        for raw in iter(self.proc.stderr.readline, b""):
            self.stderr_lines.append(raw.decode("utf-8", "replace").rstrip("\r\n"))

    def _last_error_line(self) -> str:
        for t in self._threads[1:]:
            t.join(timeout=2)
        lines = [ln.strip() for ln in self.stderr_lines if ln.strip()]
        # pulumi.policy's own wrapper logs the traceback; its last line names the exception.
        return lines[-1] if lines else "no output on stderr"

    def wait_port(self, timeout: float = PORT_TIMEOUT) -> int:
        if self.port is not None:
            return self.port
        deadline = time.monotonic() + timeout
        line = None
        while True:
            try:
                line = self._first.get(timeout=0.05)
                break
            except queue.Empty:
                if time.monotonic() > deadline:
                    self.close()
                    raise PolicyPackError(
                        f"policy pack {self.display} did not report its port within {timeout:.0f}s") from None
        if line is None:
            code = self.proc.wait(timeout=10)
            reason = self._last_error_line()
            self.close()
            raise PolicyPackError(
                f"policy pack {self.display} exited with code {code} before reporting its port: {reason}")
        if not re.fullmatch(r"\s*\d+\s*", line):
            self.close()
            shown = line if len(line) <= 80 else line[:77] + "..."
            raise PolicyPackError(
                f"policy pack {self.display} printed {shown!r} before its port; a pack must print nothing "
                "before the port (keep policies importable and let __main__.py only build the pack)")
        self.port = int(line)
        return self.port

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    self.proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    try:
                        os.killpg(self.proc.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    self.proc.wait(timeout=3)
            else:
                # The pack may have left children of its own in its session.
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        finally:
            for s in (self.proc.stdout, self.proc.stderr):
                try:
                    s.close()
                except Exception:  # noqa: BLE001
                    pass
            with _LIVE_LOCK:
                _LIVE.discard(self)


# ---------------------------------------------------------------------------------------------
# Wire conversion


def _wrap(value: Any) -> dict:
    return {SECRET_SIG: SECRET_VALUE_SIG, "value": value}


def to_struct(props: dict, secret_keys: Iterable[str] = ()) -> struct_pb2.Struct:
    secret_keys = set(secret_keys)
    s = struct_pb2.Struct()
    if secret_keys:
        props = {k: (_wrap(v) if k in secret_keys else v) for k, v in props.items()}
    s.update(props)
    return s


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def _seconds(text: str) -> float:
    if not text:
        return 0.0
    return sum(float(n) * _UNIT[u] for n, u in _DURATION.findall(str(text)))


def _options(r, parent: str | None) -> analyzer_pb2.AnalyzerResourceOptions:
    o = r.options
    opts = analyzer_pb2.AnalyzerResourceOptions(
        protect=r.protect,
        ignoreChanges=list(o.get("ignoreChanges", [])),
        deleteBeforeReplace=bool(o.get("deleteBeforeReplace", False)),
        deleteBeforeReplaceDefined="deleteBeforeReplace" in o,
        additionalSecretOutputs=list(o.get("additionalSecretOutputs", [])),
        aliases=[a for a in o.get("aliases", []) if isinstance(a, str)],
        parent=parent or "",
    )
    ct = o.get("customTimeouts")
    if ct:
        opts.customTimeouts.CopyFrom(analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(
            create=_seconds(ct.get("create", "")), update=_seconds(ct.get("update", "")),
            delete=_seconds(ct.get("delete", ""))))
    return opts


_SMALL = [bytes([i]) for i in range(128)]


def _varint(n: int) -> bytes:
    if n < 128:
        return _SMALL[n]
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _ld(field_number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field (string, bytes or embedded message)."""
    return _varint((field_number << 3) | 2) + _varint(len(payload)) + payload


def _str(field_number: int, text: str) -> bytes:
    return _ld(field_number, text.encode("utf-8")) if text else b""


@dataclass
class WireResource:
    """One resource, pre-serialised: the per-resource requests are assembled from bytes, so 10,000
    resources cost no Python-level message construction (the Struct of each side is encoded once)."""

    type: str
    name: str
    urn: str
    inputs: bytes  # serialized google.protobuf.Struct
    outputs: bytes
    options: bytes  # serialized AnalyzerResourceOptions
    provider: bytes  # serialized AnalyzerProviderResource, b"" when none
    parent: str
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]

    def analyze_request(self, properties: bytes | None = None) -> bytes:
        """A serialized AnalyzeRequest (type=1 properties=2 urn=3 name=4 options=5 provider=6)."""
        return (_str(1, self.type) + _ld(2, self.inputs if properties is None else properties)
                + _str(3, self.urn) + _str(4, self.name) + _ld(5, self.options)
                + (_ld(6, self.provider) if self.provider else b""))

    def analyzer_resource(self) -> bytes:
        """A serialized AnalyzerResource: the AnalyzeRequest fields plus parent=7, dependencies=8,
        propertyDependencies=9 (map<string, AnalyzerPropertyDependencies{urns=1}>)."""
        return (_str(1, self.type) + _ld(2, self.outputs) + _str(3, self.urn) + _str(4, self.name)
                + _ld(5, self.options) + (_ld(6, self.provider) if self.provider else b"")
                + _str(7, self.parent) + b"".join(_str(8, d) for d in self.dependencies)
                + b"".join(_ld(9, _str(1, k) + _ld(2, b"".join(_ld(1, u.encode("utf-8")) for u in v)))
                           for k, v in self.property_dependencies.items()))

    # Message forms, for tests and for readers of the protocol.
    def analyze_message(self) -> analyzer_pb2.AnalyzeRequest:
        return analyzer_pb2.AnalyzeRequest.FromString(self.analyze_request())

    def stack_message(self) -> analyzer_pb2.AnalyzerResource:
        return analyzer_pb2.AnalyzerResource.FromString(self.analyzer_resource())


def _struct_bytes(props: dict, secret_keys: Iterable[str] = ()) -> bytes:
    return to_struct(props, secret_keys).SerializeToString()


def _outputs_bytes(r, inputs_bytes: bytes, secret_out: set[str]) -> bytes:
    # Serialized Structs concatenate as a merge (map entries: the last one wins), so the outputs are the
    # inputs' bytes plus only what differs - unless an input key is absent from the outputs.
    ins, outs, secret_in = r.inputs, r.outputs, set(r.secret_inputs)
    if any(k not in outs for k in ins):
        return _struct_bytes(outs, [k for k in secret_out if k in outs])
    extras = {k: v for k, v in outs.items()
              if k not in ins or ins[k] != v or ((k in secret_out) != (k in secret_in))}
    if not extras:
        return inputs_bytes
    return inputs_bytes + _struct_bytes(extras, [k for k in secret_out if k in extras])


class WireBuilder:
    """Turns recorded resources into what the engine shows analyzers, one registration at a time.

    Default providers live in the engine, so the mocks never see them; the engine registers one per
    package and version (``pulumi:providers:aws::default_7_51_1``) with the package's stack config as
    inputs, before the first resource that uses it, and analyzers see it like any other resource.
    """

    def __init__(self, project: str, stack: str, config: dict[str, str]):
        self.project, self.stack, self.config = project, stack, config
        self.by_urn: dict = {}
        self.defaults: dict[str, bytes] = {}
        self.explicit: dict[str, bytes] = {}
        self.empty_options = analyzer_pb2.AnalyzerResourceOptions().SerializeToString()
        self.lock = threading.Lock()

    def _default_provider(self, pkg: str, version: str, out: list) -> bytes:
        name = f"default_{version.replace('.', '_').replace('-', '_')}" if version else "default"
        urn = f"urn:pulumi:{self.stack}::{self.project}::pulumi:providers:{pkg}::{name}"
        if urn not in self.defaults:
            props = {k.split(":", 1)[1]: v for k, v in self.config.items() if k.split(":", 1)[0] == pkg}
            if version:
                props["version"] = version
            st = _struct_bytes(props)
            typ = f"pulumi:providers:{pkg}"
            out.append(WireResource(typ, name, urn, st, st, self.empty_options, b"", "", [], {}))
            self.defaults[urn] = _str(1, typ) + _ld(2, st) + _str(3, urn) + _str(4, name)
        return self.defaults[urn]

    def add(self, r) -> list[WireResource]:
        """The wire form of ``r``, preceded by a default provider the first time one is needed."""
        out: list[WireResource] = []
        with self.lock:
            self.by_urn[r.urn] = r
            provider = b""
            if r.custom and not r.type.startswith("pulumi:providers:"):
                if r.provider:
                    parts = r.provider.split("::")
                    purn = "::".join(parts[:-1]) if len(parts) > 4 else r.provider
                    p = self.by_urn.get(purn)
                    if p is not None:
                        if purn not in self.explicit:
                            self.explicit[purn] = (_str(1, p.type) + _ld(2, _struct_bytes(p.inputs, p.secret_inputs))
                                                   + _str(3, p.urn) + _str(4, p.name))
                        provider = self.explicit[purn]
                else:
                    provider = self._default_provider(r.type.split(":", 1)[0], str(r.options.get("version", "")), out)
        secret_out = set(r.secret_inputs) | set(r.options.get("additionalSecretOutputs", []))
        parent = r.parent or ""
        inputs = _struct_bytes(r.inputs, r.secret_inputs)
        out.append(WireResource(
            type=r.type, name=r.name, urn=r.urn, inputs=inputs, outputs=_outputs_bytes(r, inputs, secret_out),
            options=_options(r, parent).SerializeToString(), provider=provider, parent=parent,
            dependencies=list(r.dependencies),
            property_dependencies={k: list(v) for k, v in r.property_dependencies.items()},
        ))
        return out


def wire_resources(run: RunResult) -> list[WireResource]:
    """Every resource of a finished run as the engine describes it to analyzers (see WireBuilder)."""
    builder = WireBuilder(run.project, run.stack, run.config)
    out: list[WireResource] = []
    for r in run.resources:
        out.extend(builder.add(r))
    return out


# ---------------------------------------------------------------------------------------------
# Policy pack config (the CLI's --policy-pack-config file format)


def load_policy_config_file(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise PolicyPackError(f"could not read policy pack config {path}: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise PolicyPackError(f"policy pack config {path} is not valid JSON: {e.msg} at line {e.lineno}") from None
    if not isinstance(doc, dict):
        raise PolicyPackError(f"policy pack config {path} must be a JSON object of policy name to config")
    return doc


def _check_schema(policy: str, schema: dict, props: dict) -> None:
    types = {"string": str, "boolean": bool, "object": dict, "array": list}
    for key in schema.get("required", []) or []:
        if key not in props:
            raise PolicyPackError(f"policy pack config for '{policy}': property '{key}' is required")
    for key, value in props.items():
        spec = (schema.get("properties") or {}).get(key)
        if not isinstance(spec, dict):
            continue
        t = spec.get("type")
        ok = True
        if t in types:
            ok = isinstance(value, types[t]) and not (t != "boolean" and isinstance(value, bool))
        elif t == "integer":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
        elif t == "number":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok:
            raise PolicyPackError(f"policy pack config for '{policy}': property '{key}' must be of type {t}, "
                                  f"got {json.dumps(value)}")
        if "enum" in spec and value not in spec["enum"]:
            raise PolicyPackError(f"policy pack config for '{policy}': property '{key}' must be one of "
                                  f"{json.dumps(spec['enum'])}, got {json.dumps(value)}")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in spec and value < spec["minimum"]:
                raise PolicyPackError(f"policy pack config for '{policy}': property '{key}' must be >= {spec['minimum']}")
            if "maximum" in spec and value > spec["maximum"]:
                raise PolicyPackError(f"policy pack config for '{policy}': property '{key}' must be <= {spec['maximum']}")


def _level(value: Any, where: str) -> str:
    if value not in ("advisory", "mandatory", "remediate", "disabled"):
        raise PolicyPackError(f"{where}: enforcement level must be advisory, mandatory, remediate or disabled, "
                              f"got {json.dumps(value)}")
    return value


def build_configure_request(info: analyzer_pb2.AnalyzerInfo, file_config: dict | None, pack: str
                            ) -> tuple[analyzer_pb2.ConfigureAnalyzerRequest, dict[str, str], list[str]]:
    """(request, effective level per policy, warnings) from defaults, initialConfig and the file."""
    file_config = dict(file_config or {})
    warnings = []
    all_level = None
    if "all" in file_config:
        v = file_config.pop("all")
        all_level = _level(v.get("enforcementLevel") if isinstance(v, dict) else v, "policy pack config 'all'")
    names = {p.name for p in info.policies}
    for k in file_config:
        if k not in names:
            warnings.append(f"policy pack config names '{k}', which is not a policy of {pack}")
    req = analyzer_pb2.ConfigureAnalyzerRequest()
    levels = {}
    for p in info.policies:
        level = LEVELS.get(p.enforcementLevel, "advisory")
        schema = json_format.MessageToDict(p.configSchema) if p.HasField("configSchema") else {}
        props: dict = {}
        for key, spec in (schema.get("properties") or {}).items():
            if isinstance(spec, dict) and "default" in spec:
                props[key] = spec["default"]
        if p.name in info.initialConfig:
            ic = info.initialConfig[p.name]
            props.update(json_format.MessageToDict(ic.properties))
            if ic.enforcementLevel != analyzer_pb2.ADVISORY:  # proto3: "unset" reads as advisory
                level = LEVELS.get(ic.enforcementLevel, level)
        if all_level:
            level = all_level
        if p.name in file_config:
            v = file_config[p.name]
            if isinstance(v, str):
                level = _level(v, f"policy pack config for '{p.name}'")
            elif isinstance(v, dict):
                for k2, v2 in v.items():
                    if k2 == "enforcementLevel":
                        level = _level(v2, f"policy pack config for '{p.name}'")
                    else:
                        props[k2] = v2
            else:
                raise PolicyPackError(f"policy pack config for '{p.name}' must be a level or an object")
        _check_schema(p.name, schema, props)
        pc = analyzer_pb2.PolicyConfig(enforcementLevel=LEVEL_VALUES[level])
        if props:
            pc.properties.update(props)
        req.policyConfig[p.name].CopyFrom(pc)
        levels[p.name] = level
    return req, levels, warnings


# ---------------------------------------------------------------------------------------------
# The conversation


def _pack_error(proc: "PackProcess", e: grpc.RpcError) -> str:
    """The exception line the pack's gRPC server logged on stderr, else the RPC's details."""
    time.sleep(0.05)  # let the stderr reader catch up with the server's log of the exception
    for line in reversed(proc.stderr_lines):
        line = line.strip()
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*", line):
            return line
    return _rpc_error_line(e)


def _rpc_error_line(e: grpc.RpcError) -> str:
    details = e.details() if hasattr(e, "details") else str(e)
    lines = [ln.strip() for ln in str(details or "").splitlines() if ln.strip()]
    return lines[-1] if lines else str(e.code() if hasattr(e, "code") else e)


@dataclass
class StackContext:
    """What a pack is told about the stack before any resource arrives."""

    project: str
    stack: str
    dry_run: bool
    config: dict[str, str]
    secret_keys: list[str]
    program_dir: str = ""


_END = object()


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

    # -- the pack thread ------------------------------------------------------------------------

    def _main(self) -> None:
        try:
            self._connect()
            self._analyze_stream()
        except PolicyPackError as e:
            self.error = e
        except grpc.RpcError as e:
            self.error = self._rpc_failure(e)
        except Exception as e:  # noqa: BLE001 - surfaced as one line by the command
            self.error = PolicyPackError(f"policy pack {self.proc.display} failed: {type(e).__name__}: {e}")
        if self.error is not None and not self._ended:
            # Drain until the caller's end marker so nobody blocks on a dead session.
            while self.queue.get() is not _END:
                pass

    def _rpc_failure(self, e: grpc.RpcError) -> PolicyPackError:
        if self.proc.proc.poll() is not None:
            return PolicyPackError(f"policy pack {self.proc.display} exited with code {self.proc.proc.returncode}: "
                                   f"{self.proc._last_error_line()}")
        return PolicyPackError(f"policy pack {self.proc.display} failed: {_pack_error(self.proc, e)}")

    def _connect(self) -> None:
        port = self.proc.wait_port()
        self.timings["start"] = time.perf_counter() - self._t0
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=_GRPC_OPTIONS)
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
        stub.Configure(req, timeout=30)
        self._severity = {p.name: p.severity for p in result.policies}
        self._remediate = any(level == "remediate" for level in levels.values())
        self.timings["configure"] = time.perf_counter() - self._t0

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
            if w is _END:
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
        self.queue.put(_END)
        try:
            self._thread.join()
            if wire is None:
                raise PolicyPackError("aborted")
            if self.error is not None:
                raise self.error
            t = time.perf_counter()
            stack_raw = self.channel.unary_unary("/pulumirpc.Analyzer/AnalyzeStack", request_serializer=None,
                                                 response_deserializer=analyzer_pb2.AnalyzeResponse.FromString)
            body = b"".join(_ld(1, w.analyzer_resource()) for w in wire)
            try:
                self._collect(stack_raw(body, timeout=600), None)
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


def analyze(proc: PackProcess, run: RunResult, wire: list[WireResource], file_config: dict | None = None,
            program_dir: str | None = None, engine_address: str = "") -> PackResult:
    """Drive one pack through the whole protocol for a finished run (used by the benchmark and tests)."""
    ctx = StackContext(run.project, run.stack, run.mode == "preview", dict(run.config),
                       list(run.secret_placeholders), program_dir or run.program_dir)
    session = PackSession(proc, ctx, file_config, engine_address)
    session.submit(wire)
    return session.finish(wire)
