"""Run any Pulumi Python program folder under Pulumi's mock engine, the way the CLI would.

``run_program(dir, stack, mode)`` reads the stack's config (see ``preflight.config``), runs the
program with ``runpy`` inside a root ``Stack`` exactly as the Python language host does, and records
every registration (with the URN the real engine would assign), every invoke and the stack outputs.

Preview mode (``set_mocks(preview=True)``): the mocks return the inputs only, so every
provider-computed output is unknown, which is what a first ``pulumi preview`` of a new stack sees.
Update mode: ``preflight.fabricate`` returns realistic ids, ARNs and endpoints.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import runpy
import sys
import threading
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from google.protobuf import empty_pb2, json_format, struct_pb2

import pulumi
from pulumi.runtime import mocks as _mocks
from pulumi.runtime import rpc as _rpc
from pulumi.runtime import settings as _settings
from pulumi.runtime import stack as _stack
from pulumi.runtime.config import set_all_config
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _sync_await

from . import fabricate as _fab
from .assets import missing_paths
from .config import SECRET_PLACEHOLDER, StackConfigError, load_stack_config, parse_override
from .engine_stand_in import EngineStandIn, LogEntry
from .offline_facts import NO_FACTS, OfflineFacts
from .stack_trace import installed as _fast_stack_traces

__all__ = [
    "UNKNOWN", "SECRET_SIG", "SECRET_PLACEHOLDER", "Resource", "Invoke", "RunResult", "ProgramError",
    "StackConfigError", "ListenerError", "run_program", "parse_override",
]

# The SDK's own wire constants, re-exported for the host and the tests.
UNKNOWN = _rpc.UNKNOWN
SECRET_SIG = _rpc._special_sig_key
SECRET_VALUE_SIG = _rpc._special_secret_sig
STACK_TYPE = "pulumi:pulumi:Stack"
STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference"


@dataclass(frozen=True)
class Resource:
    urn: str
    type: str
    name: str
    custom: bool
    parent: str | None
    dependencies: tuple[str, ...]
    property_dependencies: dict[str, tuple[str, ...]]
    protect: bool
    inputs: dict
    outputs: dict
    id: str | None
    provider: str | None
    options: dict
    secret_inputs: tuple[str, ...]
    source_position: str | None = None  # "file:line" of the program code that created it, as the SDK reports

    def __hash__(self) -> int:  # the dict fields make the generated hash fail
        return hash(self.urn)


@dataclass(frozen=True)
class Invoke:
    token: str
    args: dict
    result: dict
    source_position: str | None = None  # "file:line" of the program's call
    answered_by: str = ""  # "preflight" (built in), "offline-facts" (the user's file), "" (not answered)


def unanswered_message(token: str, args: dict) -> str:
    shown = f" {json.dumps(args, sort_keys=True)}" if args else ""
    return (f"lookup {token}{shown} was not answered offline (it returned an empty result); "
            f"answer it in --offline-facts FILE")


def unanswered_reference_message(stack: str) -> str:
    return (f"stack reference {stack} was not answered offline (its outputs are empty); "
            f"answer it in --offline-facts FILE")


class ListenerError(Exception):
    """The ``on_resource`` listener raised: the analysis it feeds would be incomplete, so the run fails."""


@dataclass(frozen=True)
class ProgramError:
    message: str
    details: str

    def __str__(self) -> str:
        return self.message


@dataclass
class RunResult:
    project: str
    stack: str
    mode: str
    resources: list[Resource]
    invokes: list[Invoke]
    outputs: dict
    config: dict[str, str]
    secret_placeholders: list[str]
    error: ProgramError | None
    logs: list[LogEntry] = field(default_factory=list)
    program_dir: str = ""
    secret_outputs: list[str] = field(default_factory=list)  # stack outputs that are secrets
    unanswered_invokes: list[Invoke] = field(default_factory=list)  # lookups answered with {}: results unreliable
    unanswered_stack_references: list[str] = field(default_factory=list)  # stacks read with empty outputs
    # every secret config key, placeholder or given through --secrets-file: the pack is told these are secret
    secret_keys: list[str] = field(default_factory=list)

    def find(self, type: str, name: str | None = None) -> list[Resource]:
        return [r for r in self.resources if r.type == type and (name is None or r.name == name)]

    def get(self, type: str, name: str) -> Resource:
        found = self.find(type, name)
        if len(found) == 1:
            return found[0]
        same_type = sorted(r.name for r in self.resources if r.type == type)
        if found:
            raise AssertionError(f"{len(found)} resources of type {type} named {name!r}")
        if same_type:
            raise AssertionError(f"no {type} named {name!r}; that type has: {', '.join(same_type)}")
        types = sorted({r.type for r in self.resources})
        raise AssertionError(f"no resource of type {type}; types registered: {', '.join(types)}")

    def by_urn(self, urn: str) -> Resource:
        for r in self.resources:
            if r.urn == urn:
                return r
        raise AssertionError(f"no resource with URN {urn}")

    def children(self, parent: Resource) -> list[Resource]:
        return [r for r in self.resources if r.parent == parent.urn]

    @property
    def stack_resource(self) -> Resource:
        return self.find(STACK_TYPE)[0]


# ---------------------------------------------------------------------------------------------
# Wire helpers


def struct_to_dict(s: struct_pb2.Struct) -> dict:
    return json_format.MessageToDict(s) if s is not None else {}


def unwrap_secrets(value: Any) -> tuple[Any, bool]:
    """(value without secret envelopes, whether any were found)."""
    if isinstance(value, dict):
        if value.get(SECRET_SIG) == SECRET_VALUE_SIG:
            inner, _ = unwrap_secrets(value.get("value"))
            return inner, True
        found = False
        out = {}
        for k, v in value.items():
            out[k], f = unwrap_secrets(v)
            found = found or f
        return out, found
    if isinstance(value, list):
        found = False
        out_l = []
        for v in value:
            u, f = unwrap_secrets(v)
            out_l.append(u)
            found = found or f
        return out_l, found
    return value, False


def _unwrap_top(props: dict) -> tuple[dict, tuple[str, ...]]:
    out = {}
    secret = []
    for k, v in props.items():
        out[k], found = unwrap_secrets(v)
        if found:
            secret.append(k)
    return out, tuple(secret)


def _to_struct(d: dict) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(d)
    return s


def _source_position(request) -> str | None:
    if not request.HasField("sourcePosition") or not request.sourcePosition.uri:
        return None
    uri = request.sourcePosition.uri
    path = uri[len("file://"):] if uri.startswith("file://") else uri
    from urllib.parse import unquote

    return f"{unquote(path)}:{request.sourcePosition.line}"


def _plain(value: Any) -> Any:
    """Make a fabricated value wire-safe (ints become floats as they would on the wire)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


