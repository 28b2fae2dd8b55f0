"""SDK features beyond plain registrations: explicit providers, reads, async entry points, logs."""
import pulumi
import pulumi_aws as aws

east = aws.Provider("east", region="us-east-1")
cert = aws.acm.Certificate("cdn-cert", domain_name="static.example.com", validation_method="DNS",
                           opts=pulumi.ResourceOptions(provider=east))
existing = aws.ec2.Vpc.get("existing", "vpc-0123456789abcdef0")
pulumi.log.warn("heads up from the program")


async def main():
    topic = aws.sns.Topic("async-topic")
    return {"topicName": topic.name, "certArn": cert.arn}


pulumi.run(main)
