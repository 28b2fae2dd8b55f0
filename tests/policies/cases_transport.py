"""The transport policies' cases (rules/transport.py) on the compliant stack (the form: case_lists.py)."""
from .case_helpers import as_stack, clb
from .fixtures import TOKENS, compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- http-listener-redirects-to-https ---
    ("http-listener-redirects-to-https", "forward",
     lambda s: s.set("http", "defaultActions", [{"type": "forward", "targetGroupArn": ref("web-tg")}]), None,
     [
         ('http',
          "HTTP listener 'http' answers with a forward action; make its only default action a redirect to HTTPS (port 443, HTTP_301)."),
     ]),
    ("http-listener-redirects-to-https", "redirect-to-http",
     lambda s: s.set("http", "defaultActions.0.redirect.protocol", "HTTP"), None,
     [
         ('http',
          "HTTP listener 'http' answers with a redirect action; make its only default action a redirect to HTTPS (port 443, HTTP_301)."),
     ]),
    ("http-listener-redirects-to-https", "protocol-unset",
     lambda s: s.drop("http", "protocol").set("http", "defaultActions", [{"type": "fixed-response", "fixedResponse": {
         "contentType": "text/plain", "statusCode": "200"}}]), None,
     [
         ('http',
          "HTTP listener 'http' answers with a fixed-response action; make its only default action a redirect to HTTPS (port 443, HTTP_301)."),
     ]),
    ("http-listener-redirects-to-https", "listener-rule",
     lambda s: s.add(TOKENS["rule"], "http-api", {"listenerArn": ref("http"), "priority": 10.0, "actions": [
         {"type": "forward", "targetGroupArn": ref("web-tg")}], "conditions": [{"pathPattern": {"values": ["/api"]}}]}), None,
     [
         ('http-api',
          "Listener rule 'http-api' on HTTP listener 'http' answers with a forward action; move it to the HTTPS listener."),
     ]),
    ("http-listener-redirects-to-https", "classic-http",
     lambda s: clb(s, listeners=[{"lbProtocol": "http", "lbPort": 80.0, "instanceProtocol": "http",
                                  "instancePort": 8080.0}]), None,
     [
         ('classic',
          "Classic load balancer 'classic' serves plain HTTP on port 80 and cannot redirect; serve HTTPS only, or use an ALB with an HTTP-to-HTTPS redirect."),
     ]),
    # --- https-listener-modern-tls ---
    ("https-listener-modern-tls", "old-policy", lambda s: s.set("https", "sslPolicy", "ELBSecurityPolicy-2016-08"), None,
     [
         ('https',
          "Listener 'https' uses TLS policy ELBSecurityPolicy-2016-08; set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 or another allowed TLS 1.2+ policy."),
     ]),
    ("https-listener-modern-tls", "unset-policy", lambda s: s.drop("https", "sslPolicy"), None,
     [
         ('https',
          "Listener 'https' uses TLS policy unset (ELBSecurityPolicy-2016-08, which allows TLS 1.0); set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 or another allowed TLS 1.2+ policy."),
     ]),
    ("https-listener-modern-tls", "protocol-unset-old-policy",
     lambda s: s.drop("https", "protocol").set("https", "sslPolicy", "ELBSecurityPolicy-TLS-1-1-2017-01"), None,
     [
         ('https',
          "Listener 'https' uses TLS policy ELBSecurityPolicy-TLS-1-1-2017-01; set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 or another allowed TLS 1.2+ policy."),
     ]),
    ("https-listener-modern-tls", "no-certificate", lambda s: s.drop("https", "certificateArn"), None,
     [
         ('https',
          "Listener 'https' has no certificate; set certificateArn to an ACM certificate."),
     ]),
    ("https-listener-modern-tls", "classic-no-certificate", lambda s: clb(s).drop("classic", "listeners.0.sslCertificateId"), None,
     [
         ('classic',
          "Classic load balancer 'classic' has an https listener without a certificate; set sslCertificateId to an ACM certificate ARN."),
     ]),
    ("https-listener-modern-tls", "policy-not-allowed", lambda s: s,
     {"allowedTlsPolicies": ["ELBSecurityPolicy-TLS13-1-3-2021-06"]},
     [
         ('https',
          "Listener 'https' uses TLS policy ELBSecurityPolicy-TLS13-1-2-2021-06; set sslPolicy to ELBSecurityPolicy-TLS13-1-3-2021-06 or another allowed TLS 1.2+ policy."),
     ]),
    # --- lb-deletion-protection ---
    ("lb-deletion-protection", "off", lambda s: s.set("alb", "enableDeletionProtection", False), None,
     [
         ('alb',
          "Load balancer 'alb' in production stack 'prod' can be deleted by accident; set enableDeletionProtection to true."),
     ]),
    ("lb-deletion-protection", "unset", lambda s: s.drop("alb", "enableDeletionProtection"), None,
     [
         ('alb',
          "Load balancer 'alb' in production stack 'prod' can be deleted by accident; set enableDeletionProtection to true."),
     ]),
    # --- lb-access-logs ---
    ("lb-access-logs", "alb-off", lambda s: s.set("alb", "accessLogs.enabled", False), None,
     [
         ('alb',
          "Load balancer 'alb' writes no access logs; set accessLogs with enabled true and the logs bucket (SSE-S3, with the ELB log-delivery bucket policy)."),
     ]),
    ("lb-access-logs", "classic-none", lambda s: clb(s).drop("classic", "accessLogs"), None,
     [
         ('classic',
          "Classic load balancer 'classic' writes no access logs; set accessLogs.bucket."),
     ]),
    # --- alb-waf ---
    ("alb-waf", "no-association", lambda s: s.remove("waf-alb"), None,
     [
         ('alb',
          "Internet-facing load balancer 'alb' has no WAF; associate a WAFv2 web ACL with it (aws.wafv2.WebAclAssociation) using the AWS managed rule groups."),
     ]),
    # --- alb-drop-invalid-headers ---
    ("alb-drop-invalid-headers", "off", lambda s: s.drop("alb", "dropInvalidHeaderFields"), None,
     [
         ('alb',
          "Load balancer 'alb' forwards invalid HTTP headers; set dropInvalidHeaderFields to true."),
     ]),
    # --- lb-desync-mitigation ---
    ("lb-desync-mitigation", "monitor", lambda s: s.set("alb", "desyncMitigationMode", "monitor"), None,
     [
         ('alb',
          'Load balancer \'alb\' only monitors HTTP desync; set desyncMitigationMode to "defensive" or "strictest".'),
     ]),
    # --- no-classic-load-balancer ---
    ("no-classic-load-balancer", "classic", lambda s: clb(s), None,
     [
         ('classic',
          "Classic load balancer 'classic' lacks HTTP-to-HTTPS redirects, modern TLS policies and WAF; use an aws.lb.LoadBalancer (Application Load Balancer)."),
     ]),
    # --- clb-cross-zone-and-draining ---
    ("clb-cross-zone-and-draining", "off",
     lambda s: clb(s, crossZoneLoadBalancing=False, connectionDraining=False), None,
     [
         ('classic',
          "Classic load balancer 'classic' keeps traffic inside each AZ; set crossZoneLoadBalancing to true so an AZ with fewer instances is not overloaded."),
         ('classic',
          "Classic load balancer 'classic' drops in-flight requests when an instance leaves; set connectionDraining to true."),
     ]),
    # --- waf-logging ---
    ("waf-logging", "none", lambda s: s.remove("cdn-waf-logging"), None,
     [
         ('cdn-waf',
          "Web ACL 'cdn-waf' keeps no record of what it blocked; add an aws.wafv2.WebAclLoggingConfiguration for it."),
     ]),
    # --- listener-certificate-from-acm ---
    ("listener-certificate-from-acm", "iam-certificate",
     lambda s: s.set("https", "certificateArn", "arn:aws:iam::123456789012:server-certificate/shop-2019"), None,
     [
         ('https',
          "Listener 'https' uses IAM server certificate shop-2019, which nobody renews; use an ACM certificate validated through DNS."),
     ]),
    # --- target-group-deregistration-delay ---
    ("target-group-deregistration-delay", "default", lambda s: s.drop("web-tg", "deregistrationDelay"), None,
     [
         ('web-tg',
          "Target group 'web-tg' keeps the default 300 s deregistration delay, so every instance replaced in a rollout lingers 5 minutes; set deregistrationDelay (e.g. 30)."),
     ]),
    ("target-group-deregistration-delay", "long", lambda s: s.set("web-tg", "deregistrationDelay", 600.0), None,
     [
         ('web-tg',
          "Target group 'web-tg' waits 600 s before deregistering an instance; set deregistrationDelay to at most 120."),
     ]),
]

COMPLIANT = [
    # --- http-listener-redirects-to-https ---
    ("http-listener-redirects-to-https", "https-protocol-unset", lambda s: s.drop("https", "protocol"), None),
    # --- lb-deletion-protection ---
    ("lb-deletion-protection", "staging-stack",
     lambda s: as_stack(s, "staging").set("alb", "enableDeletionProtection", False), None),
]
