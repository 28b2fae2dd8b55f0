"""What the AWS provider would return, fabricated offline.

Preview mode returns nothing beyond the inputs (every computed output stays unknown, as in a first
``pulumi preview`` of a new stack). Update mode returns realistic, deterministic values: the same URN
always gets the same id, so two runs (and two stacks) compare cleanly.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from typing import Any

from . import shapes as _shapes

ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"

# Hosted zone ids AWS uses for ALIAS targets.
_ELB_ZONES = {
    "us-east-1": "Z35SXDOTRQ7X7K", "us-east-2": "Z3AADJGX6KTTL2", "us-west-1": "Z368ELLRRE2KJ0",
    "us-west-2": "Z1H1FL5HABSF5", "eu-west-1": "Z32O12XQLNTSW2", "eu-west-2": "ZHURV8PSTC4K8",
    "eu-west-3": "Z3Q77PNBQS71R4", "eu-central-1": "Z215JYRZR1TBD5", "eu-north-1": "Z23TAZ7KKEPLL3",
    "ap-southeast-1": "Z1LMS91P8CMLE5", "ap-southeast-2": "Z1GM3OXH4ZPM65",
    "ap-northeast-1": "Z14GRHDCWA56QT", "ap-south-1": "ZP97RAFLXTNZK", "ca-central-1": "ZQSVJUPU6J1EY",
    "sa-east-1": "Z2P70J7HTTTPLU",
}
_S3_ZONES = {
    "us-east-1": "Z3AQBSTGFYJSTF", "us-east-2": "Z2O1EMRO9K5GLX", "us-west-1": "Z2F56UZL2M1ACD",
    "us-west-2": "Z3BJ6K6RIION7M", "eu-west-1": "Z1BKCTXD74EZPE", "eu-west-2": "Z3GKZC51ZF0DB4",
    "eu-central-1": "Z21DNDUVLTQW6Q", "ap-southeast-1": "Z3O0J2DXBE1FTB", "ap-northeast-1": "Z2M4EHUR26P7ZW",
}
ELB_SERVICE_ACCOUNTS = {
    "us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980",
    "us-west-2": "797873946194", "af-south-1": "098369216593", "ca-central-1": "985666609251",
    "eu-central-1": "054676820928", "eu-west-1": "156460612806", "eu-west-2": "652711504416",
    "eu-south-1": "635631232127", "eu-west-3": "009996457667", "eu-north-1": "897822967062",
    "ap-east-1": "754344448648", "ap-northeast-1": "582318560864", "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331", "ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266",
    "ap-south-1": "718504428378", "me-south-1": "076674570225", "sa-east-1": "507241528517",
}
CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"

# Resources the provider names itself when no name is given (Pulumi autonaming: name + 7 hex chars).
_AUTONAMED = {
    "aws:lb/loadBalancer:LoadBalancer": "name", "aws:alb/loadBalancer:LoadBalancer": "name",
    "aws:lb/targetGroup:TargetGroup": "name", "aws:alb/targetGroup:TargetGroup": "name",
    "aws:iam/role:Role": "name", "aws:iam/policy:Policy": "name", "aws:iam/instanceProfile:InstanceProfile": "name",
    "aws:cloudwatch/logGroup:LogGroup": "name", "aws:autoscaling/group:Group": "name",
    "aws:ec2/launchTemplate:LaunchTemplate": "name", "aws:sns/topic:Topic": "name",
    "aws:ec2/securityGroup:SecurityGroup": "name", "aws:rds/subnetGroup:SubnetGroup": "name",
    "aws:rds/parameterGroup:ParameterGroup": "name", "aws:elasticache/subnetGroup:SubnetGroup": "name",
    "aws:elasticache/parameterGroup:ParameterGroup": "name", "aws:backup/vault:Vault": "name",
    "aws:backup/plan:Plan": "name", "aws:backup/selection:Selection": "name",
    "aws:wafv2/webAcl:WebAcl": "name", "aws:kms/alias:Alias": "name",
    "aws:s3/bucket:Bucket": "bucket", "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:rds/instance:Instance": "identifier", "aws:rds/cluster:Cluster": "clusterIdentifier",
    "aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId",
    "aws:elasticache/cluster:Cluster": "clusterId", "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
    "aws:secretsmanager/secret:Secret": "name", "aws:sqs/queue:Queue": "name",
    "aws:lambda/function:Function": "name", "aws:ecs/cluster:Cluster": "name",
    "aws:eks/cluster:Cluster": "name", "aws:ecr/repository:Repository": "name",
    "aws:apigateway/restApi:RestApi": "name", "aws:appsync/graphQLApi:GraphQLApi": "name",
}

_EC2_PREFIX = {
    "vpc": "vpc", "subnet": "subnet", "securityGroup": "sg", "internetGateway": "igw",
    "natGateway": "nat", "eip": "eipalloc", "routeTable": "rtb", "vpcEndpoint": "vpce",
    "launchTemplate": "lt", "instance": "i", "flowLog": "fl", "networkAcl": "acl",
    "defaultSecurityGroup": "sg", "defaultRouteTable": "rtb", "defaultNetworkAcl": "acl",
    "egressOnlyInternetGateway": "eigw", "networkInterface": "eni", "keyPair": "key",
    "transitGateway": "tgw", "vpcPeeringConnection": "pcx", "securityGroupRule": "sgr",
    "placementGroup": "pg", "volume": "vol", "ami": "ami",
}


# Seeded values (same seed, same value) shared with the update-mode shapes of every other output.
_hex = _shapes._hex


def _digits(seed: str, n: int) -> str:
    return "".join(str(int(c, 16) % 10) for c in _hex(seed, n))


def _upper(seed: str, n: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    h = _hex(seed, n * 2)
    return "".join(alphabet[int(h[i * 2 : i * 2 + 2], 16) % 36] for i in range(n))


_uuid = _shapes._uuid


def region_abbrev(region: str) -> str:
    parts = region.split("-")
    if len(parts) < 3:
        return region.replace("-", "")
    words = {"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
             "northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}
    return parts[0] + words.get(parts[1], parts[1][:1]) + parts[2]


def split_type(token: str) -> tuple[str, str, str]:
    """``aws:ec2/vpc:Vpc`` -> ("aws", "ec2", "vpc")."""
    pkg, _, rest = token.partition(":")
    mod, _, _cls = rest.partition(":")
    module, _, res = mod.partition("/")
    return pkg, module, res


def fabricate(token: str, name: str, urn: str, inputs: dict, region: str) -> tuple[str, dict]:
    """(id, extra outputs) for a custom resource in update mode.

    Every output the provider computes gets a value: the specific rules below where the shape matters to
    AWS (ARNs, endpoints, ids), else one shaped by the type the SDK class declares for it.
    """
    region = inputs.get("region") if isinstance(inputs.get("region"), str) else region
    rid, out, phys = _fabricate_specific(token, name, urn, inputs, region)
    computed = _computed_fields(token)
    if computed:
        ctx = _shapes.Context(token, str(phys or name), rid, region, urn)
        for k, typ in computed:
            if k not in out and k not in inputs:
                value = _shapes.value_for(typ, k, ctx)
                if value is not None:
                    out[k] = value
    return rid, {k: v for k, v in out.items() if v is not None}


def _fabricate_specific(token: str, name: str, urn: str, inputs: dict, region: str) -> tuple[str, dict, Any]:
    pkg, module, res = split_type(token)
    seed = urn
    out: dict[str, Any] = {}
    acct = ACCOUNT
    phys = None
    name_key = _AUTONAMED.get(token)
    if name_key:
        phys = inputs.get(name_key)
        if not isinstance(phys, str):
            prefix = inputs.get(name_key + "Prefix")
            base = prefix if isinstance(prefix, str) else name + "-"
            phys = f"{base}{_hex(seed, 7)}"
            if token in ("aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup",
                         "aws:elasticache/cluster:Cluster", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2",
                         "aws:ecr/repository:Repository"):
                phys = phys.lower()
            out[name_key] = phys

    if pkg != "aws":
        return f"{name}-{_hex(seed, 8)}", out, phys

    if module == "ec2" and res in _EC2_PREFIX:
        rid = f"{_EC2_PREFIX[res]}-0{_hex(seed, 16)}"
    elif module in ("lb", "alb", "elasticloadbalancingv2"):
        rid = ""
    else:
        rid = phys or f"{name}-{_hex(seed, 8)}"

    def arn(svc: str, resource: str, reg: str | None = region, account: str | None = acct) -> str:
        return f"arn:aws:{svc}:{reg or ''}:{account or ''}:{resource}"

    key = f"{module}/{res}"
    if module == "ec2":
        out["arn"] = arn("ec2", f"{res.lower()}/{rid}")
        out["ownerId"] = acct
        if res == "vpc":
            out["defaultSecurityGroupId"] = f"sg-0{_hex(seed + 'dsg', 16)}"
            out["defaultRouteTableId"] = f"rtb-0{_hex(seed + 'drt', 16)}"
            out["mainRouteTableId"] = out["defaultRouteTableId"]
            out["defaultNetworkAclId"] = f"acl-0{_hex(seed + 'dacl', 16)}"
            out["dhcpOptionsId"] = f"dopt-0{_hex(seed + 'dopt', 16)}"
            out["arn"] = arn("ec2", f"vpc/{rid}")
            if inputs.get("assignGeneratedIpv6CidrBlock") in (True, "true"):
                out["ipv6CidrBlock"] = f"2a05:d018:{_hex(seed + 'v6', 4)}:{_hex(seed + 'v6b', 2)}00::/56"
                out["ipv6AssociationId"] = f"vpc-cidr-assoc-0{_hex(seed + 'v6', 16)}"
        elif res == "subnet":
            az = inputs.get("availabilityZone")
            if isinstance(az, str) and az[-1:].isalpha():
                out["availabilityZoneId"] = zone_id(az)
        elif res == "eip":
            out["allocationId"] = rid
            n = int(_hex(seed, 4), 16)
            out["publicIp"] = f"203.0.{(n >> 8) % 256}.{n % 254 + 1}"
            out["publicDns"] = f"ec2-{out['publicIp'].replace('.', '-')}.{region}.compute.amazonaws.com"
            out["domain"] = inputs.get("domain", "vpc")
        elif res == "natGateway":
            n = int(_hex(seed, 4), 16)
            out["publicIp"] = f"203.0.{(n >> 8) % 256}.{n % 254 + 1}"
            out["privateIp"] = f"10.0.{(n >> 8) % 256}.{n % 254 + 1}"
            out["networkInterfaceId"] = f"eni-0{_hex(seed + 'eni', 16)}"
        elif res == "launchTemplate":
            out["latestVersion"] = 1
            out["defaultVersion"] = 1
            out["arn"] = arn("ec2", f"launch-template/{rid}")
        elif res == "instance":
            n = int(_hex(seed, 4), 16)
            out["privateIp"] = f"10.0.{(n >> 8) % 256}.{n % 254 + 1}"
            out["primaryNetworkInterfaceId"] = f"eni-0{_hex(seed + 'eni', 16)}"
    elif module in ("lb", "alb"):
        lbname = phys or name
        if res == "loadBalancer":
            kind = "net" if inputs.get("loadBalancerType") == "network" else "app"
            suffix = f"{kind}/{lbname}/{_hex(seed, 16)}"
            rid = arn("elasticloadbalancing", f"loadbalancer/{suffix}")
            internal = inputs.get("internal") in (True, "true")
            prefix = "internal-" if internal else ""
            out["dnsName"] = f"{prefix}{lbname}-{_digits(seed, 9).lstrip('0') or '1'}.{region}.elb.amazonaws.com"
            out["zoneId"] = _ELB_ZONES.get(region, "Z35SXDOTRQ7X7K")
            out["arnSuffix"] = suffix
        elif res == "targetGroup":
            suffix = f"targetgroup/{lbname}/{_hex(seed, 16)}"
            rid = arn("elasticloadbalancing", suffix)
            out["arnSuffix"] = suffix
        elif res == "listener":
            rid = arn("elasticloadbalancing", f"listener/app/{name}/{_hex(seed, 16)}/{_hex(seed + 'l', 16)}")
        elif res == "listenerRule":
            rid = arn("elasticloadbalancing", f"listener-rule/app/{name}/{_hex(seed, 16)}/{_hex(seed + 'r', 16)}")
        else:
            rid = arn("elasticloadbalancing", f"{res.lower()}/{name}/{_hex(seed, 16)}")
        out["arn"] = rid
    elif key in ("s3/bucket", "s3/bucketV2"):
        rid = phys
        out["arn"] = f"arn:aws:s3:::{phys}"
        out["bucketDomainName"] = f"{phys}.s3.amazonaws.com"
        out["bucketRegionalDomainName"] = f"{phys}.s3.{region}.amazonaws.com"
        out["hostedZoneId"] = _S3_ZONES.get(region, "Z3AQBSTGFYJSTF")
        out["region"] = region
    elif module == "s3":
        bucket = inputs.get("bucket")
        rid = bucket if isinstance(bucket, str) else rid
    elif key == "rds/instance":
        ident = phys
        port = inputs.get("port")
        if not isinstance(port, (int, float)):
            engine = str(inputs.get("engine", "postgres"))
            port = 5432 if "postgres" in engine else 3306 if ("mysql" in engine or "maria" in engine or "aurora" in engine) else 1433 if "sqlserver" in engine else 1521
        host = f"{ident}.c{_hex(seed, 11)}.{region}.rds.amazonaws.com"
        out.update(address=host, endpoint=f"{host}:{int(port)}", port=port,
                   arn=arn("rds", f"db:{ident}"), resourceId=f"db-{_upper(seed, 26)}",
                   hostedZoneId="Z2R2ITUGPM61AM")
        if inputs.get("manageMasterUserPassword") in (True, "true"):
            out["masterUserSecrets"] = [{
                "kmsKeyId": arn("kms", f"key/{_uuid(seed + 'k')}"),
                "secretArn": arn("secretsmanager", f"secret:rds!db-{_uuid(seed)}-{_hex(seed, 6)}"),
                "secretStatus": "active",
            }]
        rid = ident
    elif key == "rds/cluster":
        ident = phys
        out.update(endpoint=f"{ident}.cluster-c{_hex(seed, 11)}.{region}.rds.amazonaws.com",
                   readerEndpoint=f"{ident}.cluster-ro-c{_hex(seed, 11)}.{region}.rds.amazonaws.com",
                   arn=arn("rds", f"cluster:{ident}"), clusterResourceId=f"cluster-{_upper(seed, 26)}")
        rid = ident
    elif key == "elasticache/replicationGroup":
        ident = phys
        host = f"{ident}.{_hex(seed, 6)}.{region_abbrev(region)}.cache.amazonaws.com"
        cluster_mode = inputs.get("clusterMode") == "enabled" or (
            isinstance(inputs.get("numNodeGroups"), (int, float)) and inputs["numNodeGroups"] > 1)
        # None: the provider returns no value there, so none is fabricated either.
        if cluster_mode:
            out["configurationEndpointAddress"] = f"clustercfg.{host}"
            out["primaryEndpointAddress"] = out["readerEndpointAddress"] = None
        else:
            out["primaryEndpointAddress"] = f"master.{host}"
            out["readerEndpointAddress"] = f"replica.{host}"
            out["configurationEndpointAddress"] = None
        out["arn"] = arn("elasticache", f"replicationgroup:{ident}")
        out["memberClusters"] = [f"{ident}-00{i + 1}" for i in range(int(inputs.get("numCacheClusters") or 2))]
        rid = ident
    elif key == "elasticache/cluster":
        ident = phys
        host = f"{ident}.{_hex(seed, 6)}.cfg.{region_abbrev(region)}.cache.amazonaws.com"
        port = inputs.get("port") or (11211 if inputs.get("engine") == "memcached" else 6379)
        out["configurationEndpoint"] = f"{host}:{int(port)}"
        out["clusterAddress"] = host
        out["arn"] = arn("elasticache", f"cluster:{ident}")
        n = int(inputs.get("numCacheNodes") or 1)
        zones = [z for z, _ in region_zones(region)]
        out["cacheNodes"] = [
            {"id": f"{i + 1:04d}", "address": f"{ident}.{_hex(seed, 6)}.{i + 1:04d}.{region_abbrev(region)}.cache.amazonaws.com",
             "port": port, "availabilityZone": zones[i % len(zones)]} for i in range(n)]
        rid = ident
    elif key == "cloudfront/distribution":
        rid = "E" + _upper(seed, 13)
        out.update(domainName=f"d{_hex(seed, 13)}.cloudfront.net", hostedZoneId=CLOUDFRONT_ZONE,
                   arn=f"arn:aws:cloudfront::{acct}:distribution/{rid}", status="Deployed",
                   etag="E" + _upper(seed + "etag", 13), callerReference=_uuid(seed))
    elif module == "cloudfront":
        rid = "E" + _upper(seed, 13)
        out["arn"] = f"arn:aws:cloudfront::{acct}:{res.lower()}/{rid}"
        out["etag"] = "E" + _upper(seed + "etag", 13)
    elif key == "route53/zone":
        rid = "Z" + _upper(seed, 20)
        out.update(zoneId=rid, arn=f"arn:aws:route53:::hostedzone/{rid}",
                   nameServers=[f"ns-{int(_hex(seed + str(i), 3), 16) % 2048}.awsdns-{i:02d}.{tld}"
                                for i, tld in enumerate(("com", "net", "org", "co.uk"))])
    elif key == "route53/record":
        rid = f"{inputs.get('zoneId', 'Z')}_{inputs.get('name', name)}_{inputs.get('type', 'A')}"
        out["fqdn"] = inputs.get("name", name)
    elif key == "route53/healthCheck":
        rid = _uuid(seed)
        out["arn"] = f"arn:aws:route53:::healthcheck/{rid}"
    elif key == "acm/certificate":
        cid = _uuid(seed)
        rid = arn("acm", f"certificate/{cid}")
        out["arn"] = rid
        out["status"] = "ISSUED"
        domains = []
        if isinstance(inputs.get("domainName"), str):
            domains.append(inputs["domainName"])
        for d in inputs.get("subjectAlternativeNames") or []:
            if isinstance(d, str) and d not in domains:
                domains.append(d)
        out["domainValidationOptions"] = [
            {"domainName": d, "resourceRecordName": f"_{_hex(seed + d, 32)}.{d.lstrip('*.')}.",
             "resourceRecordType": "CNAME",
             "resourceRecordValue": f"_{_hex(seed + d + 'v', 32)}.{_hex(seed, 10)}.acm-validations.aws."}
            for d in domains]
    elif key == "acm/certificateValidation":
        rid = str(inputs.get("certificateArn", rid))
    elif module == "iam":
        kind = {"role": "role", "policy": "policy", "instanceProfile": "instance-profile", "user": "user",
                "group": "group"}.get(res)
        if kind:
            path = inputs.get("path") if isinstance(inputs.get("path"), str) else "/"
            out["arn"] = f"arn:aws:iam::{acct}:{kind}{path}{phys or rid}"
            prefix = {"role": "AROA", "policy": "ANPA", "instanceProfile": "AIPA", "user": "AIDA", "group": "AGPA"}[res]
            out["uniqueId"] = prefix + _upper(seed, 17)
            if res == "policy":
                out["policyId"] = out["uniqueId"]
                rid = out["arn"]
        elif res == "openIdConnectProvider":
            url = str(inputs.get("url") or name).split("://", 1)[-1]
            rid = out["arn"] = f"arn:aws:iam::{acct}:oidc-provider/{url}"
        elif res in ("rolePolicyAttachment", "rolePolicy"):
            rid = f"{inputs.get('role', name)}-{_hex(seed, 20)}"
    elif key == "kms/key":
        rid = _uuid(seed)
        out.update(keyId=rid, arn=arn("kms", f"key/{rid}"))
    elif key == "kms/alias":
        out["arn"] = arn("kms", str(phys))
        out["targetKeyArn"] = arn("kms", f"key/{inputs.get('targetKeyId', '')}")
    elif key == "cloudwatch/logGroup":
        out["arn"] = arn("logs", f"log-group:{phys}")
    elif key == "cloudwatch/metricAlarm":
        out["arn"] = arn("cloudwatch", f"alarm:{phys}")
    elif key == "sns/topic":
        rid = arn("sns", str(phys))
        out["arn"] = rid
    elif key == "efs/fileSystem":
        rid = f"fs-0{_hex(seed, 16)}"
        out.update(arn=arn("elasticfilesystem", f"file-system/{rid}"), dnsName=f"{rid}.efs.{region}.amazonaws.com",
                   numberOfMountTargets=0, ownerId=acct)
    elif key == "efs/mountTarget":
        rid = f"fsmt-0{_hex(seed, 16)}"
        fs = inputs.get("fileSystemId", "fs")
        out.update(dnsName=f"{fs}.efs.{region}.amazonaws.com", ipAddress=f"10.0.{int(_hex(seed, 2), 16)}.{int(_hex(seed + 'x', 2), 16) % 254 + 1}",
                   networkInterfaceId=f"eni-0{_hex(seed + 'eni', 16)}")
    elif key == "wafv2/webAcl":
        wid = _uuid(seed)
        scope = "global" if inputs.get("scope") == "CLOUDFRONT" else "regional"
        reg = "us-east-1" if scope == "global" else region
        out["arn"] = arn("wafv2", f"{scope}/webacl/{phys}/{wid}", reg)
        out["capacity"] = 0
        rid = wid
    elif key == "backup/vault":
        out["arn"] = arn("backup", f"backup-vault:{phys}")
        out["recoveryPoints"] = 0
    elif key == "backup/plan":
        rid = _uuid(seed)
        out["arn"] = arn("backup", f"backup-plan:{rid}")
        out["version"] = _hex(seed, 40)
    elif key == "backup/selection":
        rid = _uuid(seed)
    elif key == "secretsmanager/secret":
        rid = arn("secretsmanager", f"secret:{phys}-{_hex(seed, 6)}")
        out["arn"] = rid
    elif key == "autoscaling/group":
        out["arn"] = arn("autoscaling", f"autoScalingGroup:{_uuid(seed)}:autoScalingGroupName/{phys}")
    elif key == "sqs/queue":
        rid = f"https://sqs.{region}.amazonaws.com/{acct}/{phys}"
        out["arn"] = arn("sqs", str(phys))
        out["url"] = rid
    elif key == "lambda/function":
        out["arn"] = arn("lambda", f"function:{phys}")
        out["invokeArn"] = f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{out['arn']}/invocations"
    elif key == "ecs/cluster":
        out["arn"] = arn("ecs", f"cluster/{phys}")
    elif key == "apigateway/restApi":
        rid = _shapes._lower_alnum(seed, 10)
        out.update(arn=f"arn:aws:apigateway:{region}::/restapis/{rid}", executionArn=arn("execute-api", rid),
                   rootResourceId=_shapes._lower_alnum(seed + "root", 10), createdDate=_shapes.TIMESTAMP)
    elif key == "apigateway/stage":
        api = _downgrade(inputs.get("restApi"))
        api = api if isinstance(api, str) else _shapes._lower_alnum(seed + "api", 10)
        stage = inputs.get("stageName") if isinstance(inputs.get("stageName"), str) else name
        rid = f"ags-{api}-{stage}"
        out.update(arn=f"arn:aws:apigateway:{region}::/restapis/{api}/stages/{stage}",
                   executionArn=arn("execute-api", f"{api}/{stage}"),
                   invokeUrl=f"https://{api}.execute-api.{region}.amazonaws.com/{stage}")
    elif key == "apigateway/resource":
        part = inputs.get("pathPart") if isinstance(inputs.get("pathPart"), str) else name
        rid = _shapes._lower_alnum(seed, 6)
        out["path"] = f"/{part}"
    elif key == "apigateway/deployment":
        rid = _shapes._lower_alnum(seed, 6)
        out["createdDate"] = _shapes.TIMESTAMP
    elif key == "appsync/graphQLApi":
        rid = _shapes._lower_alnum(seed, 26)
        out["arn"] = arn("appsync", f"apis/{rid}")
    elif key == "eks/cluster":
        rid = str(phys)
        out.update(arn=arn("eks", f"cluster/{phys}"), clusterId=_uuid(seed), platformVersion="eks.1",
                   status="ACTIVE", createdAt=_shapes.TIMESTAMP)
    elif key == "ecr/repository":
        rid = str(phys)
        out.update(arn=arn("ecr", f"repository/{phys}"), registryId=acct,
                   repositoryUrl=f"{acct}.dkr.ecr.{region}.amazonaws.com/{phys}")
    elif module not in ("route53",):
        out.setdefault("arn", arn(module, f"{res.lower()}/{rid}"))

    if "tags" in inputs and "tagsAll" not in inputs:
        out["tagsAll"] = inputs["tags"]
    return rid, out, phys


_COMPUTED_FIELDS: dict[str, tuple] = {}


def _computed_fields(token: str) -> tuple:
    """(wire name, declared type) of the outputs the provider computes, for the resource's SDK class."""
    found = _COMPUTED_FIELDS.get(token)
    if found is None:
        cls = _shapes.resource_class(token)
        names = set(computed_outputs(token))
        found = tuple((k, t) for k, t in _shapes.fields(cls) if k in names) if cls is not None else ()
        _COMPUTED_FIELDS[token] = found
    return found


