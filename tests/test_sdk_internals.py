"""The SDK internals the preflight runner and the pack's framework cache reach into.

They are private to pulumi and pulumi-policy, so requirements.txt pins both exactly; an upgrade that moves
or changes any of them fails here, by name, instead of as a wrong preview.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

import pytest


def test_the_pinned_versions_are_installed():
    assert (version("pulumi"), version("pulumi-policy")) == ("3.272.0", "1.21.0")


@pytest.mark.parametrize("module, names", [
    ("pulumi.runtime.mocks", ["Mocks", "MockMonitor", "MockResourceArgs", "MockCallArgs", "set_mocks"]),
    ("pulumi.runtime.settings", ["SETTINGS", "set_root_resource"]),
    ("pulumi.runtime.stack", ["run_in_stack"]),
    ("pulumi.runtime.sync_await", ["_sync_await"]),
    ("pulumi.runtime.config", ["set_all_config"]),
    ("pulumi.runtime.rpc", ["UNKNOWN", "_special_sig_key", "_special_secret_sig", "_special_resource_sig",
                            "_special_asset_sig", "_special_archive_sig"]),
    ("pulumi_policy.policy", ["json_format", "deserialize_properties", "unknown_checking_proxy",
                              "StackValidationArgs", "_PolicyAnalyzerServicer"]),
    ("pulumi_policy.proxy", ["_DictProxy", "_proxy_helper", "unknown_checking_proxy"]),
])
def test_internals_exist(module, names):
    mod = __import__(module, fromlist=["_"])
    missing = [n for n in names if not hasattr(mod, n)]
    assert missing == [], f"{module} no longer has {missing}"


def test_wire_constants_keep_their_values():
    from pulumi.runtime import rpc

    assert rpc.UNKNOWN == "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    assert rpc._special_sig_key == "4dabf18193072939515e22adb298388d"
    assert rpc._special_secret_sig == "1b47061264138c4ac30d75fd1eb44270"
    assert rpc._special_resource_sig == "5cf8f73096256a8f31e491e813e4eb8e"
    assert rpc._special_asset_sig == "c44067f5952c0a294b673a41bacd8c17"
    assert rpc._special_archive_sig == "0def7320c3a5731c473e5ecbe6d01bc7"


def test_mock_monitor_keeps_the_members_the_runner_overrides_or_calls():
    from pulumi.runtime.mocks import MockMonitor

    for name in ["RegisterResource", "ReadResource", "RegisterResourceOutputs", "Invoke", "SupportsFeature",
                 "make_urn", "ResourceRegistration"]:
        assert hasattr(MockMonitor, name), f"MockMonitor.{name} is gone"
    assert list(inspect.signature(MockMonitor.__init__).parameters)[:2] == ["self", "mocks"]


def test_settings_keep_the_fields_the_runner_resets():
    from pulumi.runtime.settings import SETTINGS

    for name in ["engine", "outputs", "rpc_manager", "root_directory"]:
        assert hasattr(SETTINGS, name), f"SETTINGS.{name} is gone"
    assert hasattr(SETTINGS.rpc_manager, "clear")


def test_set_mocks_accepts_the_keywords_the_runner_passes():
    from pulumi.runtime.mocks import set_mocks

    params = inspect.signature(set_mocks).parameters
    for name in ["mocks", "project", "stack", "preview", "monitor", "organization"]:
        assert name in params, f"set_mocks lost its {name!r} parameter"


def test_the_analyzer_loops_the_pack_dispatch_patches_are_unchanged():
    """policies/framework_cache.py rewires Analyze, AnalyzeStack and the per-request runtime set-up only when
    their source is the one it was written against; an upgrade that changes them must be reviewed here."""
    import os
    import sys

    from pulumi_policy import EnforcementLevel, ResourceValidationPolicy
    from pulumi_policy.policy import _PolicyAnalyzerServicer

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "policies"))
    import framework_cache

    def original(name):
        method = getattr(_PolicyAnalyzerServicer, name)
        return getattr(method, "__wrapped__", method)

    assert framework_cache.fingerprint(original("Analyze")) == framework_cache.ANALYZE_FINGERPRINT
    assert framework_cache.fingerprint(original("AnalyzeStack")) == framework_cache.ANALYZE_STACK_FINGERPRINT
    assert (framework_cache.fingerprint(original("_configure_runtime_settings"))
            == framework_cache.CONFIGURE_FINGERPRINT)
    policy = ResourceValidationPolicy(name="p", description="d", validate=lambda *_: None)
    servicer = _PolicyAnalyzerServicer("pack", "0.0.1", [policy], EnforcementLevel.ADVISORY)
    assert getattr(servicer, framework_cache.POLICIES_ATTR) == [policy]
    assert not hasattr(policy, "kinds") and not hasattr(policy, "kind_of"), "the pack's attributes are its own"


def test_the_conversion_and_proxy_the_pack_stands_in_for_are_unchanged():
    """framework_cache converts Structs itself only while json_format's Struct printer is the one it reproduces,
    and builds proxies lazily only while pulumi-policy's proxy is the one it builds on (protobuf is not pinned
    exactly: a change falls back to json_format, and fails here by name)."""
    import os
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "policies"))
    import framework_cache

    assert framework_cache._struct_printer_unchanged(), "google.protobuf.json_format's Struct printer changed"
    assert framework_cache._proxies_unchanged(), "pulumi_policy.proxy's _DictProxy or _proxy_helper changed"
