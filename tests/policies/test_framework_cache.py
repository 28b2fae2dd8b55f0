"""The pack converts each resource's properties once per request, not once per policy (framework_cache)."""
from google.protobuf import struct_pb2
from pulumi_policy import policy as framework

from .pk import ROOT  # noqa: F401 - puts the pack on sys.path first

import framework_cache  # noqa: E402
from framework_cache import IdentityMemo  # noqa: E402


def test_the_memo_computes_once_per_object_and_per_extra_arguments():
    calls = []
    memo = IdentityMemo(lambda obj, *extra: calls.append((id(obj), extra)) or {"n": len(calls)})
    a, b = {"x": 1}, {"x": 1}
    assert memo(a) is memo(a)
    assert memo(b) is not memo(a), "equal content is not the same message"
    memo(a, True)
    assert calls == [(id(a), ()), (id(b), ()), (id(a), (True,))]


def test_the_memo_is_bounded_and_recomputes_after_eviction():
    calls = []
    memo = IdentityMemo(lambda obj: calls.append(obj) or len(calls), max_entries=2)
    first, second, third = object(), object(), object()
    memo(first), memo(second), memo(third)
    assert memo(first) == 4, "the oldest entry was evicted and is computed again"


def test_install_memoizes_the_frameworks_conversion(monkeypatch):
    # Restored after the test: other tests drive pulumi-policy's analyzer in this process.
    monkeypatch.setattr(framework, "json_format", framework.json_format)
    monkeypatch.setattr(framework, "deserialize_properties", framework.deserialize_properties)
    monkeypatch.setattr(framework, "StackValidationArgs", framework.StackValidationArgs)
    for name in ("Analyze", "AnalyzeStack", "_configure_runtime_settings"):
        monkeypatch.setattr(framework._PolicyAnalyzerServicer, name, getattr(framework._PolicyAnalyzerServicer, name))
    assert framework_cache.install() is True
    message = struct_pb2.Struct()
    message.update({"multiAz": True, "tags": {"Name": "db"}})
    converted = framework.deserialize_properties(framework.json_format.MessageToDict(message))
    assert converted == {"multiAz": True, "tags": {"Name": "db"}}
    again = framework.deserialize_properties(framework.json_format.MessageToDict(message))
    assert again is converted
    other = struct_pb2.Struct()
    other.update({"multiAz": False})
    assert framework.deserialize_properties(framework.json_format.MessageToDict(other)) == {"multiAz": False}
