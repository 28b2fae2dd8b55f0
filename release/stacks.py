"""The stack operations the tool needs, behind a small interface; the real one is the Pulumi Automation API.

Config is written only through `write_config`, which puts the previous values back when it is interrupted, so a
Ctrl-C never leaves a stack naming a release without its image (or half of a restore).
"""

from __future__ import annotations

import importlib
import json
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Protocol

from release.errors import Refused

REPO = Path(__file__).resolve().parent.parent
POLICY_PACK = REPO / "policies"
RELEASE_KEY = "portal:release"
IMAGE_KEY = "portal:amiId"


class StackOps(Protocol):
    def get_outputs(self) -> dict[str, Any]: ...

    def get_config(self, key: str) -> str | None: ...

    def set_config(self, key: str, value: str | None) -> None:
        """Sets `key`; None removes it (how a key that was unset before is put back)."""

    def up(self, on_output: Callable[[str], None]) -> None: ...


class AutomationStack:
    """A stack of the program in `work_dir`, through `pulumi.automation` (which runs the Pulumi CLI)."""

    def __init__(self, stack_name: str, work_dir: str = str(REPO), automation: Any = None):
        self._auto = automation or importlib.import_module("pulumi.automation")
        self._stack = self._auto.select_stack(stack_name=stack_name, work_dir=work_dir)

    def get_outputs(self) -> dict[str, Any]:
        return {name: output.value for name, output in self._stack.outputs().items()}

    def get_config(self, key: str) -> str | None:
        # get_config raises the same error for an unset key as for a broken CLI; the full map tells them apart.
        value = self._stack.get_all_config().get(key)
        return None if value is None else value.value

    def set_config(self, key: str, value: str | None) -> None:
        if value is None:
            self._stack.remove_config(key)
        else:
            self._stack.set_config(key, self._auto.ConfigValue(value=value))

    def up(self, on_output: Callable[[str], None]) -> None:
        self._stack.up(on_output=on_output, policy_packs=[str(POLICY_PACK)])


@contextmanager
def sigint_deferred() -> Iterator[None]:
    """Ctrl-C during the block is held back and raised when it ends, so a restore always completes."""
    held: list[bool] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: held.append(True))
    except ValueError:  # not the main thread: signals cannot arrive here anyway
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        raise KeyboardInterrupt


def write_config(stack: StackOps, values: Mapping[str, str | None]) -> dict[str, str | None]:
    """Sets every key or none: on any interruption or error the previous values are put back. Returns them."""
    previous = {key: stack.get_config(key) for key in values}
    try:
        for key, value in values.items():
            if previous[key] != value:
                stack.set_config(key, value)
    except BaseException:
        with sigint_deferred():
            for key, value in previous.items():
                stack.set_config(key, value)
        raise
    return previous


class OutputsFile:
    """Stack outputs from `pulumi stack output --json` saved in a file (for machines without the Pulumi CLI)."""

    def __init__(self, path: Path, flag: str):
        self.path, self.flag = path, flag

    def read(self) -> dict[str, Any]:
        try:
            values = json.loads(self.path.read_text())
        except OSError as error:
            raise Refused(f"{self.flag} {str(self.path)!r}: cannot be read ({error.strerror or error})")
        except ValueError as error:
            raise Refused(f"{self.flag} {str(self.path)!r}: must be the JSON `pulumi stack output --json` "
                          f"prints ({error})")
        if not isinstance(values, dict):
            raise Refused(f"{self.flag} {str(self.path)!r}: must be a JSON object of stack outputs")
        return values
