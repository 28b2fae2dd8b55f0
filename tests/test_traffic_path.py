"""The traffic path (internet -> WAF -> ALB -> web servers -> database/cache), for both stacks and both runner modes.

Runs the portal program itself and the stand-in program (tests/programs/web_tier), which feeds the load balancer
and web tier with stand-ins for the other tiers (a second region layout: prod there uses two AZs and a fixed AMI).
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
from pathlib import Path

import pytest

from components.edge import settings as edge_settings
from components.validation import ConfigReader
from components.web import settings as web_settings
from components.web.boot import BootConfig, render_boot_script
from preflight.runner import UNKNOWN, RunResult, run_program

ROOT = Path(__file__).resolve().parent.parent
SHELLCHECK = ROOT / "venv" / "bin" / "shellcheck"

LB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
TG = "aws:lb/targetGroup:TargetGroup"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
SUBNET = "aws:ec2/subnet:Subnet"
ACL = "aws:wafv2/webAcl:WebAcl"
ACL_ASSOC = "aws:wafv2/webAclAssociation:WebAclAssociation"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
ASG = "aws:autoscaling/group:Group"
POLICY = "aws:autoscaling/policy:Policy"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
PROFILE = "aws:iam/instanceProfile:InstanceProfile"
PARAMETER = "aws:ssm/parameter:Parameter"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TOPIC = "aws:sns/topic:Topic"

SOURCES = ("portal", "web_tier")
DOMAINS = {"staging": "staging.shop.example.com", "prod": "shop.example.com"}
STACKS = ("staging", "prod")
MODES = ("preview", "update")
CASES = [(source, stack, mode) for source in SOURCES for stack in STACKS for mode in MODES]
IDS = [f"{source}-{stack}-{mode}" for source, stack, mode in CASES]


@pytest.fixture(scope="module")
def run(program_run, portal_run):
    def _run(source: str, stack: str, mode: str, overrides: dict | None = None) -> RunResult:
        result = (portal_run(stack, mode, overrides) if source == "portal"
                  else program_run(source, stack, mode, overrides))
        assert result.error is None, result.error.details
        return result
    return _run


@pytest.fixture(params=CASES, ids=IDS)
def case(request, run):
    source, stack, mode = request.param
    return Case(run(source, stack, mode))


class Case:
    """One run plus what the stack's settings say it must contain."""

    def __init__(self, result: RunResult):
        self.r = result
        self.stack = result.stack
        self.name = f"portal-{result.stack}"
        self.preview = result.mode == "preview"
        raw = {k[len("portal:"):]: v for k, v in result.config.items() if k.startswith("portal:")}
        reader = ConfigReader(raw, (*edge_settings.KEYS, *web_settings.KEYS))
        self.edge = edge_settings.parse(reader)
        self.web = web_settings.parse(reader)
        self.protect = str(raw.get("protect", "true")).lower() == "true"

    def get(self, type_: str, suffix: str = ""):
        return self.r.get(type_, f"{self.name}{suffix}")

    def subnets(self, tier: str) -> dict[str, object]:
        return {s.inputs["availabilityZone"]: s for s in self.r.find(SUBNET)
                if s.name.startswith(f"{self.name}-{tier}-")}

    def deps(self, resource, prop: str) -> set[str]:
        return set(resource.property_dependencies.get(prop, ()))


def known(value) -> bool:
    return value != UNKNOWN


# -- load balancer --------------------------------------------------------------------------------------

def test_alb_is_internet_facing_in_the_public_subnets_of_every_az(case):
    lb = case.get(LB, "-alb")
    public = case.subnets("public")
    assert len(public) >= 2 and len(public) == len(case.subnets("private"))
    assert lb.inputs["loadBalancerType"] == "application"
    assert lb.inputs["internal"] is False
    assert lb.inputs["name"] == f"{case.name}-alb"
    assert case.deps(lb, "subnets") == {s.urn for s in public.values()}
    assert len(lb.inputs["subnets"]) == len(public)
    if not case.preview:
        assert sorted(lb.inputs["subnets"]) == sorted(s.id for s in public.values())


def test_alb_security_group_is_open_to_80_and_443_only_and_sends_only_to_the_web_group(case):
    lb = case.get(LB, "-alb")
    alb_sg = case.get(SG, "-alb")
    web_sg = case.get(SG, "-web")
    assert case.deps(lb, "securityGroups") == {alb_sg.urn}
    assert "ingress" not in alb_sg.inputs and "egress" not in alb_sg.inputs  # rules are separate resources
    ingress = [r for r in case.r.find(INGRESS) if case.deps(r, "securityGroupId") == {alb_sg.urn}]
    assert sorted((r.inputs["fromPort"], r.inputs["toPort"], r.inputs["ipProtocol"],
                   r.inputs.get("cidrIpv4") or r.inputs.get("cidrIpv6")) for r in ingress) == [
        (80.0, 80.0, "tcp", "0.0.0.0/0"), (80.0, 80.0, "tcp", "::/0"),
        (443.0, 443.0, "tcp", "0.0.0.0/0"), (443.0, 443.0, "tcp", "::/0")]
    # Dual stack, so the AAAA aliases of the apex and www answer.
    assert lb.inputs["ipAddressType"] == "dualstack"
    egress = [r for r in case.r.find(EGRESS) if case.deps(r, "securityGroupId") == {alb_sg.urn}]
    assert len(egress) == 1
    rule = egress[0]
    assert (rule.inputs["fromPort"], rule.inputs["toPort"], rule.inputs["ipProtocol"]) == (
        float(case.web.app_port), float(case.web.app_port), "tcp")
    assert case.deps(rule, "referencedSecurityGroupId") == {web_sg.urn}
    assert "cidrIpv4" not in rule.inputs


