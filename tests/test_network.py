"""The network tier, for both stacks in both runner modes.

Resources are linked through property dependencies rather than IDs: in preview mode (a first
`pulumi preview` of a new stack) every ID is unknown, and the links must still hold.
"""

import ipaddress
from itertools import combinations


from tests.conftest import linked

AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]




def subnets_by_tier(run):
    tiers = {"public": {}, "private": {}, "data": {}}
    for subnet in run.find("aws:ec2/subnet:Subnet"):
        tiers[subnet.inputs["tags"]["Tier"]][subnet.inputs["availabilityZone"]] = subnet
    return tiers


def test_the_network_component_has_its_type_token_and_owns_its_children(run):
    network = run.find("ecommerce:network:Network")
    assert len(network) == 1
    vpc = run.get("aws:ec2/vpc:Vpc", f"{network[0].name}-vpc")
    assert vpc.parent == network[0].urn
    assert vpc.inputs["enableDnsSupport"] is True and vpc.inputs["enableDnsHostnames"] is True
    assert all(r.parent == network[0].urn for r in run.children(network[0]))
    assert len(run.children(network[0])) > 30


def test_every_az_has_a_public_private_and_data_subnet_inside_the_vpc_and_disjoint(run):
    vpc = run.find("aws:ec2/vpc:Vpc")[0]
    vpc_net = ipaddress.IPv4Network(vpc.inputs["cidrBlock"])
    tiers = subnets_by_tier(run)
    cidrs = []
    for tier, subnets in tiers.items():
        assert sorted(subnets) == AZS, tier
        for az, subnet in subnets.items():
            assert linked(subnet, "vpcId") == {vpc.urn}
            assert subnet.inputs["mapPublicIpOnLaunch"] is False
            assert subnet.name.endswith(f"-{tier}-{az}")
            cidrs.append(ipaddress.IPv4Network(subnet.inputs["cidrBlock"]))
    assert all(c.subnet_of(vpc_net) for c in cidrs)
    assert not any(a.overlaps(b) for a, b in combinations(cidrs, 2))


def test_one_nat_gateway_per_az_in_that_azs_public_subnet_with_its_own_eip(run):
    tiers = subnets_by_tier(run)
    nats = run.find("aws:ec2/natGateway:NatGateway")
    assert len(nats) == len(AZS)
    public_urns = {s.urn: az for az, s in tiers["public"].items()}
    eips = {e.urn for e in run.find("aws:ec2/eip:Eip")}
    azs_with_nat = set()
    for nat in nats:
        (subnet_urn,) = linked(nat, "subnetId")
        azs_with_nat.add(public_urns[subnet_urn])
        assert linked(nat, "allocationId") <= eips and len(linked(nat, "allocationId")) == 1
        assert nat.inputs["connectivityType"] == "public"
    assert azs_with_nat == set(AZS)


def _route_tables_of(run, subnet):
    assoc = [a for a in run.find("aws:ec2/routeTableAssociation:RouteTableAssociation")
             if linked(a, "subnetId") == {subnet.urn}]
    assert len(assoc) == 1, subnet.name
    return linked(assoc[0], "routeTableId")


def _default_routes(run, route_table_urn):
    return [r for r in run.find("aws:ec2/route:Route")
            if linked(r, "routeTableId") == {route_table_urn} and r.inputs.get("destinationCidrBlock") == "0.0.0.0/0"]


def test_each_private_route_table_sends_default_traffic_to_the_nat_of_its_own_az(run):
    tiers = subnets_by_tier(run)
    nat_az = {}
    for nat in run.find("aws:ec2/natGateway:NatGateway"):
        (subnet_urn,) = linked(nat, "subnetId")
        nat_az[nat.urn] = run.by_urn(subnet_urn).inputs["availabilityZone"]
    tables = set()
    for az, subnet in tiers["private"].items():
        (table,) = _route_tables_of(run, subnet)
        tables.add(table)
        (route,) = _default_routes(run, table)
        (nat,) = linked(route, "natGatewayId")
        assert nat_az[nat] == az
        assert "gatewayId" not in route.inputs
    assert len(tables) == len(AZS), "one private route table per AZ"


