"""Tags every taggable resource carries, so cost reports and the console group a stack's resources."""

from __future__ import annotations

from typing import Mapping

PROJECT = "ecommerce-portal"


def stack_tags(environment: str, extra: Mapping[str, str], **more: str) -> dict[str, str]:
    """The portal's own tags win over user tags of the same key: tools rely on them."""
    return {**extra, "Project": PROJECT, "Environment": environment, "ManagedBy": "pulumi", **more}
