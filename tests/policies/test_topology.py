"""The graph queries several concerns share (rules/topology.py) and the words messages name resources with
(Node.describe), on the compliant stack and small changes to it."""
from .case_helpers import INSTANCE, bucket_v2_inline
from .fixtures import TOKENS, compliant
from .pk import policy_resources, ref

from rules import topology  # noqa: E402  (the pack is on sys.path through .pk)
from rules._graph import Graph, cannot_verify, mid_sentence  # noqa: E402


def graph(stack, mode="preview"):
    return Graph(policy_resources(stack, mode))


def node(g, name):
    return next(n for n in g.nodes if n.name == name)


def test_zones_of_a_group_a_load_balancer_and_the_web_tier():
    g = graph(compliant())
    assert topology.asg_zones(g, node(g, "web-asg"))[0] == ["us-east-1a", "us-east-1b"]
    assert topology.lb_zones(g, node(g, "alb"))[0] == ["us-east-1a", "us-east-1b"]
    assert [n.name for n in topology.web_groups(g)] == ["web-asg"]
    assert topology.web_zones(g) == ["us-east-1a", "us-east-1b"]
    assert topology.stack_azs(g) == ["us-east-1a", "us-east-1b"]


def test_a_subnet_of_another_stack_counts_as_its_own_unknown_az():
    g = graph(compliant().set("web-asg", "vpcZoneIdentifiers", [ref("private-a"), "subnet-0bbb"]))
    zones = topology.asg_zones(g, node(g, "web-asg"))[0]
    assert zones == ["us-east-1a", "<AZ of subnet-0bbb>"]
    assert topology.known_azs(zones) == ["us-east-1a"]


def test_private_subnets_egress_through_the_nat_gateway_of_their_own_az():
    g = graph(compliant())
    egress = {(s.name, tuple(n.name for n in r.nats)) for _, s, r in topology.private_egress(g)}
    assert {("private-a", ("natgw-a",)), ("private-b", ("natgw-b",))} <= egress
    assert topology.nat_az(g, node(g, "natgw-b")) == "us-east-1b"


def test_bucket_names_companions_and_versioning_in_every_form():
    g = graph(compliant())
    assets = node(g, "assets")
    assert topology.bucket_name(assets) == "shop-assets"
    assert topology.describe_bucket(assets) == "Bucket 'assets' (shop-assets)"
    assert [c.name for c in topology.companions(g, assets, "s3/bucketVersioning")] == ["assets-versioning"]
    assert topology.versioning_state(g, assets) == ("Enabled", node(g, "assets-versioning"))
    inline = graph(bucket_v2_inline(compliant(), "assets", versioned=False))
    assert topology.versioning_state(inline, node(inline, "assets")) == ("Disabled", node(inline, "assets"))


def test_messages_name_every_resource_kind_the_same_way():
    s = compliant().add(INSTANCE, "lone", {"subnetId": ref("private-a")})
    s.add(TOKENS["in"], "web-ssh", {"securityGroupId": ref("web-sg"), "cidrIpv4": "198.51.100.0/24"})
    g = graph(s)
    assert [node(g, n).describe() for n in ("lone", "web-sg", "web-ssh", "db", "cache", "web-lt")] == [
        "Instance 'lone'", "Security group 'web-sg'", "Security group rule 'web-ssh'", "RDS instance 'db'",
        "Cache cluster 'cache'", "Launch template 'web-lt'"]
    assert mid_sentence(topology.describe_bucket(node(g, "logs"))) == "bucket 'logs' (shop-logs)"
    assert cannot_verify(node(g, "db"), "multiAz") == (
        "RDS instance 'db' sets multiAz from a value that is unknown at preview, so it cannot be verified; set it "
        "from configuration or a literal.")
