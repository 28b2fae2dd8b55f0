"""Builders the case lists share: resources the compliant stack lacks (a stand-alone instance, a Classic load
balancer, an Aurora cluster), other ways of writing what it has (inline routes, an inline BucketV2), and
production's shape for the staging comparison."""
from .fixtures import TOKENS, compliant
from .pk import policy_resources, ref

import rules._graph as _graph  # noqa: E402  (the pack is on sys.path through .pk)
from rules.shape import stack_shape  # noqa: E402

PROD_SHAPE = {"referenceShape": stack_shape(_graph.Graph(policy_resources(compliant("prod"))))}

INSTANCE = "aws:ec2/instance:Instance"


def instance(s, name="lone", **props):
    """A stand-alone instance that passes every instance policy unless `props` say otherwise."""
    base = {"ami": "ami-0123456789abcdef0", "instanceType": "t3.small", "subnetId": ref("private-a"),
            "metadataOptions": {"httpTokens": "required"}, "monitoring": True, "iamInstanceProfile": "web",
            "rootBlockDevice": {"encrypted": True}, "disableApiTermination": True}
    base.update(props)
    return s.add(INSTANCE, name, base)


def clb(s, **props):
    """A Classic load balancer 'classic' that passes every load balancer policy unless `props` say otherwise."""
    base = {"subnets": [ref("public-a"), ref("public-b")], "crossZoneLoadBalancing": True, "connectionDraining": True,
            "listeners": [{"lbProtocol": "https", "lbPort": 443.0, "instanceProtocol": "http",
                           "instancePort": 8080.0, "sslCertificateId": ref("cert-valid")}],
            "healthCheck": {"target": "HTTP:8080/healthz", "interval": 10.0, "timeout": 5.0,
                            "healthyThreshold": 2.0, "unhealthyThreshold": 2.0},
            "accessLogs": {"bucket": ref("logs"), "enabled": True}}
    base.update(props)
    return s.add(TOKENS["clb"], "classic", base)


def aurora(s, members=1, az=None):
    """An Aurora cluster 'aurora' with `members` instances (all in `az` when given)."""
    s.add(TOKENS["cluster"], "aurora", {"engine": "aurora-mysql", "storageEncrypted": True,
                                        "backupRetentionPeriod": 7.0, "finalSnapshotIdentifier": "aurora-final",
                                        "manageMasterUserPassword": True, "deletionProtection": True,
                                        "dbSubnetGroupName": ref("db-subnets"), "enabledCloudwatchLogsExports": ["error"],
                                        "performanceInsightsEnabled": True, "preferredBackupWindow": "03:00-04:00",
                                        "preferredMaintenanceWindow": "sun:05:00-sun:06:00"})
    for i in range(members):
        props = {"clusterIdentifier": ref("aurora"), "instanceClass": "db.r6g.large", "engine": "aurora-mysql"}
        if az:
            props["availabilityZone"] = az
        s.add(TOKENS["clusterinst"], f"aurora-{i}", props)
    return s


def inline_routes(s):
    """Private route tables written with inline routes instead of aws.ec2.Route resources."""
    for z in ("a", "b"):
        s.remove(f"private-default-{z}")
        s.set(f"private-rt-{z}", "routes", [{"cidrBlock": "0.0.0.0/0", "natGatewayId": ref(f"natgw-{z}")}])
    return s


def bucket_v2_inline(s, name, versioned=True, encrypted=True):
    """A deprecated BucketV2 with inline versioning/encryption instead of companion resources."""
    s.retype(name, "aws:s3/bucketV2:BucketV2")
    s.remove(f"{name}-versioning", f"{name}-sse")
    s.set(name, "versionings", [{"enabled": versioned}])
    if encrypted:
        s.set(name, "serverSideEncryptionConfigurations", [{"rules": [
            {"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms"}]}]}])
    return s


def as_stack(s, name):
    """The stack renamed, e.g. to judge it as staging rather than production."""
    s.stack = name
    return s


PUBLIC_POLICY = '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}'
