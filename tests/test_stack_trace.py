"""preflight.stack_trace builds exactly the stack trace pulumi's own ``_get_stack_trace`` builds, from the same call
sites, and a program run records the same source positions with it as with pulumi's."""
import dataclasses
import os
from unittest import mock

import pytest
from pulumi.runtime import resource as sdk_resource
from pulumi.runtime.proto import source_pb2

from preflight import stack_trace
from preflight.runner import run_program

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _both():
    return stack_trace.RELEASED(), stack_trace.stack_trace()


class _Base:
    def __init__(self, depth):
        self.traces = _Middle.make(depth)


class _Middle:
    @staticmethod
    def make(depth):
        return _Middle.make(depth - 1) if depth else _both()


class _Custom(_Base):
    def __init__(self, depth):
        super().__init__(depth)


class _Concrete(_Custom):
    def __init__(self, depth=0):
        super().__init__(depth)


class _Component(_Concrete):
    def __init__(self):
        super().__init__(2)


def _concrete_from_user_code():
    return _Concrete().traces


@pytest.mark.parametrize("make", [
    _concrete_from_user_code,
    lambda: _Component().traces,  # four __init__ frames: the trace starts inside the outer component
    lambda: _Concrete(5).traces,
    _both,  # no __init__ frame at all: pulumi gives an empty trace
    lambda: _Custom(0).traces,  # only two
], ids=["resource", "inside-a-component", "deep", "no-constructor", "two-constructors"])
def test_the_trace_is_pulumis_message_byte_for_byte(make):
    released, fast = make()
    assert fast.SerializeToString(deterministic=True) == released.SerializeToString(deterministic=True)
    assert fast == released


def test_a_resource_trace_starts_at_the_code_that_created_it():
    _, fast = _concrete_from_user_code()
    first = fast.frames[0].pc
    assert first.uri == "file://" + os.path.abspath(__file__)
    assert first.line == _concrete_from_user_code.__code__.co_firstlineno + 1
    assert len(fast.frames) > 3, "every frame up to the interpreter's entry"


def test_frames_without_a_file_have_no_position():
    released_frame = stack_trace.RELEASED.__globals__["_get_source_position_for_frame"]
    for filename, lineno in (("", 3), ("x.py", None), ("relative/path.py", 7), ("/abs/path.py", 7)):
        released = source_pb2.StackFrame(pc=released_frame(mock.Mock(filename=filename, lineno=lineno)))
        assert stack_trace._frame(filename, lineno) == released
        assert stack_trace._frame(filename, lineno).HasField("pc") == (filename == "/abs/path.py")


def test_installed_only_for_the_block():
    with stack_trace.installed():
        assert sdk_resource._get_stack_trace is stack_trace.stack_trace
    assert sdk_resource._get_stack_trace is stack_trace.RELEASED


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_a_run_records_the_same_resources_as_with_pulumis_trace(mode, monkeypatch):
    fast = run_program(os.path.join(ROOT, "tests", "programs", "nested"), "test", mode)
    monkeypatch.setattr(stack_trace, "stack_trace", stack_trace.RELEASED)
    released = run_program(os.path.join(ROOT, "tests", "programs", "nested"), "test", mode)
    assert fast.error is None and released.error is None
    assert [dataclasses.asdict(r) for r in fast.resources] == [dataclasses.asdict(r) for r in released.resources]
    assert all(r.source_position for r in fast.resources if not r.type.startswith("pulumi:"))
