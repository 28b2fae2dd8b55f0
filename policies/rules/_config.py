"""Policy configuration (set with `--policy-pack-config`): schemas, defaults, and typed access.

The CLI fills in schema defaults, but validators called directly (tests, other hosts) get only what was
passed, so every read goes through `setting()`, which applies the same defaults.
"""
import fnmatch
from typing import Any, Dict, Iterable, Mapping, Optional

PRODUCTION_STACKS = {
    "productionStacks": {
        "type": "array", "items": {"type": "string"}, "default": ["prod", "production"],
        "description": "Stack names (glob patterns) treated as production.",
    },
}

SCHEMAS: Dict[str, Dict[str, Dict[str, Any]]] = {
    "asg-multi-az": {
        "minAvailabilityZones": {"type": "integer", "minimum": 2, "default": 2,
                                 "description": "Minimum number of AZs an Auto Scaling group spans."},
    },
    "lb-multi-az": {
        "minAvailabilityZones": {"type": "integer", "minimum": 2, "default": 2,
                                 "description": "Minimum number of AZs a load balancer spans."},
    },
    "asg-elb-health-check": {
        "minGracePeriodSeconds": {"type": "integer", "minimum": 0, "default": 60,
                                  "description": "Minimum health check grace period (boot time)."},
    },
    "target-group-health-check": {
        "maxHealthyThreshold": {"type": "integer", "default": 5, "description": "Largest healthy threshold."},
        "minUnhealthyThreshold": {"type": "integer", "default": 2, "description": "Smallest unhealthy threshold."},
        "maxUnhealthyThreshold": {"type": "integer", "default": 5, "description": "Largest unhealthy threshold."},
        "maxIntervalSeconds": {"type": "integer", "default": 60, "description": "Longest health check interval."},
    },
    "target-group-health-check-path": {
        "forbiddenPaths": {"type": "array", "items": {"type": "string"}, "default": ["/"],
                           "description": "Health check paths that do not exercise the application."},
    },
    "asg-instance-refresh-pinned-version": {
        "minHealthyPercentage": {"type": "integer", "default": 50,
                                 "description": "Lowest acceptable instance refresh min healthy percentage."},
    },
    "sticky-sessions-need-shared-store": {
        "sessionStoreTypes": {
            "type": "array", "items": {"type": "string"},
            "default": ["rds/instance", "rds/cluster", "elasticache/replicationGroup", "dynamodb/table"],
            "description": "Resource kinds (module/type) that count as a shared, durable session store "
                           "when they are themselves highly available (memcached never counts).",
        },
    },
    "rds-backup-retention": {
        "minRetentionDays": {"type": "integer", "minimum": 1, "maximum": 35, "default": 7,
                             "description": "Required automated backup retention in days."},
    },
    "rds-deletion-protection": dict(PRODUCTION_STACKS),
    "stateful-resources-protected": dict(PRODUCTION_STACKS),
    "lb-deletion-protection": dict(PRODUCTION_STACKS),
    "s3-data-bucket-versioned": {},
    "https-listener-modern-tls": {
        "allowedTlsPolicies": {
            "type": "array", "items": {"type": "string"},
            "default": [
                "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
                "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
                "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
                "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "ELBSecurityPolicy-TLS-1-2-2017-01",
                "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10",
                "ELBSecurityPolicy-FS-1-2-Res-2019-08",
            ],
            "description": "TLS security policies an HTTPS/TLS listener may use.",
        },
    },
    "cloudfront-viewer-https-tls12": {
        "allowedMinimumProtocolVersions": {
            "type": "array", "items": {"type": "string"},
            "default": ["TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"],
            "description": "Viewer minimum protocol versions CloudFront may use.",
        },
    },
    "sg-no-sensitive-ports-from-internet": {
        "ports": {"type": "array", "items": {"type": "integer"},
                  "default": [22, 3389, 3306, 5432, 1433, 1521, 6379, 11211, 2049, 27017, 9200, 5984],
                  "description": "Ports that must never be open to 0.0.0.0/0 or ::/0."},
    },
    "sg-world-ingress-authorized-ports": {
        "authorizedPorts": {"type": "array", "items": {"type": "integer"}, "default": [80, 443],
                            "description": "Ports that may be open to 0.0.0.0/0 or ::/0."},
    },
    "target-group-deregistration-delay": {
        "maxSeconds": {"type": "integer", "default": 120,
                       "description": "Longest acceptable deregistration delay (AWS defaults to 300)."},
    },
    "log-group-retention": {
        "minRetentionDays": {"type": "integer", "default": 30, "description": "Shortest acceptable retention."},
    },
    "backup-plan-retention-and-copy": {
        "minRetentionDays": {"type": "integer", "default": 7, "description": "Shortest acceptable retention."},
        "requireCopyAction": {"type": "boolean", "default": True,
                              "description": "Require a copy action to another vault (region/account)."},
    },
    "alarm-coverage": {
        "coveredKinds": {
            "type": "array", "items": {"type": "string"},
            "default": ["lb/loadBalancer", "elb/loadBalancer", "autoscaling/group", "rds/instance", "rds/cluster",
                        "elasticache/cluster", "elasticache/replicationGroup"],
            "description": "Resource kinds that must each have an alarm.",
        },
    },
    "zone-apex-alias": {
        "apexNames": {"type": "array", "items": {"type": "string"}, "default": [],
                      "description": "Zone apex names, for records whose hosted zone is looked up rather than created."},
    },
    "staging-matches-production": {
        "referenceShape": {"type": "object", "default": {},
                           "description": "Production's HA shape (rules.shape.stack_shape of the production stack); "
                                          "empty turns the comparison off."},
    },
    "az-loss-survivable": {
        "minWebCapacityAfterLoss": {"type": "integer", "minimum": 1, "default": 1,
                                    "description": "Instances the web group must keep (at its minimum size) after losing an AZ."},
    },
    "secret-version-not-literal": {
        "configSecretVersions": {
            "type": "array", "items": {"type": "string"}, "default": [],
            "description": "Glob patterns of secret versions exempted by name (kept for existing configs: a value "
                           "from secret config passes on its own).",
        },
    },
    "imdsv2-required": {
        "imdsv2ImageIds": {
            "type": "array", "items": {"type": "string"}, "default": [],
            "description": "Image ids (or glob patterns) registered to require IMDSv2, such as the Amazon Linux 2023 "
                           "AMIs the stack launches; their instances and launch templates need no httpTokens.",
        },
    },
}

