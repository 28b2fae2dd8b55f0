"""The dns policies' cases (rules/dns.py) on the compliant stack (the form: case_lists.py)."""
from .fixtures import compliant
from .pk import ref

stack = compliant

VIOLATING = [
    # --- zone-apex-alias ---
    ("zone-apex-alias", "apex-cname",
     lambda s: s.set("apex", "type", "CNAME").drop("apex", "aliases").set("apex", "records", [ref("alb")]), None,
     [
         ('apex',
          "Record 'apex' makes the zone apex shop.example.com a CNAME, which DNS forbids; make it an A (and AAAA) alias record to the load balancer or CloudFront distribution."),
     ]),
    ("zone-apex-alias", "apex-fixed-ip",
     lambda s: s.drop("apex", "aliases").set("apex", "records", ["203.0.113.10"]).set("apex", "ttl", 300.0), None,
     [
         ('apex',
          "Record 'apex' points the zone apex shop.example.com at fixed addresses, which fail with the server behind them; make it an alias record to the load balancer or distribution."),
     ]),
    ("zone-apex-alias", "looked-up-zone-cname",
     lambda s: [s.set(r, "zoneId", "Z0123456789ABC") for r in ("apex", "www", "static")] and
     s.set("apex", "type", "CNAME").drop("apex", "aliases").set("apex", "records", ["shop.example.net"]), None,
     [
         ('apex',
          "Record 'apex' makes the zone apex shop.example.com a CNAME, which DNS forbids; make it an A (and AAAA) alias record to the load balancer or CloudFront distribution."),
     ]),
    ("zone-apex-alias", "relative-name",
     lambda s: s.set("apex", "name", "").set("apex", "type", "CNAME").drop("apex", "aliases").set(
         "apex", "records", ["shop.example.net"]).set("www", "name", "www"), None,
     [
         ('apex',
          "Record 'apex' makes the zone apex shop.example.com a CNAME, which DNS forbids; make it an A (and AAAA) alias record to the load balancer or CloudFront distribution."),
     ]),
    # --- dns-alias-evaluate-target-health ---
    ("dns-alias-evaluate-target-health", "off", lambda s: s.set("www", "aliases.0.evaluateTargetHealth", False), None,
     [
         ('www',
          "Alias record 'www' to load balancer 'alb' ignores target health; set evaluateTargetHealth to true."),
     ]),
    ("dns-alias-evaluate-target-health", "dangling",
     lambda s: s.set("static", "aliases.0.name", "d111111abcdef8.cloudfront.net").set(
         "static", "aliases.0.zoneId", "Z2FDTNDATAQYW2"), None,
     [
         ('static',
          "Alias record 'static' points at d111111abcdef8.cloudfront.net, which no resource of this stack provides; point it at the stack's load balancer or distribution outputs."),
     ]),
    ("dns-alias-evaluate-target-health", "no-www", lambda s: s.remove("www"), None,
     [
         ('apex',
          "Apex record 'apex' (shop.example.com) has no www.shop.example.com companion; add a www alias record so both names serve."),
     ]),
    # --- acm-dns-validated ---
    ("acm-dns-validated", "email", lambda s: s.set("cert", "validationMethod", "EMAIL"), None,
     [
         ('cert',
          'Certificate \'cert\' is validated by EMAIL, which needs a person for every renewal; set validationMethod to "DNS".'),
     ]),
    ("acm-dns-validated", "no-validation", lambda s: s.remove("cert-validation").drop(
    "cert-valid", "validationRecordFqdns"), None,
     [
         ('cert',
          "Certificate 'cert' has no DNS validation records or CertificateValidation in the stack; create the records from domainValidationOptions and an aws.acm.CertificateValidation."),
     ]),
    ("acm-dns-validated", "wildcard", lambda s: s.set("cert", "domainName", "*.shop.example.com"), None,
     [
         ('cert',
          "Certificate 'cert' is a wildcard (*.shop.example.com); name the hosts (apex, www, static) in subjectAlternativeNames instead."),
     ]),
    # --- route53-query-logging-and-dnssec ---
    ("route53-query-logging-and-dnssec", "none", lambda s: s.remove("zone-queries", "zone-dnssec"), None,
     [
         ('zone',
          "Hosted zone 'zone' logs no queries; add an aws.route53.QueryLog to a log group in us-east-1."),
         ('zone',
          "Hosted zone 'zone' is not signed; add a KeySigningKey and an aws.route53.HostedZoneDnsSec so resolvers can detect spoofed answers."),
     ]),
    # --- certificate-covers-aliases ---
    ("certificate-covers-aliases", "www-not-on-certificate", lambda s: s.drop("cert", "subjectAlternativeNames"), None,
     [
         ('www',
          "Record 'www' sends www.shop.example.com to load balancer 'alb', whose HTTPS certificate does not cover it; add www.shop.example.com to the certificate's subjectAlternativeNames."),
     ]),
    ("certificate-covers-aliases", "distribution-alias-missing", lambda s: s.set("cdn", "aliases", []), None,
     [
         ('static',
          "Record 'static' sends static.shop.example.com to distribution 'cdn', which does not list it in aliases; add static.shop.example.com to the distribution's aliases."),
     ]),
    ("certificate-covers-aliases", "distribution-certificate",
     lambda s: s.set("cdn-cert", "domainName", "img.shop.example.com"), None,
     [
         ('static',
          "Record 'static' sends static.shop.example.com to distribution 'cdn', whose certificate does not cover it; add static.shop.example.com to the certificate's subjectAlternativeNames."),
     ]),
    # --- acm-key-strength ---
    ("acm-key-strength", "rsa-1024", lambda s: s.set("cert", "keyAlgorithm", "RSA_1024"), None,
     [
         ('cert',
          "Certificate 'cert' uses a RSA_1024 key; request RSA_2048 or an EC key."),
     ]),
]

COMPLIANT = [
    # --- zone-apex-alias ---
    ("zone-apex-alias", "www-cname",
     lambda s: s.set("www", "type", "CNAME").drop("www", "aliases").set("www", "records", ["shop.example.com"]), None),
    # --- certificate-covers-aliases ---
    ("certificate-covers-aliases", "wildcard-certificate",
     lambda s: s.set("cert", "subjectAlternativeNames", ["*.shop.example.com"]), None),
]
