"""Tags every taggable resource carries, so cost reports and the console group a stack's resources."""

from __future__ import annotations

from typing import Callable, Mapping

PROJECT = "ecommerce-portal"


def stack_tags(environment: str, extra: Mapping[str, str], **more: str) -> dict[str, str]:
    """The portal's own tags win over user tags of the same key: tools rely on them."""
    return {**extra, "Project": PROJECT, "Environment": environment, "ManagedBy": "pulumi", **more}


def tagger(environment: str, extra: Mapping[str, str]) -> Callable[..., dict[str, str]]:
    """`tags(label, **more)`: a resource's tags, named `label` (what each component calls for its children)."""
    def tags(label: str, **more: str) -> dict[str, str]:
        return stack_tags(environment, extra, Name=label, **more)
    return tags
