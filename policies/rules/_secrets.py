"""Whether a value comes from secret stack config.

On the wire a secret is an envelope, but it tells nothing about where a value came from: pulumi-aws's SDK wraps
every input its schema marks secret (an RDS `password`, a secret version's `secretString`) in `Output.secret`, so
a literal arrives as secret as a value from secret config does, and pulumi-policy removes the envelope anyway.
What does tell is the stack config the engine hands the pack in ConfigureStack: its values and which keys are
secret. A value equal to a secret config value (or to a string inside one holding JSON) came from secret config,
which is encrypted in the stack file and the state; one equal to a plain config value sits in the stack file in
clear text. The pack's process records the config (framework_cache.install); a host that calls validators
directly uses `stack_config`.
"""
import contextlib
import json
import threading
from typing import Any, Iterable, Iterator, Mapping, Optional, Set

_lock = threading.Lock()
_values = {"secret": frozenset(), "plain": frozenset()}


def _strings(value: str) -> Set[str]:
    """The value, and the strings inside it when it is JSON (config.require_secret_object)."""
    out = {value}
    try:
        parsed = json.loads(value)
    except ValueError:
        return out
    stack = [parsed]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            out.add(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return out


def configure(config: Mapping[str, str], secret_keys: Iterable[str]) -> None:
    secret_keys = set(secret_keys)
    secret: Set[str] = set()
    plain: Set[str] = set()
    for key, value in config.items():
        if isinstance(value, str) and value:
            (secret if key in secret_keys else plain).update(_strings(value))
    with _lock:
        _values["secret"], _values["plain"] = frozenset(secret - plain), frozenset(plain)


@contextlib.contextmanager
def stack_config(config: Mapping[str, str], secret_keys: Iterable[str]) -> Iterator[None]:
    before = dict(_values)
    configure(config, secret_keys)
    try:
        yield
    finally:
        with _lock:
            _values.update(before)


def config_origin(value: Any) -> Optional[str]:
    """"secret" for a value of secret stack config, "plain" for one of plain config, None otherwise."""
    if not isinstance(value, str) or not value:
        return None
    if value in _values["plain"]:
        return "plain"
    if value in _values["secret"]:
        return "secret"
    return None


def recording_configure_stack(configure_stack):
    """The analyzer's ConfigureStack, recording the stack config first (pulumi-policy keeps only the tags)."""
    def ConfigureStack(self, request, context):  # noqa: N802 - the gRPC method name
        configure(dict(getattr(request, "config", {}) or {}), list(getattr(request, "config_secret_keys", []) or []))
        return configure_stack(self, request, context)

    ConfigureStack.__wrapped__ = configure_stack  # type: ignore[attr-defined]
    return ConfigureStack
