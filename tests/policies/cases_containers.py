"""The container rules' cases: a compliant ECS/EKS/ECR stack, compliant variants, and one mutation per way to
violate each policy with its exact messages.

A case is (policy, case id, mutate, config, expected); expected is a list of (resource, message), the same in
preview and update mode, or {"preview": [...], "update": [...]} where a value is unknown at preview.
"""
import json

from .fixtures import compliant
from .pk import ref

TOKENS = {
    "ecs": "aws:ecs/cluster:Cluster", "task": "aws:ecs/taskDefinition:TaskDefinition",
    "svc": "aws:ecs/service:Service", "target": "aws:appautoscaling/target:Target",
    "eks": "aws:eks/cluster:Cluster", "nodes": "aws:eks/nodeGroup:NodeGroup",
    "repo": "aws:ecr/repository:Repository", "repo-policy": "aws:ecr/repositoryPolicy:RepositoryPolicy",
    "template": "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
    "sg": "aws:ec2/securityGroup:SecurityGroup", "tg": "aws:lb/targetGroup:TargetGroup", "kms": "aws:kms/key:Key",
    "component": "awsx:ec2:Vpc",
}
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:shop/db-AbCdEf"
PULL_ONLY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "OrgPull", "Effect": "Allow", "Principal": "*",
     "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}},
    {"Sid": "CiPush", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
     "Action": ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]}]}


def containers(env=None, secrets=None):
    return json.dumps([{
        "name": "app", "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2", "essential": True,
        "portMappings": [{"containerPort": 8080}],
        "environment": env if env is not None else [
            {"name": "DB_HOST", "value": "db.internal"},
            {"name": "DB_PASSWORD_SECRET_ARN", "value": SECRET_ARN},
            {"name": "SESSION_TOKEN_TTL", "value": "3600"},
            {"name": "REQUIRE_API_KEY", "value": "true"},
            {"name": "STRIPE_API_KEY", "value": ""}],
        "secrets": secrets if secrets is not None else [{"name": "DB_PASSWORD", "valueFrom": SECRET_ARN}]}])


def stack(name="prod"):
    s = compliant(name)
    s.add(TOKENS["sg"], "app-sg", {"vpcId": ref("vpc"), "description": "App tasks: the app port from the ALB",
                                   "ingress": [{"fromPort": 8080.0, "toPort": 8080.0, "protocol": "tcp",
                                                "securityGroups": [ref("alb-sg")], "description": "from the ALB"}],
                                   "egress": [{"fromPort": 0.0, "toPort": 0.0, "protocol": "-1",
                                               "cidrBlocks": ["0.0.0.0/0"], "description": "AWS APIs via NAT"}]})
    s.add(TOKENS["tg"], "app-tg", {"port": 8080.0, "protocol": "HTTP", "vpcId": ref("vpc"), "targetType": "ip",
                                   "healthCheck": {"path": "/healthz", "matcher": "200"}})
    s.add(TOKENS["ecs"], "ecs", {"name": "shop"})
    s.add(TOKENS["task"], "app-task", {"family": "app", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
                                       "cpu": "512", "memory": "1024", "containerDefinitions": containers()})
    s.add(TOKENS["svc"], "app-svc", {"cluster": ref("ecs"), "taskDefinition": ref("app-task"), "launchType": "FARGATE",
                                     "desiredCount": 2.0,
                                     "networkConfiguration": {"subnets": [ref("private-a"), ref("private-b")],
                                                              "securityGroups": [ref("app-sg")],
                                                              "assignPublicIp": False},
                                     "loadBalancers": [{"targetGroupArn": ref("app-tg"), "containerName": "app",
                                                        "containerPort": 8080.0}]})
    s.add(TOKENS["kms"], "eks-key", {"enableKeyRotation": True, "description": "EKS secrets"})
    s.add(TOKENS["eks"], "eks", {"roleArn": "arn:aws:iam::111122223333:role/eks",
                                 "vpcConfig": {"subnetIds": [ref("private-a"), ref("private-b")],
                                               "endpointPublicAccess": False, "endpointPrivateAccess": True},
                                 "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": ref("eks-key")}}})
    s.add(TOKENS["nodes"], "eks-nodes", {"clusterName": ref("eks"), "nodeRoleArn": "arn:aws:iam::111122223333:role/node",
                                         "subnetIds": [ref("private-a"), ref("private-b")],
                                         "scalingConfig": {"minSize": 2.0, "maxSize": 6.0, "desiredSize": 2.0}})
    s.add(TOKENS["repo"], "app-repo", {"name": "app", "imageTagMutability": "IMMUTABLE"})
    s.add(TOKENS["repo-policy"], "app-repo-policy", {"repository": ref("app-repo"), "policy": json.dumps(PULL_ONLY)})
    return s


