"""Makes pulumi-policy's analyzer do per-request work once per request, and hand policies only their kinds.

pulumi-policy (1.x) turns a resource's protobuf properties into Python values inside its per-policy loop:
in Analyze once per resource policy, in AnalyzeStack the whole stack once per stack policy. With ~110
policies that conversion is nearly all of the pack's time on a large stack. The conversion is a pure
function of the request message, which the framework never mutates, so this module memoizes it by message
identity (the message is held by the memo, so its id cannot be reused while cached), and converts a
`google.protobuf.Struct` (every resource's properties) with a direct walk that gives exactly what
`json_format.MessageToDict` gives, without its per-value descriptor lookups.

The unknown-checking proxy each policy receives is built when the policy first reads it, from the same
converted properties the framework would have built it from, so a policy that reads them through
`__plain__` (the pack's rules do: they read raw data and treat unknowns themselves) costs no proxy at all,
and gets its own copy of the plain data, copied in C from one encoding made per request.

Two more per-request costs are the framework's loops, not the conversion:

- Analyze runs every resource policy on every resource, and each call allocates the unknown-checking proxy
  and the argument objects before the policy can decide the resource is not of its kinds. A policy that
  declares `kinds` (resource kinds, as normalised by its `kind_of`) is only handed resources of those kinds;
  a policy without them still sees every resource.
- AnalyzeStack rebuilds the whole stack (proxies, options, parent and dependency links) for every stack
  policy. It is built once per request and the same read-only list goes to every stack policy, so a
  policy can also reuse what it derives from that list (rules/_base.py keeps its graph).

Every request also re-reads the process environment into pulumi's runtime settings (parsing PULUMI_CONFIG
and building the settings anew); the environment of the pack's process does not change between requests,
so that is done again only when the variables it reads differ from the last time.

All of these keep the framework's own code for everything else (enforcement levels, config, diagnostics, order of
policies). They patch loops whose shape they rely on, so each is applied only when the framework's function
is the one they were written against (its source fingerprint); otherwise the framework runs unchanged.

`install()` is called by `__main__.py`, in the pack's own process (and by the tests that analyse in their own
process, which take the patches off again); if a future pulumi-policy no longer has the hooks it patches, it
does nothing and the pack is only slower.
"""
from __future__ import annotations

import hashlib
import inspect
import marshal
import math
import os
import threading
from collections import OrderedDict
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Optional, Tuple

# Above the largest stack a pack sees in one request: an LRU smaller than the stack would miss every time.
MAX_ENTRIES = 200_000


class IdentityMemo:
    """Results of `compute(obj, *extra)` keyed by the identity of `obj` and the extra arguments."""

    def __init__(self, compute: Callable[..., Any], max_entries: int = MAX_ENTRIES):
        self._compute = compute
        self._max = max_entries
        self._entries: "OrderedDict[Tuple[int, tuple], Tuple[Any, Any]]" = OrderedDict()

    def __call__(self, obj: Any, *extra: Any) -> Any:
        key = (id(obj), extra)
        hit = self._entries.get(key)
        if hit is not None and hit[0] is obj:
            return hit[1]
        value = self._compute(obj, *extra)
        self._entries[key] = (obj, value)
        if len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return value


# sha256 of the source of the pulumi-policy 1.21.0 functions the dispatch patches (see `fingerprint`).
ANALYZE_FINGERPRINT = "75db9cf8fc9d1585"
ANALYZE_STACK_FINGERPRINT = "3917a008482c2387"
CONFIGURE_FINGERPRINT = "da0923ff3a404f36"
# json_format's Struct, Value and ListValue printers (protobuf 5.x), which `struct_to_dict` reproduces.
STRUCT_PRINTER_FINGERPRINTS = ("e6354e1b0b00f7a4", "d5b8fe980fa75443", "e71f125d7911ae5c")
# pulumi_policy.proxy's `_proxy_helper` and `_DictProxy`, which `LazyDictProxy` builds on and stands in for.
PROXY_FINGERPRINTS = ("c36dd3b6af1196cb", "9c45424925aaa8d0")
# What `_configure_runtime_settings` reads.
RUNTIME_ENV = ("PULUMI_CONFIG", "PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN", "PULUMI_ORGANIZATION")
# The servicer's policy list, as its methods read it (`self.__policies`).
POLICIES_ATTR = "_PolicyAnalyzerServicer__policies"