def test_data_subnets_have_no_route_out_of_the_vpc(run):
    for subnet in subnets_by_tier(run)["data"].values():
        (table,) = _route_tables_of(run, subnet)
        assert not [r for r in run.find("aws:ec2/route:Route") if linked(r, "routeTableId") == {table}]
        assert run.by_urn(table).inputs.get("routes") in (None, [])


def test_public_subnets_route_to_the_internet_gateway(run):
    igw = run.find("aws:ec2/internetGateway:InternetGateway")[0]
    for subnet in subnets_by_tier(run)["public"].values():
        (table,) = _route_tables_of(run, subnet)
        (route,) = _default_routes(run, table)
        assert linked(route, "gatewayId") == {igw.urn}


def test_s3_gateway_endpoint_serves_every_private_route_table(run):
    (endpoint,) = [e for e in run.find("aws:ec2/vpcEndpoint:VpcEndpoint") if e.name.endswith("-s3")]
    assert endpoint.inputs["vpcEndpointType"] == "Gateway"
    assert endpoint.inputs["serviceName"] == "com.amazonaws.eu-west-1.s3"
    private_tables = {_route_tables_of(run, s).pop() for s in subnets_by_tier(run)["private"].values()}
    assert linked(endpoint, "routeTableIds") == private_tables


