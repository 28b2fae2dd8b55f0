"""preflight.config: stack files read as YAML 1.2, -c keys checked against the declared ones, secrets given offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from preflight import cli
from preflight.config import (
    SECRET_PLACEHOLDER,
    ConfigOverrides,
    StackConfigError,
    load_secrets_file,
    load_stack_config,
    placeholder_hint,
)
from preflight.runner import run_program

from .conftest import PROGRAMS, ROOT

WEBHOOK = os.path.join(PROGRAMS, "secret_webhook")
PORTAL_LIKE = """\
name: ecommerce-portal
runtime: python
config:
  portal:azCount:
    value: 3
  portal:alertWebhookUrl:
    value: ''
  portal:dbName:
    value: portal
  aws:region:
    value: eu-west-1
"""


def _project(tmp_path, pulumi_yaml: str, stack_yaml: str = "config: {}\n", stack: str = "staging"):
    (tmp_path / "Pulumi.yaml").write_text(pulumi_yaml)
    (tmp_path / f"Pulumi.{stack}.yaml").write_text(stack_yaml)
    (tmp_path / "__main__.py").write_text("import pulumi\npulumi.export('ok', True)\n")
    return str(tmp_path)


def _error(program_dir, stack="staging", overrides=None) -> str:
    with pytest.raises(StackConfigError) as e:
        load_stack_config(program_dir, stack, overrides)
    return str(e.value)


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# ---- YAML 1.2, as the CLI reads the files ----


def test_yaml_1_1_booleans_and_dates_reach_the_program_as_written(tmp_path):
    p = _project(tmp_path, "name: p\nruntime: python\nconfig:\n  answer: no\n",
                 "config:\n  p:mode: off\n  p:since: 2024-01-01\n  p:window: {from: 2024-01-01, on: yes}\n")
    values = load_stack_config(p, "staging").values
    assert values["p:answer"] == "no"
    assert values["p:mode"] == "off"
    assert values["p:since"] == "2024-01-01"
    assert json.loads(values["p:window"]) == {"from": "2024-01-01", "on": "yes"}


def test_a_duplicate_key_in_the_stack_file_is_an_error(tmp_path):
    p = _project(tmp_path, "name: p\nruntime: python\n", "config:\n  p:size: 2\n  p:size: 3\n")
    assert _error(p) == f"could not parse {tmp_path}/Pulumi.staging.yaml:3:3: mapping key \"p:size\" already defined at line 2"


def test_a_parse_error_in_the_project_file_names_line_and_column(tmp_path):
    p = _project(tmp_path, "name: p\nruntime: python\nconfig:\n  size: 2\n    other: 3\n")
    assert _error(p) == f"could not parse {tmp_path}/Pulumi.yaml:5:10: mapping values are not allowed here"


def test_the_portal_stacks_still_load():
    values = load_stack_config(ROOT, "staging").values
    assert values["portal:azCount"] == "3" and values["portal:dbEngineVersion"] == "8.4"


# ---- -c keys must be declared ----


def test_an_unqualified_key_is_in_the_project_namespace_and_the_declared_one_is_suggested(tmp_path):
    p = _project(tmp_path, PORTAL_LIKE)
    assert _error(p, overrides={"azCount": "2"}) == (
        "-c azCount=2: ecommerce-portal:azCount is not declared in Pulumi.yaml or Pulumi.staging.yaml "
        "(a key without a namespace is in the project's, ecommerce-portal); did you mean portal:azCount?")


def test_a_foreign_namespace_is_not_declared(tmp_path):
    p = _project(tmp_path, PORTAL_LIKE)
    assert _error(p, overrides={"ecommerce:azCount": "2"}) == (
        "-c ecommerce:azCount=2: ecommerce:azCount is not declared in Pulumi.yaml or Pulumi.staging.yaml; "
        "did you mean portal:azCount?")


def test_a_misspelt_key_gets_the_closest_declared_one(tmp_path):
    p = _project(tmp_path, PORTAL_LIKE)
    assert _error(p, overrides={"portal:azCuont": "2"}) == (
        "-c portal:azCuont=2: portal:azCuont is not declared in Pulumi.yaml or Pulumi.staging.yaml; "
        "did you mean portal:azCount?")


def test_a_key_like_no_other_says_where_to_declare_it(tmp_path):
    p = _project(tmp_path, PORTAL_LIKE)
    assert _error(p, overrides={"portal:colourScheme": "dark"}) == (
        "-c portal:colourScheme=dark: portal:colourScheme is not declared in Pulumi.yaml or Pulumi.staging.yaml; "
        "declare it in the config section of Pulumi.yaml")


def test_every_undeclared_key_is_reported_at_once(tmp_path):
    p = _project(tmp_path, PORTAL_LIKE)
    assert _error(p, overrides={"azCount": "2", "portal:dbNme": "x", "portal:azCount": "2"}).splitlines() == [
        "-c azCount=2: ecommerce-portal:azCount is not declared in Pulumi.yaml or Pulumi.staging.yaml "
        "(a key without a namespace is in the project's, ecommerce-portal); did you mean portal:azCount?",
        "-c portal:dbNme=x: portal:dbNme is not declared in Pulumi.yaml or Pulumi.staging.yaml; "
        "did you mean portal:dbName?",
    ]


def test_declared_keys_and_provider_namespaces_are_accepted(tmp_path):
    p = _project(tmp_path, PORTAL_LIKE + "  greeting:\n    default: hi\n", "config:\n  portal:onlyHere: 1\n")
    cfg = load_stack_config(p, "staging", {
        "portal:azCount": "2", "greeting": "hello", "ecommerce-portal:greeting": "hey", "portal:onlyHere": "2",
        "aws:region": "us-east-1", "aws:skipCredentialsValidation": "true", "pulumi:disable-default-providers": "[]",
    })
    assert cfg.values["portal:azCount"] == "2"
    assert cfg.values["ecommerce-portal:greeting"] == "hey"
    assert cfg.values["portal:onlyHere"] == "2"
    assert cfg.values["aws:region"] == "us-east-1"
    assert cfg.values["pulumi:disable-default-providers"] == "[]"


def test_a_namespace_no_installed_provider_uses_is_not_declared(tmp_path):
    p = _project(tmp_path, PORTAL_LIKE)
    assert _error(p, overrides={"nosuchprovider:token": "x"}) == (
        "-c nosuchprovider:token=x: nosuchprovider:token is not declared in Pulumi.yaml or Pulumi.staging.yaml; "
        "declare it in the config section of Pulumi.yaml")


def test_the_cli_rejects_an_undeclared_key_of_the_portal(capsys):
    code, out, err = _cli(capsys, "--stack", "staging", "-c", "azCount=2", "--json")
    assert code == 2
    message = ("-c azCount=2: ecommerce-portal:azCount is not declared in Pulumi.yaml or Pulumi.staging.yaml "
               "(a key without a namespace is in the project's, ecommerce-portal); did you mean portal:azCount?")
    assert err == f"error: {message}\n"
    assert json.loads(out) == {"error": {"kind": "config", "message": message}}


# ---- secrets ----


def _secrets(tmp_path, text: str, name: str = "dev.secrets.yaml") -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_secrets_file_values_replace_placeholders_and_stay_secret(tmp_path):
    path = _secrets(tmp_path, "secret-webhook:alertWebhookUrl: https://hooks.example.com/T1\n")
    cfg = load_stack_config(WEBHOOK, "dev", load_secrets_file(path))
    assert cfg.values["secret-webhook:alertWebhookUrl"] == "https://hooks.example.com/T1"
    assert cfg.secret_placeholders == []
    assert cfg.secret_keys == ["secret-webhook:alertWebhookUrl"]


def test_a_secrets_file_value_for_a_plain_key_becomes_secret(tmp_path):
    p = _project(tmp_path, PORTAL_LIKE)
    cfg = load_stack_config(p, "staging", load_secrets_file(_secrets(tmp_path, "portal:dbName: shop\n")))
    assert cfg.values["portal:dbName"] == "shop" and cfg.secret_keys == ["portal:dbName"]


def test_json_secrets_file_with_unqualified_keys(tmp_path):
    path = _secrets(tmp_path, '{"alertWebhookUrl": "https://hooks.example.com/T2"}', "dev.secrets.json")
    cfg = load_stack_config(WEBHOOK, "dev", load_secrets_file(path))
    assert cfg.values["secret-webhook:alertWebhookUrl"] == "https://hooks.example.com/T2"


def test_c_wins_over_the_secrets_file_and_the_value_stays_secret(tmp_path):
    overrides = load_secrets_file(_secrets(tmp_path, "secret-webhook:alertWebhookUrl: https://a.example.com\n"))
    overrides.set("secret-webhook:alertWebhookUrl", "https://b.example.com", "-c ...")
    cfg = load_stack_config(WEBHOOK, "dev", overrides)
    assert cfg.values["secret-webhook:alertWebhookUrl"] == "https://b.example.com"
    assert cfg.secret_keys == ["secret-webhook:alertWebhookUrl"]


def test_unknown_keys_in_the_secrets_file_are_errors_like_c(tmp_path):
    path = _secrets(tmp_path, "secret-webhook:alertWebhokUrl: https://x.example.com\nalertHook: https://y\n")
    assert _error(WEBHOOK, "dev", load_secrets_file(path)).splitlines() == [
        f"secret-webhook:alertWebhokUrl in --secrets-file {path}: secret-webhook:alertWebhokUrl is not declared "
        "in Pulumi.yaml or Pulumi.dev.yaml; did you mean secret-webhook:alertWebhookUrl?",
        f"alertHook in --secrets-file {path}: secret-webhook:alertHook is not declared in Pulumi.yaml or "
        "Pulumi.dev.yaml (a key without a namespace is in the project's, secret-webhook); "
        "did you mean secret-webhook:alertWebhookUrl?",
    ]


def test_a_bad_secrets_file_reports_every_entry(tmp_path):
    path = _secrets(tmp_path, "'a b': x\nportal:empty:\nportal:cipher:\n  secure: v1:abc\nportal:ok: fine\n")
    with pytest.raises(StackConfigError) as e:
        load_secrets_file(path)
    assert str(e.value).splitlines() == [
        f"--secrets-file {path}: config keys look like 'name' or 'namespace:name', got 'a b'",
        f"--secrets-file {path}: portal:empty has no value",
        f"--secrets-file {path}: portal:cipher is a secure: ciphertext; the file holds the plain value",
    ]


@pytest.mark.parametrize("text, rule", [
    ("- a\n- b\n", "must be a mapping of config key to plain value, got a list"),
    ("just text\n", "must be a mapping of config key to plain value, got a string"),
])
def test_a_secrets_file_that_is_not_a_mapping(tmp_path, text, rule):
    path = _secrets(tmp_path, text)
    with pytest.raises(StackConfigError) as e:
        load_secrets_file(path)
    assert str(e.value) == f"--secrets-file {path} {rule}"


def test_a_secrets_file_that_does_not_parse(tmp_path):
    path = _secrets(tmp_path, "a: 1\na: 2\n")
    with pytest.raises(StackConfigError) as e:
        load_secrets_file(path)
    assert str(e.value) == f"could not parse {path}:2:1: mapping key \"a\" already defined at line 1"


def test_placeholder_hint_names_the_keys_and_both_ways_to_give_a_value():
    assert placeholder_hint([]) == ""
    assert placeholder_hint(["portal:alertWebhookUrl"]) == (
        "hint: portal:alertWebhookUrl is a secure value that cannot be decrypted offline, so the program got "
        f"the placeholder '{SECRET_PLACEHOLDER}'; give it a value with -c portal:alertWebhookUrl=VALUE or "
        "--secrets-file FILE (a YAML map of key: value, named *.secrets.yaml so git ignores it)")
    assert placeholder_hint(["p:a", "p:b"]) == (
        "hint: p:a, p:b are secure values that cannot be decrypted offline, so the program got "
        f"the placeholder '{SECRET_PLACEHOLDER}'; give them values with -c KEY=VALUE or "
        "--secrets-file FILE (a YAML map of key: value, named *.secrets.yaml so git ignores it)")


def test_a_program_that_checks_a_placeholder_fails_with_the_hint(capsys):
    code, out, err = _cli(capsys, "--cwd", WEBHOOK, "--stack", "dev")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: stack dev: the program failed (at tests/programs/secret_webhook/__main__.py:8): "
        "secret-webhook:alertWebhookUrl must be an https:// URL",
        "hint: secret-webhook:alertWebhookUrl is a secure value that cannot be decrypted offline, so the program "
        f"got the placeholder '{SECRET_PLACEHOLDER}'; give it a value with -c secret-webhook:alertWebhookUrl=VALUE "
        "or --secrets-file FILE (a YAML map of key: value, named *.secrets.yaml so git ignores it)",
    ]


def test_no_hint_once_the_secret_has_a_value_even_if_the_program_still_fails(capsys):
    code, _, err = _cli(capsys, "--cwd", WEBHOOK, "--stack", "dev", "-c", "alertWebhookUrl=http://plain")
    assert code == 2
    assert err == ("error: stack dev: the program failed (at tests/programs/secret_webhook/__main__.py:8): "
                   "secret-webhook:alertWebhookUrl must be an https:// URL\n")


def test_the_secrets_file_flag_makes_the_program_pass_and_keeps_the_value_secret(capsys, tmp_path):
    path = _secrets(tmp_path, "secret-webhook:alertWebhookUrl: https://hooks.example.com/T3\n")
    code, out, err = _cli(capsys, "--cwd", WEBHOOK, "--stack", "dev", "--secrets-file", path, "--json")
    assert code == 0, err
    assert json.loads(out)["summary"]["resources"] == 3
    run = run_program(WEBHOOK, "dev", "preview", load_secrets_file(path))
    sub = run.get("aws:sns/topicSubscription:TopicSubscription", "webhook")
    assert sub.inputs["endpoint"] == "https://hooks.example.com/T3" and "endpoint" in sub.secret_inputs


def test_parity_takes_the_secrets_file_too(capsys, tmp_path):
    path = _secrets(tmp_path, "secret-webhook:alertWebhookUrl: https://hooks.example.com/T4\n")
    code, out, err = _cli(capsys, "parity", "--cwd", WEBHOOK, "--stack", "dev", "--stack", "dev",
                          "--secrets-file", path)
    assert code == 0, err
    code, _, err = _cli(capsys, "parity", "--cwd", WEBHOOK, "--stack", "dev", "--stack", "dev")
    assert code == 2 and err.splitlines()[1].startswith("hint: secret-webhook:alertWebhookUrl is a secure value")


def test_a_missing_secrets_file_is_bad_input(capsys, tmp_path):
    code, _, err = _cli(capsys, "--cwd", WEBHOOK, "--stack", "dev", "--secrets-file", str(tmp_path / "none.yaml"))
    assert code == 2
    assert err == f"error: could not read {tmp_path}/none.yaml: No such file or directory\n"


def test_the_gitignore_pattern_in_the_hint_is_ignored_by_git(tmp_path):
    p = subprocess.run(["git", "check-ignore", "-q", "--no-index", "prod.secrets.yaml"], cwd=ROOT)
    assert p.returncode == 0


def test_config_overrides_remember_origin_and_secrecy():
    o = ConfigOverrides()
    o.set("a", "1", "-c a=1")
    o.set("b", "2", "b in --secrets-file s.yaml", secret=True)
    assert dict(o) == {"a": "1", "b": "2"} and o.origins == {"a": "-c a=1", "b": "b in --secrets-file s.yaml"}
    assert o.secret == {"b"}


def test_the_cli_runs_as_a_module_with_the_flag(tmp_path):
    path = _secrets(tmp_path, "alertWebhookUrl: https://hooks.example.com/T5\n")
    p = subprocess.run([sys.executable, "-m", "preflight", "--cwd", WEBHOOK, "--stack", "dev", "--secrets-file", path],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "https://hooks.example.com/T5" not in p.stdout + p.stderr
