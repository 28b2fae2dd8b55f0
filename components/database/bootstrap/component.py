"""`ecommerce:database:DatabaseBootstrap`: the application's own MySQL user and the sessions table, created by
`pulumi up` itself, so a first deploy needs no manual step and the master secret never reaches a server.

A small Lambda function (handler.py beside this file, with the pure-Python PyMySQL client) runs in the private
subnets behind a security group of its own that only the database admits. It reads the RDS-managed master secret
(through the Secrets Manager interface endpoint when there is one), connects over verified TLS and runs
idempotent statements. An `aws.lambda_.Invocation` runs it on the first deploy and again whenever the statements
or the function's code change.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import pulumi
import pulumi_aws as aws

from components.database.bootstrap.handler import bootstrap_statements
from components.database.settings import DatabaseSettings
from components.iam import assume_role_policy, policy_document
from components.tagging import tagger

HANDLER = Path(__file__).with_name("handler.py")
SCHEMA_SQL = Path(__file__).resolve().parent.parent / "sessions.sql"
RUNTIME = "python3.13"
TIMEOUT_SECONDS = 120


def client_package_dir() -> Path:
    """The installed PyMySQL package (requirements.txt), shipped inside the function's archive."""
    spec = importlib.util.find_spec("pymysql")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("the database bootstrap function ships the PyMySQL package, which is not installed: run "
                         "`make venv` (requirements.txt lists PyMySQL)")
    return Path(next(iter(spec.submodule_search_locations)))


def archive_files() -> dict[str, Path]:
    """Archive path -> file: the handler and PyMySQL's sources, without byte-code caches (which differ from
    machine to machine and would make every deploy look like a code change)."""
    package = client_package_dir()
    files = {"handler.py": HANDLER}
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" not in path.parts:
            files[f"pymysql/{path.relative_to(package).as_posix()}"] = path
    return files


def code_digest(files: Mapping[str, Path]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].read_bytes() + b"\0")
    return digest.hexdigest()


def db_user_arn(partition: str, region: str, account: str, resource_id: str, user: str) -> str:
    """What `rds-db:connect` names: the instance's DbiResourceId, not its identifier."""
    return f"arn:{partition}:rds-db:{region}:{account}:dbuser:{resource_id}/{user}"


@dataclass(frozen=True)
class DatabaseBootstrapArgs:
    settings: DatabaseSettings
    environment: str
    address: pulumi.Input[str]
    port: int
    master_secret_arn: pulumi.Input[str]
    subnet_ids: Mapping[str, pulumi.Input[str]]
    security_group_id: pulumi.Input[str]
    # What must exist before the function can reach the database and Secrets Manager: the instance, the rules
    # between the function's group and the database's, the endpoints.
    reach: Sequence[pulumi.Resource] = ()
    log_retention_days: int = 30
    log_kms_key_arn: pulumi.Input[str] | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


class DatabaseBootstrap(pulumi.ComponentResource):
    function: aws.lambda_.Function
    invocation: aws.lambda_.Invocation
    app_username: str

    def __init__(self, name: str, args: DatabaseBootstrapArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:database:DatabaseBootstrap", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings
        partition = aws.get_partition().partition
        label = f"{name}-db-bootstrap"

        tags = tagger(args.environment, args.tags)

        self.role = aws.iam.Role(
            label, description=f"{name}: creates the application's database user",
            assume_role_policy=assume_role_policy("lambda.amazonaws.com"),
            tags=tags(label), opts=child)
        # Network interfaces in the VPC and its own logs.
        vpc_access = aws.iam.RolePolicyAttachment(
            f"{label}-vpc-access", role=self.role.name,
            policy_arn=f"arn:{partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole", opts=child)
        # The RDS-managed secret is encrypted with the account's aws/secretsmanager key, whose key policy lets
        # Secrets Manager decrypt for any principal of the account allowed to read the secret: no KMS grant here.
        self.role_policy = aws.iam.RolePolicy(
            label, role=self.role.id,
            policy=pulumi.Output.from_input(args.master_secret_arn).apply(lambda arn: policy_document({
                "Sid": "ReadMasterSecret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                "Resource": arn})),
            opts=child)

        self.log_group = aws.cloudwatch.LogGroup(
            label, name=f"/aws/lambda/{label}", retention_in_days=args.log_retention_days,
            kms_key_id=args.log_kms_key_arn, tags=tags(label), opts=child)

        files = archive_files()
        self.code_digest = code_digest(files)
        zones = sorted(args.subnet_ids)
        self.function = aws.lambda_.Function(
            label, name=label, description=f"{name}: application database user and sessions table",
            role=self.role.arn, runtime=RUNTIME, handler="handler.handler", architectures=["arm64"],
            code=pulumi.AssetArchive({path: pulumi.FileAsset(str(source)) for path, source in files.items()}),
            timeout=TIMEOUT_SECONDS, memory_size=256,
            vpc_config=aws.lambda_.FunctionVpcConfigArgs(
                subnet_ids=[args.subnet_ids[az] for az in zones], security_group_ids=[args.security_group_id]),
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="Text", log_group=self.log_group.name),
            tags=tags(label),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[vpc_access, self.log_group]))

        schema_sql = SCHEMA_SQL.read_text()
        self.app_username = settings.app_username
        # Checked here too: a bad name fails the preview, not the invocation.
        self.statements = bootstrap_statements(settings.app_username, settings.db_name, schema_sql)
        payload = pulumi.Output.json_dumps({
            "host": args.address, "port": args.port, "database": settings.db_name,
            "appUser": settings.app_username, "secretArn": args.master_secret_arn, "schemaSql": schema_sql})
        # The input carries the schema file, so a change to it runs the function again; so does new code.
        self.invocation = aws.lambda_.Invocation(
            label, function_name=self.function.name, input=payload, triggers={"code": self.code_digest},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.function, self.role_policy, *args.reach]))

        self.register_outputs({"functionName": self.function.name, "appUsername": self.app_username})
