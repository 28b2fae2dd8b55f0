"""CloudFront serving viewers plain HTTP (current), or accepting TLS 1.0 (alternative)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
cert = aws.acm.Certificate("static", domain_name="static.example.com", validation_method="DNS", region="us-east-1")
policy = "allow-all" if form == "current" else "redirect-to-https"
minimum = "TLSv1.2_2021" if form == "current" else "TLSv1"
aws.cloudfront.Distribution(
    "static", enabled=True, aliases=["static.example.com"],
    origins=[{"origin_id": "site", "domain_name": "origin.example.com", "custom_origin_config": {
        "http_port": 80, "https_port": 443, "origin_protocol_policy": "https-only", "origin_ssl_protocols": ["TLSv1.2"]}}],
    default_cache_behavior={"target_origin_id": "site", "viewer_protocol_policy": policy,
                            "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"],
                            "forwarded_values": {"query_string": False, "cookies": {"forward": "none"}}},
    restrictions={"geo_restriction": {"restriction_type": "none"}},
    viewer_certificate={"acm_certificate_arn": cert.arn, "ssl_support_method": "sni-only",
                        "minimum_protocol_version": minimum})