def _downgrade(value: Any) -> Any:
    from .resource_refs import downgrade

    return downgrade(value)


# The zones each commercial region offers a new account, and the numbers of their zone ids. Most regions
# offer a, b, c (az1..az3); the exceptions skip a letter that only accounts created long ago still see
# (us-west-1b, ap-northeast-1b, ca-central-1c) or have more zones. Which name maps to which zone id differs
# per account; listing them in the same order is one valid mapping.
_ZONE_EXCEPTIONS: dict[str, tuple[str, tuple[int, ...]]] = {
    "us-east-1": ("abcdef", (1, 2, 3, 4, 5, 6)),
    "us-west-1": ("ac", (1, 3)),
    "us-west-2": ("abcd", (1, 2, 3, 4)),
    "ap-northeast-1": ("acd", (1, 2, 4)),
    "ap-northeast-2": ("abcd", (1, 2, 3, 4)),
    "ca-central-1": ("abd", (1, 2, 4)),
}
# Every current commercial region; a region not listed here is assumed to offer a, b and c.
COMMERCIAL_REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2", "ap-south-1",
    "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
    "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2",
    "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
)
_DEFAULT_ZONES = ("abc", (1, 2, 3))


def region_zones(region: str) -> list[tuple[str, str]]:
    """(zone name, zone id) of every Availability Zone the region offers, in name order."""
    abbrev = region_abbrev(region)
    letters, numbers = _ZONE_EXCEPTIONS.get(region, _DEFAULT_ZONES)
    return [(f"{region}{letter}", f"{abbrev}-az{n}") for letter, n in zip(letters, numbers)]