# ---------------------------------------------------------------------------------------------
# The engine stand-in


class _Mocks(_mocks.Mocks):
    def __init__(self, preview: bool, region: str):
        self.preview = preview
        self.region = region

    def new_resource(self, args: _mocks.MockResourceArgs):  # only used for ReadResource
        if self.preview:
            return args.resource_id or "", {}
        rid, extra = _fab.fabricate(args.typ, args.name, f"read:{args.typ}:{args.name}", {}, self.region)
        return args.resource_id or rid, extra

    def call(self, args: _mocks.MockCallArgs):
        return {}, []


class _Recorder(_mocks.MockMonitor):
    """A mock monitor that hands out engine-format URNs and records every registration."""

    def __init__(self, mocks: _Mocks, project: str, stack: str):
        super().__init__(mocks)
        self.project = project
        self.stack = stack
        self.preview = mocks.preview
        self.region = mocks.region
        self.lock = threading.Lock()
        self.records: dict[str, dict] = {}
        self.order: list[str] = []
        self.invokes: list[Invoke] = []
        self.unanswered: list[Invoke] = []
        self.unanswered_refs: list[str] = []
        self.facts: OfflineFacts = NO_FACTS
        self.component_outputs: dict[str, dict] = {}
        self.program_dir = ""
        self.path_errors: list[str] = []  # asset and archive paths that do not exist, as the engine words it

    def engine_urn(self, parent: str, type_: str, name: str) -> str:
        chain = type_
        if parent:
            qualified = parent.split("::")[2] if parent.count("::") >= 3 else ""
            if qualified and qualified != STACK_TYPE:
                chain = f"{qualified}${type_}"
        return f"urn:pulumi:{self.stack}::{self.project}::{chain}::{name}"

    def make_urn(self, parent: str, type_: str, name: str) -> str:  # used by the base class
        return self.engine_urn(parent, type_, name)

    on_resource = None
    listener_error: str | None = None

    def _record(self, urn: str, rec: dict) -> None:
        with self.lock:
            if urn in self.records:
                raise Exception(f"Duplicate resource URN '{urn}'; try giving it a unique name")
            self.records[urn] = rec
            self.order.append(urn)
        if self.on_resource is not None:
            try:
                self.on_resource(Resource(**rec))
            except Exception as e:  # noqa: BLE001 - the program keeps running; the run fails after it
                # Later resources would silently go unanalysed, so the first failure is kept and raised.
                self.on_resource = None
                self.listener_error = f"the resource listener failed on {urn}: {type(e).__name__}: {e}"

    def _region_for(self, request) -> str:
        """An explicit provider's region wins over the stack's `aws:region` (a resource's own
        `region` input wins over both, in fabricate)."""
        if request.provider:
            purn = request.provider.rsplit("::", 1)[0]
            prov = self.records.get(purn)
            if prov is not None and isinstance(prov["inputs"].get("region"), str):
                return prov["inputs"]["region"]
        return self.region

    def RegisterResource(self, request):
        urn = self.engine_urn(request.parent, request.type, request.name)
        raw = struct_to_dict(request.object)
        inputs, secret_inputs = _unwrap_top(raw)
        rid = ""
        state_wire: dict = {}
        if request.custom:
            with self.lock:
                self.path_errors += [f"{request.type} {request.name}: {m}"
                                     for m in missing_paths(inputs, self.program_dir)]
        if request.type == STACK_TYPE:
            pass
        elif request.custom:
            if self.preview:
                rid = request.importId or ""
                state_wire = raw
            else:
                rid, extra = _fab.fabricate(request.type, request.name, urn, inputs, self._region_for(request))
                if request.importId:
                    rid = request.importId
                state_wire = dict(raw)
                for k, v in extra.items():
                    if k not in inputs:
                        state_wire[k] = _plain(v)
                if "id" in state_wire:
                    state_wire.pop("id")
        options: dict[str, Any] = {}
        if request.ignoreChanges:
            options["ignoreChanges"] = list(request.ignoreChanges)
        if request.deleteBeforeReplaceDefined or request.deleteBeforeReplace:
            options["deleteBeforeReplace"] = bool(request.deleteBeforeReplace)
        if request.retainOnDelete:
            options["retainOnDelete"] = True
        if request.replaceOnChanges:
            options["replaceOnChanges"] = list(request.replaceOnChanges)
        aliases = [json_format.MessageToDict(a) for a in request.aliases] + list(request.aliasURNs)
        if aliases:
            options["aliases"] = aliases
        if request.additionalSecretOutputs:
            options["additionalSecretOutputs"] = list(request.additionalSecretOutputs)
        if request.HasField("customTimeouts"):
            ct = json_format.MessageToDict(request.customTimeouts)
            if ct:
                options["customTimeouts"] = ct
        if request.deletedWith:
            options["deletedWith"] = request.deletedWith
        if request.importId:
            options["import"] = request.importId
        if request.version:
            options["version"] = request.version
        if request.providers:
            options["providers"] = dict(request.providers)
        if request.remote:
            options["remote"] = True
        outputs, _ = _unwrap_top(state_wire) if request.custom else ({}, ())
        if self.preview and request.custom:
            # The engine's planned state for a new resource shows every provider-computed output as
            # unknown; the SDK already treats the missing ones that way.
            for k in _fab.computed_outputs(request.type):
                outputs.setdefault(k, UNKNOWN)
        self._record(urn, dict(
            urn=urn, type=request.type, name=request.name, custom=bool(request.custom),
            parent=request.parent or None,
            dependencies=tuple(dict.fromkeys(request.dependencies)),
            property_dependencies={k: tuple(v.urns) for k, v in request.propertyDependencies.items()},
            protect=bool(request.protect), inputs=inputs, outputs=outputs,
            id=(rid or None) if request.custom else None,
            provider=request.provider or None, options=options, secret_inputs=secret_inputs,
            source_position=_source_position(request),
        ))
        self.resources[urn] = _mocks.MockMonitor.ResourceRegistration(urn, rid, outputs)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=rid, object=_to_struct(state_wire))

    def _stack_reference_state(self, request, raw: dict) -> dict:
        """What the engine's read of another stack returns: its outputs, secrets wrapped as secrets. The
        engine reads them during preview too, so they are known in both modes."""
        name = request.id or str(raw.get("name") or request.name)
        found = self.facts.stack_reference(name)
        if found is None:
            with self.lock:
                self.unanswered_refs.append(name)
            return {"name": name, "outputs": {}, "secretOutputNames": []}
        outputs = {k: ({SECRET_SIG: SECRET_VALUE_SIG, "value": _plain(v)} if k in found.secret_output_names
                       else _plain(v)) for k, v in found.outputs.items()}
        return {"name": name, "outputs": outputs, "secretOutputNames": list(found.secret_output_names)}

    def ReadResource(self, request):
        urn = self.engine_urn(request.parent, request.type, request.name)
        raw = struct_to_dict(request.properties)
        inputs, secret_inputs = _unwrap_top(raw)
        if request.type == STACK_REFERENCE_TYPE:
            state_wire = self._stack_reference_state(request, raw)
        elif self.preview:
            state_wire = dict(raw)
        else:
            _, extra = _fab.fabricate(request.type, request.name, urn, inputs, self.region)
            state_wire = {**{k: _plain(v) for k, v in extra.items()}, **raw}
        outputs, _ = _unwrap_top(state_wire)
        self._record(urn, dict(
            urn=urn, type=request.type, name=request.name, custom=True, parent=request.parent or None,
            dependencies=tuple(request.dependencies), property_dependencies={}, protect=False,
            inputs=inputs, outputs=outputs, id=request.id or None, provider=request.provider or None,
            options={"read": True}, secret_inputs=secret_inputs,
        ))
        self.resources[urn] = _mocks.MockMonitor.ResourceRegistration(urn, request.id, outputs)
        return resource_pb2.ReadResourceResponse(urn=urn, properties=_to_struct(state_wire))

    def RegisterResourceOutputs(self, request):
        raw = struct_to_dict(request.outputs)
        with self.lock:
            self.component_outputs[request.urn] = raw
        return empty_pb2.Empty()

    def Invoke(self, request):
        if request.tok == "pulumi:pulumi:getResource":
            return super().Invoke(request)
        args, _ = unwrap_secrets(struct_to_dict(request.args))
        result = _fab.invoke(request.tok, args, self.region)
        answered_by = "preflight" if result is not None else ""
        user = self.facts.answer(request.tok, args)
        if user is not None:
            region = args["region"] if isinstance(args.get("region"), str) else self.region
            result = _fab.complete_result(request.tok, args, region, {**(result or {}), **user})
            answered_by = "offline-facts"
        with self.lock:
            self.invokes.append(Invoke(request.tok, args, dict(result or {}), _source_position(request), answered_by))
            if result is None:
                self.unanswered.append(self.invokes[-1])
        return resource_pb2.ResourceInvokeResponse(**{"return": _to_struct(_plain(result or {}))})

    def SupportsFeature(self, request):
        return super().SupportsFeature(request)


