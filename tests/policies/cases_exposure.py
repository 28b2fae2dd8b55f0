"""Every public path to an instance (subnet, Elastic IP, default VPC) and servers open on every port, in the
rules that judge instance exposure, in the form cases_containers.py describes."""
from .fixtures import TOKENS, compliant
from .pk import ref

PUBLIC, WEB = "no-public-ip-on-instances", "web-servers-in-asg"


def stack(name="prod"):
    """The portal plus an administration instance in a private subnet, reachable only by SSH from the office."""
    s = compliant(name)
    s.add(TOKENS["sg"], "tools-sg", {"vpcId": ref("vpc"), "description": "Tools: SSH from the office",
                                     "ingress": [{"fromPort": 22.0, "toPort": 22.0, "protocol": "tcp",
                                                  "cidrBlocks": ["198.51.100.0/24"], "description": "SSH"}]})
    s.add(TOKENS["instance"], "tools", {"ami": "ami-0123456789abcdef0", "instanceType": "t3.small",
                                        "subnetId": ref("private-a"), "vpcSecurityGroupIds": [ref("tools-sg")],
                                        "metadataOptions": {"httpTokens": "required"}})
    return s


def _eip(s):
    return s.add(TOKENS["eip"], "tools-ip", {"domain": "vpc", "instance": ref("tools")})


def _eip_association(s):
    return s.add(TOKENS["eip"], "tools-ip", {"domain": "vpc"}).add("aws:ec2/eipAssociation:EipAssociation", "tools-ip-assoc",
                                                                    {"instanceId": ref("tools"), "allocationId": ref("tools-ip")})


def _default_subnet(s, **props):
    s.add("aws:ec2/defaultSubnet:DefaultSubnet", "default-a", dict({"availabilityZone": "us-east-1a"}, **props))
    return s.set("tools", "subnetId", ref("default-a"))


def _template(s, **props):
    s.add(TOKENS["lt"], "tools-lt", dict({"imageId": "ami-0123456789abcdef0", "instanceType": "t3.small"}, **props))
    return s.drop("tools", "subnetId").set("tools", "launchTemplate", {"id": ref("tools-lt"), "version": "1"})


def _open(s, protocol="-1", ports=(0.0, 0.0), cidr="0.0.0.0/0"):
    return s.set("tools-sg", "ingress", [{"fromPort": ports[0], "toPort": ports[1], "protocol": protocol,
                                          "cidrBlocks": [cidr], "description": "everything"}])


_SUBNET = ("Instance 'tools' gets a public IP from subnet '{subnet}' (mapPublicIpOnLaunch); launch it in a private "
           "subnet (or set associatePublicIpAddress to false) and sit behind the load balancer.")
_EIP = "Instance 'tools' has a public address through {via}; remove it and sit behind the load balancer."
_DEFAULT_VPC = ("Instance 'tools' has no subnet, so it lands in the default VPC, whose subnets give every instance a "
                "public IP; set subnetId to a private subnet of the stack's VPC and sit behind the load balancer.")
_WEB = ("Instance 'tools' serves web traffic outside an Auto Scaling group (its security group 'tools-sg' admits all "
        "ports from {world}{reach}); run the web tier from a launch template in an Auto Scaling group attached to the "
        "load balancer's target group.")

