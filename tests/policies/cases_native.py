"""The core availability rules on aws-native resources mixed with aws ones, with the property names and value
types aws-native sends (CloudFormation's, camelCased; Auto Scaling sizes as strings), in the form
cases_containers.py describes."""
from .fixtures import compliant
from .pk import ref

NATIVE_TOKENS = {"lb": "aws-native:elasticloadbalancingv2:LoadBalancer", "asg": "aws-native:autoscaling:AutoScalingGroup",
                 "db": "aws-native:rds:DbInstance", "cluster": "aws-native:rds:DbCluster", "bucket": "aws-native:s3:Bucket",
                 "subnet": "aws-native:ec2:Subnet"}


def stack(name="prod"):
    s = compliant(name)
    s.add(NATIVE_TOKENS["lb"], "native-alb", {"type": "application", "scheme": "internet-facing",
                                              "subnets": [ref("public-a"), ref("public-b")], "securityGroups": [ref("alb-sg")]})
    s.add(NATIVE_TOKENS["asg"], "native-asg", {"vpcZoneIdentifier": [ref("private-a"), ref("private-b")], "minSize": "2",
                                               "maxSize": "6", "desiredCapacity": "2", "healthCheckType": "ELB",
                                               "launchTemplate": {"launchTemplateId": ref("web-lt"), "version": ref("web-lt", "3")},
                                               "targetGroupArns": [ref("web-tg")]})
    s.add(NATIVE_TOKENS["db"], "native-db", {"engine": "mysql", "dbInstanceClass": "db.t3.medium", "multiAz": True,
                                             "allocatedStorage": "20", "dbSubnetGroupName": ref("db-subnets"),
                                             "manageMasterUserPassword": True, "masterUsername": "shop"})
    s.add(NATIVE_TOKENS["cluster"], "native-aurora", {"engine": "aurora-mysql", "dbSubnetGroupName": ref("db-subnets")})
    for i in (1, 2):
        s.add(NATIVE_TOKENS["db"], f"native-aurora-{i}", {"engine": "aurora-mysql", "dbInstanceClass": "db.r6g.large",
                                                          "dbClusterIdentifier": ref("native-aurora")})
    s.add(NATIVE_TOKENS["bucket"], "native-orders", {"bucketName": "shop-native-orders",
                                                     "versioningConfiguration": {"status": "Enabled"},
                                                     "tags": [{"key": "team", "value": "shop"}]})
    return s


def _native_subnets(s):
    """The group's subnets written with aws-native too."""
    for i, z in enumerate(("a", "b")):
        s.add(NATIVE_TOKENS["subnet"], f"native-private-{z}", {"vpcId": ref("vpc"), "availabilityZone": f"us-east-1{z}",
                                                               "cidrBlock": f"10.0.3{i}.0/24"})
    return s.set("native-asg", "vpcZoneIdentifier", [ref("native-private-a"), ref("native-private-b")])


_ASG_AZS = ("Auto Scaling group 'native-asg' spans 1 AZ ({azs}); give vpcZoneIdentifier subnets in at least 2 "
            "Availability Zones.")
_NOT_VERSIONED = ("Bucket 'native-orders' (shop-native-orders) holds data but is not versioned; set "
                  "versioningConfiguration.status to \"Enabled\" (or tag it holds-data=false if it holds none).")