# ---------------------------------------------------------------------------------------------
# Running


_HIDDEN_PATH_PARTS = (
    "<frozen runpy>", os.sep + "runpy.py", os.sep + "site-packages" + os.sep + "pulumi" + os.sep, os.sep + "asyncio" + os.sep, os.sep + "concurrent" + os.sep,
    os.sep + "pulumi" + os.sep + "runtime" + os.sep, os.sep + "threading.py",
    os.path.dirname(os.path.abspath(__file__)) + os.sep,
)


def _program_error(exc: BaseException) -> ProgramError:
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__)
        if not any(part in f.filename for part in _HIDDEN_PATH_PARTS)
    ]
    # Every line of the message: a program's multi-line error (a list of config problems) is the point.
    text = str(exc).strip()
    if isinstance(exc, pulumi.RunError) and text:
        message = text
    else:
        message = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return ProgramError(message=message, details="".join(lines))


_PROTECTED_ROOTS = tuple(
    os.path.abspath(p) + os.sep
    for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.abspath(__file__))}
)


def _module_file(mod) -> str | None:
    f = getattr(mod, "__file__", None)
    if not f:
        return None
    f = os.path.abspath(f)
    if f.startswith(_PROTECTED_ROOTS) or "site-packages" in f or "dist-packages" in f:
        return None  # the interpreter, installed packages and the runner itself are never purged
    return f


