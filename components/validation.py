"""Pure validation of stack settings.

Config values arrive as the CLI passes them: strings, with structured values as JSON text. A
`ConfigReader` converts them to typed values and records every problem instead of raising at the first,
so one `pulumi preview` shows the user everything that is wrong with their stack file.
"""

from __future__ import annotations

import dataclasses
import difflib
import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

NAMESPACE = "portal"

# The types Pulumi's project config schema knows; the README's config table uses the same words.
CONFIG_TYPES = ("string", "integer", "boolean", "array", "object")


@dataclass(frozen=True)
class ConfigKey:
    """One documented config key: its name without the namespace, type, meaning and default, and the settings
    field it sets (declared with `settings_keys`, which reads the default from that field)."""

    name: str
    type: str
    description: str
    default: Any
    field: str = ""

    def __post_init__(self) -> None:
        if self.type not in CONFIG_TYPES:
            raise ValueError(f"config key {self.name}: type {self.type!r} is not one of {CONFIG_TYPES}")


def config_value(value: Any) -> Any:
    """A settings value as the config (and Pulumi.yaml) writes it: tuples as lists, mappings as objects."""
    if isinstance(value, tuple):
        return [config_value(v) for v in value]
    if isinstance(value, Mapping):
        return {k: config_value(v) for k, v in value.items()}
    return value


def field_default(settings_class: type, name: str) -> Any:
    """The default of one field of a settings dataclass (a default_factory is called)."""
    for f in dataclasses.fields(settings_class):
        if f.name == name:
            if f.default is not dataclasses.MISSING:
                return f.default
            if f.default_factory is not dataclasses.MISSING:
                return f.default_factory()
            raise ValueError(f"{settings_class.__name__}.{name} has no default")
    raise ValueError(f"{settings_class.__name__} has no field {name!r}")


def settings_keys(settings_class: type) -> Callable[[str, str, str, str], ConfigKey]:
    """`key(name, type, description, field)`: a config key whose default is the settings field's default, so
    each default is written once, in the settings dataclass, and Pulumi.yaml and the README follow it."""
    def key(name: str, type: str, description: str, field: str) -> ConfigKey:
        return ConfigKey(name, type, description, config_value(field_default(settings_class, field)), field)
    return key