def test_default_security_group_is_stripped_of_every_rule(run):
    (default_sg,) = run.find("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert default_sg.inputs["ingress"] == [] and default_sg.inputs["egress"] == []
    assert linked(default_sg, "vpcId") == {run.find("aws:ec2/vpc:Vpc")[0].urn}


def test_flow_logs_go_to_a_log_group_with_retention(run):
    (flow_log,) = run.find("aws:ec2/flowLog:FlowLog")
    assert flow_log.inputs["trafficType"] == "ALL"
    assert flow_log.inputs["logDestinationType"] == "cloud-watch-logs"
    (group_urn,) = linked(flow_log, "logDestination")
    group = run.by_urn(group_urn)
    assert group.type == "aws:cloudwatch/logGroup:LogGroup"
    expected = {"staging": 30, "prod": 365}[run.stack]
    assert group.inputs["retentionInDays"] == expected
    (key_urn,) = linked(group, "kmsKeyId")
    assert run.by_urn(key_urn).type == "aws:kms/key:Key"
    (role_urn,) = linked(flow_log, "iamRoleArn")
    assert "vpc-flow-logs.amazonaws.com" in run.by_urn(role_urn).inputs["assumeRolePolicy"]


def test_azs_come_from_the_available_zones_invoke(run):
    calls = [i for i in run.invokes if i.token == "aws:index/getAvailabilityZones:getAvailabilityZones"]
    assert calls and calls[0].args.get("state") == "available"


def test_an_explicit_az_list_is_used_as_given(portal_run):
    result = portal_run("staging", "preview", overrides={"portal:availabilityZones": '["eu-west-1b", "eu-west-1c"]'})
    assert result.error is None, result.error
    tiers = subnets_by_tier(result)
    assert sorted(tiers["private"]) == ["eu-west-1b", "eu-west-1c"]
    # The b and c subnets keep the CIDRs they have in a three-AZ stack.
    full = subnets_by_tier(portal_run("staging", "preview"))
    for tier in tiers:
        for az in ("eu-west-1b", "eu-west-1c"):
            assert tiers[tier][az].inputs["cidrBlock"] == full[tier][az].inputs["cidrBlock"]
            assert tiers[tier][az].urn == full[tier][az].urn


def test_outputs_key_subnet_ids_by_az_name(portal_run):
    result = portal_run("prod", "update")
    assert result.outputs["vpcId"].startswith("vpc-")
    for key in ("publicSubnetIds", "privateSubnetIds", "dataSubnetIds"):
        assert sorted(result.outputs[key]) == AZS
        assert all(v.startswith("subnet-") for v in result.outputs[key].values())


def test_invalid_settings_fail_the_program_with_every_problem(portal_run):
    result = portal_run("staging", "preview", overrides={"portal:azCount": "1", "portal:vpcCidr": "8.8.0.0/16"})
    assert result.error is not None
    assert "portal:azCount = 1: the portal must survive the loss of an Availability Zone" in result.error.message \
        or "portal:azCount = 1" in (result.error.details or "")
    text = result.error.message + (result.error.details or "")
    assert "portal:vpcCidr = 8.8.0.0/16" in text


def test_public_subnets_are_dual_stack_so_the_load_balancer_answers_aaaa(run):
    vpc = run.find("aws:ec2/vpc:Vpc")[0]
    assert vpc.inputs["assignGeneratedIpv6CidrBlock"] is True
    tiers = subnets_by_tier(run)
    for az, subnet in tiers["public"].items():
        assert linked(subnet, "ipv6CidrBlock") == {vpc.urn}
        assert subnet.inputs["assignIpv6AddressOnCreation"] is False
    for tier in ("private", "data"):
        assert all("ipv6CidrBlock" not in s.inputs for s in tiers[tier].values())
    if run.mode == "update":
        blocks = {ipaddress.IPv6Network(s.inputs["ipv6CidrBlock"]) for s in tiers["public"].values()}
        vpc_block = ipaddress.IPv6Network(vpc.outputs["ipv6CidrBlock"])
        assert len(blocks) == len(AZS) and all(b.prefixlen == 64 and b.subnet_of(vpc_block) for b in blocks)
    igw = run.find("aws:ec2/internetGateway:InternetGateway")[0]
    (table,) = _route_tables_of(run, tiers["public"]["eu-west-1a"])
    v6 = [r for r in run.find("aws:ec2/route:Route")
          if linked(r, "routeTableId") == {table} and r.inputs.get("destinationIpv6CidrBlock") == "::/0"]
    assert len(v6) == 1 and linked(v6[0], "gatewayId") == {igw.urn}


ENDPOINT_SERVICES = {"ssm", "ssmmessages", "ec2messages", "secretsmanager", "logs", "monitoring"}


def test_a_nat_outage_does_not_cut_ssm_secrets_or_cloudwatch_from_the_web_subnets(run):
    """Interface endpoints with private DNS in every private subnet, admitting HTTPS from the VPC only."""
    vpc = run.find("aws:ec2/vpc:Vpc")[0]
    private = {s.urn for s in subnets_by_tier(run)["private"].values()}
    endpoints = {e.inputs["serviceName"].rsplit(".", 1)[1]: e for e in run.find("aws:ec2/vpcEndpoint:VpcEndpoint")
                 if e.inputs["vpcEndpointType"] == "Interface"}
    assert set(endpoints) == ENDPOINT_SERVICES
    (group,) = [g for g in run.find("aws:ec2/securityGroup:SecurityGroup") if g.name.endswith("-endpoints")]
    assert linked(group, "vpcId") == {vpc.urn}
    assert not group.inputs.get("ingress") and not group.inputs.get("egress")
    rules = [r for r in run.find("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
             if linked(r, "securityGroupId") == {group.urn}]
    assert [(r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"], r.inputs["cidrIpv4"])
            for r in rules] == [("tcp", 443.0, 443.0, vpc.inputs["cidrBlock"])]
    for service, endpoint in endpoints.items():
        assert endpoint.inputs["serviceName"] == f"com.amazonaws.eu-west-1.{service}"
        assert endpoint.inputs["privateDnsEnabled"] is True
        assert linked(endpoint, "vpcId") == {vpc.urn}
        assert linked(endpoint, "subnetIds") == private, service
        assert linked(endpoint, "securityGroupIds") == {group.urn}


def test_interface_endpoints_can_be_switched_off(portal_run):
    result = portal_run("staging", "preview", overrides={"portal:interfaceEndpoints": "false"})
    assert result.error is None, result.error and result.error.details
    assert [e.inputs["vpcEndpointType"] for e in result.find("aws:ec2/vpcEndpoint:VpcEndpoint")] == ["Gateway"]
    assert not [g for g in result.find("aws:ec2/securityGroup:SecurityGroup") if g.name.endswith("-endpoints")]


def test_staging_and_prod_have_disjoint_vpc_ranges_so_they_can_be_peered(portal_run):
    ranges = {}
    for stack in ("staging", "prod"):
        result = portal_run(stack, "preview")
        assert result.error is None, result.error and result.error.details
        ranges[stack] = ipaddress.IPv4Network(result.find("aws:ec2/vpc:Vpc")[0].inputs["cidrBlock"])
    assert ranges == {"staging": ipaddress.IPv4Network("10.41.0.0/16"), "prod": ipaddress.IPv4Network("10.40.0.0/16")}
    assert not ranges["staging"].overlaps(ranges["prod"])
