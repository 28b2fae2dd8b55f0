"""The stack settings tree: one frozen dataclass per tier, read from `pulumi.Config("portal")`.

`load_settings` is pure (raw strings in, settings or a `SettingsError` listing every problem out) so that
validation is unit-tested without mocks and runs before any resource is declared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from components.backup import settings as backup_settings
from components.cache import settings as cache_settings
from components.cdn import settings as cdn_settings
from components.database import settings as database_settings
from components.dns import settings as dns_settings
from components.edge import settings as edge_settings
from components.logging import settings as logging_settings
from components.monitoring import settings as monitoring_settings
from components.network import settings as network_settings
from components.resilience import settings as resilience_settings
from components.storage import settings as storage_settings
from components.web import settings as web_settings
from components.validation import (
    MAX_ENVIRONMENT_LENGTH, NAMESPACE, ConfigKey, ConfigReader, SettingsError, environment_problem, is_domain_name,
    is_region_name, settings_keys)

__all__ = ["GeneralSettings", "PortalSettings", "SettingsError", "all_keys", "load_settings",
           "settings_from_pulumi_config"]

@dataclass(frozen=True)
class GeneralSettings:
    domain: str = "shop.example.com"
    environment: str = ""
    tags: Mapping[str, str] = field(default_factory=dict)
    protect: bool = True
    # Every state tier copies to it (backup, database, storage), so it is no one tier's setting.
    dr_region: str = ""


_key = settings_keys(GeneralSettings)
GENERAL_KEYS = (
    _key("domain", "string", "The shop's domain, served at its apex and www (e.g. shop.example.com).", "domain"),
    _key("environment", "string",
         "Environment name used in resource names, tags and the parameter prefix: at most "
         f"{MAX_ENVIRONMENT_LENGTH} lower-case letters, digits and single hyphens, starting with a letter and "
         "not ending with a hyphen; empty means the stack name.",
         "environment"),
    _key("tags", "object", "Extra tags put on every resource that takes tags.", "tags"),
    _key("protect", "boolean",
         "Protect stateful resources: Pulumi `protect` plus deletion protection on the database and load "
         "balancer.", "protect"),
    _key("drRegion", "string",
         "Disaster-recovery region that backups are copied to (AWS Backup copies, RDS automated backup "
         "replication, S3 replication); empty means no copy leaves the portal's region.", "dr_region"),
)


def _parse_general(reader: ConfigReader, stack: str) -> GeneralSettings:
    domain = reader.string("domain")
    reader.check(is_domain_name(domain), "domain", domain,
                 "must be a lower-case DNS name with at least two labels, e.g. shop.example.com")
    given = reader.string("environment")
    environment = given or stack
    if problem := environment_problem(given, stack):
        reader.problems.append(problem)
    tags = reader.string_map("tags")
    for key in tags:
        reader.check(not key.lower().startswith("aws:"), "tags", tags, f"tag key {key!r}: the aws: prefix is "
                                                                       "reserved by AWS")
    reader.check(len(tags) <= 40, "tags", tags, "at most 40 extra tags (AWS allows 50 and the portal sets its own)")
    dr_region = reader.string("drRegion")
    if dr_region and not reader.check(is_region_name(dr_region), "drRegion", dr_region,
                                      "must be an AWS region name such as eu-central-1, or empty for no copy"):
        dr_region = GeneralSettings.dr_region
    return GeneralSettings(domain=domain, environment=environment, tags=tags, protect=reader.boolean("protect"),
                           dr_region=dr_region)


# Each tier contributes its keys and a parser; the order is the order problems are reported in.
_TIERS = (network_settings, database_settings, cache_settings, storage_settings, cdn_settings, backup_settings,
          dns_settings, edge_settings, web_settings, logging_settings, monitoring_settings, resilience_settings)


def _tier_name(tier) -> str:
    return tier.__name__.split(".")[-2]


def tier_keys() -> dict[str, tuple[ConfigKey, ...]]:
    """The keys of each part of `PortalSettings`, by its attribute name (`general`, `network`, ...)."""
    return {"general": GENERAL_KEYS, **{_tier_name(tier): tier.KEYS for tier in _TIERS}}


def all_keys() -> tuple[ConfigKey, ...]:
    return tuple(key for keys in tier_keys().values() for key in keys)


@dataclass(frozen=True)
class PortalSettings:
    stack: str
    general: GeneralSettings
    network: network_settings.NetworkSettings
    database: database_settings.DatabaseSettings
    cache: cache_settings.CacheSettings
    storage: storage_settings.StorageSettings
    cdn: cdn_settings.CdnSettings
    backup: backup_settings.BackupSettings
    dns: dns_settings.DnsSettings
    edge: edge_settings.EdgeSettings
    web: web_settings.WebSettings
    logging: logging_settings.LoggingSettings
    monitoring: monitoring_settings.MonitoringSettings
    resilience: resilience_settings.ResilienceSettings

    @property
    def name(self) -> str:
        """The prefix of every physical name: short, stable, and distinct per environment."""
        return f"portal-{self.general.environment}"


def load_settings(raw: Mapping[str, Any], stack: str) -> PortalSettings:
    """Validate raw config (keys without the `portal:` prefix) and build the settings tree."""
    reader = ConfigReader(raw, all_keys())
    reader.check_unknown_keys()
    general = _parse_general(reader, stack)
    tiers = {_tier_name(tier): tier.parse(reader) for tier in _TIERS}
    settings = PortalSettings(stack=stack, general=general, **tiers)
    _check_across_tiers(reader, settings)
    reader.raise_if_problems()
    return settings


def _check_across_tiers(reader: ConfigReader, settings: PortalSettings) -> None:
    """Rules that tie one tier's settings to another's (each tier adds its own here)."""
    backup_settings.check_against_database(reader, settings.backup, settings.database)
    network = settings.network
    web_settings.check_against_network(reader, settings.web,
                                       len(network.availability_zones) or network.az_count)


def raw_portal_config() -> dict[str, Any]:
    """Every `portal:*` key the engine passed to this program, without the prefix."""
    from pulumi.runtime import config as runtime_config

    merged = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    prefix = f"{NAMESPACE}:"
    return {k[len(prefix):]: v for k, v in merged.items() if k.startswith(prefix)}


def settings_from_pulumi_config() -> PortalSettings:
    import pulumi

    return load_settings(raw_portal_config(), pulumi.get_stack())
