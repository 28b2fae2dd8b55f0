"""Values shaped by a provider SDK's declared types, for outputs no specific rule fabricates.

The SDK classes a program already imported declare every output with a wire name and a type
(``str``, ``int``, ``bool``, ``Sequence[...]``, ``Mapping[...]`` or a nested ``@pulumi.output_type``
class). A program that reads ``cluster.identities[0].oidcs[0].issuer`` after a deploy needs a value of
that shape there, so each output gets one built from its type, its name and the resource it belongs to:
ARNs for ``...Arn``, ids for ``...Id``, host names for ``...DnsName``, a timestamp for ``createdAt``.
Everything is deterministic: the same resource always gets the same values.
"""

from __future__ import annotations

import base64
import collections.abc
import hashlib
import sys
import typing
from dataclasses import dataclass
from typing import Any

ACCOUNT = "123456789012"
TIMESTAMP = "2025-01-01T00:00:00Z"
_MAX_DEPTH = 6

# Service names in ARNs and host names that differ from the SDK module name.
_SERVICE = {
    "lb": "elasticloadbalancing", "alb": "elasticloadbalancing", "elb": "elasticloadbalancing",
    "cloudwatch": "logs", "sfn": "states", "cognito": "cognito-idp", "efs": "elasticfilesystem",
    "opensearch": "es", "elasticsearch": "es", "msk": "kafka", "apigatewayv2": "apigateway",
    "appautoscaling": "application-autoscaling", "servicediscovery": "servicediscovery",
}

# Output names whose value is an input echo: an empty list when the program gave none.
_EMPTY_LISTS = {"filters", "filter"}

_EC2_ID_PREFIX = {
    "vpcId": "vpc", "subnetId": "subnet", "securityGroupId": "sg", "clusterSecurityGroupId": "sg",
    "routeTableId": "rtb", "mainRouteTableId": "rtb", "defaultRouteTableId": "rtb",
    "networkInterfaceId": "eni", "primaryNetworkInterfaceId": "eni", "natGatewayId": "nat",
    "internetGatewayId": "igw", "allocationId": "eipalloc", "associationId": "eipassoc", "imageId": "ami",
    "amiId": "ami", "instanceId": "i", "networkAclId": "acl", "defaultNetworkAclId": "acl",
    "defaultSecurityGroupId": "sg", "dhcpOptionsId": "dopt", "vpcEndpointId": "vpce", "volumeId": "vol",
    "snapshotId": "snap", "transitGatewayId": "tgw", "prefixListId": "pl", "launchTemplateId": "lt",
    "ipv6CidrBlockAssociationId": "subnet-cidr-assoc", "ipv6AssociationId": "vpc-cidr-assoc",
}
_ACCOUNT_IDS = {"ownerId", "accountId", "registryId", "callerAccountId", "awsAccountId"}
# Computed outputs that point at something made elsewhere (a route's target instance, an address's
# association, a web ACL attached later): empty unless that happens, and a policy reading them must not
# find an attachment the program never made.
_REFERENCES = {
    "instanceId", "instanceOwnerId", "associationId", "webAclArn", "transitGatewayId", "gatewayId",
    "natGatewayId", "localGatewayId", "egressOnlyGatewayId", "carrierGatewayId", "vpcPeeringConnectionId",
    "coreNetworkArn", "carrierIp", "customerOwnedIp", "networkBorderGroup", "origin",
}


@dataclass(frozen=True)
class Context:
    """The resource (or lookup) a value belongs to."""

    token: str
    name: str  # the physical name when there is one, else the logical name
    rid: str
    region: str
    seed: str

    @property
    def module(self) -> str:
        return self.token.split(":")[1].split("/")[0] if self.token.count(":") == 2 else ""

    @property
    def resource(self) -> str:
        parts = self.token.split(":")
        return parts[1].split("/")[-1] if len(parts) == 3 else ""

    @property
    def service(self) -> str:
        return _SERVICE.get(self.module, self.module or "service")


def _hex(seed: str, n: int) -> str:
    out = ""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}#{i}".encode()).hexdigest()
        i += 1
    return out[:n]


def _lower_alnum(seed: str, n: int) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    h = _hex(seed, n * 2)
    return "".join(alphabet[int(h[i * 2:i * 2 + 2], 16) % 36] for i in range(n))


