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