class SettingsError(ValueError):
    """Every problem found in a stack's settings, one per line."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid stack settings ({len(self.problems)} problem(s)):\n{lines}")


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


class ConfigReader:
    """Reads typed values out of raw config strings, collecting problems as it goes."""

    def __init__(self, raw: Mapping[str, Any], keys: Iterable[ConfigKey]):
        self._raw = {k: v for k, v in raw.items()}
        self._keys = {k.name: k for k in keys}
        self.problems: list[str] = []

    # -- reporting -------------------------------------------------------------------------------

    def problem(self, key: str, value: Any, rule: str) -> None:
        self.problems.append(f"{NAMESPACE}:{key} = {_shown(value)}: {rule}")

    def check(self, ok: bool, key: str, value: Any, rule: str) -> bool:
        if not ok:
            self.problem(key, value, rule)
        return ok

    def raise_if_problems(self) -> None:
        if self.problems:
            raise SettingsError(self.problems)

    def check_unknown_keys(self) -> None:
        for key in sorted(self._raw):
            if key in self._keys:
                continue
            close = difflib.get_close_matches(key, list(self._keys), n=1)
            hint = f"; did you mean {NAMESPACE}:{close[0]}?" if close else ""
            self.problem(key, self._raw[key], f"unknown key: the portal does not read it{hint}")

    # -- typed readers ---------------------------------------------------------------------------

    def given(self, key: str) -> bool:
        return key in self._raw

    def raw(self, key: str) -> Any:
        return self._raw.get(key, self._keys[key].default)

    def _default(self, key: str) -> Any:
        return self._keys[key].default

    def ruled_integer(self, key: str, rule: Callable[[int], str | None]) -> int:
        """A whole number that the pure `rule` accepts (it returns the rule broken, or None); otherwise the
        problem is recorded and the key's default returned."""
        number = self.integer(key)
        if (broken := rule(number)) is not None:
            self.problem(key, number, broken)
            return self._default(key)
        return number

    def string(self, key: str, *, choices: Iterable[str] | None = None, pattern: str | None = None,
               rule: str = "") -> str:
        value = self.raw(key)
        if not isinstance(value, str):
            self.problem(key, value, "must be a string")
            return self._default(key)
        if choices is not None and value not in (allowed := tuple(choices)):
            self.problem(key, value, f"must be one of {', '.join(allowed)}")
            return self._default(key)
        if pattern is not None and not re.fullmatch(pattern, value):
            self.problem(key, value, rule or f"must match {pattern}")
            return self._default(key)
        return value

    def integer(self, key: str, *, minimum: int | None = None, maximum: int | None = None,
                rule: str = "") -> int:
        value = self.raw(key)
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            number = int(value)
        if number is None:
            self.problem(key, value, "must be a whole number")
            return self._default(key)
        low_ok = minimum is None or number >= minimum
        high_ok = maximum is None or number <= maximum
        if not (low_ok and high_ok):
            bounds = (f"at least {minimum}" if maximum is None else
                      f"at most {maximum}" if minimum is None else f"between {minimum} and {maximum}")
            self.problem(key, value, rule or f"must be {bounds}")
            return self._default(key)
        return number

    def boolean(self, key: str) -> bool:
        value = self.raw(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        self.problem(key, value, "must be true or false")
        return self._default(key)

    def _structured(self, key: str) -> Any:
        value = self.raw(key)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return _NOT_JSON
        return value

    def string_list(self, key: str) -> tuple[str, ...]:
        value = self._structured(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key, self.raw(key), "must be a list of strings")
            return tuple(self._default(key))
        return tuple(value)

    def string_map(self, key: str) -> dict[str, str]:
        value = self._structured(key)
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.problem(key, self.raw(key), "must be an object whose values are strings")
            return dict(self._default(key))
        return dict(value)


_NOT_JSON = object()


# -- retention periods: one pure rule per service limit; each returns the rule a number of days breaks, or None ---

# The only retention periods CloudWatch Logs accepts for a log group.
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                      2922, 3288, 3653)
# RDS keeps automated backups at most 35 days; the portal wants a week of point-in-time recovery at least.
RDS_BACKUP_RETENTION_DAYS = (7, 35)
# AWS Backup keeps a recovery point at most 100 years.
BACKUP_MAX_RETENTION_DAYS = 36500
# Performance Insights keeps 7 days (free), a whole number of 31-day months up to 23, or 731 days.
PERFORMANCE_INSIGHTS_MONTH_DAYS = 31
PERFORMANCE_INSIGHTS_MAX_MONTHS = 23
PERFORMANCE_INSIGHTS_LONGEST_DAYS = 731
# S3 Object Lock retains an object version 1 day to 100 years.
OBJECT_LOCK_MAX_DAYS = 36500


def log_retention_rule(days: int) -> str | None:
    """A CloudWatch Logs log group's retention."""
    if days in LOG_RETENTION_DAYS:
        return None
    return f"CloudWatch Logs accepts only {', '.join(map(str, LOG_RETENTION_DAYS))} days"


def rds_backup_retention_rule(days: int) -> str | None:
    """How long RDS keeps automated backups (and so how far back point-in-time recovery reaches)."""
    least, most = RDS_BACKUP_RETENTION_DAYS
    if least <= days <= most:
        return None
    return f"automated backups must be kept at least {least} days (RDS allows at most {most})"


def backup_retention_rule(days: int, *, points: str = "recovery points", least: int = 1) -> str | None:
    """How long AWS Backup keeps the recovery points named `points`; `least` is a floor of the portal's own above
    AWS's 1 day."""
    if least <= days <= BACKUP_MAX_RETENTION_DAYS:
        return None
    return f"{points} must be kept between {least} and {BACKUP_MAX_RETENTION_DAYS} days"


def performance_insights_retention_rule(days: int) -> str | None:
    """How long Performance Insights keeps its data."""
    months, rest = divmod(days, PERFORMANCE_INSIGHTS_MONTH_DAYS)
    if days in (7, PERFORMANCE_INSIGHTS_LONGEST_DAYS) or (rest == 0 and 1 <= months <= PERFORMANCE_INSIGHTS_MAX_MONTHS):
        return None
    return (f"Performance Insights keeps 7 days, {PERFORMANCE_INSIGHTS_LONGEST_DAYS} days, or a multiple of "
            f"{PERFORMANCE_INSIGHTS_MONTH_DAYS} days")


