import pulumi
import pulumi_aws as aws


class Vpc(pulumi.ComponentResource):
    """Registers the way multi-language components (awsx, eks) do: remote, with the children in another process."""

    def __init__(self, name, opts=None):
        super().__init__("awsx:ec2:Vpc", name, {"cidrBlock": "10.0.0.0/16"}, opts, remote=True)


class Local(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("shop:index:Local", name, {}, opts)
        aws.sns.Topic(name, opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


Vpc("main")
Local("alerts")
