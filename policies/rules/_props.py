"""Plain-data access to policy properties.

pulumi-policy wraps properties in proxies that raise as soon as an unknown (preview) value is read, and the
policy is then skipped with a "can't run during preview" diagnostic. Every rule here reads the raw data
instead and treats unknowns explicitly: an unknown reference is resolved through the stack graph, an unknown
setting is reported as something the policy cannot verify.
"""
from typing import Any, Iterable, List, Optional

UNKNOWNS = frozenset({
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string (also the wire sentinel for any computed value)
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
    "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
    "e48ece36-62e2-4504-bad9-02848725956a",  # archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
})
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
_SIG_KEY = "4dabf18193072939515e22adb298388d"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value in UNKNOWNS


_SCALARS = (str, float, int, bool, type(None))


def plain(value: Any) -> Any:
    """Unwrap pulumi-policy proxies (and secret envelopes) into plain dicts and lists, without raising."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        if value.get(_SIG_KEY) == _SECRET_SIG:
            return plain(value.get("value"))
        return {k: plain(v) for k, v in value.items()}
    if kind is list:
        return [plain(v) for v in value]
    # A proxy that can hand over a plain copy of what it wraps (the pack's framework_cache builds its proxies
    # only when read that way) saves building and unwrapping it.
    copy_out = getattr(kind, "__plain__", None)
    if copy_out is not None:
        copied = copy_out(value)
        if copied is not None:
            return copied
    try:
        target = value["__target"]  # _DictProxy / _ListProxy / secrets proxies answer this key
    except Exception:  # noqa: BLE001 - anything else is not a proxy
        target = None
    if target is not None and not isinstance(value, (dict, list, str)):
        value = target
    if type(value).__name__ == "Secret" and hasattr(value, "value"):
        value = value.value
    if isinstance(value, dict):
        if value.get(_SIG_KEY) == _SECRET_SIG:
            return plain(value.get("value"))
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def get(data: Any, *path: Any, default: Any = None) -> Any:
    """Walk a path of keys / indexes; missing or None gives default. Unknowns are returned as they are."""
    cur = data
    for key in path:
        if isinstance(cur, dict):
            cur = cur.get(key)
        elif isinstance(cur, list) and isinstance(key, int):
            cur = cur[key] if -len(cur) <= key < len(cur) else None
        else:
            return default
        if cur is None:
            return default
    return cur


def first(data: Any, *path: Any, default: Any = None) -> Any:
    """Like get, but a list met on the way (a pulumi-aws max-items-1 block in V2 form) yields its first item."""
    cur = data
    for key in path:
        if isinstance(cur, list) and not isinstance(key, int):
            cur = cur[0] if cur else None
        if isinstance(cur, dict):
            cur = cur.get(key)
        elif isinstance(cur, list) and isinstance(key, int):
            cur = cur[key] if -len(cur) <= key < len(cur) else None
        else:
            return default
        if cur is None:
            return default
    if isinstance(cur, list) and len(cur) == 1 and isinstance(cur[0], dict):
        return cur[0]
    return cur


def as_list(value: Any) -> List[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def truthy(value: Any) -> Optional[bool]:
    """True/False for booleans and their string forms ("true"), None when absent or unknown."""
    if value is None or is_unknown(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value.lower() == "true":
            return True
        if value.lower() == "false":
            return False
        return None
    if isinstance(value, (int, float)):
        return value != 0
    return None


def number(value: Any) -> Optional[float]:
    if value is None or is_unknown(value) or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def fmt_num(value: Optional[float]) -> str:
    if value is None:
        return "unset"
    return str(int(value)) if float(value).is_integer() else str(value)


def find_values(data: Any, key: str) -> Iterable[Any]:
    """Every value stored under `key` anywhere in a nested structure."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                yield v
            yield from find_values(v, key)
    elif isinstance(data, list):
        for v in data:
            yield from find_values(v, key)


def contains_unknown(data: Any) -> bool:
    if is_unknown(data):
        return True
    if isinstance(data, dict):
        return any(contains_unknown(v) for v in data.values())
    if isinstance(data, list):
        return any(contains_unknown(v) for v in data)
    return False
