"""The database bootstrap function: creates the application's own MySQL user and the sessions table.

Runs in the stack's private subnets as a Lambda function, invoked by `pulumi up` (never by a server): it is the
only code that reads the RDS master secret. Every statement is idempotent, so an invocation repeated after a
failure, or after a change of the schema file, leaves a database that is already right as it is.

The application user authenticates with IAM database authentication (a 15-minute token, no password) and must use
TLS. This function connects as the master user over TLS verified against the RDS certificate bundle, which it
downloads from the RDS trust store over HTTPS (checked against the runtime's own CA certificates), as the RDS
documentation describes; nothing is shipped with the function that could go stale.
"""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any, Callable, Iterable, Protocol

# The regional bundles hold the same CAs for one region; the global bundle holds every region's and is what the
# web servers use too.
RDS_CA_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"
CA_BUNDLE_PATH = "/tmp/rds-global-bundle.pem"
CONNECT_TIMEOUT_SECONDS = 10
# Data and schema rights on the shop's database: what migrations and the shop need, and nothing on other
# databases, no GRANT OPTION, no user management, no FILE or SUPER.
APP_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "INDEX", "DROP", "REFERENCES",
                  "LOCK TABLES")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")


class Cursor(Protocol):
    def execute(self, statement: str) -> Any: ...


class Connection(Protocol):
    def cursor(self) -> Any: ...
    def commit(self) -> None: ...
    def close(self) -> None: ...


def _identifier(kind: str, value: str) -> str:
    """Names reach SQL only after this check: they come from validated stack config, and are checked again here
    because a statement cannot take them as bound parameters."""
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        raise ValueError(f"{kind} {value!r} is not a plain MySQL identifier (a letter, then letters, digits or "
                         "underscores)")
    return value


def app_user_statements(app_user: str, database: str) -> list[str]:
    """The application user: IAM authentication only, TLS required, rights on `database` only."""
    user = f"'{_identifier('application user', app_user)}'@'%'"
    schema = _identifier("database", database)
    return [
        f"CREATE USER IF NOT EXISTS {user} IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'",
        f"GRANT {', '.join(APP_PRIVILEGES)} ON `{schema}`.* TO {user}",
        f"ALTER USER {user} REQUIRE SSL",
    ]


def split_sql(text: str) -> list[str]:
    """The statements of a schema file: `--` and `#` comments dropped, split on `;` outside quotes."""
    statements: list[str] = []
    current: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(text):
        char = text[i]
        if quote:
            current.append(char)
            if char == "\\" and i + 1 < len(text):
                current.append(text[i + 1])
                i += 1
            elif char == quote:
                quote = None
        elif char in ("'", '"', "`"):
            quote = char
            current.append(char)
        elif text.startswith("--", i) and (i + 2 == len(text) or text[i + 2] in " \t\r\n") or char == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif char == ";":
            statements.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        i += 1
    if quote:
        raise ValueError("the schema file ends inside a quoted string")
    statements.append("".join(current).strip())
    return [s for s in statements if s]


def bootstrap_statements(app_user: str, database: str, schema_sql: str) -> list[str]:
    """Everything the function runs, in order: the user first (so a schema error never leaves the application
    without its account), then the schema file."""
    return [*app_user_statements(app_user, database), *split_sql(schema_sql)]


def run(connection: Connection, statements: Iterable[str]) -> int:
    count = 0
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            count += 1
    connection.commit()
    return count


def fetch_ca_bundle(url: str = RDS_CA_BUNDLE_URL, path: str = CA_BUNDLE_PATH) -> str:
    with urllib.request.urlopen(url, timeout=CONNECT_TIMEOUT_SECONDS) as response:  # noqa: S310 - fixed https URL
        body = response.read()
    if b"-----BEGIN CERTIFICATE-----" not in body:
        raise RuntimeError(f"{url} did not return PEM certificates")
    with open(path, "wb") as out:
        out.write(body)
    return path


def master_credentials(secret_arn: str) -> tuple[str, str]:
    import boto3  # in the Lambda runtime; imported here so the pure functions test without it

    secret = boto3.client("secretsmanager").get_secret_value(SecretId=secret_arn)
    value = json.loads(secret["SecretString"])
    return value["username"], value["password"]


def connect(event: dict, username: str, password: str, ca_path: str) -> Connection:
    import pymysql  # shipped in the function's archive

    return pymysql.connect(
        host=event["host"], port=int(event["port"]), user=username, password=password,
        database=event["database"], connect_timeout=CONNECT_TIMEOUT_SECONDS,
        # Verified TLS: the server's certificate must chain to an RDS CA and name the host.
        ssl_ca=ca_path, ssl_verify_cert=True, ssl_verify_identity=True, autocommit=False)


def handle(event: dict, *, credentials: Callable[[str], tuple[str, str]] = master_credentials,
           ca_bundle: Callable[[], str] = fetch_ca_bundle,
           connector: Callable[..., Connection] = connect) -> dict:
    """The work, with its AWS and MySQL edges passed in (the tests give fakes)."""
    statements = bootstrap_statements(event["appUser"], event["database"], event["schemaSql"])
    username, password = credentials(event["secretArn"])
    connection = connector(event, username, password, ca_bundle())
    try:
        count = run(connection, statements)
    finally:
        connection.close()
    # The result is kept in the stack's state: names and counts only, never a credential.
    return {"appUser": event["appUser"], "database": event["database"], "statements": count}


def handler(event: dict, context: Any) -> dict:  # the Lambda entry point
    return handle(event)