VIOLATING = [
    # --- no-public-ip-on-instances ---
    (PUBLIC, "public-subnet", lambda s: s.set("tools", "subnetId", ref("public-a")), None,
     [("tools", _SUBNET.format(subnet="public-a"))]),
    (PUBLIC, "elastic-ip", _eip, None, [("tools", _EIP.format(via="Elastic IP 'tools-ip'"))]),
    (PUBLIC, "elastic-ip-association", _eip_association, None,
     [("tools", _EIP.format(via="Elastic IP association 'tools-ip-assoc'"))]),
    (PUBLIC, "elastic-ip-overrides-the-flag",
     lambda s: _eip(s).set("tools", "associatePublicIpAddress", False), None,
     [("tools", _EIP.format(via="Elastic IP 'tools-ip'"))]),
    (PUBLIC, "default-vpc", lambda s: s.drop("tools", "subnetId"), None, [("tools", _DEFAULT_VPC)]),
    (PUBLIC, "default-vpc-through-a-template-without-subnet", _template, None, [("tools", _DEFAULT_VPC)]),
    (PUBLIC, "default-subnet-maps-public-ips-unless-told", _default_subnet, None,
     [("tools", _SUBNET.format(subnet="default-a"))]),
    (PUBLIC, "public-subnet-and-elastic-ip", lambda s: _eip(s.set("tools", "subnetId", ref("public-b"))), None,
     [("tools", _SUBNET.format(subnet="public-b")), ("tools", _EIP.format(via="Elastic IP 'tools-ip'"))]),
    (PUBLIC, "flag-still-reported-as-before", lambda s: s.set("tools", "associatePublicIpAddress", True), None,
     [("tools", "Instance 'tools' gets a public IP; set associatePublicIpAddress to false and sit behind the load "
                "balancer.")]),
    # --- web-servers-in-asg: a server open on every port from anywhere is a web server ---
    (WEB, "all-protocols-from-anywhere", _open, None, [("tools", _WEB.format(world="0.0.0.0/0", reach=""))]),
    (WEB, "every-tcp-port-from-a-public-subnet",
     lambda s: _open(s.set("tools", "subnetId", ref("public-a")), "tcp", (0.0, 65535.0)), None,
     [("tools", _WEB.format(world="0.0.0.0/0",
                            reach=", and it has a public address through subnet 'public-a' (mapPublicIpOnLaunch)"))]),
    (WEB, "ipv6-rule-resource-and-elastic-ip",
     lambda s: _eip(s).add(TOKENS["in"], "tools-any", {"securityGroupId": ref("tools-sg"), "cidrIpv6": "::/0",
                                                        "ipProtocol": "-1", "description": "everything"}), None,
     [("tools", _WEB.format(world="::/0", reach=", and it has a public address through Elastic IP 'tools-ip'"))]),
    (WEB, "default-vpc-open-server", lambda s: _open(s.drop("tools", "subnetId")), None,
     [("tools", _WEB.format(world="0.0.0.0/0", reach=", and it has a public address through the default VPC "
                                                      "(no subnetId)"))]),
    (WEB, "group-template-open-on-every-port",
     lambda s: s.drop("web-asg", "targetGroupArns").set("web-lt", "vpcSecurityGroupIds", [ref("tools-sg")]).set(
         "tools-sg", "ingress", [{"fromPort": 0.0, "toPort": 65535.0, "protocol": "tcp", "cidrBlocks": ["0.0.0.0/0"],
                                  "description": "everything"}]), None,
     [("tools", _WEB.format(world="0.0.0.0/0", reach="")),
      ("web-asg", "Auto Scaling group 'web-asg' serves web traffic with no load balancer in front (security group "
                  "'tools-sg' of 'web-lt' admits all ports from the internet); attach it to a target group and admit "
                  "web traffic only from the load balancer's security group.")]),
]

COMPLIANT = [
    (PUBLIC, "public-subnet-with-the-flag-off",
     lambda s: s.set("tools", "subnetId", ref("public-a")).set("tools", "associatePublicIpAddress", False), None),
    (PUBLIC, "default-vpc-with-the-flag-off",
     lambda s: s.drop("tools", "subnetId").set("tools", "associatePublicIpAddress", False), None),
    (PUBLIC, "default-subnet-told-not-to-map", lambda s: _default_subnet(s, mapPublicIpOnLaunch=False), None),
    (PUBLIC, "template-names-the-subnet",
     lambda s: _template(s, networkInterfaces=[{"subnetId": ref("private-a"), "deviceIndex": 0.0}]), None),
    (PUBLIC, "template-of-another-stack",
     lambda s: s.drop("tools", "subnetId").set("tools", "launchTemplate", {"id": "lt-0abc", "version": "1"}), None),
    (PUBLIC, "own-network-interface",
     lambda s: s.drop("tools", "subnetId").add("aws:ec2/networkInterface:NetworkInterface", "tools-eni", {
         "subnetId": ref("private-a")}).set("tools", "networkInterfaces", [
             {"networkInterfaceId": ref("tools-eni"), "deviceIndex": 0.0}]), None),
    (PUBLIC, "elastic-ips-of-nat-gateways-only", lambda s: s, None),
    (WEB, "every-port-from-the-vpc-only", lambda s: _open(s, cidr="10.0.0.0/16"), None),
    (WEB, "public-server-for-ssh-only", lambda s: _eip(s.set("tools", "subnetId", ref("public-a"))), None),
]
