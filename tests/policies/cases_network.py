"""The network policies' cases (rules/network.py) on the compliant stack (the form: case_lists.py)."""
from .fixtures import TOKENS, compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- sg-no-sensitive-ports-from-internet ---
    ("sg-no-sensitive-ports-from-internet", "inline-ssh",
     lambda s: s.set("alb-sg", "ingress.1", {"fromPort": 22.0, "toPort": 22.0, "protocol": "tcp",
                                             "cidrBlocks": ["0.0.0.0/0"], "description": "ssh"}), None,
     [
         ('alb-sg',
          "Security group 'alb-sg' opens 22 (SSH) to 0.0.0.0/0; admit it only from a security group reference (e.g. the web tier's) or use SSM Session Manager instead of SSH/RDP."),
     ]),
    ("sg-no-sensitive-ports-from-internet", "rule-mysql",
     lambda s: s.drop("db-from-web", "sourceSecurityGroupId").set("db-from-web", "cidrBlocks", ["0.0.0.0/0"]), None,
     [
         ('db-from-web',
          "Security group rule 'db-from-web' opens 3306 (MySQL) to 0.0.0.0/0; admit it only from a security group reference (e.g. the web tier's) or use SSM Session Manager instead of SSH/RDP."),
     ]),
    ("sg-no-sensitive-ports-from-internet", "vpc-rule-range-ipv6",
     lambda s: s.add(TOKENS["in"], "cache-open", {"securityGroupId": ref("cache-sg"), "cidrIpv6": "::/0",
                                                  "fromPort": 6000.0, "toPort": 12000.0, "ipProtocol": "tcp",
                                                  "description": "oops"}), None,
     [
         ('cache-open',
          "Security group rule 'cache-open' opens 6379 (Redis), 11211 (memcached), 9200 (Elasticsearch) to ::/0; admit it only from a security group reference (e.g. the web tier's) or use SSM Session Manager instead of SSH/RDP."),
     ]),
    ("sg-no-sensitive-ports-from-internet", "all-ports",
     lambda s: s.set("web-egress", "cidrIpv4", "0.0.0.0/0").add(TOKENS["sgr"], "web-all", {
         "type": "ingress", "securityGroupId": ref("web-sg"), "cidrBlocks": ["0.0.0.0/0"], "fromPort": 0.0,
         "toPort": 0.0, "protocol": "-1", "description": "everything"}), None,
     [
         ('web-all',
          "Security group rule 'web-all' opens all ports to 0.0.0.0/0; admit only the ports the tier serves, from the security group in front of it."),
     ]),
    # --- vpc-flow-logs ---
    ("vpc-flow-logs", "none", lambda s: s.remove("vpc-flow"), None,
     [
         ('vpc',
          "VPC 'vpc' has no flow log; add an aws.ec2.FlowLog with vpcId set to it."),
     ]),
    # --- compute-subnets-no-auto-public-ip ---
    ("compute-subnets-no-auto-public-ip", "private-public-ip", lambda s: s.set("private-a", "mapPublicIpOnLaunch", True), None,
     [
         ('private-a',
          "Subnet 'private-a' (used by Auto Scaling group 'web-asg') gives every instance a public IP; set mapPublicIpOnLaunch to false and egress through a NAT gateway."),
     ]),
    # --- default-security-group-closed ---
    ("default-security-group-closed", "rules",
     lambda s: s.set("default-sg", "ingress", [{"fromPort": 0.0, "toPort": 0.0, "protocol": "-1", "self": True}]), None,
     [
         ('default-sg',
          "Default security group 'default-sg' has rules; declare it with no ingress and no egress so nothing can use it by accident."),
     ]),
    # --- sg-rule-management-conflict ---
    ("sg-rule-management-conflict", "mixed",
     lambda s: s.add(TOKENS["sgr"], "alb-extra", {"type": "ingress", "securityGroupId": ref("alb-sg"),
                                                  "cidrBlocks": ["10.0.0.0/8"], "fromPort": 443.0, "toPort": 443.0,
                                                  "protocol": "tcp", "description": "internal"}), None,
     [
         ('alb-sg',
          "Security group 'alb-sg' has inline rules and separate rule resources ('alb-extra'); they overwrite each other on every update, so use only one form."),
     ]),
    # --- sg-descriptions ---
    ("sg-descriptions", "group", lambda s: s.drop("web-sg", "description"), None,
     [
         ('web-sg',
          "Security group 'web-sg' has no description; say which tier it guards and why."),
     ]),
    ("sg-descriptions", "rule", lambda s: s.drop("db-from-web", "description"), None,
     [
         ('db-from-web',
          "Security group rule 'db-from-web' has an ingress rule on port 3306 without a description; say what the rule admits."),
     ]),
    # --- sg-data-tier-by-reference ---
    ("sg-data-tier-by-reference", "cidr-to-database",
     lambda s: s.drop("db-from-web", "sourceSecurityGroupId").set("db-from-web", "cidrBlocks", ["10.0.10.0/24"]), None,
     [
         ('db-from-web',
          "Rule 'db-from-web' of security group 'db-sg' guards 'db' but admits 10.0.10.0/24 on port 3306; admit only the web tier's security group (a security group reference)."),
     ]),
    # --- sg-world-ingress-authorized-ports ---
    ("sg-world-ingress-authorized-ports", "app-port-open",
     lambda s: s.set("alb-sg", "ingress.0.fromPort", 8443.0).set("alb-sg", "ingress.0.toPort", 8443.0), None,
     [
         ('alb-sg',
          "Security group 'alb-sg' opens port 8443 to the internet, beyond the authorised ports 80, 443; admit other ports only from security group references."),
     ]),
    ("sg-world-ingress-authorized-ports", "rule-range",
     lambda s: s.add(TOKENS["in"], "alb-range", {"securityGroupId": ref("alb-sg"), "cidrIpv4": "0.0.0.0/0",
                                                 "fromPort": 80.0, "toPort": 443.0, "ipProtocol": "tcp",
                                                 "description": "web range"}), None,
     [
         ('alb-range',
          "Security group rule 'alb-range' opens ports 80-443 to the internet, beyond the authorised ports 80, 443; admit other ports only from security group references."),
     ]),
    # --- igw-routes-only-public-subnets ---
    ("igw-routes-only-public-subnets", "web-in-public",
     lambda s: s.set("web-asg", "vpcZoneIdentifiers", [ref("public-a"), ref("public-b")]), None,
     [
         ('public-a',
          "Subnet 'public-a' holds Auto Scaling group 'web-asg' but routes 0.0.0.0/0 to an internet gateway through route table 'public'; put it behind a NAT gateway in a private route table."),
         ('public-b',
          "Subnet 'public-b' holds Auto Scaling group 'web-asg' but routes 0.0.0.0/0 to an internet gateway through route table 'public'; put it behind a NAT gateway in a private route table."),
     ]),
    # --- network-acl-in-use ---
    ("network-acl-in-use", "unused", lambda s: s.add("aws:ec2/networkAcl:NetworkAcl", "spare-acl",
                                                     {"vpcId": ref("vpc")}), None,
     [
         ('spare-acl',
          "Network ACL 'spare-acl' protects no subnet; associate it with the subnets it is meant for, or delete it."),
     ]),
    # --- web-sg-only-from-load-balancer ---
    ("web-sg-only-from-load-balancer", "ssh-from-office",
     lambda s: s.add(TOKENS["in"], "web-ssh", {"securityGroupId": ref("web-sg"), "cidrIpv4": "198.51.100.0/24",
                                               "fromPort": 22.0, "toPort": 22.0, "ipProtocol": "tcp",
                                               "description": "office ssh"}), None,
     [
         ('web-ssh',
          "Rule 'web-ssh' of security group 'web-sg' lets 198.51.100.0/24 reach the web servers of 'web-asg' on port 22, around the load balancer; admit only the load balancer's security group (use SSM Session Manager for shell access)."),
     ]),
    ("web-sg-only-from-load-balancer", "app-port-from-vpc",
     lambda s: s.set("web-sg", "ingress", [{"fromPort": 8080.0, "toPort": 8080.0, "protocol": "tcp",
                                            "cidrBlocks": ["10.0.0.0/16"], "description": "app"}]), None,
     [
         ('web-sg',
          "Security group 'web-sg' lets 10.0.0.0/16 reach the web servers of 'web-asg' on port 8080, around the load balancer; admit only the load balancer's security group (use SSM Session Manager for shell access)."),
     ]),
]

COMPLIANT = [
    # --- sg-no-sensitive-ports-from-internet ---
    ("sg-no-sensitive-ports-from-internet", "https-from-world", lambda s: s, None),
    # --- network-acl-in-use ---
    ("network-acl-in-use", "associated",
     lambda s: s.add("aws:ec2/networkAcl:NetworkAcl", "data-acl", {"vpcId": ref("vpc"),
                                                                   "subnetIds": [ref("data-a"), ref("data-b")]}), None),
]
