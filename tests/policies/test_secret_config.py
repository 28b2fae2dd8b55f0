"""A master password or secret version from secret config passes, through pulumi-policy's own analyzer servicer as
the CLI drives it: the envelope proves nothing (the SDK wraps literals too), the stack config ConfigureStack carries
does, and pulumi-policy drops it unless the pack records it (framework_cache.install_config_recording)."""
import pytest
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import policy as framework

from .cases_data_services import SECRET_ENVELOPE
from .fixtures import compliant
from .test_preview_unknowns import _analyze_all, _servicer

import framework_cache  # noqa: E402  (the pack is on sys.path through .pk)
from rules import _secrets  # noqa: E402

RDS_MESSAGE = ("The RDS master password must be managed by RDS (Secrets Manager), generated, or secret config, never a "
               "plaintext value.\nRDS instance 'db' takes its master password from a plaintext literal or a non-secret "
               "config value, so it is stored unencrypted in the program or its stack configuration; set "
               "manageMasterUserPassword to true, or make it secret config (pulumi config set --secret) or a generated "
               "password (random.RandomPassword).")


@pytest.fixture
def recording(monkeypatch):
    """The pack's process: ConfigureStack records the stack config; pulumi-policy restored after the test."""
    monkeypatch.setattr(framework._PolicyAnalyzerServicer, "ConfigureStack",
                        framework._PolicyAnalyzerServicer.ConfigureStack)
    assert framework_cache.install_config_recording() is True
    yield
    _secrets.configure({}, [])


def _configure(config, secret_keys):
    response = _servicer().ConfigureStack(analyzer_pb2.AnalyzerStackConfigureRequest(
        stack="prod", project="shop", config=config, config_secret_keys=secret_keys, tags={"team": "shop"}), None)
    assert isinstance(response, analyzer_pb2.AnalyzerStackConfigureResponse)


def _db_password(value):
    s = compliant()
    s.drop("db", "manageMasterUserPassword")
    return s.set("db", "password", {SECRET_ENVELOPE[0]: SECRET_ENVELOPE[1], "value": value})


def _password_findings(s):
    return [d for d in _analyze_all(s) if d[0] == "rds-master-password-managed"]


def test_a_password_from_secret_config_passes(recording):
    _configure({"shop:dbPassword": "Secret-From-Config-1", "aws:region": "us-east-1"}, ["shop:dbPassword"])
    assert _password_findings(_db_password("Secret-From-Config-1")) == []


def test_a_password_from_plain_config_fails(recording):
    _configure({"shop:dbPassword": "Plain-From-Config-1"}, [])
    assert _password_findings(_db_password("Plain-From-Config-1")) == [("rds-master-password-managed", RDS_MESSAGE,
                                                                         "db")]


def test_a_literal_fails_though_the_stack_has_secret_config(recording):
    _configure({"shop:dbPassword": "Secret-From-Config-1"}, ["shop:dbPassword"])
    assert _password_findings(_db_password("Literal-In-Program-1")) == [("rds-master-password-managed", RDS_MESSAGE,
                                                                          "db")]


def test_a_secret_version_from_a_secret_config_object_passes(recording):
    _configure({"shop:payment": '{"apiKey": "sk_live_2", "account": "acct_9"}'}, ["shop:payment"])
    s = compliant()
    s.add("aws:secretsmanager/secretVersion:SecretVersion", "payment-key", {
        "secretId": "shop/payment", "secretString": {SECRET_ENVELOPE[0]: SECRET_ENVELOPE[1], "value": "sk_live_2"}})
    assert [d for d in _analyze_all(s) if d[0] == "secret-version-not-literal"] == []


def test_without_the_recording_pulumi_policy_keeps_no_stack_config(monkeypatch):
    """What the pack works around: the servicer's ConfigureStack keeps only the tags."""
    servicer = framework._PolicyAnalyzerServicer
    # pulumi-policy's own method, though an earlier test in this process installed the pack's recording.
    monkeypatch.setattr(servicer, "ConfigureStack", getattr(servicer.ConfigureStack, "__wrapped__",
                                                            servicer.ConfigureStack))
    _secrets.configure({}, [])
    _configure({"shop:dbPassword": "Secret-From-Config-1"}, ["shop:dbPassword"])
    assert _password_findings(_db_password("Secret-From-Config-1")) == [("rds-master-password-managed", RDS_MESSAGE,
                                                                          "db")]


def test_recording_installs_once(recording):
    wrapped = framework._PolicyAnalyzerServicer.ConfigureStack
    assert framework_cache.install_config_recording() is True
    assert framework._PolicyAnalyzerServicer.ConfigureStack is wrapped


def test_config_origin_reads_plain_before_secret():
    with _secrets.stack_config({"p:a": "same", "p:b": "same", "p:c": '["x", {"y": "z"}]'}, ["p:a", "p:c"]):
        assert [_secrets.config_origin(v) for v in ("same", "x", "z", "other", "", None)] == [
            "plain", "secret", "secret", None, None, None]
    assert _secrets.config_origin("x") is None
