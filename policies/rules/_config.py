"""Policy configuration (set with `--policy-pack-config`): schemas, defaults, and typed access.

The CLI fills in schema defaults, but validators called directly (tests, other hosts) get only what was
passed, so every read goes through `setting()`, which applies the same defaults.
"""
import fnmatch
from typing import Any, Dict, Iterable, Mapping, Optional

# Which stacks are production, shared by the policies that ask more of production stacks.
PRODUCTION_STACKS = {
    "productionStacks": {
        "type": "array", "items": {"type": "string"}, "default": ["prod", "production"],
        "description": "Stack names (glob patterns) treated as production.",
    },
}

# Every policy's config schema, recorded as the policy is declared (rules/_base.py) beside its check.
SCHEMAS: Dict[str, Dict[str, Dict[str, Any]]] = {}

# Which buckets hold data, shared by the S3 policies that judge data buckets.
DATA_BUCKETS = {
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
# Which buckets hold backups, shared by the policies that judge backup buckets.
BACKUP_BUCKETS = {
    "backupBucketPatterns": {
        "type": "array", "items": {"type": "string"}, "default": ["*backup*"],
        "description": "Glob patterns of buckets that hold backups.",
    },
}


def setting(config: Optional[Mapping[str, Any]], policy: str, key: str) -> Any:
    config = config or {}
    if key in config and config[key] is not None:
        return config[key]
    return SCHEMAS[policy][key]["default"]


def matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name.lower(), p.lower()) for p in patterns)


def is_production(stack: str, config: Optional[Mapping[str, Any]], policy: str) -> bool:
    return matches(stack, setting(config, policy, "productionStacks"))
