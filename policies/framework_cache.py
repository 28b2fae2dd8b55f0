"""Converts each resource's properties once per request instead of once per policy.

pulumi-policy (1.x) turns a resource's protobuf properties into Python values inside its per-policy loop:
in Analyze once per resource policy, in AnalyzeStack the whole stack once per stack policy. With ~110
policies that conversion is nearly all of the pack's time on a large stack. The conversion is a pure
function of the request message, which the framework never mutates, so this module memoizes it by message
identity (the message is held by the memo, so its id cannot be reused while cached). Everything else,
including the unknown-checking proxy every policy receives, is left to the framework.

`install()` is called by `__main__.py` only, in the pack's own process; if a future pulumi-policy no longer
has the hooks it patches, it does nothing and the pack is only slower.
"""
from __future__ import annotations

from collections import OrderedDict
from types import SimpleNamespace
from typing import Any, Callable, Tuple

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


def install() -> bool:
    try:
        from google.protobuf import json_format
        from pulumi_policy import policy as framework
    except ImportError:
        return False
    if not (hasattr(framework, "json_format") and hasattr(framework, "deserialize_properties")):
        return False
    message_to_dict = IdentityMemo(json_format.MessageToDict)
    shim = SimpleNamespace(**{name: getattr(json_format, name) for name in dir(json_format)
                              if not name.startswith("__")})
    shim.MessageToDict = lambda message, *args, **kwargs: (
        message_to_dict(message) if not args and not kwargs else json_format.MessageToDict(message, *args, **kwargs))
    framework.json_format = shim
    framework.deserialize_properties = IdentityMemo(framework.deserialize_properties)
    return True
