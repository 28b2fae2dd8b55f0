import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
stack = pulumi.get_stack()
azs = aws.get_availability_zones(state="available").names[: cfg.require_int("azCount")]
vpc = aws.ec2.Vpc(f"{stack}-vpc", cidr_block="10.0.0.0/16")
subnets = [
    aws.ec2.Subnet(f"{stack}-data-{az}", vpc_id=vpc.id, availability_zone=az, cidr_block=f"10.0.{i}.0/24",
                   opts=pulumi.ResourceOptions(parent=vpc))
    for i, az in enumerate(azs)
]
aws.rds.Instance(
    f"{stack}-db",
    engine="mysql",
    instance_class=cfg.require("dbSize"),
    allocated_storage=20,
    multi_az=cfg.require_bool("multiAz"),
    backup_retention_period=cfg.require_int("retentionDays"),
    db_subnet_group_name=aws.rds.SubnetGroup(f"{stack}-db", subnet_ids=[s.id for s in subnets]).name,
)