VIOLATING = [
    ("asg-multi-az", "one-subnet", lambda s: s.set("native-asg", "vpcZoneIdentifier", [ref("private-a")]), None,
     [("native-asg", _ASG_AZS.format(azs="us-east-1a"))]),
    ("asg-multi-az", "native-subnets-one-az",
     lambda s: _native_subnets(s).set("native-private-b", "availabilityZone", "us-east-1a"), None,
     [("native-asg", _ASG_AZS.format(azs="us-east-1a"))]),
    ("asg-multi-az", "availability-zones-input",
     lambda s: s.drop("native-asg", "vpcZoneIdentifier").set("native-asg", "availabilityZones", ["us-east-1b"]), None,
     [("native-asg", _ASG_AZS.format(azs="us-east-1b"))]),
    ("asg-min-capacity-per-az", "string-min-below-azs", lambda s: s.set("native-asg", "minSize", "1"), None,
     [("native-asg", "Auto Scaling group 'native-asg' has minSize 1 but spans 2 AZs; set minSize to at least 2 so every "
                     "AZ keeps an instance.")]),
    ("asg-min-capacity-per-az", "string-min-above-max", lambda s: s.set("native-asg", "minSize", "8").drop(
        "native-asg", "desiredCapacity"), None,
     [("native-asg", "Auto Scaling group 'native-asg' has minSize 8 above maxSize 6; raise maxSize.")]),
    ("asg-min-capacity-per-az", "min-size-unknown-at-preview",
     lambda s: s.add("random:index/randomInteger:RandomInteger", "n", {"min": 2.0, "max": 3.0}).set(
         "native-asg", "minSize", ref("n", "2")), None,
     {"preview": [("native-asg", "Auto Scaling group 'native-asg' sets minSize from a value that is unknown at "
                                 "preview, so it cannot be verified; set it from configuration or a literal.")],
      "update": []}),
    ("lb-multi-az", "one-subnet", lambda s: s.set("native-alb", "subnets", [ref("public-a")]), None,
     [("native-alb", "Load balancer 'native-alb' spans 1 AZ (us-east-1a); place it in subnets of at least 2 "
                     "Availability Zones.")]),
    ("lb-multi-az", "subnet-mappings",
     lambda s: s.drop("native-alb", "subnets").set("native-alb", "subnetMappings", [{"subnetId": ref("public-b")}]),
     None, [("native-alb", "Load balancer 'native-alb' spans 1 AZ (us-east-1b); place it in subnets of at least 2 "
                           "Availability Zones.")]),
    ("rds-multi-az", "single-az", lambda s: s.set("native-db", "multiAz", False), None,
     [("native-db", "RDS instance 'native-db' is single-AZ; set multiAz to true so it fails over to a standby in "
                    "another AZ.")]),
    ("rds-multi-az", "multi-az-unset", lambda s: s.drop("native-db", "multiAz"), None,
     [("native-db", "RDS instance 'native-db' is single-AZ; set multiAz to true so it fails over to a standby in "
                    "another AZ.")]),
    ("rds-multi-az", "aws-native-0.x-token-spelling",
     lambda s: s.retype("native-db", "aws-native:rds:DBInstance").set("native-db", "multiAz", False), None,
     [("native-db", "RDS instance 'native-db' is single-AZ; set multiAz to true so it fails over to a standby in "
                    "another AZ.")]),
    ("rds-multi-az", "aurora-one-member", lambda s: s.remove("native-aurora-2"), None,
     [("native-aurora", "RDS cluster 'native-aurora' has 1 instance(s); add a second cluster instance so a reader in "
                        "another AZ can be promoted.")]),
    ("s3-data-bucket-versioned", "no-versioning", lambda s: s.drop("native-orders", "versioningConfiguration"), None,
     [("native-orders", _NOT_VERSIONED)]),
    ("s3-data-bucket-versioned", "suspended",
     lambda s: s.set("native-orders", "versioningConfiguration", {"status": "Suspended"}), None,
     [("native-orders", "Bucket 'native-orders' (shop-native-orders) holds data but its versioning is Suspended (by "
                        "'native-orders'); set versioningConfiguration.status to \"Enabled\" so deleted or overwritten "
                        "objects can be restored.")]),
]

COMPLIANT = [
    ("asg-multi-az", "native-subnets", _native_subnets, None),
    ("asg-min-capacity-per-az", "three-azs-min-three",
     lambda s: s.add("aws:ec2/subnet:Subnet", "private-c", {"vpcId": ref("vpc"), "availabilityZone": "us-east-1c",
                                                            "cidrBlock": "10.0.12.0/24"}).set(
         "native-asg", "vpcZoneIdentifier", [ref("private-a"), ref("private-b"), ref("private-c")]).set(
         "native-asg", "minSize", "3").set("native-asg", "desiredCapacity", "3"), None),
    ("lb-multi-az", "gateway-load-balancer", lambda s: s.set("native-alb", "type", "gateway").set(
        "native-alb", "subnets", [ref("public-a")]), None),
    ("rds-multi-az", "read-replica", lambda s: s.add(NATIVE_TOKENS["db"], "native-replica", {
        "sourceDbInstanceIdentifier": ref("native-db"), "dbInstanceClass": "db.t3.medium"}), None),
    ("rds-multi-az", "multi-az-db-cluster",
     lambda s: s.remove("native-aurora-1", "native-aurora-2").set("native-aurora", "engine", "mysql").set(
         "native-aurora", "dbClusterInstanceClass", "db.m6gd.large"), None),
    ("s3-data-bucket-versioned", "tagged-as-holding-no-data",
     lambda s: s.drop("native-orders", "versioningConfiguration").set(
         "native-orders", "tags", [{"key": "holds-data", "value": "false"}]), None),
]