# pulumi_policy.policy's own module-level names this module replaced, as they were (for comparing with them).
ORIGINALS: Dict[str, Any] = {}


def _replace(module: Any, name: str, value: Any) -> None:
    ORIGINALS.setdefault(name, getattr(module, name))
    setattr(module, name, value)


def fingerprint(function: Callable) -> Optional[str]:
    try:
        return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]
    except (OSError, TypeError):
        return None


def applies_to(policy: Any, resource_type: str) -> bool:
    """Whether a resource policy is run on a resource of this type token: always, unless it declares kinds."""
    kinds, kind_of = getattr(policy, "kinds", None), getattr(policy, "kind_of", None)
    if kinds is None or kind_of is None:
        return True
    return kind_of(resource_type) in kinds


class KindDispatch:
    """Per resource type token, the resource policies that apply to it, in the pack's order."""

    def __init__(self, policies: List[Any]):
        from pulumi_policy import ResourceValidationPolicy

        self._policies = [p for p in policies if isinstance(p, ResourceValidationPolicy)]
        self._by_type: Dict[str, List[Any]] = {}

    def __call__(self, resource_type: str) -> List[Any]:
        hit = self._by_type.get(resource_type)
        if hit is None:
            hit = self._by_type[resource_type] = [p for p in self._policies if applies_to(p, resource_type)]
        return hit


def _with_policies(servicer: Any, policies: List[Any]) -> Any:
    """The servicer as it is now (config included), seeing only `policies`. A copy per request, since
    requests run concurrently on the server's threads."""
    view = object.__new__(type(servicer))
    view.__dict__.update(servicer.__dict__)
    view.__dict__[POLICIES_ATTR] = policies
    return view


def _dispatching_analyze(analyze: Callable) -> Callable:
    def Analyze(self, request, context):  # noqa: N802 - the gRPC method name
        dispatch = self.__dict__.get("_kind_dispatch")
        if dispatch is None:
            dispatch = self.__dict__["_kind_dispatch"] = KindDispatch(self.__dict__[POLICIES_ATTR])
        return analyze(_with_policies(self, dispatch(request.type)), request, context)

    Analyze.__wrapped__ = analyze  # type: ignore[attr-defined]
    return Analyze


# The AnalyzeStack request being served on this thread (see `_StackRequest`).
_stack_request = threading.local()


class _StackRequest:
    """Stands in for an AnalyzeStackRequest inside the framework's AnalyzeStack, whose only use of the
    request is `for r in request.resources` once per stack policy: the first policy that runs reads the
    resources and the framework builds them; the others read none and `_SharedStackArgs` hands them the
    list built for the first."""

    def __init__(self, request: Any):
        self._request = request
        self._read = False
        self.built: Optional[List[Any]] = None

    @property
    def resources(self):
        if self._read:
            return ()
        self._read = True
        return self._request.resources


def _shared_stack_args(args_class: type) -> type:
    class _SharedStackArgs(args_class):  # type: ignore[misc, valid-type]
        def __init__(self, resources, config=None, stack_tags=None):
            current = getattr(_stack_request, "current", None)
            if current is not None:
                if current.built is None:
                    current.built = resources
                else:
                    resources = current.built
            super().__init__(resources, config, stack_tags)

    _SharedStackArgs.__name__ = _SharedStackArgs.__qualname__ = args_class.__name__
    return _SharedStackArgs


def _building_stack_once(analyze_stack: Callable) -> Callable:
    def AnalyzeStack(self, request, context):  # noqa: N802 - the gRPC method name
        _stack_request.current = _StackRequest(request)
        try:
            return analyze_stack(self, _stack_request.current, context)
        finally:
            _stack_request.current = None

    AnalyzeStack.__wrapped__ = analyze_stack  # type: ignore[attr-defined]
    return AnalyzeStack


def _configuring_on_change(configure: Callable) -> Callable:
    last: Dict[str, Any] = {}
    lock = threading.Lock()

    def _configure_runtime_settings(self):
        env = tuple(os.environ.get(name) for name in RUNTIME_ENV)
        if last.get("env") == env:
            return
        with lock:
            configure(self)
            last["env"] = env

    _configure_runtime_settings.__wrapped__ = configure  # type: ignore[attr-defined]
    return _configure_runtime_settings


