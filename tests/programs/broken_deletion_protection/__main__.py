"""A production stack whose database and load balancer can be deleted by accident (aws.lb or aws.alb)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
lb_module = aws.lb if form == "current" else aws.alb
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnets = [aws.ec2.Subnet(f"public-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
           for i, az in enumerate(["us-east-1a", "us-east-1b"])]
lb_module.LoadBalancer("web", load_balancer_type="application", subnets=[s.id for s in subnets],
                       enable_deletion_protection=False)
aws.rds.Instance("db", engine="mysql", instance_class="db.t3.medium", allocated_storage=20, multi_az=True,
                 username="shop", storage_encrypted=True, backup_retention_period=7,
                 final_snapshot_identifier="db-final", manage_master_user_password=True)
