import pulumi
import pulumi_aws as aws

# Checked before anything is created, as the portal checks its settings; the error names the key, never
# the value, because the value is a secret.
url = pulumi.Config().require("alertWebhookUrl")
if not url.startswith("https://"):
    raise pulumi.RunError("secret-webhook:alertWebhookUrl must be an https:// URL")

topic = aws.sns.Topic("alerts")
aws.sns.TopicSubscription("webhook", topic=topic.arn, protocol="https", endpoint=pulumi.Output.secret(url))