def install_dispatch() -> Dict[str, bool]:
    """Patches the analyzer's Analyze and AnalyzeStack loops and its per-request runtime set-up where they are
    the ones this module knows; says which it patched. Installing twice patches once."""
    try:
        from pulumi_policy import policy as framework
        servicer = framework._PolicyAnalyzerServicer  # pylint: disable=protected-access
    except (ImportError, AttributeError):
        return {"analyze": False, "analyzeStack": False, "configure": False}
    done = {}
    analyze = getattr(servicer.Analyze, "__wrapped__", servicer.Analyze)
    done["analyze"] = fingerprint(analyze) == ANALYZE_FINGERPRINT
    if done["analyze"] and not hasattr(servicer.Analyze, "__wrapped__"):
        servicer.Analyze = _dispatching_analyze(analyze)
    analyze_stack = getattr(servicer.AnalyzeStack, "__wrapped__", servicer.AnalyzeStack)
    done["analyzeStack"] = (fingerprint(analyze_stack) == ANALYZE_STACK_FINGERPRINT
                            and isinstance(getattr(framework, "StackValidationArgs", None), type))
    if done["analyzeStack"] and not hasattr(servicer.AnalyzeStack, "__wrapped__"):
        _replace(framework, "StackValidationArgs", _shared_stack_args(framework.StackValidationArgs))
        servicer.AnalyzeStack = _building_stack_once(analyze_stack)
    configure = getattr(servicer, "_configure_runtime_settings", None)
    configure = getattr(configure, "__wrapped__", configure)
    done["configure"] = configure is not None and fingerprint(configure) == CONFIGURE_FINGERPRINT
    if done["configure"] and not hasattr(servicer._configure_runtime_settings, "__wrapped__"):
        servicer._configure_runtime_settings = _configuring_on_change(configure)
    return done


def _value_to_python(value: Any) -> Any:
    kind = value.WhichOneof("kind")
    if kind is None or kind == "null_value":
        return None
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "number_value":
        number = value.number_value
        # json_format's own words, so a pack fails the same way with and without this module.
        if math.isinf(number):
            raise ValueError("Fail to serialize Infinity for Value.number_value, which would parse as string_value")
        if math.isnan(number):
            raise ValueError("Fail to serialize NaN for Value.number_value, which would parse as string_value")
        return number
    if kind == "struct_value":
        return struct_to_dict(value.struct_value)
    return [_value_to_python(v) for v in value.list_value.values]


def struct_to_dict(message: Any) -> Dict[str, Any]:
    """`json_format.MessageToDict` of a `google.protobuf.Struct`: the same keys in the same order, floats as
    floats, nulls as None (a direct walk instead of json_format's generic, descriptor-driven one)."""
    fields = message.fields
    return {key: _value_to_python(fields[key]) for key in fields}


def _message_to_dict(message: Any, *args: Any, **kwargs: Any) -> Any:
    if not args and not kwargs and message.DESCRIPTOR.full_name == "google.protobuf.Struct":
        return struct_to_dict(message)
    from google.protobuf import json_format
    return json_format.MessageToDict(message, *args, **kwargs)


def _struct_printer_unchanged() -> bool:
    from google.protobuf import json_format
    printer = json_format._Printer  # pylint: disable=protected-access
    return tuple(fingerprint(f) for f in (printer._StructMessageToJsonObject, printer._ValueMessageToJsonObject,
                                          printer._ListValueMessageToJsonObject)) == STRUCT_PRINTER_FINGERPRINTS


def _marshal_or_none(source: Any) -> Optional[bytes]:
    try:
        return marshal.dumps(source)
    except ValueError:  # assets and archives are objects: those properties go through the proxy as usual
        return None


# One marshal encoding of the plain properties per converted request, copied out to each policy that reads them.
_encoded = IdentityMemo(_marshal_or_none)