_DATA_BUCKETS = {
    "dataBucketPatterns": {
        "type": "array", "items": {"type": "string"}, "default": ["*"],
        "description": "Glob patterns on the bucket name (or the resource name) of buckets that hold data.",
    },
    "nonDataBucketPatterns": {
        "type": "array", "items": {"type": "string"}, "default": [],
        "description": "Glob patterns of buckets that hold no data (checked after dataBucketPatterns).",
    },
    "dataTag": {
        "type": "string", "default": "holds-data",
        "description": "Tag whose value true/false overrides the name patterns.",
    },
}
_BACKUP_BUCKETS = {
    "backupBucketPatterns": {
        "type": "array", "items": {"type": "string"}, "default": ["*backup*"],
        "description": "Glob patterns of buckets that hold backups.",
    },
}
for _name in ("s3-data-bucket-versioned", "s3-data-bucket-encrypted", "s3-bucket-not-public", "s3-bucket-logging"):
    SCHEMAS.setdefault(_name, {}).update(_DATA_BUCKETS)
for _name in ("s3-backup-bucket-hardened", "stateful-resources-protected", "backup-plan-coverage"):
    SCHEMAS.setdefault(_name, {}).update(_BACKUP_BUCKETS)


def setting(config: Optional[Mapping[str, Any]], policy: str, key: str) -> Any:
    config = config or {}
    if key in config and config[key] is not None:
        return config[key]
    return SCHEMAS[policy][key]["default"]


def matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name.lower(), p.lower()) for p in patterns)


def is_production(stack: str, config: Optional[Mapping[str, Any]], policy: str) -> bool:
    return matches(stack, setting(config, policy, "productionStacks"))
