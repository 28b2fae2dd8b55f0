"""Helpers for testing the policy pack without the CLI: build stack graphs from plain dicts and call the
validators the way pulumi-policy's analyzer does (properties behind its unknown-checking proxy).

`Stack` holds resources by name. A `ref("other")` anywhere inside a top-level input records a property
dependency on that input (as the SDK does) and becomes, on the wire, the unknown sentinel in "preview" mode
(an ID or ARN not allocated yet) or a fake known value in "update" mode.
"""
from __future__ import annotations

import copy
import dataclasses
import os
import sys
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACK_DIR = os.path.join(ROOT, "policies")
if PACK_DIR not in sys.path:
    sys.path.insert(0, PACK_DIR)

from pulumi_policy import (PolicyCustomTimeouts, PolicyResource, PolicyResourceOptions,  # noqa: E402
                           ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs)
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy  # noqa: E402

from manifest import MANIFEST  # noqa: E402
from rules import all_policies  # noqa: E402
from rules._secrets import stack_config  # noqa: E402

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
PROJECT = "shop"
POLICIES = {p.name: p for p in all_policies()}

# Outputs a provider computes; during preview they are unknown in AnalyzeStack although the program never set
# them. Policies must not mistake them for settings.
COMPUTED = ("arn", "id", "instanceId", "networkInterfaceId", "replicateSourceDb", "replicationGroupId",
            "availabilityZoneName", "skipFinalSnapshot", "tagsAll")
# After deploy some computed outputs are known and would pass for settings: AWS reports default encryption and
# disabled versioning on every bucket. Only what the program set may count.
COMPUTED_KNOWN = {"aws:s3/bucket:Bucket": {
    "serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}},
    "versioning": {"enabled": False, "mfaDelete": False}}}


class Ref:
    def __init__(self, name: str, value: Any = None) -> None:
        self.name, self.value = name, value


def ref(name: str, value: Any = None) -> Ref:
    return Ref(name, value)


_ATOMS = (str, float, int, bool, type(None))


