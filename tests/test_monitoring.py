"""Logging, Alerting and Monitoring: every alarm on its metric, linked to this stack's resources, acting on the
right topic; the outside-in check; encrypted log groups; the dashboard. First on stand-ins of the other tiers
(tests/programs/monitoring), then in the whole portal."""

import pytest

from tests import monitoring_checks as checks

MODES = ("preview", "update")
STANDIN = {
    "staging": dict(emails=["ops@example.com", "oncall@example.com"], sms=["+447700900123"],
                    https=["https://events.pagerduty.com/integration/abc123/enqueue"], retention=30.0),
    "prod": dict(emails=["ops@example.com"], sms=[], https=[], retention=365.0),
}


@pytest.fixture(params=[(s, m) for s in STANDIN for m in MODES], ids=lambda p: f"{p[0]}-{p[1]}")
def standin(request, program_run):
    stack, mode = request.param
    result = program_run("monitoring", stack, mode)
    assert result.error is None, result.error and result.error.details
    return stack, result


def test_alarms_watch_this_stacks_resources_and_notify_the_topic(standin):
    stack, result = standin
    checks.check_alarms(result, f"portal-{stack}")


def test_a_web_server_filling_its_disk_raises_an_alarm(standin):
    stack, result = standin
    checks.check_disk_alarms(result, f"portal-{stack}", 85.0)


def test_elb_5xx_alarm_is_the_load_balancers_and_listed_once(standin):
    stack, result = standin
    checks.check_rollback_alarm(result, f"portal-{stack}", result.get(checks.ALARM, "standin-elb-5xx"))


def test_thresholds_come_from_settings(standin):
    stack, result = standin
    name = f"portal-{stack}"
    target_5xx = result.get(checks.ALARM, f"{name}-lb-target-5xx").inputs["threshold"]
    assert target_5xx == (25.0 if stack == "prod" else 10.0)
    assert result.get(checks.ALARM, f"{name}-lb-p95-latency").inputs["threshold"] == 1.5
    assert result.get(checks.ALARM, f"{name}-db-free-storage").inputs["threshold"] == 5120 * 1024 * 1024
    assert result.get(checks.ALARM, f"{name}-web-in-service").inputs["threshold"] == 3.0  # the group's min


def test_outside_in_health_check_and_its_us_east_1_alarm(standin):
    stack, result = standin
    checks.check_health_check(result, f"portal-{stack}", f"{stack}.shop.example.com", "/healthz")


def test_log_groups_have_retention_and_kms(standin):
    stack, result = standin
    checks.check_log_groups(result, f"portal-{stack}", stack, STANDIN[stack]["retention"])


def test_application_error_filter_and_alarm(standin):
    stack, result = standin
    groups = checks.check_log_groups(result, f"portal-{stack}", stack, STANDIN[stack]["retention"])
    checks.check_application_errors(result, f"portal-{stack}", stack, groups["application"])


def test_encrypted_topics_policies_and_subscriptions(standin):
    stack, result = standin
    expected = STANDIN[stack]
    checks.check_alerting(result, f"portal-{stack}", expected["emails"], expected["sms"], expected["https"])


def test_database_event_subscription(standin):
    stack, result = standin
    checks.check_database_events(result, f"portal-{stack}")


def test_failed_launches_are_notified(standin):
    stack, result = standin
    checks.check_group_notifications(result, f"portal-{stack}")


def test_dashboard_shows_this_stacks_resources(standin):
    stack, result = standin
    checks.check_dashboard(result, f"portal-{stack}")
    assert result.outputs["dashboardUrl"] == (
        f"https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1"
        f"#dashboards/dashboard/portal-{stack}")


def test_staging_and_prod_have_the_same_alarms(program_run):
    def alarm_shapes(stack):
        result = program_run("monitoring", stack, "update")
        return sorted((a.name.replace(f"portal-{stack}", ""), a.inputs["namespace"].replace(stack, "<env>"),
                       a.inputs["metricName"])
                      for a in result.find(checks.ALARM))

    assert alarm_shapes("staging") == alarm_shapes("prod")


# ---- the same checks on the whole portal -------------------------------------------------------------------

PORTAL = {"staging": dict(domain="staging.shop.example.com", retention=30.0),
          "prod": dict(domain="shop.example.com", retention=365.0)}


@pytest.fixture(params=[(s, m) for s in PORTAL for m in MODES], ids=lambda p: f"portal-{p[0]}-{p[1]}")
def portal(request, portal_run):
    stack, mode = request.param
    result = portal_run(stack, mode)
    assert result.error is None, result.error and result.error.details
    return stack, result


def test_portal_alarms_watch_its_own_tiers(portal):
    stack, result = portal
    name = f"portal-{stack}"
    checks.check_alarms(result, name)
    checks.check_disk_alarms(result, name, 85.0)
    checks.check_rollback_alarm(result, name, result.get(checks.ALARM, f"{name}-alb-5xx"))
    checks.check_database_events(result, name)
    checks.check_group_notifications(result, name)


def test_portal_health_check_logs_and_alerting(portal):
    stack, result = portal
    name = f"portal-{stack}"
    checks.check_health_check(result, name, PORTAL[stack]["domain"], "/healthz")
    groups = checks.check_log_groups(result, name, stack, PORTAL[stack]["retention"])
    checks.check_application_errors(result, name, stack, groups["application"])
    checks.check_alerting(result, name, ["oncall@example.com"], [], [])  # from the stack files


def test_portal_web_servers_ship_to_the_monitored_log_groups(portal):
    stack, result = portal
    policy = result.get("aws:iam/rolePolicy:RolePolicy", f"portal-{stack}-web")
    for kind in ("application", "system", "auth"):
        group = result.get(checks.LOG_GROUP, f"portal-{stack}-{kind}")
        assert group.urn in policy.property_dependencies["policy"], kind
        if result.mode == "update":
            assert group.outputs["arn"] in policy.inputs["policy"], kind


def test_portal_dashboard(portal):
    stack, result = portal
    checks.check_dashboard(result, f"portal-{stack}")


def test_portal_alert_subscriptions_come_from_settings(portal_run):
    result = portal_run("staging", "update", {"portal:alertEmails": '["ops@example.com"]',
                                              "portal:alertSmsNumbers": '["+447700900123"]',
                                              "portal:alertHttpsEndpoints": '["https://hooks.example.com/a"]'})
    assert result.error is None, result.error and result.error.details
    checks.check_alerting(result, "portal-staging", ["ops@example.com"], ["+447700900123"],
                          ["https://hooks.example.com/a"])


def test_portal_staging_and_prod_have_the_same_alarms(portal_run):
    def alarm_shapes(stack):
        result = portal_run(stack, "update")
        return sorted((a.name.replace(f"portal-{stack}", ""), a.inputs.get("namespace", "").replace(stack, "<env>"),
                       sorted(checks.alarm_metrics(a)), a.inputs.get("region")) for a in result.find(checks.ALARM))

    staging = alarm_shapes("staging")
    assert len(staging) >= len(checks.ALARMS) + 2  # plus the rollback and application-error alarms
    assert staging == alarm_shapes("prod")


def test_portal_disk_alarm_threshold_comes_from_settings(portal_run):
    result = portal_run("staging", "update", {"portal:webDiskUsedPercent": "70"})
    assert result.error is None, result.error and result.error.details
    checks.check_disk_alarms(result, "portal-staging", 70.0)
