"""Both private subnets egress through the NAT gateway of us-east-1a (aws.ec2.Route or inline routes)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
igw = aws.ec2.InternetGateway("igw", vpc_id=vpc.id)
public_rt = aws.ec2.RouteTable("public", vpc_id=vpc.id)
aws.ec2.Route("public-default", route_table_id=public_rt.id, destination_cidr_block="0.0.0.0/0", gateway_id=igw.id)
public = {}
for i, az in enumerate(["us-east-1a", "us-east-1b"]):
    z = az[-1]
    public[z] = aws.ec2.Subnet(f"public-{z}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
    aws.ec2.RouteTableAssociation(f"public-{z}", subnet_id=public[z].id, route_table_id=public_rt.id)
eip = aws.ec2.Eip("nat-a", domain="vpc")
nat_a = aws.ec2.NatGateway("nat-a", subnet_id=public["a"].id, allocation_id=eip.id)
for i, az in enumerate(["us-east-1a", "us-east-1b"]):
    z = az[-1]
    private = aws.ec2.Subnet(f"private-{z}", vpc_id=vpc.id, cidr_block=f"10.0.{10 + i}.0/24", availability_zone=az)
    if form == "current":
        rt = aws.ec2.RouteTable(f"private-{z}", vpc_id=vpc.id)
        aws.ec2.Route(f"private-{z}-default", route_table_id=rt.id, destination_cidr_block="0.0.0.0/0",
                      nat_gateway_id=nat_a.id)
    else:
        rt = aws.ec2.RouteTable(f"private-{z}", vpc_id=vpc.id,
                                routes=[{"cidr_block": "0.0.0.0/0", "nat_gateway_id": nat_a.id}])
    aws.ec2.RouteTableAssociation(f"private-{z}", subnet_id=private.id, route_table_id=rt.id)
