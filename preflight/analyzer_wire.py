"""Resources as the engine describes them to analyzers: the bytes of Analyze and AnalyzeStack requests.

Analyze gets a resource's inputs; AnalyzeStack gets every resource's state (its outputs) with parent,
dependencies and property dependencies. The engine's own shaping is reproduced:

- **Secrets** travel in the secret envelope (pulumi-policy unwraps it, so policies see plain values, and a
  pack that inspects the raw wire sees what the engine sends). The runner records secretness per
  top-level property, so a secret nested inside an object is wrapped at the top-level key.
- **Unknowns** are the SDK's sentinel (``pulumi.runtime.rpc.UNKNOWN``).
- **Resource references** (``vpc_id=vpc``, ``role=role``, a component passed as an input) never reach an
  analyzer: a custom resource's reference becomes its id (unknown while it is not known, as in a first
  preview), a component's its URN (``preflight.resource_refs``).
- **``id``**: a custom resource's state carries its id, as the engine's state does (unknown at preview for a
  resource being created, the fabricated id in update mode). Providers' state is their inputs, as the
  engine's is.
- **Default providers** live in the engine, so the mocks never see them; the engine registers one per
  package and version (``pulumi:providers:aws::default_7_51_1``) with the package's stack config as inputs,
  before the first resource that uses it, and analyzers see it like any other resource.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any, Iterable

from google.protobuf import struct_pb2

from pulumi.runtime.proto import analyzer_pb2
from pulumi.runtime.rpc import UNKNOWN, _special_secret_sig, _special_sig_key

from .resource_refs import downgrade

PROVIDER_TYPE_PREFIX = "pulumi:providers:"


def _wrap(value: Any) -> dict:
    return {_special_sig_key: _special_secret_sig, "value": value}


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


def ld(field_number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field (string, bytes or embedded message)."""
    return _varint((field_number << 3) | 2) + _varint(len(payload)) + payload


def _str(field_number: int, text: str) -> bytes:
    return ld(field_number, text.encode("utf-8")) if text else b""


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
        return (_str(1, self.type) + ld(2, self.inputs if properties is None else properties)
                + _str(3, self.urn) + _str(4, self.name) + ld(5, self.options)
                + (ld(6, self.provider) if self.provider else b""))

    def analyzer_resource(self) -> bytes:
        """A serialized AnalyzerResource: the AnalyzeRequest fields plus parent=7, dependencies=8,
        propertyDependencies=9 (map<string, AnalyzerPropertyDependencies{urns=1}>)."""
        return (_str(1, self.type) + ld(2, self.outputs) + _str(3, self.urn) + _str(4, self.name)
                + ld(5, self.options) + (ld(6, self.provider) if self.provider else b"")
                + _str(7, self.parent) + b"".join(_str(8, d) for d in self.dependencies)
                + b"".join(ld(9, _str(1, k) + ld(2, b"".join(ld(1, u.encode("utf-8")) for u in v)))
                           for k, v in self.property_dependencies.items()))

    # Message forms, for tests and for readers of the protocol.
    def analyze_message(self) -> analyzer_pb2.AnalyzeRequest:
        return analyzer_pb2.AnalyzeRequest.FromString(self.analyze_request())

    def stack_message(self) -> analyzer_pb2.AnalyzerResource:
        return analyzer_pb2.AnalyzerResource.FromString(self.analyzer_resource())


def analyze_stack_request(wire: Iterable[WireResource]) -> bytes:
    """A serialized AnalyzeStackRequest (resources=1)."""
    return b"".join(ld(1, w.analyzer_resource()) for w in wire)


def _struct_bytes(props: dict, secret_keys: Iterable[str] = ()) -> bytes:
    return to_struct(props, secret_keys).SerializeToString()