def _copied(value: Any, memo: dict) -> Any:
    """copy.deepcopy for what resource properties hold (dicts, lists, refs and scalars); anything else goes to
    copy.deepcopy itself, with the same memo. The originals outlive the memo (the stack being copied holds them),
    so their ids stay unique without copy.deepcopy's keep-alive list."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is dict or kind is list or kind is Ref:
        seen = memo.get(id(value))
        if seen is not None:
            return seen
        out: Any
        if kind is dict:
            out = memo[id(value)] = {}
            for k, v in value.items():
                out[k] = _copied(v, memo)
        elif kind is list:
            out = memo[id(value)] = []
            out.extend(_copied(v, memo) for v in value)
        else:
            out = memo[id(value)] = Ref(value.name, _copied(value.value, memo))
        return out
    return copy.deepcopy(value, memo)


@dataclass
class Res:
    token: str
    name: str
    props: Dict[str, Any]
    parent: Optional[str] = None
    protect: bool = False
    depends_on: tuple = ()


@dataclass
class Violation:
    policy: str
    level: str
    resource: Optional[str]
    message: str


class Stack:
    def __init__(self, stack: str = "prod") -> None:
        self.stack = stack
        self.res: Dict[str, Res] = {}
        # Stack config as the engine hands it to the pack (ConfigureStack): values and the keys that are secret.
        self.config: Dict[str, str] = {}
        self.secret_keys: set = set()

    def add(self, token: str, name: str, props: Optional[dict] = None, parent: Optional[str] = None,
            protect: bool = False, depends_on: tuple = ()) -> "Stack":
        assert name not in self.res, name
        self.res[name] = Res(token, name, props or {}, parent, protect, tuple(depends_on))
        return self

    def copy(self) -> "Stack":
        """A deep copy (what copy.deepcopy gives, shared values stay shared), at a tenth of its cost: every
        deprecated-form case copies a whole stack."""
        memo: dict = {}
        new = copy.copy(self)
        new.__dict__ = {key: self._copied_resources(memo) if key == "res" else copy.deepcopy(value, memo)
                        for key, value in self.__dict__.items()}
        return new

    def _copied_resources(self, memo: dict) -> Dict[str, "Res"]:
        return {name: dataclasses.replace(r, props=_copied(r.props, memo)) for name, r in self.res.items()}

    # --- mutations -------------------------------------------------------------------------------------
    def set(self, name: str, path: str, value: Any) -> "Stack":
        """Set a value at a dotted path (`healthCheck.path`, `ingress.0.cidrBlocks`)."""
        cur: Any = self.res[name].props
        keys = path.split(".")
        for k in keys[:-1]:
            cur = cur[int(k)] if isinstance(cur, list) else cur.setdefault(k, {})
        last = keys[-1]
        if isinstance(cur, list):
            cur[int(last)] = value
        else:
            cur[last] = value
        return self

    def drop(self, name: str, path: str) -> "Stack":
        cur: Any = self.res[name].props
        keys = path.split(".")
        for k in keys[:-1]:
            cur = cur[int(k)] if isinstance(cur, list) else cur[k]
        if isinstance(cur, list):
            del cur[int(keys[-1])]
        else:
            cur.pop(keys[-1], None)
        return self

    def remove(self, *names: str) -> "Stack":
        for n in names:
            del self.res[n]
        return self

    def retype(self, name: str, token: str) -> "Stack":
        self.res[name].token = token
        return self

    def protect(self, name: str, value: bool = True) -> "Stack":
        self.res[name].protect = value
        return self

    # --- wire --------------------------------------------------------------------------------------------
    def urn(self, name: str) -> str:
        r = self.res[name]
        chain = []
        p = r.parent
        while p:
            chain.insert(0, self.res[p].token)
            p = self.res[p].parent
        typ = "$".join(chain + [r.token])
        return f"urn:pulumi:{self.stack}::{PROJECT}::{typ}::{name}"

    def _resolve(self, value: Any, mode: str, deps: List[str]) -> Any:
        if type(value) in _ATOMS:
            return value
        if isinstance(value, Ref):
            assert value.name in self.res, f"ref to unknown resource {value.name}"
            deps.append(value.name)
            if mode == "preview":
                return UNKNOWN
            return value.value if value.value is not None else f"id-{value.name}"
        if isinstance(value, dict):
            return {k: self._resolve(v, mode, deps) for k, v in value.items()}
        if isinstance(value, list):
            return [self._resolve(v, mode, deps) for v in value]
        return value

    def wire(self, mode: str = "preview") -> List[dict]:
        out = []
        urns: Dict[str, str] = {}  # every reference asks for its target's URN, which walks the parent chain

        def urn(name: str) -> str:
            found = urns.get(name)
            if found is None:
                found = urns[name] = self.urn(name)
            return found

        for name, r in self.res.items():
            inputs, pdeps = {}, {}
            for key, value in r.props.items():
                deps: List[str] = []
                inputs[key] = self._resolve(value, mode, deps)
                pdeps[key] = [urn(d) for d in dict.fromkeys(deps)]
            outputs = dict(inputs)
            if mode == "update":
                for key, value in COMPUTED_KNOWN.get(r.token, {}).items():
                    outputs.setdefault(key, value)
            for key in COMPUTED:
                if key not in outputs:
                    if mode == "preview":
                        outputs[key] = UNKNOWN
                    elif key in ("arn", "id"):
                        outputs[key] = f"{key}-{name}"
            all_deps = list(dict.fromkeys([u for v in pdeps.values() for u in v] +
                                          [urn(d) for d in r.depends_on if d in self.res]))
            out.append(dict(type=r.token, name=name, urn=urn(name), inputs=inputs, outputs=outputs,
                            parent=urn(r.parent) if r.parent else None, dependencies=all_deps,
                            property_dependencies=pdeps, protect=r.protect))
        return out


def _opts(w: dict) -> PolicyResourceOptions:
    return PolicyResourceOptions(w["protect"], [], None, [], PolicyCustomTimeouts(0, 0, 0), [], w["parent"])


def run_policy(name: str, stack: Stack, config: Optional[dict] = None, mode: str = "preview") -> List[Violation]:
    """Run one policy as the analyzer does; an UnknownValueError (skipped during preview) fails the test.

    Each policy gets the properties of a fresh `stack.wire()` behind pulumi-policy's proxy, which copies every
    dict and list it wraps, so no policy can change what another one sees."""
    policy = POLICIES[name]
    level = MANIFEST[name].level
    wire = stack.wire(mode)
    names = {w["urn"]: w["name"] for w in wire}
    found: List[Violation] = []

    def reporter(default_urn: Optional[str]):
        def report(message: str, urn: Optional[str] = None) -> None:
            u = urn or default_urn
            found.append(Violation(name, level, names.get(u) if u else None, message))
        return report

    try:
        with stack_config(stack.config, stack.secret_keys):
            _validate(policy, wire, config, reporter)
    except UnknownValueError as e:
        raise AssertionError(f"policy {name} would be skipped during preview: {e.message}") from e
    return found


def _validate(policy, wire, config, reporter) -> None:
    if isinstance(policy, ResourceValidationPolicy):
        for w in wire:
            args = ResourceValidationArgs(w["type"], unknown_checking_proxy(w["inputs"]), w["urn"],
                                          w["name"], _opts(w), None, config)
            policy.validate(args, reporter(w["urn"]))
    else:
        resources = {}
        for w in wire:
            resources[w["urn"]] = PolicyResource(w["type"], unknown_checking_proxy(w["outputs"]),
                                                 w["urn"], w["name"], _opts(w), None, None, [], {})
        for w in wire:
            r = resources[w["urn"]]
            r.parent = resources.get(w["parent"]) if w["parent"] else None
            r.dependencies = [resources[d] for d in w["dependencies"]]
            r.property_dependencies = {k: [resources[u] for u in v] for k, v in w["property_dependencies"].items()}
        policy.validate(StackValidationArgs(list(resources.values()), config), reporter(None))


def policy_resources(stack: Stack, mode: str = "preview") -> List[PolicyResource]:
    """The stack as pulumi-policy hands it to a stack policy (outputs behind the unknown-checking proxy)."""
    wire = stack.wire(mode)
    resources = {w["urn"]: PolicyResource(w["type"], unknown_checking_proxy(w["outputs"]), w["urn"],
                                          w["name"], _opts(w), None, None, [], {}) for w in wire}
    for w in wire:
        r = resources[w["urn"]]
        r.parent = resources.get(w["parent"]) if w["parent"] else None
        r.dependencies = [resources[d] for d in w["dependencies"]]
        r.property_dependencies = {k: [resources[u] for u in v] for k, v in w["property_dependencies"].items()}
    return list(resources.values())


def messages(violations: List[Violation]) -> List[tuple]:
    return [(v.resource, v.message) for v in violations]
