"""The compute policies' cases (rules/compute.py) on the compliant stack (the form: case_lists.py)."""
from .case_helpers import instance
from .fixtures import TOKENS, compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- imdsv2-required ---
    ("imdsv2-required", "template-optional", lambda s: s.set("web-lt", "metadataOptions.httpTokens", "optional"), None,
     [
         ('web-lt',
          'Launch template \'web-lt\' allows IMDSv1 (httpTokens optional), which SSRF can abuse to steal its role credentials; set metadataOptions.httpTokens to "required".'),
     ]),
    ("imdsv2-required", "instance-unset", lambda s: instance(s).drop("lone", "metadataOptions"), None,
     [
         ('lone',
          "Instance 'lone' leaves metadataOptions.httpTokens unset, so it allows IMDSv1 unless its image ami-0123456789abcdef0 requires IMDSv2 (as Amazon Linux 2023 images do), which the policy cannot see from here; set metadataOptions.httpTokens to \"required\" to make it explicit, or list the image id in imdsv2ImageIds."),
     ]),
    ("imdsv2-required", "launch-configuration",
     lambda s: s.add(TOKENS["lc"], "web-lc", {"imageId": "ami-1", "instanceType": "t3.small",
                                              "rootBlockDevice": {"encrypted": True}}), None,
     [
         ('web-lc',
          "Launch configuration 'web-lc' leaves metadataOptions.httpTokens unset, so it allows IMDSv1 unless its image ami-1 requires IMDSv2 (as Amazon Linux 2023 images do), which the policy cannot see from here; set metadataOptions.httpTokens to \"required\" to make it explicit, or list the image id in imdsv2ImageIds."),
     ]),
    # --- ebs-encrypted ---
    ("ebs-encrypted", "template-unencrypted", lambda s: s.set("web-lt", "blockDeviceMappings.0.ebs.encrypted", "false"), None,
     [
         ('web-lt',
          'Launch template \'web-lt\' maps /dev/xvda to an unencrypted EBS volume; set ebs.encrypted to "true".'),
     ]),
    ("ebs-encrypted", "template-no-mappings", lambda s: s.drop("web-lt", "blockDeviceMappings"), None,
     [
         ('web-lt',
          'Launch template \'web-lt\' declares no block device mappings, so its root volume is unencrypted unless the AMI is; add a blockDeviceMappings entry for the root device with ebs.encrypted "true".'),
     ]),
    ("ebs-encrypted", "instance-root", lambda s: instance(s).set("lone", "rootBlockDevice.encrypted", False), None,
     [
         ('lone',
          "Instance 'lone' has an unencrypted root volume; set rootBlockDevice.encrypted to true."),
     ]),
    ("ebs-encrypted", "instance-data-volume",
     lambda s: instance(s).set("lone", "ebsBlockDevices", [{"deviceName": "/dev/sdf", "volumeSize": 10.0}]), None,
     [
         ('lone',
          "Instance 'lone' attaches unencrypted volume /dev/sdf; set encrypted to true on it."),
     ]),
    ("ebs-encrypted", "volume", lambda s: s.add(TOKENS["volume"], "data-vol", {"availabilityZone": "us-east-1a",
                                                                               "size": 10.0}), None,
     [
         ('data-vol',
          "EBS volume 'data-vol' is unencrypted; set encrypted to true."),
     ]),
    # --- imds-hop-limit ---
    ("imds-hop-limit", "two-hops", lambda s: s.set("web-lt", "metadataOptions.httpPutResponseHopLimit", 2.0), None,
     [
         ('web-lt',
          "Launch template 'web-lt' lets metadata responses travel 2 hops; set metadataOptions.httpPutResponseHopLimit to 1."),
     ]),
    # --- no-public-ip-on-instances ---
    ("no-public-ip-on-instances", "template",
     lambda s: s.set("web-lt", "networkInterfaces", [{"associatePublicIpAddress": "true"}]), None,
     [
         ('web-lt',
          'Launch template \'web-lt\' gives instances a public IP; set networkInterfaces[].associatePublicIpAddress to "false".'),
     ]),
    ("no-public-ip-on-instances", "instance", lambda s: instance(s, associatePublicIpAddress=True), None,
     [
         ('lone',
          "Instance 'lone' gets a public IP; set associatePublicIpAddress to false and sit behind the load balancer."),
     ]),
    # --- detailed-monitoring ---
    ("detailed-monitoring", "template", lambda s: s.drop("web-lt", "monitoring"), None,
     [
         ('web-lt',
          "Launch template 'web-lt' has only 5-minute metrics; set monitoring.enabled to true for 1-minute scaling and alarms."),
     ]),
    # --- instance-profile-attached ---
    ("instance-profile-attached", "template", lambda s: s.drop("web-lt", "iamInstanceProfile"), None,
     [
         ('web-lt',
          "Launch template 'web-lt' has no IAM instance profile; attach one with least privilege (SSM core, its release prefix, its log groups)."),
     ]),
    # --- user-data-no-secrets ---
    ("user-data-no-secrets", "access-key",
     lambda s: instance(s, userData="#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n"), None,
     [
         ('lone',
          "Instance 'lone' has an AWS access key in its user data, readable by anyone who can describe the instance; read it at boot from Secrets Manager or SSM Parameter Store."),
     ]),
    ("user-data-no-secrets", "password",
     lambda s: instance(s, userData="#!/bin/bash\necho 'DB_PASSWORD=hunter2hunter2' >> /etc/app.env\n"), None,
     [
         ('lone',
          "Instance 'lone' has a password or token in its user data, readable by anyone who can describe the instance; read it at boot from Secrets Manager or SSM Parameter Store."),
     ]),
    # --- asg-capacity-rebalance ---
    ("asg-capacity-rebalance", "off", lambda s: s.drop("web-asg", "capacityRebalance"), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' uses a single instance type without capacity rebalancing; set capacityRebalance to true or add a mixedInstancesPolicy with several instance types."),
     ]),
    # --- standalone-instance-termination-protection ---
    ("standalone-instance-termination-protection", "off", lambda s: instance(s, disableApiTermination=False), None,
     [
         ('lone',
          "Instance 'lone' stands outside an Auto Scaling group and can be terminated by accident; set disableApiTermination to true (or move it into an Auto Scaling group)."),
     ]),
    # --- iam-role-policy-conflict ---
    ("iam-role-policy-conflict", "mixed", lambda s: s.set("web-role", "managedPolicyArns", [
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]), None,
     [
         ('web-role',
          "Role 'web-role' declares policies inline and through 'web-role-ssm'; they overwrite each other on every update, so use only attachment resources."),
     ]),
    # --- instances-in-vpc ---
    ("instances-in-vpc", "default-vpc", lambda s: instance(s).drop("lone", "subnetId"), None,
     [
         ('lone',
          "Instance 'lone' has no subnet, so it lands in the default VPC; set subnetId to a private subnet of the stack's VPC."),
     ]),
    # --- ebs-delete-on-termination ---
    ("ebs-delete-on-termination", "template-keeps-volume",
     lambda s: s.set("web-lt", "blockDeviceMappings.0.ebs.deleteOnTermination", "false"), None,
     [
         ('web-lt',
          "Launch template 'web-lt' keeps volume /dev/xvda after the instance ends; set deleteOnTermination to true (snapshot what must be kept)."),
     ]),
    # --- iam-no-wildcard-admin ---
    ("iam-no-wildcard-admin", "role-policy",
     lambda s: s.add("aws:iam/rolePolicy:RolePolicy", "web-admin", {"role": ref("web-role"), "policy":
                     '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'}), None,
     [
         ('web-admin',
          "IAM policy 'web-admin' allows every action on every resource; grant the actions and resources the role needs (least privilege)."),
     ]),
]

COMPLIANT = [
    # --- imdsv2-required ---
    ("imdsv2-required", "instance-from-template",
     lambda s: instance(s, launchTemplate={"id": ref("web-lt"), "version": "1"}).drop("lone", "metadataOptions"), None),
    ("imdsv2-required", "account-default",
     lambda s: s.add("aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults", "imds", {"httpTokens": "required"})
     .set("web-lt", "metadataOptions.httpTokens", "optional"), None),
    ("imdsv2-required", "metadata-service-off",
     lambda s: s.set("web-lt", "metadataOptions", {"httpEndpoint": "disabled"}), None),
    # --- ebs-encrypted ---
    ("ebs-encrypted", "account-default",
     lambda s: s.add(TOKENS["ebsdefault"], "ebs-default", {"enabled": True}).set(
         "web-lt", "blockDeviceMappings.0.ebs.encrypted", "false"), None),
]
