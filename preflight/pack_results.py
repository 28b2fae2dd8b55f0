"""What a policy pack reports, as the report renders it."""

from __future__ import annotations

from dataclasses import dataclass, field

from pulumi.runtime.proto import analyzer_pb2

from .pack_launch import PolicyPackError  # noqa: F401 - the pack host's one error type, imported from here too

LEVELS = {analyzer_pb2.ADVISORY: "advisory", analyzer_pb2.MANDATORY: "mandatory",
          analyzer_pb2.DISABLED: "disabled", analyzer_pb2.REMEDIATE: "remediate"}
LEVEL_VALUES = {v: k for k, v in LEVELS.items()}
SEVERITIES = {analyzer_pb2.POLICY_SEVERITY_LOW: "low", analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
              analyzer_pb2.POLICY_SEVERITY_HIGH: "high", analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical"}


@dataclass
class PolicyMeta:
    name: str
    description: str
    enforcement_level: str
    type: str  # "resource" | "stack"
    severity: str | None
    config_schema: dict


@dataclass
class Violation:
    policy_pack: str
    policy_pack_version: str
    policy_name: str
    enforcement_level: str  # "mandatory" | "advisory"
    severity: str | None
    urn: str
    message: str
    description: str


@dataclass
class NotApplicable:
    policy_pack: str
    policy_name: str
    urn: str
    reason: str


@dataclass
class Diagnostic:
    policy_pack: str
    policy_name: str
    urn: str
    level: str  # "advisory" (e.g. can't run during preview), "info", "warning", "error"
    message: str


@dataclass
class PackResult:
    name: str
    version: str
    path: str
    policies: list[PolicyMeta] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    remediations: list[dict] = field(default_factory=list)
    timings: dict = field(default_factory=dict)
