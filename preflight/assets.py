"""Asset and archive paths checked the way the engine checks them before a resource is sent to a provider.

The engine hashes every path-based asset and archive while it plans a step, so a path that does not exist
fails `pulumi preview` on that resource. The mock engine never reads them; without this check a program
that cannot deploy would pass.
"""

from __future__ import annotations

import os
from typing import Any, Iterator

from pulumi.runtime.rpc import _special_archive_sig, _special_asset_sig, _special_sig_key


def _missing(value: Any, key: str, program_dir: str) -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            yield from _missing(item, key, program_dir)
        return
    if not isinstance(value, dict):
        return
    sig = value.get(_special_sig_key)
    if sig not in (_special_asset_sig, _special_archive_sig):
        for k, v in value.items():
            yield from _missing(v, k, program_dir)
        return
    path = value.get("path")
    if isinstance(path, str) and path:
        full = path if os.path.isabs(path) else os.path.join(program_dir, path)
        if not os.path.exists(full):
            if sig == _special_archive_sig:
                yield (f'failed to compute archive hash for "{key}": couldn\'t read archive path '
                       f"'{full}': stat {full}: no such file or directory")
            else:
                yield (f'failed to compute asset hash for "{key}": failed to open asset file '
                       f"'{full}': open {full}: no such file or directory")
    for name, member in (value.get("assets") or {}).items():
        yield from _missing(member, name, program_dir)


def missing_paths(props: dict, program_dir: str) -> list[str]:
    """One engine-style error per asset or archive in ``props`` whose path does not exist."""
    return [msg for key, value in props.items() for msg in _missing(value, key, program_dir)]