def zone_id(zone: str) -> str:
    """The zone id of an Availability Zone name (``us-west-1c`` -> ``usw1-az3``)."""
    for name, zid in region_zones(zone[:-1]):
        if name == zone:
            return zid
    return f"{region_abbrev(zone[:-1])}-az{ord(zone[-1]) - 96}"


def _filter_values(args: dict) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in args.get("filters") or []:
        if isinstance(f, dict) and isinstance(f.get("name"), str):
            out.setdefault(f["name"], []).extend(v for v in f.get("values") or [] if isinstance(v, str))
    return out


def availability_zones(region: str, args: dict) -> dict:
    excl_names = set(args.get("excludeNames") or [])
    excl_ids = set(args.get("excludeZoneIds") or [])
    filters = _filter_values(args)
    # Every zone listed is a standard AZ: available, opted in by default, of type availability-zone.
    facts = {"state": "available", "opt-in-status": "opt-in-not-required", "zone-type": "availability-zone",
             "region-name": region, "group-name": region}
    pairs = []
    for n, z in region_zones(region):
        if n in excl_names or z in excl_ids:
            continue
        if args.get("state") not in (None, "available"):
            continue
        seen = {**facts, "zone-name": n, "zone-id": z}
        if any(key in seen and seen[key] not in values for key, values in filters.items()):
            continue
        pairs.append((n, z))
    return {
        "id": region,
        "names": [p[0] for p in pairs],
        "zoneIds": [p[1] for p in pairs],
        "groupNames": [region] * len(pairs),
        "region": region,
    }


