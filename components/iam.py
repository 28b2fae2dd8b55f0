"""IAM policy documents, written one way for the whole portal (the same JSON for the same statements, so a
rewrite of the code never shows as a policy change in a preview)."""

from __future__ import annotations

import json
from typing import Any, Mapping

VERSION = "2012-10-17"


def policy_document(*statements: Mapping[str, Any], indent: int | None = None) -> str:
    """`indent` only for documents already deployed indented: a different layout of the same policy would show as
    a change of the policy in every preview."""
    return json.dumps({"Version": VERSION, "Statement": [dict(s) for s in statements]}, indent=indent)


def assume_role_policy(service: str, condition: Mapping[str, Any] | None = None) -> str:
    """A trust policy letting one AWS service assume the role (optionally only under `condition`)."""
    statement: dict[str, Any] = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": service}}
    if condition:
        statement["Condition"] = dict(condition)
    return policy_document(statement)
