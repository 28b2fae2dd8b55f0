import pulumi
import pulumi_aws as aws

import helpers

name = pulumi.Config().require("name")
topic = aws.sns.Topic(f"{name}-orders")
pulumi.export("kind", helpers.KIND)
pulumi.export("topicArn", topic.arn)

# An invoke the runner does not know: answered with {} and recorded.
legacy = aws.ec2.get_instance(instance_id="i-0123456789abcdef0")
pulumi.export("legacyInstanceIp", legacy.private_ip)

canonical = aws.s3.get_canonical_user_id()
cf_logs = aws.cloudfront.get_log_delivery_canonical_user_id()
pulumi.export("canonicalUser", canonical.id)
pulumi.export("cloudfrontLogsUser", cf_logs.id)