def _uuid(seed: str) -> str:
    h = _hex(seed, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def pem_certificate_b64(seed: str) -> str:
    """A PEM certificate block, base64-encoded as EKS and ACM PCA return certificate data."""
    body = base64.b64encode(bytes.fromhex(_hex(seed, 1200))).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    pem = "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"
    return base64.b64encode(pem.encode()).decode()


def _ip(seed: str) -> str:
    n = int(_hex(seed, 4), 16)
    return f"10.0.{(n >> 8) % 256}.{n % 254 + 1}"


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


# ---------------------------------------------------------------------------------------------
# Declared types


def sdk_package(token: str) -> Any:
    """The SDK (sub)package that exports a token's classes (``aws:appsync/graphQLApi:GraphQLApi`` ->
    ``pulumi_aws.appsync``), if the program imported it: nothing is imported here."""
    parts = token.split(":")
    if len(parts) != 3:
        return None
    base = "pulumi_" + parts[0].replace("-", "_")
    if parts[1].split("/")[0] == "index":
        return sys.modules.get(base)
    # aws:ec2/vpc:Vpc names its module before the slash; kubernetes:apps/v1:Deployment names it whole.
    for mod in (parts[1].rpartition("/")[0], parts[1]):
        found = sys.modules.get(f"{base}.{mod.replace('/', '.')}") if mod else None
        if found is not None:
            return found
    return None


def _exported(token: str, name: str) -> Any:
    package = sdk_package(token)
    try:
        return getattr(package, name, None) if package is not None else None
    except Exception:  # noqa: BLE001 - a lazily loaded module that fails to load has nothing to offer
        return None


def resource_class(token: str) -> type | None:
    """The SDK class of a resource type, if the program imported its package."""
    return _exported(token, token.split(":")[-1])


def args_class(token: str) -> type | None:
    return _exported(token, token.split(":")[-1] + "Args")


def result_class(token: str) -> type | None:
    """The result class of an invoke (``aws:ec2/getVpc:getVpc`` -> ``GetVpcResult``), if imported."""
    fn = token.split(":")[-1]
    return _exported(token, fn[:1].upper() + fn[1:] + "Result")


def invoke_function(token: str) -> Any:
    """The SDK function of an invoke: the plain one next to its result class (not ``..._output``)."""
    cls = result_class(token)
    module = sys.modules.get(getattr(cls, "__module__", "")) if cls is not None else None
    for name in getattr(module, "__all__", ()):
        fn = getattr(module, name, None)
        if callable(fn) and not isinstance(fn, type) and not name.endswith("_output"):
            return fn
    return None


_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {}


def fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """(wire name, declared type with Output/Optional removed) of every property of an SDK class."""
    cached = _FIELDS.get(cls)
    if cached is not None:
        return cached
    from pulumi import _types

    try:
        if _types.is_output_type(cls):
            found = _types.output_type_types(cls)
        else:
            found = _types.resource_types(cls)
        result = tuple(sorted(found.items()))
    except Exception:  # noqa: BLE001 - a class whose hints do not resolve gets no fabricated values
        result = ()
    _FIELDS[cls] = result
    return result


# ---------------------------------------------------------------------------------------------
# Values


def value_for(typ: Any, key: str, ctx: Context, path: tuple[str, ...] = (), seen: tuple = ()) -> Any:
    """A value of the declared type for the output ``key`` (``path`` holds the enclosing wire names)."""
    origin = typing.get_origin(typ)
    if typ is str:
        return string_for(key, ctx, path)
    if typ is bool:
        return False
    if typ is int:
        return number_for(key)
    if typ is float:
        return float(number_for(key))
    if origin in (list, collections.abc.Sequence, typing.Sequence):
        if key in _EMPTY_LISTS or len(path) >= _MAX_DEPTH:
            return []
        (item,) = typing.get_args(typ) or (Any,)
        value = value_for(item, key, ctx, path, seen)
        return [] if value is None else [value]
    if origin in (dict, collections.abc.Mapping, typing.Mapping):
        return map_for(key, ctx)
    if isinstance(typ, type) and typ not in seen and len(path) < _MAX_DEPTH:
        props = fields(typ)
        if not props:
            return None
        return {k: v for k, t in props
                if (v := value_for(t, k, ctx, path + (key,), seen + (typ,))) is not None}
    return None


def fill(cls: type, ctx: Context, present: dict, skip: typing.Container[str] = ()) -> dict:
    """Values for every property of ``cls`` missing from ``present`` (and not in ``skip``)."""
    out = {}
    for key, typ in fields(cls):
        if key in present or key in skip or key in ("id", "urn"):
            continue
        value = value_for(typ, key, ctx)
        if value is not None:
            out[key] = value
    return out


def number_for(key: str) -> int:
    k = key.lower()
    if k.endswith("port"):
        return 443
    if "version" in k:
        return 1
    if k.endswith("duration") or k.endswith("seconds"):
        return 3600
    return 0


def map_for(key: str, ctx: Context) -> dict:
    if ctx.module == "appsync" and key == "uris":
        host = _lower_alnum(ctx.seed + "uris", 26)
        return {"GRAPHQL": f"https://{host}.appsync-api.{ctx.region}.amazonaws.com/graphql",
                "REALTIME": f"wss://{host}.appsync-realtime-api.{ctx.region}.amazonaws.com/graphql"}
    return {}


def arn(ctx: Context, service: str, resource: str, region: str | None = None, account: str = ACCOUNT) -> str:
    reg = ctx.region if region is None else region
    return f"arn:aws:{service}:{reg}:{account}:{resource}"


def string_for(key: str, ctx: Context, path: tuple[str, ...] = ()) -> str:
    seed = ctx.seed + "/" + "/".join(path + (key,))
    k = key.lower()
    parent = path[-1].lower() if path else ""
    if key in _REFERENCES:
        return ""
    if key == "arn" and not path:
        return arn(ctx, ctx.service, f"{_lower_first(ctx.resource)}/{ctx.rid}")
    if k.endswith("arn"):
        stem = key[:-3]
        if stem.lower().endswith("role"):
            return f"arn:aws:iam::{ACCOUNT}:role/{ctx.name}-{_hex(seed, 7)}"
        if stem.lower().endswith("kmskey") or stem.lower() == "kms":
            return arn(ctx, "kms", f"key/{_uuid(seed)}")
        if stem.lower().endswith("execution"):
            return arn(ctx, "execute-api", ctx.rid)
        return arn(ctx, ctx.service, f"{_lower_first(stem) or 'resource'}/{_hex(seed, 17)}")
    if key == "id":
        return ctx.rid
    if key in _ACCOUNT_IDS:
        return ACCOUNT
    if key in _EC2_ID_PREFIX:
        return f"{_EC2_ID_PREFIX[key]}-0{_hex(seed, 16)}"
    if k in ("hostedzoneid", "zoneid"):
        return "Z" + _hex(seed, 20).upper()
    if k.endswith("kmskeyid"):
        return _uuid(seed)
    if k == "region":
        return ctx.region
    if k == "availabilityzone":
        return ctx.region + "a"
    if k == "issuer":
        if ctx.module == "eks":
            return f"https://oidc.eks.{ctx.region}.amazonaws.com/id/{_hex(seed, 32).upper()}"
        return f"https://{ctx.service}.{ctx.region}.amazonaws.com/{_hex(seed, 16)}"
    if k == "data" and "certificate" in parent:
        return pem_certificate_b64(seed)
    if "pem" in k:
        return base64.b64decode(pem_certificate_b64(seed)).decode()
    if ctx.module == "eks" and k == "endpoint":
        return f"https://{_hex(seed, 32).upper()}.gr7.{ctx.region}.eks.amazonaws.com"
    if k.endswith("url") or k.endswith("uri"):
        return f"https://{_lower_alnum(seed, 10)}.{ctx.service}.{ctx.region}.amazonaws.com/"
    if k.endswith("endpoint") or k.endswith("dnsname") or k.endswith("domainname") or k in ("address", "host", "hostname"):
        return f"{_slug(ctx.name)}-{_lower_alnum(seed, 10)}.{ctx.service}.{ctx.region}.amazonaws.com"
    if key.endswith(("Ip", "IpAddress")) or k in ("ip", "ipaddress"):
        return _ip(seed)
    if "cidr" in k:
        return "10.0.0.0/16"
    if key.endswith(("At", "Date", "Time", "Timestamp")) or k in ("date", "time", "timestamp"):
        return TIMESTAMP
    if k == "status":
        return "ACTIVE"
    if k == "state":
        return "available"
    if k == "name" and not path:
        return ctx.name
    if k.endswith("id"):
        return _hex(seed, 17)
    if k in ("etag", "fingerprint") or k.endswith("hash") or k.endswith("version"):
        return _hex(seed, 32) if not k.endswith("version") else "1"
    return f"{_slug(ctx.name)}-{_hex(seed, 8)}"


def _slug(name: str) -> str:
    out = "".join(c if c.isalnum() or c == "-" else "-" for c in name.lower()).strip("-")
    return out[:40] or "resource"