def _top_level_names(program_dir: str) -> set[str]:
    names = set()
    try:
        entries = os.listdir(program_dir)
    except OSError:
        return names
    for e in entries:
        if e.endswith(".py") and e != "__main__.py":
            names.add(e[:-3])
        elif os.path.isfile(os.path.join(program_dir, e, "__init__.py")):
            names.add(e)
    return names


def _purge_before(program_dir: str) -> None:
    """Drop modules that would shadow the program's own (same top-level name, loaded from elsewhere)."""
    root = os.path.abspath(program_dir) + os.sep
    names = _top_level_names(program_dir)
    for name, mod in list(sys.modules.items()):
        if name.split(".")[0] in names:
            f = _module_file(mod)
            if f is not None and not f.startswith(root):
                del sys.modules[name]


def _purge_after(program_dir: str, before: set[str]) -> None:
    """Drop the modules the run imported from the program folder, so the next program starts clean."""
    root = os.path.abspath(program_dir) + os.sep
    for name in set(sys.modules) - before:
        f = _module_file(sys.modules.get(name))
        if f is not None and f.startswith(root):
            del sys.modules[name]


@contextlib.contextmanager
def _cwd(path: str):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


_RUN_LOCK = threading.Lock()


def run_program(
    program_dir,
    stack: str,
    mode: str = "preview",
    config_overrides: Mapping[str, str] | None = None,
    on_resource: Callable[[Resource], None] | None = None,
    offline_facts: OfflineFacts | None = None,
) -> RunResult:
    """Run the program folder for ``stack`` in ``mode`` ("preview" or "update").

    ``offline_facts`` answers the program's own lookups and stack references (see preflight.offline_facts).

    ``on_resource``, if given, is called with each resource as soon as it is registered (from a worker
    thread; its inputs are final, a component's outputs are not yet known), so analysis can start while
    the program still runs, as it does under the engine.
    """
    if mode not in ("preview", "update"):
        raise ValueError(f"mode must be 'preview' or 'update', not {mode!r}")
    cfg = load_stack_config(program_dir, stack, config_overrides)
    from .program_env import program_python, run_in_child

    python = program_python(cfg.virtualenv)
    if python is not None:
        return run_in_child(python, cfg, mode, on_resource, offline_facts)
    return run_configured(cfg, mode, on_resource, offline_facts)