def _policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _scaling(s, low):
    return s.add(TOKENS["target"], "app-scaling", {"serviceNamespace": "ecs", "scalableDimension": "ecs:service:DesiredCount",
                                                   "resourceId": ref("app-svc", "service/shop/app-svc"),
                                                   "minCapacity": low, "maxCapacity": 6.0})


def _public_tasks(s):
    s.set("app-svc", "networkConfiguration.assignPublicIp", True)
    return s.set("app-sg", "ingress", [{"fromPort": 8080.0, "toPort": 8080.0, "protocol": "tcp",
                                        "cidrBlocks": ["0.0.0.0/0"], "description": "app port"}])


_SVC_TWO = ("ECS service 'app-svc' runs desiredCount 1 task(s); set desiredCount to at least 2 so losing a task or "
            "an AZ does not stop the service.")
_SVC_ONE_AZ = ("ECS service 'app-svc' places its tasks in 1 AZ (us-east-1a); give networkConfiguration.subnets "
               "subnets in at least 2 Availability Zones.")
_SVC_UNRESOLVED = ("ECS service 'app-svc' has subnets that cannot be resolved through the stack graph; pass subnets "
                   "created in this stack (or literal subnet IDs) in networkConfiguration.subnets.")
_PUBLIC = ("ECS service 'app-svc' sits behind a load balancer, but its tasks get public IPs (assignPublicIp) and "
           "security group 'app-sg' admits port 8080 from {world}, so the internet reaches the tasks around the load "
           "balancer; set assignPublicIp to false (private subnets with a NAT gateway) and admit only the load "
           "balancer's security group.")
_ENV = ("ECS task definition 'app-task' passes {names} to container '{container}' as plain environment variables, "
        "readable by anyone who can describe the task definition; move them to the container's secrets (valueFrom a "
        "Secrets Manager secret or an SSM SecureString parameter).")
_ECR = ("{what} lets any principal (\"*\") {verb} images ({actions}) with no condition restricting the caller, so "
        "anyone can replace or remove what the services deploy; grant those actions to the publishing role or "
        "account only, or add a condition such as aws:PrincipalOrgID.")
_ENDPOINT = ("EKS cluster 'eks' serves the Kubernetes API on a public endpoint open to the whole internet ({why}); "
             "set vpcConfig.endpointPublicAccess to false with endpointPrivateAccess true, or restrict "
             "publicAccessCidrs to the networks that administer the cluster.")
_KMS = ("EKS cluster 'eks' does not envelope-encrypt Kubernetes secrets with a KMS key of its own (since 1.28 EKS "
        "uses an AWS-owned key, whose use you cannot audit, rotate or revoke); add encryptionConfig with resources "
        "[\"secrets\"] and provider.keyArn of a customer-managed KMS key.")
_PUSH = "ecr:PutImage, ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload"

