"""Reads provider-computed outputs the way real programs do: kubeconfig, API URLs, image names."""
import base64
import json

import pulumi
import pulumi_aws as aws

role = aws.iam.Role("eks", assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": []}))
cluster = aws.eks.Cluster("main", role_arn=role.arn,
                          vpc_config=aws.eks.ClusterVpcConfigArgs(subnet_ids=["subnet-0a", "subnet-0b"]))
oidc_issuer = cluster.identities.apply(lambda ids: ids[0].oidcs[0].issuer)
oidc = aws.iam.OpenIdConnectProvider("oidc", url=oidc_issuer, client_id_lists=["sts.amazonaws.com"])


def kubeconfig(args):
    endpoint, ca_data, name = args
    pem = base64.b64decode(ca_data).decode()
    if not pem.startswith("-----BEGIN CERTIFICATE-----\n"):
        raise ValueError(f"the cluster's certificate authority is not a PEM certificate: {pem[:40]!r}")
    return json.dumps({"clusters": [{"name": name, "cluster": {"server": endpoint,
                                                               "certificate-authority-data": ca_data}}]})


api = aws.apigateway.RestApi("api")
resource = aws.apigateway.Resource("items", rest_api=api.id, parent_id=api.root_resource_id, path_part="items")
deployment = aws.apigateway.Deployment("v1", rest_api=api.id, opts=pulumi.ResourceOptions(depends_on=[resource]))
stage = aws.apigateway.Stage("prod", rest_api=api.id, deployment=deployment.id, stage_name="prod")
permission = aws.lambda_.Permission("invoke", action="lambda:InvokeFunction", function="handler",
                                    principal="apigateway.amazonaws.com",
                                    source_arn=api.execution_arn.apply(lambda a: a.split(":")[5] and f"{a}/*/*"))
graphql = aws.appsync.GraphQLApi("graph", authentication_type="API_KEY")
repo = aws.ecr.Repository("app")

pulumi.export("kubeconfig", pulumi.Output.all(cluster.endpoint, cluster.certificate_authority.data, cluster.name)
              .apply(kubeconfig))
pulumi.export("oidcHost", oidc_issuer.apply(lambda u: u.split("://", 1)[1].split("/")[0]))
pulumi.export("executionArn", api.execution_arn)
pulumi.export("invokeUrl", stage.invoke_url.apply(lambda u: u + "/items"))
pulumi.export("graphqlUrl", graphql.uris.apply(lambda u: u["GRAPHQL"]))
pulumi.export("image", repo.repository_url.apply(lambda u: f"{u}:1.0.0"))
pulumi.export("registry", repo.repository_url.apply(lambda u: u.split("/")[0]))