def _one_or_list(values: Any) -> Any:
    if isinstance(values, list) and len(values) == 1:
        return values[0]
    return values


def policy_document(args: dict) -> dict:
    """The JSON the provider's getPolicyDocument builds from its statements."""
    doc: dict[str, Any] = {"Version": args.get("version") or "2012-10-17"}
    if args.get("policyId"):
        doc["Id"] = args["policyId"]
    statements = []
    for st in args.get("statements") or []:
        out: dict[str, Any] = {}
        if st.get("sid"):
            out["Sid"] = st["sid"]
        out["Effect"] = st.get("effect") or "Allow"
        for src, dst in (("actions", "Action"), ("notActions", "NotAction")):
            if st.get(src):
                out[dst] = _one_or_list(sorted(set(st[src]), reverse=True) if len(st[src]) > 1 else st[src])
        for src, dst in (("resources", "Resource"), ("notResources", "NotResource")):
            if st.get(src):
                out[dst] = _one_or_list(sorted(set(st[src]), reverse=True) if len(st[src]) > 1 else st[src])
        for src, dst in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
            if st.get(src):
                prin: dict[str, Any] = {}
                star = False
                for p in st[src]:
                    ptype, ids = p.get("type"), p.get("identifiers") or []
                    if ptype == "*" and ids == ["*"]:
                        star = True
                        continue
                    existing = prin.get(ptype, [])
                    existing = existing if isinstance(existing, list) else [existing]
                    prin[ptype] = existing + [i for i in ids if i not in existing]
                out[dst] = "*" if star and not prin else {k: _one_or_list(sorted(v, reverse=True)) for k, v in prin.items()}
        if st.get("conditions"):
            cond: dict[str, dict] = {}
            for c in st["conditions"]:
                cond.setdefault(c.get("test"), {})[c.get("variable")] = _one_or_list(list(c.get("values") or []))
            out["Condition"] = cond
        statements.append(out)
    doc["Statement"] = statements
    pretty = json.dumps(doc, indent=2)
    return {"id": str(int(hashlib.sha256(pretty.encode()).hexdigest()[:8], 16)), "json": pretty,
            "minifiedJson": json.dumps(doc, separators=(",", ":"))}


