"""Which properties arrived secret.

The engine sends secret values (from secret config, or any output marked secret) in the secret envelope, and
pulumi-policy unwraps it while converting a request, before any policy runs, so a policy sees a value from
secret config exactly like a plaintext literal. The pack's own process (framework_cache.install) records, while
converting, the paths that were secret; `secret_paths` answers from that record, or from envelopes still present
where a host hands the raw properties to a validator.
"""
import threading
from collections import OrderedDict
from typing import Any, FrozenSet, Iterator, Tuple

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
# As many as the conversion memo keeps: one entry per converted resource that had a secret.
MAX_ENTRIES = 200_000

Path = Tuple[Any, ...]
_recorded: "OrderedDict[int, Tuple[Any, FrozenSet[Path]]]" = OrderedDict()
_lock = threading.Lock()


def envelope_paths(data: Any, path: Path = ()) -> Iterator[Path]:
    """Paths of secret envelopes in wire-form properties (behind pulumi-policy's proxies or not)."""
    data = target_of(data)
    if isinstance(data, dict):
        if data.get(SIG_KEY) == SECRET_SIG:
            yield path
            return
        for key, value in data.items():
            yield from envelope_paths(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from envelope_paths(value, path + (i,))


def recording(deserialize):
    """`deserialize` (pulumi-policy's property conversion) that also records which paths were secret."""
    def deserialize_recording(props, *args, **kwargs):
        value = deserialize(props, *args, **kwargs)
        paths = frozenset(envelope_paths(props))
        if paths:
            with _lock:
                _recorded[id(value)] = (value, paths)  # held, so the id is not reused while recorded
                if len(_recorded) > MAX_ENTRIES:
                    _recorded.popitem(last=False)
        return value

    deserialize_recording.__wrapped__ = deserialize  # type: ignore[attr-defined]
    return deserialize_recording


def target_of(value: Any) -> Any:
    """The plain object behind a pulumi-policy proxy (the proxy answers the key `__target`)."""
    if isinstance(value, (dict, list, str)) or value is None:
        return value
    try:
        return value["__target"]
    except Exception:  # noqa: BLE001 - not a proxy
        return value


def secret_paths(props: Any) -> FrozenSet[Path]:
    target = target_of(props)
    hit = _recorded.get(id(target))
    recorded = hit[1] if hit is not None and hit[0] is target else frozenset()
    return recorded | frozenset(envelope_paths(target))