def _outputs_bytes(ins: dict, outs: dict, secret_in: set[str], inputs_bytes: bytes, secret_out: set[str]) -> bytes:
    # Serialized Structs concatenate as a merge (map entries: the last one wins), so the outputs are the
    # inputs' bytes plus only what differs - unless an input key is absent from the outputs.
    if any(k not in outs for k in ins):
        return _struct_bytes(outs, [k for k in secret_out if k in outs])
    extras = {k: v for k, v in outs.items()
              if k not in ins or ins[k] != v or ((k in secret_out) != (k in secret_in))}
    if not extras:
        return inputs_bytes
    return inputs_bytes + _struct_bytes(extras, [k for k in secret_out if k in extras])


def _state(r) -> dict:
    """The resource's state as the engine holds it: its outputs, references downgraded, and a custom
    resource's id."""
    outs = downgrade(r.outputs)
    if r.custom and not r.type.startswith(PROVIDER_TYPE_PREFIX):
        outs["id"] = r.id or UNKNOWN
    return outs


class WireBuilder:
    """Turns recorded resources into what the engine shows analyzers, one registration at a time."""

    def __init__(self, project: str, stack: str, config: dict[str, str]):
        self.project, self.stack, self.config = project, stack, config
        self.by_urn: dict = {}
        self.defaults: dict[str, bytes] = {}
        self.explicit: dict[str, bytes] = {}
        self.empty_options = analyzer_pb2.AnalyzerResourceOptions().SerializeToString()
        self.lock = threading.Lock()

    def _default_provider(self, pkg: str, version: str, out: list) -> bytes:
        name = f"default_{version.replace('.', '_').replace('-', '_')}" if version else "default"
        urn = f"urn:pulumi:{self.stack}::{self.project}::{PROVIDER_TYPE_PREFIX}{pkg}::{name}"
        if urn not in self.defaults:
            props = {k.split(":", 1)[1]: v for k, v in self.config.items() if k.split(":", 1)[0] == pkg}
            if version:
                props["version"] = version
            st = _struct_bytes(props)
            typ = f"{PROVIDER_TYPE_PREFIX}{pkg}"
            out.append(WireResource(typ, name, urn, st, st, self.empty_options, b"", "", [], {}))
            self.defaults[urn] = _str(1, typ) + ld(2, st) + _str(3, urn) + _str(4, name)
        return self.defaults[urn]

    def add(self, r) -> list[WireResource]:
        """The wire form of ``r``, preceded by a default provider the first time one is needed."""
        out: list[WireResource] = []
        with self.lock:
            self.by_urn[r.urn] = r
            provider = b""
            if r.custom and not r.type.startswith(PROVIDER_TYPE_PREFIX):
                if r.provider:
                    parts = r.provider.split("::")
                    purn = "::".join(parts[:-1]) if len(parts) > 4 else r.provider
                    p = self.by_urn.get(purn)
                    if p is not None:
                        if purn not in self.explicit:
                            self.explicit[purn] = (_str(1, p.type)
                                                   + ld(2, _struct_bytes(downgrade(p.inputs), p.secret_inputs))
                                                   + _str(3, p.urn) + _str(4, p.name))
                        provider = self.explicit[purn]
                else:
                    provider = self._default_provider(r.type.split(":", 1)[0], str(r.options.get("version", "")), out)
        secret_in = set(r.secret_inputs)
        secret_out = secret_in | set(r.options.get("additionalSecretOutputs", []))
        parent = r.parent or ""
        ins = downgrade(r.inputs)
        inputs = _struct_bytes(ins, r.secret_inputs)
        out.append(WireResource(
            type=r.type, name=r.name, urn=r.urn, inputs=inputs,
            outputs=_outputs_bytes(ins, _state(r), secret_in, inputs, secret_out),
            options=_options(r, parent).SerializeToString(), provider=provider, parent=parent,
            dependencies=list(r.dependencies),
            property_dependencies={k: list(v) for k, v in r.property_dependencies.items()},
        ))
        return out


def wire_resources(run) -> list[WireResource]:
    """Every resource of a finished run (a ``RunResult``) as the engine describes it to analyzers."""
    builder = WireBuilder(run.project, run.stack, run.config)
    out: list[WireResource] = []
    for r in run.resources:
        out.extend(builder.add(r))
    return out