def invoke(token: str, args: dict, region: str) -> dict | None:
    """The result of a known invoke, or None when the token is not one we answer.

    A result has every field the SDK's result class declares: a program may read any of them.
    """
    region = args.get("region") if isinstance(args.get("region"), str) else region
    result = _builtin_invoke(token, args, region)
    return None if result is None else complete_result(token, args, region, result)


def _builtin_invoke(token: str, args: dict, region: str) -> dict | None:
    lookup = _LOOKUPS.get(token)
    if lookup is not None:
        return lookup(args, region)
    if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
        return availability_zones(region, args)
    if token == "aws:index/getCallerIdentity:getCallerIdentity":
        return {"id": ACCOUNT, "accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/preflight",
                "userId": "AIDAPREFLIGHTOFFLINE00"}
    if token == "aws:index/getRegion:getRegion":
        return {"id": region, "name": region, "region": region, "endpoint": f"ec2.{region}.amazonaws.com",
                "description": region}
    if token == "aws:index/getPartition:getPartition":
        return {"id": "aws", "partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws"}
    if token == "aws:ec2/getAmi:getAmi":
        seed = json.dumps(args, sort_keys=True, default=str)
        ami = f"ami-0{_hex(seed, 16)}"
        return {"id": ami, "imageId": ami, "arn": f"arn:aws:ec2:{region}::image/{ami}", "architecture": "x86_64",
                "name": "al2023-ami-2023.6.20250101.0-kernel-6.1-x86_64", "ownerId": "137112412989",
                "rootDeviceName": "/dev/xvda", "virtualizationType": "hvm", "state": "available",
                "blockDeviceMappings": [], "public": True}
    if token == "aws:route53/getZone:getZone":
        zname = args.get("name") or "example.com"
        zid = args.get("zoneId") or "Z" + _upper(str(zname), 20)
        zname = zname.rstrip(".")
        return {"id": zid, "zoneId": zid, "name": zname, "arn": f"arn:aws:route53:::hostedzone/{zid}",
                "nameServers": [f"ns-{i}.awsdns-{i:02d}.com" for i in range(4)],
                "privateZone": bool(args.get("privateZone")), "resourceRecordSetCount": 2,
                "callerReference": _uuid(str(zname))}
    if token == "aws:iam/getPolicyDocument:getPolicyDocument":
        return policy_document(args)
    if token == "aws:ssm/getParameter:getParameter":
        pname = str(args.get("name", ""))
        value = f"ami-0{_hex(pname, 16)}" if "/ami" in pname else f"preflight-ssm-value-{_hex(pname, 8)}"
        return {"id": pname, "name": pname, "value": value, "insecureValue": value, "type": "String",
                "version": 1, "arn": f"arn:aws:ssm:{region}:{ACCOUNT}:parameter/{pname.lstrip('/')}",
                "withDecryption": args.get("withDecryption", True)}
    if token == "aws:s3/getCanonicalUserId:getCanonicalUserId":
        return {"id": _hex("canonical-user-" + ACCOUNT, 64), "displayName": "preflight"}
    if token == "aws:cloudfront/getLogDeliveryCanonicalUserId:getLogDeliveryCanonicalUserId":
        # The documented canonical user of the awslogsdelivery account (outside the China regions).
        return {"id": "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0"}
    if token == "aws:elb/getServiceAccount:getServiceAccount":
        acct = ELB_SERVICE_ACCOUNTS.get(region, "127311923021")
        return {"id": acct, "arn": f"arn:aws:iam::{acct}:root", "region": region}
    return None


