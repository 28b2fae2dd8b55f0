"""No message prints the engine's unknown sentinel: during a first preview every ID and ARN is unknown, and a
message says "an id not known until deploy" or names the resource instead. Every policy runs over the preview of
every case the other tests build (the compliant stacks, each mutation and compliant variant, every case list)."""
import copy

import pytest
from pulumi_policy import ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs

from .case_lists import CASE_MODULES
from .fixtures import compliant, deprecated
from .pk import POLICIES, _opts, messages, policy_resources, ref, run_policy, unknown_checking_proxy

from framework_cache import applies_to  # noqa: E402  (the pack is on sys.path through .pk)
from rules._props import UNKNOWNS  # noqa: E402
from rules._secrets import stack_config  # noqa: E402

STACKS = [("compliant", compliant), ("deprecated", lambda: deprecated(compliant()))]
STACKS += [(f"{key}:{case[0]}/{case[1]}", (lambda mod, m: lambda: m(mod.stack()))(module, case[2]))
           for key, module in CASE_MODULES.items()
           for case in module.VIOLATING + module.COMPLIANT]


def every_message(s):
    """(policy, message) of every policy on the stack's first preview, the stack built once for all policies."""
    found = []
    wire = s.wire("preview")
    resources = policy_resources(s, "preview")
    with stack_config(s.config, s.secret_keys):
        for name, policy in POLICIES.items():
            def report(message, urn=None, name=name):
                found.append((name, message))
            if isinstance(policy, ResourceValidationPolicy):
                for w in wire:
                    if applies_to(policy, w["type"]):
                        policy.validate(ResourceValidationArgs(
                            w["type"], unknown_checking_proxy(copy.deepcopy(w["inputs"])), w["urn"], w["name"],
                            _opts(w), None, None), report)
            else:
                policy.validate(StackValidationArgs(resources, None), report)
    return found


def test_the_scan_sees_the_messages_of_every_kind_of_policy():
    s = compliant().set("db", "multiAz", False).set("web-tg", "healthCheck.path", "/")
    found = {policy for policy, _ in every_message(s)}
    assert {"rds-multi-az", "target-group-health-check-path"} <= found  # a stack and a resource policy
    assert every_message(compliant()) == []


@pytest.mark.parametrize("build", [b for _, b in STACKS], ids=[i for i, _ in STACKS])
def test_no_message_prints_the_unknown_sentinel(build):
    leaked = [(policy, message) for policy, message in every_message(build()) if any(u in message for u in UNKNOWNS)]
    assert leaked == []


def test_a_quoted_value_unknown_at_preview_reads_as_not_known_until_deploy():
    s = compliant().add("random:index/randomString:RandomString", "device", {"length": 3.0})
    s.add("aws:ec2/instance:Instance", "lone", {
        "ami": "ami-0123456789abcdef0", "instanceType": "t3.small", "subnetId": ref("private-a"),
        "metadataOptions": {"httpTokens": "required"}, "rootBlockDevice": {"encrypted": True},
        "ebsBlockDevices": [{"deviceName": ref("device", "/dev/sdf"), "encrypted": False}]})
    assert messages(run_policy("ebs-encrypted", s)) == [
        ("lone", "Instance 'lone' attaches unencrypted volume an id not known until deploy; set encrypted to true on it.")]
    assert messages(run_policy("ebs-encrypted", s, mode="update")) == [
        ("lone", "Instance 'lone' attaches unencrypted volume /dev/sdf; set encrypted to true on it.")]