def lazy_proxy_class() -> type:
    from pulumi_policy import proxy

    class LazyDictProxy(proxy._DictProxy):  # pylint: disable=protected-access
        """pulumi-policy's unknown-checking proxy of `source`, built by pulumi-policy's own `_proxy_helper` when
        it is first used, so it behaves exactly as the one the framework builds at once. `__plain__` hands a
        reader that wants plain data a copy of `source` without building the proxy."""

        def __init__(self, source: Dict[str, Any]):  # pylint: disable=super-init-not-called
            self._lazy_source = source

        def __getattr__(self, name: str) -> Any:
            # Reached only for attributes the instance lacks: the proxy's own fields before it is built.
            if name in ("_DictProxy__target", "_DictProxy__props_acc") and "_lazy_source" in self.__dict__:
                built = proxy._proxy_helper(self._lazy_source, [])  # pylint: disable=protected-access
                self.__dict__.update(built.__dict__)
                return self.__dict__[name]
            raise AttributeError(name)

        def __plain__(self) -> Optional[Dict[str, Any]]:
            """A fresh plain copy of the properties (dicts, lists, scalars), or None where they hold objects."""
            encoded = _encoded(self._lazy_source)
            return None if encoded is None else marshal.loads(encoded)

    LazyDictProxy.__name__ = LazyDictProxy.__qualname__ = "_DictProxy"
    return LazyDictProxy


def _lazy_unknown_checking_proxy(original: Callable, proxy_class: type) -> Callable:
    def unknown_checking_proxy(props: Any) -> Any:
        if type(props) is dict:  # pylint: disable=unidiomatic-typecheck - Remediate's secrets proxy goes as is
            return proxy_class(props)
        return original(props)

    unknown_checking_proxy.__wrapped__ = original  # type: ignore[attr-defined]
    return unknown_checking_proxy


def _proxies_unchanged() -> bool:
    from pulumi_policy import proxy
    return (fingerprint(proxy._proxy_helper), fingerprint(proxy._DictProxy)) == PROXY_FINGERPRINTS  # pylint: disable=protected-access


def install_conversion() -> Dict[str, bool]:
    """Memoizes the per-request conversion (with the direct Struct walk where json_format is the known one)
    and makes the unknown-checking proxies lazy where pulumi-policy's proxy is the known one; says which."""
    done = {"conversion": False, "proxies": False}
    try:
        from google.protobuf import json_format
        from pulumi_policy import policy as framework
    except ImportError:
        return done
    if not all(hasattr(framework, name) for name in ("json_format", "deserialize_properties",
                                                      "unknown_checking_proxy")):
        return done
    if not isinstance(framework.json_format, SimpleNamespace):
        convert = _message_to_dict if _struct_printer_unchanged() else json_format.MessageToDict
        message_to_dict = IdentityMemo(convert)
        shim = SimpleNamespace(**{name: getattr(json_format, name) for name in dir(json_format)
                                  if not name.startswith("__")})
        shim.MessageToDict = lambda message, *args, **kwargs: (
            message_to_dict(message) if not args and not kwargs else json_format.MessageToDict(message, *args, **kwargs))
        _replace(framework, "json_format", shim)
        _replace(framework, "deserialize_properties", IdentityMemo(framework.deserialize_properties))
    done["conversion"] = True
    if _proxies_unchanged():
        if not hasattr(framework.unknown_checking_proxy, "__wrapped__"):
            _replace(framework, "unknown_checking_proxy",
                     _lazy_unknown_checking_proxy(framework.unknown_checking_proxy, lazy_proxy_class()))
        done["proxies"] = True
    return done


def install() -> Dict[str, bool]:
    """Everything above, as the pack's `__main__` applies it; says what was applied."""
    done = install_dispatch()
    done.update(install_conversion())
    done["configRecording"] = install_config_recording()
    return done


def install_config_recording() -> bool:
    """Records the stack config ConfigureStack carries (values and secret keys), which pulumi-policy drops, so a
    password from secret config is not mistaken for a plaintext one (rules/_secrets.py)."""
    try:
        from pulumi_policy import policy as framework
        servicer = framework._PolicyAnalyzerServicer  # pylint: disable=protected-access
    except (ImportError, AttributeError):
        return False
    from rules._secrets import recording_configure_stack
    if not hasattr(servicer.ConfigureStack, "__wrapped__"):
        servicer.ConfigureStack = recording_configure_stack(servicer.ConfigureStack)
    return True
