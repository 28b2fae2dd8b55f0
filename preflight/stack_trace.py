"""The SDK's stack trace of a resource registration, built without reading source files.

pulumi's ``_get_stack_trace`` (pulumi/runtime/resource.py) takes ``traceback.extract_stack()``, which reads the
source line of every frame, and turns every frame's file name into a ``file://`` URI with pathlib, for each
resource a program registers: a third of a program run's CPU. ``stack_trace`` returns the same message from the
frame objects, each file's URI computed once. The message is unchanged: its first frame is the resource's
source position ("file:line" in the run's results).
"""
from __future__ import annotations

import contextlib
import functools
import pathlib
import sys

from pulumi.runtime import resource as _resource
from pulumi.runtime.proto import source_pb2

RELEASED = _resource._get_stack_trace  # pylint: disable=protected-access

# pulumi's search: the third `__init__` frame from the top is the concrete resource's constructor; the frames
# above it (its caller and outwards) are the trace. Fewer than three, or nothing above: an empty trace.
_INITS_BEFORE_USER_CODE = 3


@functools.lru_cache(maxsize=None)
def _uri(filename: str) -> str | None:
    try:
        return pathlib.Path(filename).as_uri()
    except BaseException:  # noqa: BLE001 - as pulumi: a name without a URI has no position
        return None


def _frame(filename: str, lineno: int | None) -> source_pb2.StackFrame:
    if filename == "" or lineno is None:
        return source_pb2.StackFrame(pc=None)
    uri = _uri(filename)
    return source_pb2.StackFrame(pc=None if uri is None else source_pb2.SourcePosition(uri=uri, line=lineno))


def stack_trace() -> source_pb2.StackTrace:
    """``pulumi.runtime.resource._get_stack_trace()``, the same message, called from the same place."""
    frame = sys._getframe(1)  # pylint: disable=protected-access
    inits = 0
    while frame is not None:
        if frame.f_code.co_name == "__init__":
            inits += 1
            if inits == _INITS_BEFORE_USER_CODE:
                break
        frame = frame.f_back
    if frame is None or frame.f_back is None:
        return source_pb2.StackTrace()
    frames = []
    outer = frame.f_back
    while outer is not None:
        frames.append(_frame(outer.f_code.co_filename, outer.f_lineno))
        outer = outer.f_back
    return source_pb2.StackTrace(frames=frames)


@contextlib.contextmanager
def installed():
    """pulumi's registrations take their stack traces from ``stack_trace`` for the duration of the block."""
    previous = _resource._get_stack_trace  # pylint: disable=protected-access
    _resource._get_stack_trace = stack_trace  # pylint: disable=protected-access
    try:
        yield
    finally:
        _resource._get_stack_trace = previous  # pylint: disable=protected-access