VIOLATING = [
    # --- ecs-service-multi-az ---
    ("ecs-service-multi-az", "one-task", lambda s: s.set("app-svc", "desiredCount", 1.0), None,
     [("app-svc", _SVC_TWO)]),
    ("ecs-service-multi-az", "count-unset-is-zero", lambda s: s.drop("app-svc", "desiredCount"), None,
     [("app-svc", "ECS service 'app-svc' sets no desiredCount, which defaults to 0 tasks; set desiredCount to at "
                  "least 2 so losing a task or an AZ does not stop the service.")]),
    ("ecs-service-multi-az", "one-subnet", lambda s: s.set("app-svc", "networkConfiguration.subnets",
                                                           [ref("private-a")]), None, [("app-svc", _SVC_ONE_AZ)]),
    ("ecs-service-multi-az", "two-subnets-one-az", lambda s: s.set("private-b", "availabilityZone", "us-east-1a"),
     None, [("app-svc", _SVC_ONE_AZ)]),
    ("ecs-service-multi-az", "one-literal-subnet",
     lambda s: s.set("app-svc", "networkConfiguration.subnets", ["subnet-0aaa"]), None,
     [("app-svc", "ECS service 'app-svc' places its tasks in 1 AZ (<AZ of subnet-0aaa>); give "
                  "networkConfiguration.subnets subnets in at least 2 Availability Zones.")]),
    ("ecs-service-multi-az", "scaling-floor-one", lambda s: _scaling(s, 1.0), None,
     [("app-svc", "ECS service 'app-svc' can scale in to 1 task(s): its scaling target 'app-scaling' has "
                  "minCapacity 1; set minCapacity to at least 2 so losing a task or an AZ does not stop the service.")]),
    ("ecs-service-multi-az", "count-unknown",
     lambda s: s.add("random:index/randomInteger:RandomInteger", "n", {"min": 1.0, "max": 3.0}).set(
         "app-svc", "desiredCount", ref("n", 2.0)), None,
     {"preview": [("app-svc", "ECS service 'app-svc' sets desiredCount from a value that is unknown at preview, so "
                              "it cannot be verified; set it from configuration or a literal.")], "update": []}),
    ("ecs-service-multi-az", "subnets-of-a-component-unknown-at-preview",
     lambda s: s.add(TOKENS["component"], "network", {}).set(
         "app-svc", "networkConfiguration.subnets", [ref("network", "subnet-0aaa"), ref("network", "subnet-0bbb")]),
     None, {"preview": [("app-svc", _SVC_UNRESOLVED)], "update": []}),
    # --- ecs-tasks-private-behind-load-balancer ---
    ("ecs-tasks-private-behind-load-balancer", "public-ip-and-world-sg", _public_tasks, None,
     [("app-svc", _PUBLIC.format(world="0.0.0.0/0"))]),
    ("ecs-tasks-private-behind-load-balancer", "ipv6-world-rule-resource",
     lambda s: s.set("app-svc", "networkConfiguration.assignPublicIp", True).add(
         "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app-v6", {
             "securityGroupId": ref("app-sg"), "cidrIpv6": "::/0", "fromPort": 8080.0, "toPort": 8080.0,
             "ipProtocol": "tcp", "description": "app port"}), None,
     [("app-svc", _PUBLIC.format(world="::/0"))]),
    # --- ecs-no-secrets-in-environment ---
    ("ecs-no-secrets-in-environment", "password-in-environment",
     lambda s: s.set("app-task", "containerDefinitions", containers(env=[
         {"name": "DB_HOST", "value": "db.internal"}, {"name": "DB_PASSWORD", "value": "correct-horse-battery"},
         {"name": "stripe-api-key", "value": "sk_live_51Habc"}])), None,
     [("app-task", _ENV.format(names="DB_PASSWORD, stripe-api-key", container="app"))]),
    ("ecs-no-secrets-in-environment", "url-with-password",
     lambda s: s.set("app-task", "containerDefinitions", containers(env=[
         {"name": "DATABASE_URL", "value": "mysql://shop:hunter22@db.internal:3306/shop"}])), None,
     [("app-task", _ENV.format(names="DATABASE_URL", container="app"))]),
    ("ecs-no-secrets-in-environment", "built-from-outputs",
     lambda s: s.add("random:index/randomPassword:RandomPassword", "jwt", {"length": 32.0}).set(
         "app-task", "containerDefinitions", ref("jwt", containers(env=[{"name": "JWT_SECRET", "value": "x9!Qa"}]))),
     None, {"preview": [], "update": [("app-task", _ENV.format(names="JWT_SECRET", container="app"))]}),
    # --- eks-node-group-multi-az ---
    ("eks-node-group-multi-az", "one-subnet", lambda s: s.set("eks-nodes", "subnetIds", [ref("private-a")]), None,
     [("eks-nodes", "EKS node group 'eks-nodes' spans 1 AZ (us-east-1a); give subnetIds subnets in at least 2 "
                    "Availability Zones.")]),
    ("eks-node-group-multi-az", "min-below-azs", lambda s: s.set("eks-nodes", "scalingConfig.minSize", 1.0), None,
     [("eks-nodes", "EKS node group 'eks-nodes' has scalingConfig.minSize 1 but spans 2 AZs; set minSize to at "
                    "least 2 so every AZ keeps a node.")]),
    ("eks-node-group-multi-az", "scale-to-zero", lambda s: s.set("eks-nodes", "scalingConfig.minSize", 0.0), None,
     [("eks-nodes", "EKS node group 'eks-nodes' has scalingConfig.minSize 0 but spans 2 AZs; set minSize to at "
                    "least 2 so every AZ keeps a node.")]),
    # --- eks-endpoint-not-public ---
    ("eks-endpoint-not-public", "public-default-cidrs",
     lambda s: s.drop("eks", "vpcConfig.endpointPublicAccess"), None,
     [("eks", _ENDPOINT.format(why="publicAccessCidrs unset, which means 0.0.0.0/0"))]),
    ("eks-endpoint-not-public", "public-world-cidr",
     lambda s: s.set("eks", "vpcConfig.endpointPublicAccess", True).set(
         "eks", "vpcConfig.publicAccessCidrs", ["203.0.113.0/24", "0.0.0.0/0"]), None,
     [("eks", _ENDPOINT.format(why="publicAccessCidrs 0.0.0.0/0"))]),
    # --- eks-secrets-encrypted ---
    ("eks-secrets-encrypted", "no-encryption-config", lambda s: s.drop("eks", "encryptionConfig"), None,
     [("eks", _KMS)]),
    ("eks-secrets-encrypted", "no-key", lambda s: s.drop("eks", "encryptionConfig.provider"), None,
     [("eks", _KMS)]),
    # --- ecr-repository-policy-not-public ---
    ("ecr-repository-policy-not-public", "everyone-push",
     lambda s: s.set("app-repo-policy", "policy", _policy({"Effect": "Allow", "Principal": "*", "Action": [
         "ecr:BatchGetImage", "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
         "ecr:CompleteLayerUpload"]})), None,
     [("app-repo-policy", _ECR.format(what="ECR repository policy 'app-repo-policy'", verb="push", actions=_PUSH))]),
    ("ecr-repository-policy-not-public", "aws-star-all-actions",
     lambda s: s.set("app-repo-policy", "policy", _policy({"Effect": "Allow", "Principal": {"AWS": ["*"]},
                                                           "Action": "ecr:*"})), None,
     [("app-repo-policy", _ECR.format(what="ECR repository policy 'app-repo-policy'", verb="push and delete",
                                      actions=_PUSH + ", ecr:BatchDeleteImage, ecr:DeleteRepository"))]),
    ("ecr-repository-policy-not-public", "delete-with-if-exists-condition",
     lambda s: s.set("app-repo-policy", "policy", _policy({
         "Effect": "Allow", "Principal": "*", "Action": "ecr:BatchDeleteImage",
         "Condition": {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-0abc"}}})), None,
     [("app-repo-policy", _ECR.format(what="ECR repository policy 'app-repo-policy'", verb="delete",
                                      actions="ecr:BatchDeleteImage"))]),
    ("ecr-repository-policy-not-public", "wildcard-pattern-dict-policy",
     lambda s: s.set("app-repo-policy", "policy", {"Version": "2012-10-17", "Statement": [
         {"Effect": "Allow", "Principal": "*", "Action": "ecr:Put*"}]}), None,
     [("app-repo-policy", _ECR.format(what="ECR repository policy 'app-repo-policy'", verb="push",
                                      actions="ecr:PutImage"))]),
    ("ecr-repository-policy-not-public", "creation-template",
     lambda s: s.add(TOKENS["template"], "pull-through", {"prefix": "ROOT", "appliedFors": ["PULL_THROUGH_CACHE"],
                                                          "repositoryPolicy": _policy({
                                                              "Effect": "Allow", "Principal": "*",
                                                              "NotAction": ["ecr:SetRepositoryPolicy"]})}), None,
     [("pull-through", _ECR.format(what="ECR repository creation template 'pull-through'", verb="push and delete",
                                   actions=_PUSH + ", ecr:BatchDeleteImage, ecr:DeleteRepository"))]),
]

COMPLIANT = [
    ("ecs-service-multi-az", "daemon-service",
     lambda s: s.drop("app-svc", "desiredCount").set("app-svc", "schedulingStrategy", "DAEMON"), None),
    ("ecs-service-multi-az", "scaling-floor-two", lambda s: _scaling(s.set("app-svc", "desiredCount", 1.0), 2.0), None),
    ("ecs-service-multi-az", "bridge-networking-no-subnets", lambda s: s.drop("app-svc", "networkConfiguration"), None),
    ("ecs-service-multi-az", "literal-subnets-of-another-stack",
     lambda s: s.set("app-svc", "networkConfiguration.subnets", ["subnet-0aaa", "subnet-0bbb"]), None),
    ("ecs-service-multi-az", "one-graph-subnet-one-literal",
     lambda s: s.set("app-svc", "networkConfiguration.subnets", [ref("private-a"), "subnet-0bbb"]), None),
    ("ecs-tasks-private-behind-load-balancer", "public-ip-sg-from-alb-only",
     lambda s: s.set("app-svc", "networkConfiguration.assignPublicIp", True), None),
    ("ecs-tasks-private-behind-load-balancer", "world-sg-private-ip",
     lambda s: _public_tasks(s).set("app-svc", "networkConfiguration.assignPublicIp", False), None),
    ("ecs-tasks-private-behind-load-balancer", "public-worker-without-load-balancer",
     lambda s: _public_tasks(s).drop("app-svc", "loadBalancers"), None),
    ("ecs-no-secrets-in-environment", "secrets-and-harmless-names", lambda s: s, None),
    ("ecs-no-secrets-in-environment", "no-environment", lambda s: s.set("app-task", "containerDefinitions",
                                                                        json.dumps([{"name": "app", "image": "x"}])),
     None),
    ("eks-node-group-multi-az", "three-azs-min-three",
     lambda s: s.add("aws:ec2/subnet:Subnet", "private-c", {"vpcId": ref("vpc"), "availabilityZone": "us-east-1c",
                                                            "cidrBlock": "10.0.12.0/24"}).set(
         "eks-nodes", "subnetIds", [ref("private-a"), ref("private-b"), ref("private-c")]).set(
         "eks-nodes", "scalingConfig.minSize", 3.0), None),
    ("eks-endpoint-not-public", "public-restricted-cidrs",
     lambda s: s.set("eks", "vpcConfig.endpointPublicAccess", True).set(
         "eks", "vpcConfig.publicAccessCidrs", ["203.0.113.0/24"]), None),
    ("eks-secrets-encrypted", "list-form", lambda s: s.set("eks", "encryptionConfig", [
        {"resources": ["secrets"], "provider": {"keyArn": "arn:aws:kms:us-east-1:111122223333:key/abc"}}]), None),
    ("ecr-repository-policy-not-public", "org-condition-push",
     lambda s: s.set("app-repo-policy", "policy", _policy({
         "Effect": "Allow", "Principal": "*", "Action": "ecr:*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}})), None),
    ("ecr-repository-policy-not-public", "deny-outside-org",
     lambda s: s.set("app-repo-policy", "policy", _policy(
         {"Effect": "Allow", "Principal": "*", "Action": ["ecr:PutImage", "ecr:BatchDeleteImage"]},
         {"Effect": "Deny", "Principal": "*", "Action": "ecr:*",
          "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}}})), None),
    ("ecr-repository-policy-not-public", "everyone-pull-only",
     lambda s: s.set("app-repo-policy", "policy", _policy({
         "Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]})), None),
    ("ecr-repository-policy-not-public", "policy-unknown-at-preview",
     lambda s: s.set("app-repo-policy", "policy", ref("app-repo", json.dumps(PULL_ONLY))), None),
]