_ARG_NAMES: dict[str, frozenset[str]] = {}


def _arg_names(token: str) -> frozenset[str]:
    """Wire names of the invoke's arguments, from the SDK function's parameters."""
    if token in _ARG_NAMES:
        return _ARG_NAMES[token]
    import inspect

    names: frozenset[str] = frozenset()
    fn = _shapes.invoke_function(token)
    if callable(fn):
        with contextlib.suppress(TypeError, ValueError):
            params = inspect.signature(fn).parameters
            names = frozenset(_camel(p) for p in params if p != "opts")
    _ARG_NAMES[token] = names
    return names


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


# The strings Terraform's schema layer reads as booleans (Go's strconv.ParseBool).
_TRUE = frozenset(("1", "t", "T", "TRUE", "true", "True"))
_FALSE = frozenset(("0", "f", "F", "FALSE", "false", "False"))


def _as_declared(typ: Any, value: Any) -> Any:
    """An echoed argument in the type the result declares: the provider converts "true" or "3" given for a
    boolean or a number, and the SDK rejects a result whose field has another type."""
    if not isinstance(value, str):
        return value
    if typ is bool:
        return True if value in _TRUE else False if value in _FALSE else value
    if typ in (int, float):
        with contextlib.suppress(ValueError):
            return typ(value)
    return value