def run_configured(cfg, mode: str, on_resource=None, offline_facts: OfflineFacts | None = None) -> RunResult:
    """Run the program of an already loaded stack config (``cfg`` as load_stack_config returns it)."""
    with _RUN_LOCK:
        return _run(cfg, mode, on_resource, offline_facts)


def resource_from_json(d: dict) -> Resource:
    """A Resource from its ``dataclasses.asdict`` form after a JSON round trip (lists back to tuples)."""
    return Resource(**{**d, "dependencies": tuple(d["dependencies"]), "secret_inputs": tuple(d["secret_inputs"]),
                       "property_dependencies": {k: tuple(v) for k, v in d["property_dependencies"].items()}})


def run_result_from_json(d: dict) -> RunResult:
    """A RunResult from its ``dataclasses.asdict`` form after a JSON round trip."""
    d = dict(d)
    d["resources"] = [resource_from_json(r) for r in d["resources"]]
    for key in ("invokes", "unanswered_invokes"):
        if key in d:
            d[key] = [Invoke(**i) for i in d[key]]
    d["logs"] = [LogEntry(**e) for e in d.get("logs", [])]
    if d.get("error") is not None:
        d["error"] = ProgramError(**d["error"])
    return RunResult(**d)


def _run(cfg, mode: str, on_resource=None, offline_facts: OfflineFacts | None = None) -> RunResult:
    preview = mode == "preview"
    region = cfg.values.get("aws:region") or _fab.DEFAULT_REGION
    mocks = _Mocks(preview, region)
    monitor = _Recorder(mocks, cfg.project, cfg.stack)
    monitor.facts = offline_facts or NO_FACTS
    monitor.on_resource = on_resource
    monitor.program_dir = cfg.program_dir
    engine = EngineStandIn()  # collects `pulumi.log`; an error-level log fails the run, as under the CLI

    old_loop = None
    with contextlib.suppress(RuntimeError):
        old_loop = asyncio.get_event_loop_policy().get_event_loop()
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_quiet_unretrieved)
    asyncio.set_event_loop(loop)
    error: ProgramError | None = None
    _purge_before(cfg.program_dir)
    modules_before = set(sys.modules)
    saved_path = list(sys.path)
    try:
        # A placeholder root stops set_mocks from creating (and finishing) a Stack of its own: the
        # program's Stack is created below the way the language host does it, so exports and
        # `pulumi.run` behave as under the CLI.
        _settings.set_root_resource(object())  # type: ignore[arg-type]
        _mocks.set_mocks(mocks, project=cfg.project, stack=cfg.stack, preview=preview, monitor=monitor,
                         organization="organization")
        _settings.SETTINGS.engine = engine
        _settings.SETTINGS.outputs = set()
        _settings.SETTINGS.rpc_manager.clear()
        _settings.SETTINGS.root_directory = cfg.program_dir
        _settings.set_root_resource(None)  # type: ignore[arg-type]
        set_all_config(dict(cfg.values), list(cfg.secret_keys))

        def program():
            runpy.run_path(cfg.main, run_name="__main__")

        with _cwd(cfg.program_dir), warnings.catch_warnings(), _fast_stack_traces():
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                _sync_await(_stack.run_in_stack(program))
            except (Exception, SystemExit) as e:  # noqa: BLE001 - the program's failure is the result
                error = _program_error(e)
    finally:
        sys.path[:] = saved_path
        _purge_after(cfg.program_dir, modules_before)
        _settings.set_root_resource(None)  # type: ignore[arg-type]
        _settings.SETTINGS.rpc_manager.clear()
        _settings.SETTINGS.outputs = set()
        _drain(loop)
        asyncio.set_event_loop(old_loop if old_loop is not None and not old_loop.is_closed() else None)

    if monitor.listener_error is not None:
        raise ListenerError(monitor.listener_error)
    if error is None and monitor.path_errors:
        text = "\n".join(monitor.path_errors)
        error = ProgramError(message=text, details=text)
    if error is None:
        errs = [e for e in engine.entries if e.severity == "error"]
        if errs:
            error = ProgramError(message=errs[0].message.strip().splitlines()[0] if errs[0].message.strip() else "error logged",
                                 details="\n".join(e.message for e in errs))

    resources = []
    stack_outputs: dict = {}
    secret_outputs: list[str] = []
    for urn in monitor.order:
        rec = monitor.records[urn]
        if not rec["custom"]:
            outs, _ = _unwrap_top(monitor.component_outputs.get(urn, {}))
            rec = dict(rec, outputs=outs)
            if rec["type"] == STACK_TYPE:
                stack_outputs = outs
                secret_outputs = list(_)
        resources.append(Resource(**rec))
    if error is not None and (monitor.unanswered or monitor.unanswered_refs):
        # A lookup answered with nothing is the likely cause of a program failing on a missing value.
        hints = [unanswered_message(i.token, i.args) for i in monitor.unanswered]
        hints += [unanswered_reference_message(n) for n in monitor.unanswered_refs]
        error = ProgramError(message="\n".join([error.message, *dict.fromkeys(hints)]), details=error.details)
    parents = {r.parent for r in resources}
    for r in resources:
        if r.options.get("remote") and r.urn not in parents:
            engine.entries.append(LogEntry("warning", _REMOTE_WITHOUT_CHILDREN.format(type=r.type, name=r.name), r.urn))
    return RunResult(
        project=cfg.project, stack=cfg.stack, mode=mode, resources=resources, invokes=list(monitor.invokes),
        outputs=stack_outputs, config=dict(cfg.values), secret_placeholders=list(cfg.secret_placeholders),
        secret_keys=list(cfg.secret_keys),
        error=error, logs=list(engine.entries), program_dir=cfg.program_dir, secret_outputs=secret_outputs,
        unanswered_invokes=list(monitor.unanswered),
        unanswered_stack_references=list(dict.fromkeys(monitor.unanswered_refs)),
    )


def _quiet_unretrieved(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """Drop asyncio's report of futures nobody awaited once a program has failed.

    One failing apply leaves its exception in every output that depends on it; when those futures are
    collected, asyncio would print each with its traceback. The failure itself reaches the user once,
    through the program's error. Anything else still goes to asyncio's default handler.
    """
    if "exception was never retrieved" in context.get("message", "") or "destroyed but it is pending" in context.get(
            "message", ""):
        return
    loop.default_exception_handler(context)


_REMOTE_WITHOUT_CHILDREN = (
    "{type} {name} is a multi-language component: its children are created by the component's own plugin, "
    "which does not run offline, so the policy packs see the component and its inputs but none of the "
    "resources it creates"
)


def _drain(loop: asyncio.AbstractEventLoop) -> None:
    try:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for t in pending:
            t.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_default_executor())
    except Exception:  # noqa: BLE001 - best-effort cleanup of a finished run
        pass
    finally:
        loop.close()
