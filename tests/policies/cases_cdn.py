"""The cdn policies' cases (rules/cdn.py) on the compliant stack (the form: case_lists.py)."""
from .fixtures import compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- cloudfront-viewer-https-tls12 ---
    ("cloudfront-viewer-https-tls12", "allow-all",
     lambda s: s.set("cdn", "defaultCacheBehavior.viewerProtocolPolicy", "allow-all"), None,
     [
         ('cdn',
          'Distribution \'cdn\' serves plain HTTP on its default cache behavior; set viewerProtocolPolicy to "redirect-to-https" or "https-only".'),
     ]),
    ("cloudfront-viewer-https-tls12", "ordered-allow-all",
     lambda s: s.set("cdn", "orderedCacheBehaviors", [{"pathPattern": "/img/*", "targetOriginId": "assets",
                                                       "viewerProtocolPolicy": "allow-all"}]), None,
     [
         ('cdn',
          'Distribution \'cdn\' serves plain HTTP on its cache behavior /img/*; set viewerProtocolPolicy to "redirect-to-https" or "https-only".'),
     ]),
    ("cloudfront-viewer-https-tls12", "tls1", lambda s: s.set("cdn", "viewerCertificate.minimumProtocolVersion", "TLSv1"), None,
     [
         ('cdn',
          "Distribution 'cdn' accepts viewers on TLSv1; set viewerCertificate.minimumProtocolVersion to TLSv1.2_2021 or later."),
     ]),
    ("cloudfront-viewer-https-tls12", "default-certificate",
     lambda s: s.set("cdn", "viewerCertificate", {"cloudfrontDefaultCertificate": True}), None,
     [
         ('cdn',
          'Distribution \'cdn\' uses the default CloudFront certificate, which allows TLS 1.0; use an ACM certificate (sslSupportMethod "sni-only") with minimumProtocolVersion TLSv1.2_2021.'),
     ]),
    # --- cloudfront-access-logs ---
    ("cloudfront-access-logs", "none", lambda s: s.drop("cdn", "loggingConfig"), None,
     [
         ('cdn',
          "Distribution 'cdn' writes no access logs; set loggingConfig.bucket to the logs bucket."),
     ]),
    # --- cloudfront-waf ---
    ("cloudfront-waf", "none", lambda s: s.drop("cdn", "webAclId"), None,
     [
         ('cdn',
          "Distribution 'cdn' has no WAF; set webAclId to a WAFv2 web ACL with scope CLOUDFRONT (created in us-east-1)."),
     ]),
    # --- cloudfront-origin-tls ---
    ("cloudfront-origin-tls", "http-only",
     lambda s: s.set("cdn", "origins.1", {"originId": "alb", "domainName": ref("alb"), "customOriginConfig": {
         "originProtocolPolicy": "http-only", "httpPort": 80.0, "httpsPort": 443.0,
         "originSslProtocols": ["TLSv1", "TLSv1.2"]}}), None,
     [
         ('cdn',
          'Distribution \'cdn\' reaches origin alb with http-only; set originProtocolPolicy to "https-only".'),
         ('cdn',
          'Distribution \'cdn\' allows TLSv1 to origin alb; set originSslProtocols to ["TLSv1.2"].'),
     ]),
    # --- cloudfront-origin-failover ---
    ("cloudfront-origin-failover", "no-group", lambda s: s.drop("cdn", "originGroups"), None,
     [
         ('cdn',
          "Distribution 'cdn' has no origin group; add an originGroups entry with a primary and a failover origin."),
     ]),
    # --- cloudfront-s3-origin-access-control ---
    ("cloudfront-s3-origin-access-control", "public-origin", lambda s: s.drop("cdn", "origins.0.originAccessControlId"), None,
     [
         ('cdn',
          "Distribution 'cdn' reads S3 origin assets without Origin Access Control, so the bucket must be public; set originAccessControlId and grant CloudFront in the bucket policy."),
     ]),
    # --- cloudfront-certificate-us-east-1 ---
    ("cloudfront-certificate-us-east-1", "eu-certificate", lambda s: s.set("cdn-cert", "region", "eu-west-1"), None,
     [
         ('cdn',
          'Distribution \'cdn\' uses certificate \'cdn-cert\' issued in eu-west-1; CloudFront only accepts certificates from us-east-1, so create it with region="us-east-1".'),
     ]),
    ("cloudfront-certificate-us-east-1", "literal-arn",
     lambda s: s.set("cdn", "viewerCertificate.acmCertificateArn",
                     "arn:aws:acm:eu-west-1:123456789012:certificate/abc"), None,
     [
         ('cdn',
          "Distribution 'cdn' uses a certificate from eu-west-1; CloudFront only accepts certificates from us-east-1."),
     ]),
    # --- cloudfront-security-headers ---
    ("cloudfront-security-headers", "none", lambda s: s.drop("cdn", "defaultCacheBehavior.responseHeadersPolicyId"), None,
     [
         ('cdn',
          "Distribution 'cdn' sends no security headers on its default cache behavior; set responseHeadersPolicyId (e.g. the managed SecurityHeadersPolicy)."),
     ]),
    # --- cloudfront-s3-origin-in-stack ---
    ("cloudfront-s3-origin-in-stack", "foreign-bucket",
     lambda s: s.set("cdn", "origins", [{"originId": "assets", "domainName": "legacy-assets.s3.amazonaws.com",
                                         "originAccessControlId": ref("oac")}]).drop("cdn", "originGroups"), None,
     [
         ('cdn',
          "Distribution 'cdn' reads S3 origin legacy-assets.s3.amazonaws.com, a bucket this stack does not manage; if it is deleted anyone can recreate it and serve your users, so create the bucket here."),
     ]),
]

COMPLIANT = [
    # --- cloudfront-viewer-https-tls12 ---
    ("cloudfront-viewer-https-tls12", "https-only",
     lambda s: s.set("cdn", "defaultCacheBehavior.viewerProtocolPolicy", "https-only"), None),
]
