"""Resource references downgraded the way the engine does before Analyze and AnalyzeStack.

Analyzers never receive the resource-reference envelope (pulumi-policy cannot unmarshal it): the engine
sends a custom resource's reference as its id (the unknown sentinel while the id is not known, as in a
first preview) and a component's reference as its URN.
"""

from __future__ import annotations

from typing import Any

from pulumi.runtime.rpc import UNKNOWN, _special_resource_sig, _special_sig_key


def downgrade(value: Any) -> Any:
    """``value`` with every resource reference, at any depth, replaced by its id or URN."""
    if isinstance(value, dict):
        if value.get(_special_sig_key) == _special_resource_sig:
            if "id" in value:
                rid = value.get("id")
                return rid if isinstance(rid, str) and rid else UNKNOWN
            return value.get("urn", "")
        return {k: downgrade(v) for k, v in value.items()}
    if isinstance(value, list):
        return [downgrade(v) for v in value]
    return value
