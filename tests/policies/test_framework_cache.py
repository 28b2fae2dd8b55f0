"""The pack converts each resource's properties once per request, not once per policy, and builds the
unknown-checking proxies only when a policy reads them (framework_cache)."""
import pulumi
import pytest
from google.protobuf import json_format, struct_pb2
from pulumi_policy import policy as framework
from pulumi_policy.deserialize import serialize_properties
from pulumi_policy.proxy import UnknownValueError, _DictProxy, unknown_checking_proxy

from .pk import ROOT  # noqa: F401 - puts the pack on sys.path first

import framework_cache  # noqa: E402
from framework_cache import IdentityMemo  # noqa: E402
from rules._props import plain  # noqa: E402


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
    monkeypatch.setattr(framework, "unknown_checking_proxy", framework.unknown_checking_proxy)
    for name in ("Analyze", "AnalyzeStack", "_configure_runtime_settings", "ConfigureStack"):
        monkeypatch.setattr(framework._PolicyAnalyzerServicer, name, getattr(framework._PolicyAnalyzerServicer, name))
    assert framework_cache.install() == {"analyze": True, "analyzeStack": True, "configure": True,
                                         "conversion": True, "proxies": True, "configRecording": True}
    message = struct_pb2.Struct()
    message.update({"multiAz": True, "tags": {"Name": "db"}})
    converted = framework.deserialize_properties(framework.json_format.MessageToDict(message))
    assert converted == {"multiAz": True, "tags": {"Name": "db"}}
    again = framework.deserialize_properties(framework.json_format.MessageToDict(message))
    assert again is converted
    other = struct_pb2.Struct()
    other.update({"multiAz": False})
    assert framework.deserialize_properties(framework.json_format.MessageToDict(other)) == {"multiAz": False}


# --- the direct Struct walk ------------------------------------------------------------------------------

def _struct(value: dict) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(value)
    return s


ODD_PROPERTIES = {
    "name": "web", "empty": "", "unicode": "zürich-✓", "count": 3.0, "negative": -0.0, "fraction": 0.1,
    "big": 1e300, "flag": False, "on": True, "nothing": None, "list": [], "nested": {},
    "deep": {"a": [1.0, "two", None, {"b": [[], [True]]}], "z": {"y": {"x": "w"}}},
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": {"secret": "s3cret"},
    "unknown": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
}


def test_the_struct_walk_gives_what_json_format_gives_key_order_and_types_included():
    message = _struct(ODD_PROPERTIES)
    message.fields["unset"].Clear()  # a Value with no kind: null to json_format
    expected = json_format.MessageToDict(message)
    got = framework_cache.struct_to_dict(message)
    assert got == expected
    assert list(got) == list(expected)
    assert list(got["deep"]["a"][3]) == list(expected["deep"]["a"][3])
    assert [type(v) for v in got.values()] == [type(v) for v in expected.values()]
    assert str(got["negative"]) == "-0.0" and got["unset"] is None


@pytest.mark.parametrize("number, words", [(float("nan"), "NaN"), (float("inf"), "Infinity"),
                                           (float("-inf"), "Infinity")])
def test_numbers_json_cannot_hold_fail_with_json_formats_message(number, words):
    message = struct_pb2.Struct()
    message.fields["x"].number_value = number
    with pytest.raises(ValueError) as theirs:
        json_format.MessageToDict(message)
    with pytest.raises(ValueError) as ours:
        framework_cache.struct_to_dict(message)
    assert str(ours.value) == str(theirs.value)
    assert words in str(ours.value)


# --- proxies built when read ---------------------------------------------------------------------------

LazyDictProxy = framework_cache.lazy_proxy_class()
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def test_a_lazy_proxy_behaves_as_pulumi_policys_own():
    source = {"a": {"b": [1.0, {"c": UNKNOWN}]}, "d": "x", "u": UNKNOWN}
    lazy, real = LazyDictProxy(source), unknown_checking_proxy(source)
    assert isinstance(lazy, _DictProxy) and type(lazy).__name__ == "_DictProxy"
    assert list(lazy) == list(real) and len(lazy) == len(real) and lazy["d"] == real["d"] == "x"
    for read in (lambda p: p["u"], lambda p: p["a"]["b"][1]["c"]):
        with pytest.raises(UnknownValueError) as theirs:
            read(real)
        with pytest.raises(UnknownValueError) as ours:
            read(lazy)
        assert ours.value.message == theirs.value.message
    assert serialize_properties(lazy) == serialize_properties(real) == source
    lazy["e"] = 1.0
    assert lazy["e"] == 1.0 and "e" not in source, "a write lands in the proxy's own copy, as in pulumi-policy's"


def test_plain_reads_a_lazy_proxy_without_building_it_and_gets_its_own_copy():
    source = {"tags": {"Name": "db"}, "ports": [80.0, 443.0], "u": UNKNOWN}
    lazy = LazyDictProxy(source)
    first, second = plain(lazy), plain(lazy)
    assert first == second == plain(unknown_checking_proxy(source)) == source
    assert "_DictProxy__target" not in lazy.__dict__, "the proxy was never built"
    first["tags"]["Name"] = "changed"
    first["ports"].append(22.0)
    assert second == source == {"tags": {"Name": "db"}, "ports": [80.0, 443.0], "u": UNKNOWN}


def test_properties_holding_an_asset_are_read_through_the_built_proxy():
    asset = pulumi.StringAsset("echo hi")
    source = {"userData": asset, "tags": {"a": "b"}}
    lazy = LazyDictProxy(source)
    assert type(lazy).__plain__(lazy) is None, "marshal cannot copy objects"
    assert plain(lazy) == {"userData": asset, "tags": {"a": "b"}}
    assert plain(lazy)["userData"] is asset
