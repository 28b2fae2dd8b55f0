"""The application's own database user: the bootstrap function's SQL (with a fake MySQL connection, no AWS) and its
resources under the mock engine, for both stacks and both runner modes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.database.bootstrap import handler
from components.database.bootstrap.component import archive_files, code_digest, db_user_arn
from preflight.runner import UNKNOWN

ROOT = Path(__file__).resolve().parent.parent
SESSIONS_SQL = (ROOT / "components" / "database" / "sessions.sql").read_text()
FUNCTION = "aws:lambda/function:Function"
INVOCATION = "aws:lambda/invocation:Invocation"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
SG = "aws:ec2/securityGroup:SecurityGroup"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"

APP_USER_SQL = [
    "CREATE USER IF NOT EXISTS 'portal_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'",
    "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES, LOCK TABLES ON `portal`.* TO "
    "'portal_app'@'%'",
    "ALTER USER 'portal_app'@'%' REQUIRE SSL",
]


class FakeMySql:
    """A MySQL server reduced to what the bootstrap changes: users, their plugin, TLS flag, grants and tables.
    Statements that would fail on a second run (CREATE USER/TABLE without IF NOT EXISTS) fail here too."""

    def __init__(self):
        self.users: dict[str, dict] = {}
        self.tables: set[str] = set()
        self.log: list[str] = []
        self.commits = 0
        self.closed = False

    def execute(self, statement: str) -> None:
        self.log.append(statement)
        words = statement.split()
        if statement.startswith("CREATE USER"):
            assert "IF NOT EXISTS" in statement, "a repeated run would fail"
            user = words[5]
            self.users.setdefault(user, {"plugin": words[8], "ssl": False, "grants": set()})
        elif statement.startswith("GRANT"):
            user = words[-1]
            self.users[user]["grants"] |= {p.strip() for p in statement[6:statement.index(" ON ")].split(",")}
        elif statement.startswith("ALTER USER"):
            self.users[words[2]]["ssl"] = statement.endswith("REQUIRE SSL")
        elif statement.startswith("CREATE TABLE"):
            assert "IF NOT EXISTS" in statement, "a repeated run would fail"
            self.tables.add(words[5])
        else:
            raise AssertionError(f"unexpected statement {statement!r}")

    def state(self):
        return json.dumps({u: {**v, "grants": sorted(v["grants"])} for u, v in self.users.items()}, sort_keys=True), \
            sorted(self.tables)

    # the DB-API surface the handler uses
    def cursor(self):
        server = self

        class Cursor:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, statement):
                server.execute(statement)

        return Cursor()

    def commit(self):
        self.commits += 1

    def close(self):
        self.closed = True


EVENT = {"host": "portal-staging-mysql.abc.eu-west-1.rds.amazonaws.com", "port": 3306, "database": "portal",
         "appUser": "portal_app", "secretArn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-x",
         "schemaSql": SESSIONS_SQL}


def bootstrap(server: FakeMySql, event: dict = EVENT) -> tuple[dict, dict]:
    seen: dict = {}

    def connector(ev, username, password, ca_path):
        seen.update(host=ev["host"], port=ev["port"], user=username, password=password, ca=ca_path)
        return server

    result = handler.handle(event, credentials=lambda arn: seen.setdefault("secret", arn) and ("admin", "s3cret"),
                            ca_bundle=lambda: "/tmp/ca.pem", connector=connector)
    return result, seen


# -- the handler ------------------------------------------------------------------------------------

def test_the_application_user_signs_in_with_iam_over_tls_with_rights_on_its_database_only():
    assert handler.app_user_statements("portal_app", "portal") == APP_USER_SQL


def test_the_bootstrap_creates_the_user_before_the_sessions_table():
    server = FakeMySql()
    result, seen = bootstrap(server)
    assert server.log[:3] == APP_USER_SQL
    assert len(server.log) == 4 and server.log[3].startswith("CREATE TABLE IF NOT EXISTS sessions (")
    assert "sess_id       VARBINARY(128)  NOT NULL" in server.log[3] and "--" not in server.log[3]
    assert server.commits == 1 and server.closed
    assert seen == {"secret": EVENT["secretArn"], "host": EVENT["host"], "port": 3306, "user": "admin",
                    "password": "s3cret", "ca": "/tmp/ca.pem"}
    assert result == {"appUser": "portal_app", "database": "portal", "statements": 4}


def test_running_the_bootstrap_twice_changes_nothing_the_second_time():
    server = FakeMySql()
    bootstrap(server)
    after_first = server.state()
    bootstrap(server)
    assert server.state() == after_first
    users, tables = after_first
    assert json.loads(users) == {"'portal_app'@'%'": {
        "plugin": "AWSAuthenticationPlugin", "ssl": True,
        "grants": sorted(handler.APP_PRIVILEGES)}}
    assert tables == ["sessions"]


def test_the_bootstrap_result_kept_in_state_carries_no_credential():
    result, _ = bootstrap(FakeMySql())
    assert "s3cret" not in json.dumps(result) and "secret" not in json.dumps(result).lower()


def test_the_connection_is_closed_when_a_statement_fails():
    class Failing(FakeMySql):
        def execute(self, statement):
            raise RuntimeError("boom")

    server = Failing()
    with pytest.raises(RuntimeError, match="boom"):
        bootstrap(server)
    assert server.closed and server.commits == 0


@pytest.mark.parametrize("field,value", [("appUser", "x'@'%' IDENTIFIED BY 'pw"), ("database", "portal`.*"),
                                         ("appUser", "")])
def test_a_name_that_is_not_a_plain_identifier_never_reaches_sql(field, value):
    server = FakeMySql()
    with pytest.raises(ValueError, match="is not a plain MySQL identifier"):
        bootstrap(server, {**EVENT, field: value})
    assert server.log == []


def test_schema_files_split_on_semicolons_outside_quotes_and_comments():
    text = "-- a; comment\nCREATE TABLE a (x INT COMMENT 'a;b');\n# other; comment\nINSERT INTO a VALUES (1);\n\n"
    assert handler.split_sql(text) == ["CREATE TABLE a (x INT COMMENT 'a;b')", "INSERT INTO a VALUES (1)"]
    with pytest.raises(ValueError, match="ends inside a quoted string"):
        handler.split_sql("SELECT 'unterminated")


def test_the_function_ships_the_handler_and_pymysql_sources_without_byte_code():
    files = archive_files()
    assert files["handler.py"].name == "handler.py"
    assert "pymysql/__init__.py" in files and "pymysql/connections.py" in files
    assert not [name for name in files if "__pycache__" in name or name.endswith(".pyc")]
    assert code_digest(files) == code_digest(dict(reversed(list(files.items()))))


def test_db_user_arn_names_the_resource_id_and_user():
    assert db_user_arn("aws", "eu-west-1", "123456789012", "db-ABC", "portal_app") == (
        "arn:aws:rds-db:eu-west-1:123456789012:dbuser:db-ABC/portal_app")


# -- the resources, in the portal -------------------------------------------------------------------

@pytest.fixture(params=[(s, m) for s in ("staging", "prod") for m in ("preview", "update")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def run(request, portal_run):
    result = portal_run(*request.param)
    assert result.error is None, result.error
    return result


def test_the_bootstrap_function_runs_in_the_private_subnets_behind_its_own_group(run):
    name = f"portal-{run.stack}"
    function = run.get(FUNCTION, f"{name}-db-bootstrap")
    assert function.inputs["name"] == f"{name}-db-bootstrap"
    assert function.inputs["handler"] == "handler.handler" and function.inputs["runtime"] == "python3.13"
    private = {s.urn for s in run.find("aws:ec2/subnet:Subnet") if s.inputs["tags"]["Tier"] == "private"}
    group = run.get(SG, f"{name}-db-bootstrap")
    assert set(function.property_dependencies["vpcConfig"]) == private | {group.urn}
    db_group = run.get(SG, f"{name}-db")
    (egress_db,) = [r for r in run.find(EGRESS) if group.urn in r.property_dependencies.get("securityGroupId", ())
                    and r.inputs["fromPort"] == 3306.0]
    assert set(egress_db.property_dependencies["referencedSecurityGroupId"]) == {db_group.urn}
    (ingress,) = [r for r in run.find(INGRESS) if r.name == f"{name}-db-from-db-bootstrap"]
    assert set(ingress.property_dependencies["securityGroupId"]) == {db_group.urn}
    assert set(ingress.property_dependencies["referencedSecurityGroupId"]) == {group.urn}


def test_only_the_bootstrap_function_may_read_the_master_secret(run):
    name = f"portal-{run.stack}"
    policy = run.get(ROLE_POLICY, f"{name}-db-bootstrap")
    readers = [p for p in run.find(ROLE_POLICY) if "secretsmanager" in json.dumps(p.inputs.get("policy", ""))]
    if run.mode == "preview":
        assert policy.inputs["policy"] == UNKNOWN  # built from the instance's secret ARN
        return
    secret = run.get("aws:rds/instance:Instance", f"{name}-mysql").outputs["masterUserSecrets"][0]["secretArn"]
    assert json.loads(policy.inputs["policy"])["Statement"] == [{
        "Sid": "ReadMasterSecret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret}]
    assert readers == [policy]


def test_a_first_pulumi_up_creates_the_user_with_no_manual_step(run):
    """The invocation runs once the function can reach MySQL and Secrets Manager, with the schema file as input
    (so a change to the SQL runs it again) and the code digest as a trigger."""
    name = f"portal-{run.stack}"
    invocation = run.get(INVOCATION, f"{name}-db-bootstrap")
    function = run.get(FUNCTION, f"{name}-db-bootstrap")
    depends = set(invocation.dependencies)
    assert {function.urn, run.get(ROLE_POLICY, f"{name}-db-bootstrap").urn,
            run.get("aws:rds/instance:Instance", f"{name}-mysql").urn,
            run.get(INGRESS, f"{name}-db-from-db-bootstrap").urn} <= depends
    endpoints = {e.urn for e in run.find("aws:ec2/vpcEndpoint:VpcEndpoint")
                 if e.inputs.get("vpcEndpointType") == "Interface"}
    assert endpoints and endpoints <= depends
    assert invocation.inputs["triggers"] == {"code": code_digest(archive_files())}
    if run.mode == "update":
        payload = json.loads(invocation.inputs["input"])
        assert payload["schemaSql"] == SESSIONS_SQL
        assert (payload["database"], payload["appUser"], payload["port"]) == ("portal", "portal_app", 3306)
        assert payload["host"] == run.get("aws:rds/instance:Instance", f"{name}-mysql").outputs["address"]
