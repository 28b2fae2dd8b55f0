"""Update mode: every output a provider computes has a value of its declared shape, so programs that
read endpoints, certificates and URLs after a deploy run offline as well."""

from __future__ import annotations

import base64
import json
import os
import re
import time

import pytest

from preflight import fabricate
from preflight.runner import UNKNOWN, run_program

from .conftest import PROGRAMS

PROGRAM = os.path.join(PROGRAMS, "computed_outputs")


@pytest.fixture(scope="module")
def runs():
    return {mode: run_program(PROGRAM, "dev", mode) for mode in ("preview", "update")}


def test_preview_leaves_them_unknown(runs):
    r = runs["preview"]
    assert r.error is None, r.error
    assert set(r.outputs.values()) == {UNKNOWN}
    graph = r.get("aws:appsync/graphQLApi:GraphQLApi", "graph")
    assert graph.outputs["uris"] == UNKNOWN and graph.outputs["arn"] == UNKNOWN


def test_update_runs_a_program_that_reads_them(runs):
    r = runs["update"]
    assert r.error is None, r.error and r.error.details
    o = r.outputs
    api = r.get("aws:apigateway/restApi:RestApi", "api")
    assert re.fullmatch(r"[a-z0-9]{10}", api.id)
    assert o["executionArn"] == f"arn:aws:execute-api:eu-west-1:123456789012:{api.id}"
    assert o["invokeUrl"] == f"https://{api.id}.execute-api.eu-west-1.amazonaws.com/prod/items"
    assert r.get("aws:apigateway/resource:Resource", "items").inputs["parentId"] == api.outputs["rootResourceId"]
    assert r.get("aws:lambda/permission:Permission", "invoke").inputs["sourceArn"] == o["executionArn"] + "/*/*"
    assert r.get("aws:apigateway/stage:Stage", "prod").outputs["webAclArn"] == ""
    assert re.fullmatch(r"https://[a-z0-9]{26}\.appsync-api\.eu-west-1\.amazonaws\.com/graphql", o["graphqlUrl"])
    repo = r.get("aws:ecr/repository:Repository", "app")
    assert o["image"] == f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/{repo.id}:1.0.0"
    assert o["registry"] == "123456789012.dkr.ecr.eu-west-1.amazonaws.com"


def test_eks_cluster_endpoint_certificate_and_oidc_issuer(runs):
    r = runs["update"]
    cluster = r.get("aws:eks/cluster:Cluster", "main")
    assert cluster.outputs["arn"] == f"arn:aws:eks:eu-west-1:123456789012:cluster/{cluster.id}"
    cluster_cfg = json.loads(r.outputs["kubeconfig"])["clusters"][0]["cluster"]
    assert re.fullmatch(r"https://[0-9A-F]{32}\.gr7\.eu-west-1\.eks\.amazonaws\.com", cluster_cfg["server"])
    pem = base64.b64decode(cluster_cfg["certificate-authority-data"]).decode()
    assert pem.startswith("-----BEGIN CERTIFICATE-----\n") and pem.endswith("\n-----END CERTIFICATE-----\n")
    issuer = cluster.outputs["identities"][0]["oidcs"][0]["issuer"]
    assert re.fullmatch(r"https://oidc\.eks\.eu-west-1\.amazonaws\.com/id/[0-9A-F]{32}", issuer)
    assert r.outputs["oidcHost"] == "oidc.eks.eu-west-1.amazonaws.com"
    oidc = r.get("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "oidc")
    assert oidc.inputs["url"] == issuer
    assert oidc.id == "arn:aws:iam::123456789012:oidc-provider/" + issuer.split("://")[1]


def test_values_follow_the_declared_types(runs):
    cluster = runs["update"].get("aws:eks/cluster:Cluster", "main")
    assert isinstance(cluster.outputs["certificateAuthority"], dict)  # an object in pulumi-aws 7, not a list
    assert isinstance(cluster.outputs["identities"], list) and cluster.outputs["tagsAll"] == {}
    # Inputs the program did not set are not invented: the provider returns nothing for them either.
    assert "encryptionConfig" not in cluster.outputs and "version" not in cluster.outputs


def test_a_replication_group_gets_only_the_endpoint_of_its_mode(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "aws.elasticache.ReplicationGroup('rg', description='d', node_type='cache.t4g.micro', num_cache_clusters=2)\n")
    rg = run_program(tmp_path, "dev", "update").get("aws:elasticache/replicationGroup:ReplicationGroup", "rg")
    assert rg.outputs["primaryEndpointAddress"].startswith("master.")
    assert "configurationEndpointAddress" not in rg.outputs


def test_type_walk_is_cached_per_type(runs):
    cluster = runs["update"].get("aws:eks/cluster:Cluster", "main")
    start = time.perf_counter()
    for i in range(200):
        fabricate.fabricate("aws:eks/cluster:Cluster", f"c{i}", f"urn:{i}", {"roleArn": "r"}, "eu-west-1")
    assert time.perf_counter() - start < 2.0
    again = fabricate.fabricate("aws:eks/cluster:Cluster", "main", cluster.urn, cluster.inputs, "eu-west-1")
    assert again[0] == cluster.id


def test_references_to_other_resources_stay_empty(tmp_path):
    # A route's target instance or an address's association exists only if the program makes one: a
    # fabricated value would show a policy a NAT instance or an attachment that is not there.
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "aws.ec2.Route('r', route_table_id='rtb-1', destination_cidr_block='0.0.0.0/0', nat_gateway_id='nat-1')\n"
        "aws.ec2.Eip('ip', domain='vpc')\n")
    r = run_program(tmp_path, "dev", "update")
    route = r.get("aws:ec2/route:Route", "r")
    assert route.outputs["instanceId"] == "" and route.outputs["instanceOwnerId"] == ""
    assert r.get("aws:ec2/eip:Eip", "ip").outputs["associationId"] == ""