def test_https_listener_and_redirect_only_http_listener(case):
    lb = case.get(LB, "-alb")
    tg = case.get(TG, "-web")
    https = case.get(LISTENER, "-https")
    http = case.get(LISTENER, "-http")
    listeners = [r for r in case.r.find(LISTENER) if case.deps(r, "loadBalancerArn") == {lb.urn}]
    assert {r.urn for r in listeners} == {https.urn, http.urn}
    assert (https.inputs["port"], https.inputs["protocol"]) == (443.0, "HTTPS")
    assert https.inputs["sslPolicy"] == case.edge.tls_policy
    assert https.inputs["sslPolicy"].startswith("ELBSecurityPolicy-TLS13-1-")
    assert https.inputs["certificateArn"].startswith("arn:aws:acm:") or case.deps(https, "certificateArn")
    assert https.inputs["defaultActions"][0]["type"] == "forward"
    assert case.deps(https, "defaultActions") == {tg.urn}
    assert (http.inputs["port"], http.inputs["protocol"]) == (80.0, "HTTP")
    assert http.inputs["defaultActions"] == [{"type": "redirect", "redirect": {
        "protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}]
    assert "certificateArn" not in http.inputs


def test_target_group_health_check_evicts_a_dead_server_within_30_seconds(case):
    tg = case.get(TG, "-web")
    assert (tg.inputs["port"], tg.inputs["protocol"], tg.inputs["targetType"]) == (
        float(case.web.app_port), "HTTP", "instance")
    hc = tg.inputs["healthCheck"]
    assert hc["enabled"] is True
    assert hc["path"] == case.edge.health_check_path == "/healthz"
    assert hc["matcher"] == "200"
    assert hc["port"] == "traffic-port"
    assert hc["timeout"] < hc["interval"]
    assert hc["interval"] * hc["unhealthyThreshold"] <= 30
    assert hc["healthyThreshold"] >= 2
    assert tg.inputs["deregistrationDelay"] == float(case.edge.deregistration_delay_seconds)
    assert tg.inputs["stickiness"] == {"type": "lb_cookie", "enabled": True,
                                       "cookieDuration": float(case.edge.stickiness_seconds)}


def test_access_logs_go_to_the_logs_bucket_after_its_policy(case):
    lb = case.get(LB, "-alb")
    logs = lb.inputs["accessLogs"]
    assert logs["enabled"] is True and logs["prefix"] == "alb"
    (bucket_urn,) = case.deps(lb, "accessLogs")
    assert case.r.by_urn(bucket_urn).type == "aws:s3/bucket:Bucket"
    policies = [p for p in case.r.find(BUCKET_POLICY) if bucket_urn in case.deps(p, "bucket")]
    assert len(policies) == 1
    assert policies[0].urn in lb.dependencies


def test_deletion_protection_follows_protect_and_invalid_headers_are_dropped(case):
    lb = case.get(LB, "-alb")
    assert lb.inputs["enableDeletionProtection"] is case.protect
    assert lb.inputs["enableDeletionProtection"] is (case.stack == "prod")
    assert lb.inputs["dropInvalidHeaderFields"] is True


def test_waf_has_rate_limit_and_managed_rules_with_metrics_and_guards_the_alb(case):
    acl = case.get(ACL, "-waf")
    lb = case.get(LB, "-alb")
    assert acl.inputs["scope"] == "REGIONAL"
    assert acl.inputs["defaultAction"] == {"allow": {}}
    vis = acl.inputs["visibilityConfig"]
    assert vis["cloudwatchMetricsEnabled"] is True and vis["sampledRequestsEnabled"] is True
    rules = {r["name"]: r for r in acl.inputs["rules"]}
    rate = rules["rate-limit-per-ip"]["statement"]["rateBasedStatement"]
    assert rate == {"limit": float(case.edge.waf_rate_limit), "aggregateKeyType": "IP", "evaluationWindowSec": 300.0}
    assert rules["rate-limit-per-ip"]["action"] == {"block": {}}
    for group in ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"):
        rule = rules[group]
        statement = rule["statement"]["managedRuleGroupStatement"]
        assert (statement["name"], statement["vendorName"]) == (group, "AWS")
        assert rule["overrideAction"] == {"none": {}}
    # only the 8 KB body limit of the common set is relaxed to count (image uploads); nothing else is overridden
    assert rules["AWSManagedRulesCommonRuleSet"]["statement"]["managedRuleGroupStatement"]["ruleActionOverrides"] == [
        {"name": "SizeRestrictions_BODY", "actionToUse": {"count": {}}}]
    for group in ("AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"):
        assert "ruleActionOverrides" not in rules[group]["statement"]["managedRuleGroupStatement"]
    assert len({r["priority"] for r in rules.values()}) == len(rules) == 4
    assert all(r["visibilityConfig"]["cloudwatchMetricsEnabled"] is True for r in rules.values())
    assert len({r["visibilityConfig"]["metricName"] for r in rules.values()}) == 4
    (assoc,) = case.r.find(ACL_ASSOC)
    assert case.deps(assoc, "resourceArn") == {lb.urn}
    assert case.deps(assoc, "webAclArn") == {acl.urn}



def test_waf_logs_what_it_blocks_or_counts_without_cookies(case):
    acl = case.get(ACL, "-waf")
    group = case.get("aws:cloudwatch/logGroup:LogGroup", "-waf-logs")
    assert group.inputs["name"] == f"aws-waf-logs-{case.name}"  # the only names WAF delivers to
    assert group.inputs["retentionInDays"] == float(case.edge.waf_log_retention_days)
    (key_urn,) = case.deps(group, "kmsKeyId")
    assert case.r.by_urn(key_urn).type == "aws:kms/key:Key"
    (logging,) = case.r.find("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
    assert case.deps(logging, "resourceArn") == {acl.urn}
    assert case.deps(logging, "logDestinationConfigs") == {group.urn}
    assert sorted(f["singleHeader"]["name"] for f in logging.inputs["redactedFields"]) == ["authorization", "cookie"]
    kept = logging.inputs["loggingFilter"]
    assert kept["defaultBehavior"] == "DROP"
    (rule,) = kept["filters"]
    assert (rule["behavior"], rule["requirement"]) == ("KEEP", "MEETS_ANY")
    assert [c["actionCondition"]["action"] for c in rule["conditions"]] == ["BLOCK", "COUNT", "EXCLUDED_AS_COUNT"]


def rollback_queries(alarm) -> dict[str, dict]:
    return {q["id"]: q for q in alarm.inputs["metricQueries"]}


def test_rollback_alarm_watches_the_alb_5xx_and_alerts(case):
    alarm = case.get(ALARM, "-alb-5xx")
    lb = case.get(LB, "-alb")
    assert alarm.inputs["name"] == f"{case.name}-alb-5xx"
    elb = rollback_queries(alarm)["elb"]["metric"]
    assert (elb["namespace"], elb["metricName"], elb["stat"], elb["period"]) == (
        "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", 60.0)
    assert lb.urn in case.deps(alarm, "metricQueries")
    if not case.preview:
        assert elb["dimensions"] == {"LoadBalancer": lb.outputs["arnSuffix"]}
    assert alarm.inputs["threshold"] == float(case.edge.rollback_alarm_threshold)
    assert alarm.inputs["comparisonOperator"] == "GreaterThanThreshold"
    topics = {t.urn for t in case.r.find(TOPIC)}
    for actions in ("alarmActions", "okActions"):
        assert len(alarm.inputs[actions]) == 1
        assert case.deps(alarm, actions) and case.deps(alarm, actions) <= topics


# -- security groups chained by reference ----------------------------------------------------------------

def test_security_groups_chain_internet_alb_web_database_cache(case):
    alb_sg, web_sg = case.get(SG, "-alb"), case.get(SG, "-web")
    web_ingress = [r for r in case.r.find(INGRESS) if case.deps(r, "securityGroupId") == {web_sg.urn}]
    assert len(web_ingress) == 1, "the web servers take traffic from the load balancer only"
    assert case.deps(web_ingress[0], "referencedSecurityGroupId") == {alb_sg.urn}
    assert web_ingress[0].inputs["fromPort"] == web_ingress[0].inputs["toPort"] == float(case.web.app_port)
    assert "cidrIpv4" not in web_ingress[0].inputs
    # database and cache admit the web group (and the web group may reach them) by reference, never by CIDR
    by_port = {}
    for rule in case.r.find(INGRESS):
        if case.deps(rule, "referencedSecurityGroupId") == {web_sg.urn}:
            by_port[rule.inputs["fromPort"]] = rule
    assert set(by_port) == {3306.0, 11211.0}
    web_egress = {r.inputs["fromPort"]: r for r in case.r.find(EGRESS)
                  if case.deps(r, "securityGroupId") == {web_sg.urn}}
    assert set(web_egress) == {3306.0, 11211.0, 443.0}
    for port in (3306.0, 11211.0):
        target_sg = case.deps(by_port[port], "securityGroupId")
        assert case.deps(web_egress[port], "referencedSecurityGroupId") == target_sg
        assert "cidrIpv4" not in web_egress[port].inputs


# -- web tier --------------------------------------------------------------------------------------------

def test_role_is_least_privilege(case):
    role = case.get(ROLE, "-web")
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"] == [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                   "Principal": {"Service": "ec2.amazonaws.com"}}]
    attachments = [a for a in case.r.find(ATTACHMENT) if case.deps(a, "role") == {role.urn}]
    assert [a.inputs["policyArn"] for a in attachments] == ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]
    profile = case.get(PROFILE, "-web")
    assert case.deps(profile, "role") == {role.urn}
    policy = case.get(ROLE_POLICY, "-web")
    assert case.deps(policy, "role") == {role.urn}
    if case.preview and not known(policy.inputs.get("policy", UNKNOWN)):
        return  # built from bucket and log group ARNs, unknown on a first preview
    doc = json.loads(policy.inputs["policy"])
    statements = {s["Sid"]: s for s in doc["Statement"]}
    assert set(statements) == {"ReadReleases", "ManageMedia", "ReadOwnParameters", "ConnectAsApplicationUser",
                               "WriteOwnLogs", "PublishAgentMetrics", "ReadOwnGroupTag"}
    assert all(s["Effect"] == "Allow" for s in statements.values())
    # Only the two actions without resource-level permissions use "*": metrics held to the agent's namespace, and
    # the read of the instance's own tags that names its Auto Scaling group.
    assert statements["PublishAgentMetrics"] == {
        "Sid": "PublishAgentMetrics", "Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*",
        "Condition": {"StringEquals": {"cloudwatch:namespace": "CWAgent"}}}
    assert statements["ReadOwnGroupTag"] == {"Sid": "ReadOwnGroupTag", "Effect": "Allow",
                                             "Action": "ec2:DescribeTags", "Resource": "*"}
    resources = [r for sid, s in statements.items() if sid not in ("PublishAgentMetrics", "ReadOwnGroupTag")
                 for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])]
    assert "*" not in resources
    assert statements["ReadReleases"]["Action"] == "s3:GetObject"
    assert re.fullmatch(r"arn:aws:s3:::[a-z0-9.-]+/releases/\*", statements["ReadReleases"]["Resource"])
    assert statements["ReadOwnParameters"]["Resource"] == [
        f"arn:aws:ssm:eu-west-1:123456789012:parameter/portal/{case.stack}",
        f"arn:aws:ssm:eu-west-1:123456789012:parameter/portal/{case.stack}/*"]
    logs = statements["WriteOwnLogs"]
    assert logs["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert len(logs["Resource"]) == 6
    assert all(f":log-group:/portal/{case.stack}/" in arn for arn in logs["Resource"])


# The keys the boot script reads (the boot contract): names, endpoints and settings, never a credential.
EXPECTED_PARAMETERS = {"database/endpoint", "database/port", "database/name", "database/user", "session-store",
                       "cache/endpoint", "cache/tls", "buckets/releases", "buckets/assets", "assets/media-prefix",
                       "cdn/static-base-url", "release", "logs/application", "logs/system", "logs/auth"}


def test_configuration_lives_in_parameter_store_under_the_stack_prefix(case):
    prefix = f"/portal/{case.stack}/"
    params = {p.inputs["name"][len(prefix):]: p for p in case.r.find(PARAMETER)
              if p.inputs["name"].startswith(prefix)}
    assert set(params) == EXPECTED_PARAMETERS
    assert all(p.inputs["type"] == "String" for p in params.values())
    assert params["release"].inputs["value"] == case.web.release
    assert params["logs/application"].inputs["value"] == f"/portal/{case.stack}/application"
    assert params["database/port"].inputs["value"] == "3306"
    assert params["database/name"].inputs["value"] == "portal"
    assert params["database/user"].inputs["value"] == "portal_app"
    assert params["assets/media-prefix"].inputs["value"] == "media/"
    if case.r.find("ecommerce:portal:Portal"):
        assert params["cdn/static-base-url"].inputs["value"] == f"https://static.{DOMAINS[case.stack]}"
    if not case.preview:
        assert json.loads(params["session-store"].inputs["value"]) == {
            "table": "sessions", "columns": {"id": "sess_id", "data": "sess_data", "lifetime": "sess_lifetime",
                                             "time": "sess_time"}}
        # The host alone: the port has a key of its own.
        assert re.fullmatch(r"[a-z0-9.-]+\.rds\.amazonaws\.com", params["database/endpoint"].inputs["value"])
        assert params["cache/endpoint"].inputs["value"].endswith(":11211")
    for key in ("buckets/releases", "buckets/assets", "logs/application"):
        assert case.deps(params[key], "value"), f"{key} must come from another tier's output"


def test_launch_template(case):
    lt = case.get(LT, "-web")
    web_sg, profile = case.get(SG, "-web"), case.get(PROFILE, "-web")
    i = lt.inputs
    # the stack's pinned image, never a lookup of a moving "latest" at deploy time
    assert case.web.ami_id and i["imageId"] == case.web.ami_id
    assert not [v for v in case.r.invokes if v.token == "aws:ssm/getParameter:getParameter"]
    assert re.fullmatch(r"ami-[0-9a-f]{8,17}", i["imageId"])
    assert i["instanceType"] == case.web.instance_type
    assert i["metadataOptions"] == {"httpEndpoint": "enabled", "httpTokens": "required",
                                    "httpPutResponseHopLimit": 1.0, "instanceMetadataTags": "disabled"}
    assert i["blockDeviceMappings"] == [{"deviceName": "/dev/xvda", "ebs": {
        "volumeType": "gp3", "volumeSize": float(case.web.root_volume_gb), "encrypted": "true",
        "deleteOnTermination": "true"}}]
    (nic,) = i["networkInterfaces"]
    assert nic["associatePublicIpAddress"] == "false" and nic["deviceIndex"] == 0.0
    assert case.deps(lt, "networkInterfaces") == {web_sg.urn}
    assert "vpcSecurityGroupIds" not in i and "keyName" not in i
    assert i["monitoring"] == {"enabled": True}
    assert case.deps(lt, "iamInstanceProfile") == {profile.urn}
    assert i["updateDefaultVersion"] is True


def decoded_user_data(case) -> str:
    return base64.b64decode(case.get(LT, "-web").inputs["userData"]).decode()


def test_user_data_is_the_rendered_boot_script_for_this_stack(case):
    script = decoded_user_data(case)
    assert script == render_boot_script(BootConfig(
        parameter_prefix=f"/portal/{case.stack}/", release=case.web.release, app_port=case.web.app_port,
        health_check_path=case.edge.health_check_path))
    assert f"\nRELEASE={case.web.release}\n" in script
    assert f"\nPARAMETER_PREFIX=/portal/{case.stack}/\n" in script
    assert "@@" not in script
    assert len(script.encode()) <= 16 * 1024, "EC2 takes at most 16 KB of user data before base64"


def test_auto_scaling_group_spans_the_private_subnets_of_every_az(case):
    asg = case.get(ASG, "-web")
    private = case.subnets("private")
    assert case.deps(asg, "vpcZoneIdentifiers") == {s.urn for s in private.values()}
    assert len(asg.inputs["vpcZoneIdentifiers"]) == len(private)
    if not case.preview:
        assert sorted(asg.inputs["vpcZoneIdentifiers"]) == sorted(s.id for s in private.values())
    assert asg.inputs["minSize"] >= len(private)
    assert (asg.inputs["minSize"], asg.inputs["maxSize"]) == (float(case.web.min_size), float(case.web.max_size))
    assert asg.inputs["healthCheckType"] == "ELB"
    assert asg.inputs["healthCheckGracePeriod"] == float(case.web.health_check_grace_seconds)
    assert asg.inputs["capacityRebalance"] is True
    assert asg.options["ignoreChanges"] == ["desiredCapacity"]
    assert "GroupInServiceInstances" in asg.inputs["enabledMetrics"]
    assert case.deps(asg, "targetGroupArns") == {case.get(TG, "-web").urn}
    assert not [a for a in case.r.resources if a.type in (
        "aws:autoscaling/attachment:Attachment", "aws:autoscaling/trafficSourceAttachment:TrafficSourceAttachment",
        "aws:lb/targetGroupAttachment:TargetGroupAttachment")], "the group is the one owner of the link"


def test_group_pins_the_templates_numbered_latest_version(case):
    asg, lt = case.get(ASG, "-web"), case.get(LT, "-web")
    version = asg.inputs["launchTemplate"]["version"]
    assert version not in ("$Latest", "$Default")
    # The version also waits for the release check on the releases bucket (see the release tests below).
    assert case.deps(asg, "launchTemplate") == {lt.urn, releases_bucket(case).urn}
    if case.preview:
        assert version == UNKNOWN  # the new version number is only known once the template is updated
    else:
        assert version == str(int(lt.outputs["latestVersion"])) == "1"
        assert asg.inputs["launchTemplate"]["id"] == lt.id


def test_instance_refresh_rolls_and_rolls_back_on_the_alb_5xx_alarm(case):
    refresh = case.get(ASG, "-web").inputs["instanceRefresh"]
    assert refresh["strategy"] == "Rolling"
    prefs = refresh["preferences"]
    assert prefs["minHealthyPercentage"] == float(case.web.refresh_min_healthy_percentage)
    assert prefs["maxHealthyPercentage"] == float(case.web.refresh_max_healthy_percentage)
    assert prefs["instanceWarmup"] == str(case.web.instance_warmup_seconds)
    assert prefs["checkpointPercentages"] == [50.0, 100.0]
    assert prefs["autoRollback"] is True
    assert prefs["alarmSpecification"] == {"alarms": [f"{case.name}-alb-5xx"]}
    assert case.deps(case.get(ASG, "-web"), "instanceRefresh") == {case.get(ALARM, "-alb-5xx").urn}


def test_target_tracking_on_cpu_and_requests_per_target(case):
    asg, lb, tg = case.get(ASG, "-web"), case.get(LB, "-alb"), case.get(TG, "-web")
    policies = {p.inputs["targetTrackingConfiguration"]["predefinedMetricSpecification"]["predefinedMetricType"]: p
                for p in case.r.find(POLICY) if case.deps(p, "autoscalingGroupName") == {asg.urn}}
    assert set(policies) == {"ASGAverageCPUUtilization", "ALBRequestCountPerTarget"}
    assert all(p.inputs["policyType"] == "TargetTrackingScaling" for p in policies.values())
    assert policies["ASGAverageCPUUtilization"].inputs["targetTrackingConfiguration"]["targetValue"] == float(
        case.web.cpu_target)
    requests = policies["ALBRequestCountPerTarget"]
    assert requests.inputs["targetTrackingConfiguration"]["targetValue"] == float(case.web.requests_per_target)
    assert case.deps(requests, "targetTrackingConfiguration") == {lb.urn, tg.urn}
    if not case.preview:
        label = requests.inputs["targetTrackingConfiguration"]["predefinedMetricSpecification"]["resourceLabel"]
        assert label == f"{lb.outputs['arnSuffix']}/{tg.outputs['arnSuffix']}"


BUCKET = "aws:s3/bucket:Bucket"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
GET_OBJECT = "aws:s3/getObject:getObject"


def releases_bucket(case):
    (bucket,) = [b for b in case.r.find(BUCKET) if b.name in (f"{case.name}-releases", "standin-releases")]
    return bucket


def test_servers_cannot_launch_before_everything_they_read_at_boot_exists(case):
    asg = case.get(ASG, "-web")
    before = set(asg.dependencies)
    prefix = f"/portal/{case.stack}/"
    parameters = {p.urn for p in case.r.find(PARAMETER) if p.inputs["name"].startswith(prefix)}
    assert len(parameters) == len(EXPECTED_PARAMETERS) and parameters <= before, "parameters come first"
    role = case.get(ROLE, "-web")
    grants = {case.get(ROLE_POLICY, "-web").urn, case.get(PROFILE, "-web").urn}
    grants |= {a.urn for a in case.r.find(ATTACHMENT) if case.deps(a, "role") == {role.urn}}
    assert grants <= before, "the role's permissions are in place before a server asks for anything"
    log_groups = {g.urn for g in case.r.find(LOG_GROUP) if g.inputs["name"].startswith(prefix)}
    assert len(log_groups) == 3 and log_groups <= before
    if case.r.find("ecommerce:portal:Portal"):
        # The real tiers: the database (and with it its managed secret) and the cache its endpoints name.
        assert case.get("aws:rds/instance:Instance", "-mysql").urn in before
        assert case.get("aws:elasticache/cluster:Cluster", "-cache").urn in before
    # The application's database user: a server signs in as it during boot (migrations).
    (bootstrap,) = case.r.find("aws:lambda/invocation:Invocation")
    assert bootstrap.urn in before


def test_request_count_scaling_waits_for_the_listeners(case):
    asg = case.get(ASG, "-web")
    (requests,) = [p for p in case.r.find(POLICY) if case.deps(p, "autoscalingGroupName") == {asg.urn}
                   and p.inputs["targetTrackingConfiguration"]["predefinedMetricSpecification"][
                       "predefinedMetricType"] == "ALBRequestCountPerTarget"]
    https = case.get(LISTENER, "-https")
    assert case.deps(https, "defaultActions") == {case.get(TG, "-web").urn}, "the listener that forwards"
    assert {https.urn, case.get(LISTENER, "-http").urn} <= set(requests.dependencies)


def test_a_release_that_does_not_serve_fails_the_deploy(case):
    asg = case.get(ASG, "-web")
    # pulumi up waits for min_size servers healthy behind the load balancer (the group is attached to the
    # target group inline, which is what the provider counts) ...
    assert asg.inputs["waitForElbCapacity"] == asg.inputs["minSize"] == float(case.web.min_size)
    assert asg.inputs["targetGroupArns"] and "trafficSources" not in asg.inputs
    # ... for longer than a server has to boot, with one replacement, so only a release that never serves fails.
    timeout = asg.inputs["waitForCapacityTimeout"]
    assert re.fullmatch(r"[0-9]+s", timeout)
    assert int(timeout[:-1]) >= 2 * case.web.health_check_grace_seconds + 60
    assert asg.inputs.get("ignoreFailedScalingActivities") in (None, False), "a failed launch fails at once"


def test_servers_are_not_pointed_at_a_release_before_it_is_in_the_bucket(case):
    bucket = releases_bucket(case)
    lookups = [i for i in case.r.invokes if i.token == GET_OBJECT]
    archive = f"releases/{case.web.release}/portal.tar.gz"
    name_known = known(bucket.outputs.get("bucket", UNKNOWN)) if case.preview else True
    if not name_known:
        assert lookups == []  # a first preview: the bucket does not exist yet
    else:
        assert sorted(i.args["key"] for i in lookups) == [archive, f"{archive}.sha256"]
        assert {i.args["bucket"] for i in lookups} == {bucket.outputs["bucket"]}
        assert all(i.args["downloadBody"] == "false" for i in lookups)
    # The group's template version is only known once the check passed.
    assert bucket.urn in case.deps(case.get(ASG, "-web"), "launchTemplate")


def test_rollback_fires_on_the_web_servers_own_5xx(case):
    alarm = case.get(ALARM, "-alb-5xx")
    asg = case.get(ASG, "-web")
    lb, tg = case.get(LB, "-alb"), case.get(TG, "-web")
    assert asg.inputs["instanceRefresh"]["preferences"]["alarmSpecification"]["alarms"] == [alarm.inputs["name"]]
    queries = rollback_queries(alarm)
    targets = queries["targets"]["metric"]
    assert (targets["namespace"], targets["metricName"], targets["stat"], targets["period"]) == (
        "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", 60.0)
    assert set(targets["dimensions"]) == {"LoadBalancer", "TargetGroup"}
    assert {lb.urn, tg.urn} <= case.deps(alarm, "metricQueries")
    if not case.preview:
        assert targets["dimensions"] == {"LoadBalancer": lb.outputs["arnSuffix"],
                                         "TargetGroup": tg.outputs["arnSuffix"]}
    # Exactly one query is the alarm's value: both counts added, a silent one counting as zero.
    (value,) = [q for q in queries.values() if q.get("returnData")]
    assert value["expression"] == "FILL(elb, 0) + FILL(targets, 0)"
    assert not queries["elb"]["returnData"] and not queries["targets"]["returnData"]
    assert "metricName" not in alarm.inputs and "namespace" not in alarm.inputs


def test_every_child_belongs_to_its_component(case):
    edge = case.r.get("ecommerce:edge:LoadBalancer", case.name)
    web = case.r.get("ecommerce:web:WebTier", case.name)
    assert case.get(LB, "-alb").parent == edge.urn
    assert case.get(ALARM, "-alb-5xx").parent == edge.urn
    assert case.get(ASG, "-web").parent == web.urn
    assert case.get(LT, "-web").parent == web.urn
    assert len(case.r.children(web)) >= 20


# -- releases --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("mode", MODES)
def test_changing_the_release_changes_the_user_data_and_nothing_else(run, source, stack, mode):
    # The run without the override is the session's (the other tests' run of the same program and stack).
    program = ROOT if source == "portal" else ROOT / "tests" / "programs" / source
    before = run(source, stack, mode)
    after = run_program(program, stack, mode, {"portal:release": "2099.01.01-9"})
    assert after.error is None, after.error.details
    old_by_urn = {r.urn: r for r in before.resources}
    new_by_urn = {r.urn: r for r in after.resources}
    assert set(old_by_urn) == set(new_by_urn), "the release adds or removes nothing"
    changed = {}
    for urn, new in new_by_urn.items():
        old = old_by_urn[urn]
        keys = {k for k in set(old.inputs) | set(new.inputs) if old.inputs.get(k) != new.inputs.get(k)}
        if keys:
            changed[(new.type, new.name)] = keys
    name = f"portal-{stack}"
    # The template's user data makes a new version (and so a refresh); the parameter only records the release.
    assert changed == {(LT, f"{name}-web"): {"userData"}, (PARAMETER, f"{name}-param-release"): {"value"}}
    new_script = base64.b64decode(after.get(LT, f"{name}-web").inputs["userData"]).decode()
    old_script = base64.b64decode(before.get(LT, f"{name}-web").inputs["userData"]).decode()
    assert "RELEASE=2099.01.01-9" in new_script and "RELEASE=2099.01.01-9" not in old_script
    assert [line for line in new_script.splitlines() if line not in old_script.splitlines()] == [
        "RELEASE=2099.01.01-9"]


@pytest.mark.parametrize("source", SOURCES)
def test_the_web_tier_refuses_to_build_without_a_release(program_run, portal_run, source):
    overrides = {"portal:release": ""}
    result = portal_run("staging", "preview", overrides) if source == "portal" else program_run(
        source, "staging", "preview", overrides)
    assert result.error is not None
    assert "portal:release is not set" in result.error.message


# -- the boot script -------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("stack", STACKS)
def test_rendered_boot_script_passes_shellcheck(run, source, stack, tmp_path):
    case = Case(run(source, stack, "update"))
    script = tmp_path / f"boot-{stack}.sh"
    script.write_text(decoded_user_data(case))
    checked = subprocess.run([str(SHELLCHECK), "--shell=bash", "--severity=style", str(script)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_boot_script_does_the_steps_in_order():
    script = render_boot_script(BootConfig("/portal/staging/", "1.2.3", 8080, "/healthz"))
    steps = [
        "aws ssm get-parameters-by-path",                  # configuration from Parameter Store
        'releases/${RELEASE}/${object}"',                  # the release from the releases bucket
        "sha256sum --check",                               # checksum verified
        'tar -xzf "${WORK}/portal.tar.gz" -C "${RELEASE_DIR}"',  # unpacked to local storage
        'curl -fsS --retry 3 -o "${WORK}/rds-ca.pem"',     # the CA that verifies the database's TLS
        'session: {handler: "database"',                   # sessions in the database
        'cache: {backend: "memcached"',                    # cache in memcached
        '"${TOKEN_SCRIPT}" || fail',                       # the first database token
        "amazon-cloudwatch-agent-ctl\" -a fetch-config",   # logs and metrics shipped
        "php bin/migrate.php",                             # schema migrated
        "systemctl start httpd",                           # web server last...
        'install -m 0644 "${WORK}/booted" "${HEALTH_DIR}/booted"',  # ...and only then healthz.php answers 200
    ]
    positions = [script.index(step) for step in steps]
    assert positions == sorted(positions)
    for kind in ("LOG_GROUP_APPLICATION", "LOG_GROUP_SYSTEM", "LOG_GROUP_AUTH"):
        assert f'"log_group_name": "${{{kind}}}"' in script
    assert "set -euo pipefail" in script


def test_boot_script_values_are_shell_quoted():
    script = render_boot_script(BootConfig("/portal/x y/", "1.2.3", 8080, "/healthz"))
    assert "\nPARAMETER_PREFIX='/portal/x y/'\n" in script


# -- wiring inside the portal ----------------------------------------------------------------------------

@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("mode", MODES)
def test_portal_serves_the_validated_regional_certificate_and_aliases_the_alb(run, stack, mode):
    case = Case(run("portal", stack, mode))
    https = case.get(LISTENER, "-https")
    (validation_urn,) = case.deps(https, "certificateArn")
    validation = case.r.by_urn(validation_urn)
    assert validation.type == "aws:acm/certificateValidation:CertificateValidation"
    (cert_urn,) = case.deps(validation, "certificateArn")
    cert = case.r.by_urn(cert_urn)
    assert cert.inputs.get("region", "eu-west-1") == "eu-west-1"
    lb = case.get(LB, "-alb")
    records = [r for r in case.r.find("aws:route53/record:Record") if case.deps(r, "aliases") == {lb.urn}]
    assert sorted(r.inputs["type"] for r in records) == ["A", "A", "AAAA", "AAAA"]
    assert all(r.inputs["aliases"][0]["evaluateTargetHealth"] is True for r in records)


@pytest.mark.parametrize("mode", MODES)
def test_a_changed_health_path_is_what_the_load_balancer_route_53_and_the_servers_use(run, mode):
    case = Case(run("portal", "staging", mode, {"portal:healthCheckPath": "/status/ready"}))
    assert case.edge.health_check_path == "/status/ready"
    assert case.get(TG, "-web").inputs["healthCheck"]["path"] == "/status/ready"
    (check,) = case.r.find("aws:route53/healthCheck:HealthCheck")
    assert check.inputs["resourcePath"] == "/status/ready"
    script = decoded_user_data(case)
    assert "\nHEALTH_CHECK_PATH=/status/ready\n" in script
    assert "Alias ${HEALTH_CHECK_PATH} ${PORTAL_ROOT}/current/public/healthz.php" in script


# -- least privilege that still works (the application's own user, media uploads) ------------------------------

def web_policy(case) -> dict | None:
    policy = case.get(ROLE_POLICY, "-web")
    if case.preview and not known(policy.inputs.get("policy", UNKNOWN)):
        return None
    return {s["Sid"]: s for s in json.loads(policy.inputs["policy"])["Statement"]}


def test_web_servers_can_write_media_but_nothing_outside_the_media_prefix(case):
    statements = web_policy(case)
    if statements is None:
        return
    assets = releases_bucket(case).name.replace("releases", "assets")
    (bucket,) = [b for b in case.r.find(BUCKET) if b.name == assets]
    media = statements["ManageMedia"]
    assert media["Action"] == ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]
    assert media["Resource"] == f"{bucket.outputs['arn']}/media/*"
    writes = [s for s in statements.values()
              if {a for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])} & {
                  "s3:PutObject", "s3:DeleteObject", "s3:*"}]
    assert writes == [media], "the media prefix is the only place a server may write"


def test_the_master_secret_never_reaches_a_server(case):
    prefix = f"/portal/{case.stack}/"
    names = {p.inputs["name"] for p in case.r.find(PARAMETER)}
    assert f"{prefix}database/secret-arn" not in names
    for parameter in case.r.find(PARAMETER):
        assert "secretsmanager" not in json.dumps(parameter.inputs.get("value", "")), parameter.name
    statements = web_policy(case)
    if statements is not None:
        actions = json.dumps([s["Action"] for s in statements.values()])
        assert "secretsmanager" not in actions and "kms:" not in actions
    role = case.get(ROLE, "-web")
    assert [a.inputs["policyArn"] for a in case.r.find(ATTACHMENT) if case.deps(a, "role") == {role.urn}] == [
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]


def test_web_servers_sign_in_to_mysql_only_as_the_application_user(case):
    statements = web_policy(case)
    if statements is None:
        return
    connect = statements["ConnectAsApplicationUser"]
    assert connect["Action"] == "rds-db:connect"
    resource_id = (case.get("aws:rds/instance:Instance", "-mysql").outputs["resourceId"]
                   if case.r.find("ecommerce:portal:Portal") else "db-ABCDEFGHIJKLMNOPQRSTUVWXY0")
    assert connect["Resource"] == f"arn:aws:rds-db:eu-west-1:123456789012:dbuser:{resource_id}/portal_app"


CHAIN = "ecommerce:security:SecurityGroups"


def test_the_web_security_group_admits_the_load_balancer_before_the_group_launches(case):
    """Every rule on the path load balancer -> web -> database / cache exists before the first server boots:
    created after the group, a server could boot (and run its migrations) before MySQL admitted it."""
    asg = case.get(ASG, "-web")
    (chain,) = case.r.find(CHAIN)
    web_sg = case.get(SG, "-web")
    path_rules = {r.urn for r in case.r.find(INGRESS) + case.r.find(EGRESS)
                  if web_sg.urn in case.deps(r, "securityGroupId") | case.deps(r, "referencedSecurityGroupId")}
    assert len(path_rules) == 7  # alb->web, web<-alb, web->db, web->cache, web->https, db<-web, cache<-web
    assert path_rules <= set(asg.dependencies)
    assert all(case.r.by_urn(urn).parent == chain.urn for urn in path_rules)
    # Built once, in one place: no tier owns a group of the chain.
    chain_groups = [case.get(SG, suffix) for suffix in ("-alb", "-web")]
    if case.r.find("ecommerce:portal:Portal"):
        chain_groups += [case.get(SG, suffix) for suffix in ("-db", "-cache", "-db-bootstrap")]
    assert {g.parent for g in chain_groups} == {chain.urn}
