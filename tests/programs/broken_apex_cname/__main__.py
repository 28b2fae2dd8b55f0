"""The zone apex is a CNAME (current) or plain A records to a fixed address (a workaround that breaks when the target's addresses change)."""
import pulumi
import pulumi_aws as aws

form = pulumi.Config().get("form") or "current"
zone = aws.route53.Zone("zone", name="shop.example.com")
if form == "current":
    aws.route53.Record("apex", zone_id=zone.zone_id, name="shop.example.com", type="CNAME", ttl=300,
                       records=["shop-lb-123.us-east-1.elb.amazonaws.com"])
else:
    aws.route53.Record("apex", zone_id=zone.zone_id, name="shop.example.com", type="A", ttl=300,
                       records=["203.0.113.10"])
aws.route53.Record("www", zone_id=zone.zone_id, name="www.shop.example.com", type="CNAME", ttl=300,
                   records=["shop-lb-123.us-east-1.elb.amazonaws.com"])