def complete_result(token: str, args: dict, region: str, result: dict) -> dict:
    """``result`` with every other field of the invoke's result class: an argument the program passed is
    echoed back, one it left out is an empty list or map, and the rest are shaped by their declared type."""
    cls = _shapes.result_class(token)
    if cls is None:
        return result
    out = dict(result)
    arg_names = _arg_names(token)
    seed = token + json.dumps(args, sort_keys=True, default=str)
    rid = out.get("id") if isinstance(out.get("id"), str) else region
    ctx = _shapes.Context(token, str(out.get("name") or token.split(":")[2]), rid, region, seed)
    for key, typ in _shapes.fields(cls):
        if key in out:
            continue
        if key in args:
            out[key] = _as_declared(typ, args[key])
            continue
        value = _shapes.value_for(typ, key, ctx)
        if key in arg_names and isinstance(value, (list, dict)):
            value = type(value)()
        if value is not None:
            out[key] = value
    if "id" not in out:
        out["id"] = rid
    return out


# ---- lookups of existing infrastructure, answered from what the request asks for ----


def _default_vpc_id(region: str) -> str:
    return f"vpc-0{_hex('default-vpc:' + region, 16)}"


def _tag_filters(filters: dict[str, list]) -> dict[str, str]:
    return {k[4:]: v[0] for k, v in filters.items() if k.startswith("tag:") and v}


def _get_vpc(args: dict, region: str) -> dict:
    filters = _filter_values(args)
    default = args.get("default") is True or filters.get("is-default") == ["true"]
    if isinstance(args.get("id"), str):
        vid = args["id"]
    elif filters.get("vpc-id"):
        vid = filters["vpc-id"][0]
    elif default:
        vid = _default_vpc_id(region)
    else:
        vid = f"vpc-0{_hex('vpc:' + region + json.dumps(args, sort_keys=True), 16)}"
    cidr = args.get("cidrBlock") or next(iter(filters.get("cidr") or filters.get("cidr-block") or []), None) \
        or ("172.31.0.0/16" if default else "10.0.0.0/16")
    tags = args.get("tags") if isinstance(args.get("tags"), dict) else _tag_filters(filters)
    seed = vid
    return {
        "id": vid, "arn": f"arn:aws:ec2:{region}:{ACCOUNT}:vpc/{vid}", "cidrBlock": cidr, "default": default,
        "state": "available", "ownerId": ACCOUNT, "instanceTenancy": "default", "enableDnsSupport": True,
        "enableDnsHostnames": default, "enableNetworkAddressUsageMetrics": False,
        "dhcpOptionsId": f"dopt-0{_hex(seed + 'dopt', 16)}", "mainRouteTableId": f"rtb-0{_hex(seed + 'rtb', 16)}",
        "cidrBlockAssociations": [{"associationId": f"vpc-cidr-assoc-0{_hex(seed + 'assoc', 16)}",
                                   "cidrBlock": cidr, "state": "associated"}],
        "ipv6AssociationId": "", "ipv6CidrBlock": "", "ipv6CidrBlockAssociations": [], "tags": tags,
        "region": region,
    }


# Subnets handed out by getSubnets, so a getSubnet of one of those ids answers with the same zone.
_SUBNETS: dict[str, dict] = {}


def _subnet_facts(subnet_id: str, region: str) -> dict:
    known = _SUBNETS.get(subnet_id)
    if known is not None:
        return known
    zones = region_zones(region)
    i = int(_hex(subnet_id, 4), 16) % len(zones)
    return {"availabilityZone": zones[i][0], "vpcId": _default_vpc_id(region),
            "cidrBlock": f"172.31.{16 * i}.0/20", "defaultForAz": False}


def _get_subnets(args: dict, region: str) -> dict:
    filters = _filter_values(args)
    if filters.get("subnet-id"):
        return {"ids": list(filters["subnet-id"]), "region": region, "id": region}
    vpc = next(iter(filters.get("vpc-id") or []), None)
    default = filters.get("default-for-az") == ["true"] or vpc is None
    vpc = vpc or _default_vpc_id(region)
    wanted = set(filters.get("availability-zone") or [])
    wanted_ids = set(filters.get("availability-zone-id") or [])
    ids = []
    seed = region + json.dumps(args, sort_keys=True)
    for i, (zone, zid) in enumerate(region_zones(region)):
        if (wanted and zone not in wanted) or (wanted_ids and zid not in wanted_ids):
            continue
        sid = f"subnet-0{_hex(seed + zone, 16)}"
        cidr = f"172.31.{16 * i}.0/20" if default else f"10.0.{i}.0/24"
        _SUBNETS[sid] = {"availabilityZone": zone, "vpcId": vpc, "cidrBlock": cidr, "defaultForAz": default}
        ids.append(sid)
    return {"ids": ids, "region": region, "id": region}


def _get_subnet(args: dict, region: str) -> dict:
    filters = _filter_values(args)
    sid = args.get("id") if isinstance(args.get("id"), str) else next(iter(filters.get("subnet-id") or []), None)
    if sid is None:
        sid = f"subnet-0{_hex('subnet:' + region + json.dumps(args, sort_keys=True), 16)}"
    facts = dict(_subnet_facts(sid, region))
    zone = args.get("availabilityZone") or next(iter(filters.get("availability-zone") or []), None)
    if isinstance(zone, str):
        facts["availabilityZone"] = zone
    elif isinstance(args.get("availabilityZoneId"), str):
        facts["availabilityZone"] = next((n for n, z in region_zones(region) if z == args["availabilityZoneId"]),
                                         facts["availabilityZone"])
    vpc = args.get("vpcId") or next(iter(filters.get("vpc-id") or []), None)
    if isinstance(vpc, str):
        facts["vpcId"] = vpc
    if isinstance(args.get("cidrBlock"), str):
        facts["cidrBlock"] = args["cidrBlock"]
    if isinstance(args.get("defaultForAz"), bool):
        facts["defaultForAz"] = args["defaultForAz"]
    zone = facts["availabilityZone"]
    return {
        **facts, "id": sid, "arn": f"arn:aws:ec2:{region}:{ACCOUNT}:subnet/{sid}", "ownerId": ACCOUNT,
        "availabilityZoneId": zone_id(zone), "state": "available", "availableIpAddressCount": 4091,
        "mapPublicIpOnLaunch": bool(facts["defaultForAz"]), "assignIpv6AddressOnCreation": False,
        "ipv6CidrBlock": "", "ipv6CidrBlockAssociationId": "", "ipv6Native": False, "outpostArn": "",
        "customerOwnedIpv4Pool": "", "privateDnsHostnameTypeOnLaunch": "ip-name", "region": region,
        "tags": args.get("tags") if isinstance(args.get("tags"), dict) else _tag_filters(filters),
    }


