"""Stack operations behind a small interface; the real one is the Pulumi Automation API."""

from __future__ import annotations

from typing import Any, Callable, Protocol


class StackOps(Protocol):
    def outputs(self) -> dict[str, Any]: ...
    def get_config(self, key: str) -> str: ...
    def set_config(self, values: dict[str, str]) -> None: ...
    def up(self, on_output: Callable[[str], None]) -> None: ...


class AutomationStack:
    """One Pulumi stack selected through the Automation API (the program lives in work_dir)."""

    def __init__(self, stack_name: str, work_dir: str, automation: Any = None):
        if automation is None:
            import pulumi.automation as automation
        self._auto = automation
        self._stack = automation.select_stack(stack_name=stack_name, work_dir=work_dir)

    def outputs(self) -> dict[str, Any]:
        return {name: out.value for name, out in self._stack.outputs().items()}

    def get_config(self, key: str) -> str:
        try:
            return self._stack.get_config(key).value
        except Exception:  # an unset key is an error in the Automation API; the tool treats it as empty
            return ""

    def set_config(self, values: dict[str, str]) -> None:
        # One call writes every key, so the release and its image never disagree in the stack's config.
        self._stack.set_all_config({k: self._auto.ConfigValue(value=v) for k, v in values.items()})

    def up(self, on_output: Callable[[str], None]) -> None:
        self._stack.up(policy_packs=["policies"], on_output=on_output)
