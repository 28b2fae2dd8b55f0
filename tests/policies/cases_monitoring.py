"""The monitoring policies' cases (rules/monitoring.py) on the compliant stack (the form: case_lists.py)."""
from .fixtures import TOKENS, compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- alarm-actions-wired ---
    ("alarm-actions-wired", "no-actions", lambda s: s.drop("db-cpu", "alarmActions").drop("db-cpu", "okActions"), None,
     [
         ('db-cpu',
          "Alarm 'db-cpu' notifies nobody; set alarmActions to the alert topic's ARN."),
     ]),
    ("alarm-actions-wired", "disabled", lambda s: s.set("db-cpu", "actionsEnabled", False), None,
     [
         ('db-cpu',
          "Alarm 'db-cpu' has its actions disabled; set actionsEnabled to true."),
     ]),
    ("alarm-actions-wired", "no-subscriber", lambda s: s.remove("alerts-email"), None,
     [
         ('alb-5xx',
          "Alarm 'alb-5xx' notifies topic 'alerts', which has no subscription; add an aws.sns.TopicSubscription (email, SMS or a paging HTTPS endpoint)."),
         ('asg-in-service',
          "Alarm 'asg-in-service' notifies topic 'alerts', which has no subscription; add an aws.sns.TopicSubscription (email, SMS or a paging HTTPS endpoint)."),
         ('db-cpu',
          "Alarm 'db-cpu' notifies topic 'alerts', which has no subscription; add an aws.sns.TopicSubscription (email, SMS or a paging HTTPS endpoint)."),
         ('cache-cpu',
          "Alarm 'cache-cpu' notifies topic 'alerts', which has no subscription; add an aws.sns.TopicSubscription (email, SMS or a paging HTTPS endpoint)."),
     ]),
    # --- alarm-coverage ---
    ("alarm-coverage", "database", lambda s: s.remove("db-cpu"), None,
     [
         ('db',
          "RDS instance 'db' has no CloudWatch alarm; add alarms on its key metrics (e.g. 5XX, unhealthy hosts, CPU, free storage, evictions) that notify the alert topic."),
     ]),
    # --- log-group-retention ---
    ("log-group-retention", "forever", lambda s: s.drop("app-logs", "retentionInDays"), None,
     [
         ('app-logs',
          "Log group 'app-logs' keeps logs forever; set retentionInDays (at least 30)."),
     ]),
    ("log-group-retention", "short", lambda s: s.set("app-logs", "retentionInDays", 7.0), None,
     [
         ('app-logs',
          "Log group 'app-logs' keeps logs 7 days; set retentionInDays to at least 30."),
     ]),
    # --- log-group-encrypted ---
    ("log-group-encrypted", "service-key", lambda s: s.drop("app-logs", "kmsKeyId"), None,
     [
         ('app-logs',
          "Log group 'app-logs' is encrypted only with the service key; set kmsKeyId to a customer-managed key."),
     ]),
    # --- sns-topic-encrypted ---
    ("sns-topic-encrypted", "plaintext", lambda s: s.drop("alerts", "kmsMasterKeyId"), None,
     [
         ('alerts',
          "Topic 'alerts' is not encrypted; set kmsMasterKeyId (e.g. alias/aws/sns or a customer key)."),
     ]),
    # --- asg-notifications ---
    ("asg-notifications", "none", lambda s: s.remove("web-asg-notify"), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' fails to launch or terminate instances silently; add an aws.autoscaling.Notification for launch and terminate errors to the alert topic."),
     ]),
    ("asg-notifications", "launch-only", lambda s: s.set("web-asg-notify", "notifications",
                                                          ["autoscaling:EC2_INSTANCE_LAUNCH_ERROR"]), None,
     [
         ('web-asg',
          "Auto Scaling group 'web-asg' fails to launch or terminate instances silently; add an aws.autoscaling.Notification for launch and terminate errors to the alert topic."),
     ]),
    # --- sns-topic-tls-only ---
    ("sns-topic-tls-only", "no-policy", lambda s: s.remove("alerts-policy"), None,
     [
         ('alerts',
          "Topic 'alerts' accepts publishing over plain HTTP; add a topic policy statement that denies sns:Publish when aws:SecureTransport is false."),
     ]),
    # --- sns-delivery-status-logging ---
    ("sns-delivery-status-logging", "https-pager",
     lambda s: s.add(TOKENS["sub"], "alerts-pager", {"topic": ref("alerts"), "protocol": "https",
                                                     "endpoint": "https://pager.example.com/hook"}), None,
     [
         ('alerts',
          "Topic 'alerts' delivers to an HTTP(S) endpoint but logs no failed deliveries; set httpFailureFeedbackRoleArn (and httpSuccessFeedbackRoleArn) to a role that writes to CloudWatch Logs."),
     ]),
]

COMPLIANT = [
]
