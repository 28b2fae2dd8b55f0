"""Breaks the container rules: an ECS service (form current) and an EKS node group with a public ECR policy
(form alternative), each otherwise well configured so that only those rules fire."""
import json

import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
a, b = (aws.ec2.Subnet(f"app-{az[-1]}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=az)
        for i, az in enumerate(["us-east-1a", "us-east-1b"]))
if form == "current":
    tasks_sg = aws.ec2.SecurityGroup("tasks", vpc_id=vpc.id, description="app tasks", ingress=[{
        "from_port": 8080, "to_port": 8080, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "description": "app"}])
    tg = aws.lb.TargetGroup("web", port=8080, protocol="HTTP", vpc_id=vpc.id, target_type="ip", health_check={
        "enabled": True, "path": "/healthz", "matcher": "200", "interval": 10, "timeout": 5,
        "healthy_threshold": 2, "unhealthy_threshold": 2})
    cluster = aws.ecs.Cluster("shop")
    task = aws.ecs.TaskDefinition(
        "web", family="web", network_mode="awsvpc", requires_compatibilities=["FARGATE"], cpu="256", memory="512",
        container_definitions=json.dumps([{"name": "app", "image": "nginx:1.27", "essential": True,
                                           "environment": [{"name": "DB_PASSWORD", "value": "correct-horse"}]}]))
    aws.ecs.Service("web", cluster=cluster.arn, task_definition=task.arn, launch_type="FARGATE", desired_count=1,
                    network_configuration={"subnets": [a.id], "security_groups": [tasks_sg.id],
                                           "assign_public_ip": True},
                    load_balancers=[{"target_group_arn": tg.arn, "container_name": "app", "container_port": 8080}])
else:
    key = aws.kms.Key("eks", enable_key_rotation=True)
    eks = aws.eks.Cluster("eks", role_arn="arn:aws:iam::111122223333:role/eks",
                          vpc_config={"subnet_ids": [a.id, b.id], "endpoint_public_access": False,
                                      "endpoint_private_access": True},
                          encryption_config={"resources": ["secrets"], "provider": {"key_arn": key.arn}})
    aws.eks.NodeGroup("nodes", cluster_name=eks.name, node_role_arn="arn:aws:iam::111122223333:role/node",
                      subnet_ids=[a.id, b.id], scaling_config={"min_size": 1, "max_size": 4, "desired_size": 2})
    repo = aws.ecr.Repository("app", image_tag_mutability="IMMUTABLE")
    aws.ecr.RepositoryPolicy("app", repository=repo.name, policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage", "ecr:PutImage"]}]}))
