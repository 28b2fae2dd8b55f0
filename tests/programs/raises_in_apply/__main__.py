import pulumi
import pulumi_aws as aws

vpc = aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
# An apply callback that fails: surfaces after the program body has returned.
vpc.cidr_block.apply(lambda c: c.no_such_method())