def _get_security_group(args: dict, region: str) -> dict:
    filters = _filter_values(args)
    name = args.get("name") or next(iter(filters.get("group-name") or []), None)
    gid = args.get("id") or next(iter(filters.get("group-id") or []), None) \
        or f"sg-0{_hex('sg:' + region + json.dumps(args, sort_keys=True), 16)}"
    name = name if isinstance(name, str) else "default"
    vpc = args.get("vpcId") or next(iter(filters.get("vpc-id") or []), None) or _default_vpc_id(region)
    return {
        "id": gid, "name": name, "vpcId": vpc, "arn": f"arn:aws:ec2:{region}:{ACCOUNT}:security-group/{gid}",
        "description": "default VPC security group" if name == "default" else f"{name} security group",
        "tags": args.get("tags") if isinstance(args.get("tags"), dict) else _tag_filters(filters), "region": region,
    }


_EMPTY_POLICY = json.dumps({"Version": "2012-10-17", "Statement": []})


def _get_policy(args: dict, region: str) -> dict:
    if isinstance(args.get("arn"), str):
        arn = args["arn"]
        resource = arn.split(":", 5)[-1]  # policy/path/name
        path_name = resource[len("policy"):] if resource.startswith("policy") else "/" + resource
        path, _, name = path_name.rpartition("/")
        path = (path or "") + "/"
    else:
        name = str(args.get("name") or "preflight-policy")
        path = args.get("pathPrefix") if isinstance(args.get("pathPrefix"), str) else "/"
        # AWS managed policies are the ones named Amazon*/AWS*; others belong to the account.
        owner = "aws" if name.startswith(("Amazon", "AWS")) or name.endswith("Access") else ACCOUNT
        arn = f"arn:aws:iam::{owner}:policy{path}{name}"
    return {
        "id": arn, "arn": arn, "name": name, "path": path, "policy": _EMPTY_POLICY,
        "policyId": "ANPA" + _upper(arn, 17), "attachmentCount": 1, "description": "",
        "tags": args.get("tags") if isinstance(args.get("tags"), dict) else {},
    }


def _get_role(args: dict, region: str) -> dict:
    name = str(args.get("name") or "preflight-role")
    arn = f"arn:aws:iam::{ACCOUNT}:role/{name}"
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    return {
        "id": name, "name": name, "arn": arn, "path": "/", "uniqueId": "AROA" + _upper(arn, 17),
        "assumeRolePolicy": json.dumps(trust), "createDate": _shapes.TIMESTAMP, "maxSessionDuration": 3600,
        "description": "", "permissionsBoundary": "",
        "roleLastUseds": [{"lastUsedDate": _shapes.TIMESTAMP, "region": region}],
        "tags": args.get("tags") if isinstance(args.get("tags"), dict) else {},
    }


def _ecr_token(registry: str, region: str) -> dict:
    import base64

    token = "preflight-offline-" + _hex(f"ecr:{registry}:{region}", 32)
    return {
        "authorizationToken": base64.b64encode(f"AWS:{token}".encode()).decode(), "password": token,
        "userName": "AWS", "proxyEndpoint": f"https://{registry}.dkr.ecr.{region}.amazonaws.com",
        "expiresAt": "2025-01-01T12:00:00Z", "registryId": registry,
    }


def _get_authorization_token(args: dict, region: str) -> dict:
    registry = args.get("registryId") if isinstance(args.get("registryId"), str) else ACCOUNT
    return {"id": region, "region": region, **_ecr_token(registry, region)}


def _get_credentials(args: dict, region: str) -> dict:
    registry = args.get("registryId") if isinstance(args.get("registryId"), str) else ACCOUNT
    return {"id": registry, **_ecr_token(registry, region)}


_LOOKUPS = {
    "aws:ec2/getVpc:getVpc": _get_vpc,
    "aws:ec2/getSubnets:getSubnets": _get_subnets,
    "aws:ec2/getSubnet:getSubnet": _get_subnet,
    "aws:ec2/getSecurityGroup:getSecurityGroup": _get_security_group,
    "aws:iam/getPolicy:getPolicy": _get_policy,
    "aws:iam/getRole:getRole": _get_role,
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": _get_authorization_token,
    "aws:ecr/getCredentials:getCredentials": _get_credentials,
}


_COMPUTED_CACHE: dict[str, tuple[str, ...]] = {}


def computed_outputs(token: str) -> tuple[str, ...]:
    """Wire names of the outputs a provider computes (outputs of the resource class that are not inputs).

    Read from the SDK class the program already imported (never imports anything), so it works for any
    Pulumi provider package. Used in preview: the engine's planned state shows these as unknown.
    """
    if token in _COMPUTED_CACHE:
        return _COMPUTED_CACHE[token]

    result: tuple[str, ...] = ()
    try:
        cls = _shapes.resource_class(token)
        args_cls = _shapes.args_class(token)
        if cls is not None:
            from pulumi import _types

            def wire_names(c) -> set[str]:
                names = set()
                for v in vars(c).values() if c is not None else ():
                    if isinstance(v, property):
                        n = getattr(v.fget, _types._PULUMI_NAME, None)
                        if n:
                            names.add(n)
                return names

            outs = wire_names(cls)
            ins = wire_names(args_cls)
            result = tuple(sorted(outs - ins))
    except Exception:  # noqa: BLE001 - unknown shapes simply get no extra unknowns
        result = ()
    _COMPUTED_CACHE[token] = result
    return result