def lifecycle_days_rule(days: int, most: int) -> str | None:
    """Days an S3 lifecycle rule waits before it moves or expires an object (`most`: the portal's ceiling)."""
    if 1 <= days <= most:
        return None
    return f"must be between 1 and {most} days"


def object_lock_retention_rule(days: int) -> str | None:
    """Days S3 Object Lock keeps every new object version from deletion and overwrite."""
    if 1 <= days <= OBJECT_LOCK_MAX_DAYS:
        return None
    return f"must be between 1 and {OBJECT_LOCK_MAX_DAYS} days (S3 Object Lock's range)"


# -- reusable pure checks ----------------------------------------------------------------------------

_DNS_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
DOMAIN_PATTERN = rf"(?=.{{1,253}}$){_DNS_LABEL}(\.{_DNS_LABEL})*\.[a-z]{{2,63}}"


def is_domain_name(value: str) -> bool:
    return bool(re.fullmatch(DOMAIN_PATTERN, value))


REGION_PATTERN = r"[a-z]{2}(-gov)?-[a-z]+-\d"


def is_region_name(value: str) -> bool:
    return bool(re.fullmatch(REGION_PATTERN, value))


def dr_region_problem(dr_region: str, region: str) -> str | None:
    """The DR region is checked against the provider's region once the program knows it (aws:region is not a
    portal key, so the settings cannot see it)."""
    if dr_region and dr_region == region:
        return (f"{NAMESPACE}:drRegion = {dr_region}: must differ from the portal's own region ({region}, "
                "aws:region); a copy in the same region does not survive the loss of the region")
    return None


def parse_network(value: str) -> ipaddress.IPv4Network | None:
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except (ValueError, TypeError):
        return None


_PRIVATE_RANGES = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


def is_private_range(network: ipaddress.IPv4Network) -> bool:
    return any(network.subnet_of(private) for private in _PRIVATE_RANGES)


# Every physical name starts `portal-<environment>-`. The tightest limit it meets is the web target group's
# auto-name, `portal-<environment>-web-` plus 7 random characters, which AWS caps at 32 characters; RDS
# identifiers (63) and ElastiCache cluster ids also refuse a double or trailing hyphen.
NAME_PREFIX = "portal"
TARGET_GROUP_NAME_LIMIT = 32
AUTO_NAME_SUFFIX = 7
MAX_ENVIRONMENT_LENGTH = TARGET_GROUP_NAME_LIMIT - len(f"{NAME_PREFIX}--web-") - AUTO_NAME_SUFFIX
ENVIRONMENT_PATTERN = rf"(?=.{{1,{MAX_ENVIRONMENT_LENGTH}}}$)[a-z](-?[a-z0-9])*"
ENVIRONMENT_RULE = (f"must start with a lower-case letter and hold at most {MAX_ENVIRONMENT_LENGTH} lower-case "
                    "letters, digits and single hyphens, with no hyphen at the end, because it becomes part of "
                    f"resource names (a target group name holds {TARGET_GROUP_NAME_LIMIT} characters, an RDS "
                    "identifier no double or trailing hyphen)")


def suggest_environment(stack: str) -> str:
    """A valid environment name close to `stack`, for the error that asks for one."""
    name = re.sub(r"[^a-z0-9]+", "-", stack.lower())
    name = re.sub(r"^[^a-z]+", "", name)[:MAX_ENVIRONMENT_LENGTH].strip("-")
    return name or "env"


def environment_problem(environment: str, stack: str) -> str | None:
    """Why `environment` (empty: the stack name stands in) cannot name resources, or None."""
    used = environment or stack
    if re.fullmatch(ENVIRONMENT_PATTERN, used):
        return None
    if environment:
        return f"{NAMESPACE}:environment = {environment}: {ENVIRONMENT_RULE}"
    return (f"stack name {stack}: {NAMESPACE}:environment is empty, so the stack name is the environment, and it "
            f"{ENVIRONMENT_RULE}; set one, e.g. `pulumi config set {NAMESPACE}:environment "
            f"{suggest_environment(stack)}`")
