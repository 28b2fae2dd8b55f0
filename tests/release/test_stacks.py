"""The stack interface: the real Automation API calls, and config that is never left half-written."""

from __future__ import annotations

import inspect
import os
import signal
from types import SimpleNamespace

import pytest
import pulumi.automation as auto

from release.stacks import POLICY_PACK, REPO, AutomationStack, write_config


class RecordingAutomation:
    """Stands in for the `pulumi.automation` module: records every call as (name, args, kwargs)."""

    def __init__(self, config: dict[str, str]):
        self.calls: list[tuple[str, tuple, dict]] = []
        self._config = config
        recording = self

        class ConfigValue:
            def __init__(self, *args, **kwargs):
                recording.calls.append(("ConfigValue", args, kwargs))
                self.value = kwargs.get("value", args[0] if args else None)

        class Stack:
            def outputs(self, *args, **kwargs):
                recording.calls.append(("Stack.outputs", args, kwargs))
                return {"releasesBucketName": SimpleNamespace(value="portal-staging-releases-x", secret=False)}

            def get_all_config(self, *args, **kwargs):
                recording.calls.append(("Stack.get_all_config", args, kwargs))
                return {k: SimpleNamespace(value=v, secret=False) for k, v in recording._config.items()}

            def set_config(self, *args, **kwargs):
                recording.calls.append(("Stack.set_config", args, kwargs))

            def remove_config(self, *args, **kwargs):
                recording.calls.append(("Stack.remove_config", args, kwargs))

            def up(self, *args, **kwargs):
                recording.calls.append(("Stack.up", args, kwargs))

        self.ConfigValue = ConfigValue
        self._stack = Stack()

    def select_stack(self, *args, **kwargs):
        self.calls.append(("select_stack", args, kwargs))
        return self._stack


def test_the_adapter_makes_the_documented_automation_api_calls():
    fake = RecordingAutomation({"portal:release": "2026-12-01.1"})
    stack = AutomationStack("staging", automation=fake)
    printed = []
    assert stack.get_outputs() == {"releasesBucketName": "portal-staging-releases-x"}
    assert stack.get_config("portal:release") == "2026-12-01.1"
    assert stack.get_config("portal:amiId") is None
    stack.set_config("portal:release", "2026-12-06.1")
    stack.set_config("portal:amiId", None)
    stack.up(on_output=printed.append)

    names = [name for name, _, _ in fake.calls]
    assert names == ["select_stack", "Stack.outputs", "Stack.get_all_config", "Stack.get_all_config",
                     "ConfigValue", "Stack.set_config", "Stack.remove_config", "Stack.up"]
    assert fake.calls[0][2] == {"stack_name": "staging", "work_dir": str(REPO)}
    assert fake.calls[4][2] == {"value": "2026-12-06.1"}
    key, value = fake.calls[5][1]
    assert key == "portal:release" and isinstance(value, fake.ConfigValue) and value.value == "2026-12-06.1"
    assert fake.calls[6][1] == ("portal:amiId",)
    assert fake.calls[7][2] == {"on_output": printed.append, "policy_packs": [str(POLICY_PACK)]}
    assert (POLICY_PACK / "PulumiPolicy.yaml").is_file()

    # Every recorded call fits the installed SDK's signature (the fake cannot drift from the real API).
    real = {"select_stack": auto.select_stack, "ConfigValue": auto.ConfigValue, "Stack.outputs": auto.Stack.outputs,
            "Stack.get_all_config": auto.Stack.get_all_config, "Stack.set_config": auto.Stack.set_config,
            "Stack.remove_config": auto.Stack.remove_config, "Stack.up": auto.Stack.up}
    for name, args, kwargs in fake.calls:
        self_arg = (object(),) if name.startswith("Stack.") else ()
        inspect.signature(real[name]).bind(*self_arg, *args, **kwargs)


class DictStack:
    def __init__(self, config, fail_on=None, error=KeyboardInterrupt):
        self.config, self.fail_on, self.error, self.writes = dict(config), fail_on, error, []

    def get_config(self, key):
        return self.config.get(key)

    def set_config(self, key, value):
        self.writes.append((key, value))
        if key == self.fail_on:
            self.fail_on = None  # the restore that follows goes through
            raise self.error()
        if value is None:
            self.config.pop(key, None)
        else:
            self.config[key] = value


def test_config_interrupted_half_way_is_put_back():
    stack = DictStack({"portal:release": "r1", "portal:amiId": "ami-0123456789abcdef0"}, fail_on="portal:amiId")
    with pytest.raises(KeyboardInterrupt):
        write_config(stack, {"portal:release": "r2", "portal:amiId": "ami-0fedcba9876543210"})
    assert stack.config == {"portal:release": "r1", "portal:amiId": "ami-0123456789abcdef0"}


def test_a_key_that_was_unset_is_removed_again():
    stack = DictStack({"portal:release": "r1"}, fail_on="portal:amiId", error=RuntimeError)
    with pytest.raises(RuntimeError):
        write_config(stack, {"portal:release": "r2", "portal:amiId": "ami-0fedcba9876543210"})
    assert stack.config == {"portal:release": "r1"}


def test_ctrl_c_during_the_restore_waits_until_the_restore_is_done():
    class SignalDuringRestore(DictStack):
        def set_config(self, key, value):
            if self.fail_on is None and key == "portal:release":  # the restore's first write
                os.kill(os.getpid(), signal.SIGINT)
            super().set_config(key, value)

    stack = SignalDuringRestore({"portal:release": "r1", "portal:amiId": "ami-0123456789abcdef0"},
                                fail_on="portal:amiId")
    with pytest.raises(KeyboardInterrupt):
        write_config(stack, {"portal:release": "r2", "portal:amiId": "ami-0fedcba9876543210"})
    assert stack.config == {"portal:release": "r1", "portal:amiId": "ami-0123456789abcdef0"}
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_unchanged_keys_are_not_written():
    stack = DictStack({"portal:release": "r1", "portal:amiId": "ami-0123456789abcdef0"})
    assert write_config(stack, {"portal:release": "r2", "portal:amiId": "ami-0123456789abcdef0"}) == {
        "portal:release": "r1", "portal:amiId": "ami-0123456789abcdef0"}
    assert stack.writes == [("portal:release", "r2")]
