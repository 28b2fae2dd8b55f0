import pulumi
import pulumi_aws as aws

code_path = pulumi.Config().get("codePath")
role = aws.iam.Role("fn", assume_role_policy="{}")
aws.lambda_.Function(
    "fn", role=role.arn, runtime="python3.12", handler="index.handler",
    code=pulumi.AssetArchive({
        "python": pulumi.FileArchive(code_path),
        "VERSION": pulumi.FileAsset(pulumi.Config().get("versionFile") or "lambda_src/index.py"),
        "inline.txt": pulumi.StringAsset("inline"),
    }),
)
