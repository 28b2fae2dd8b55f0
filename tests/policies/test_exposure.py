"""Instance exposure beyond its case list (cases_exposure.py, run by test_policy_cases.py): after a deploy the provider
reports what AWS chose, and only what the program set may count as a public path."""
from pulumi_policy import StackValidationArgs
from pulumi_policy.proxy import unknown_checking_proxy

from .cases_exposure import stack
from .pk import POLICIES, policy_resources, ref


def _after_deploy(s, name, **reported):
    """The stack as AnalyzeStack sees it after an update, with outputs AWS reported for `name` added."""
    resources = policy_resources(s, "update")
    r = next(r for r in resources if r.name == name)
    r.props = unknown_checking_proxy(dict(dict(r.props), **reported))
    return resources


def _messages(resources):
    found = []
    POLICIES["no-public-ip-on-instances"].validate(StackValidationArgs(resources, {}),
                                                   lambda message, urn=None: found.append(message))
    return found


def test_reported_subnet_and_public_ip_of_a_private_instance_are_not_public_paths():
    resources = _after_deploy(stack(), "tools", associatePublicIpAddress=True, publicIp="")
    assert _messages(resources) == []


def test_the_default_subnet_aws_chose_does_not_hide_the_default_vpc():
    s = stack().drop("tools", "subnetId")
    resources = _after_deploy(s, "tools", subnetId="subnet-0default", associatePublicIpAddress=True)
    assert _messages(resources) == [
        "Instance 'tools' has no subnet, so it lands in the default VPC, whose subnets give every instance a public "
        "IP; set subnetId to a private subnet of the stack's VPC and sit behind the load balancer."]


def test_a_public_subnet_is_a_path_whatever_the_provider_reports():
    s = stack().set("tools", "subnetId", ref("public-a"))
    resources = _after_deploy(s, "tools", associatePublicIpAddress=True)
    assert _messages(resources) == [
        "Instance 'tools' gets a public IP from subnet 'public-a' (mapPublicIpOnLaunch); launch it in a private subnet "
        "(or set associatePublicIpAddress to false) and sit behind the load balancer."]
