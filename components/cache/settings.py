"""Settings of the cache tier: memcached across Availability Zones, holding only data that can be rebuilt."""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.database.settings import weekly_window
from components.validation import ConfigReader, settings_keys


MIN_NODES = 2
MAX_NODES = 40  # the memcached limit per cluster
MIN_MAINTENANCE_MINUTES = 60
TLS_MIN_VERSION = (1, 6, 12)


@dataclass(frozen=True)
class CacheSettings:
    node_type: str = "cache.t4g.small"
    node_count: int = 3
    engine_version: str = "1.6.22"
    maintenance_window: str = "sun:05:00-sun:06:00"
    transit_encryption: bool = True


_key = settings_keys(CacheSettings)
KEYS = (
    _key("cacheNodeType", "string", "ElastiCache node type of every memcached node.", "node_type"),
    _key("cacheNodeCount", "integer",
         "Memcached nodes, spread round-robin over the Availability Zones (2 to 40; at least 2 so losing "
         "one node or AZ loses only part of the cache).", "node_count"),
    _key("cacheEngineVersion", "string",
         "Memcached version; 1.6.12 or later, which in-transit encryption needs.", "engine_version"),
    _key("cacheMaintenanceWindow", "string",
         "Weekly UTC maintenance window of the cache, ddd:hh24:mi-ddd:hh24:mi, at least 60 minutes.",
         "maintenance_window"),
    _key("cacheTransitEncryption", "boolean",
         "Encrypt traffic between the web servers and memcached with TLS (the clients must connect with TLS).",
         "transit_encryption"),
)


def parse(reader: ConfigReader) -> CacheSettings:
    node_type = reader.string("cacheNodeType", pattern=r"cache\.[a-z0-9]+\.[a-z0-9]+",
                              rule="must be an ElastiCache node type such as cache.t4g.small or cache.r7g.large")
    count = reader.integer(
        "cacheNodeCount", minimum=MIN_NODES, maximum=MAX_NODES,
        rule=(f"at least {MIN_NODES} nodes are needed to spread memcached across Availability Zones"
              if _below(reader.raw("cacheNodeCount"), MIN_NODES) else
              f"a memcached cluster holds at most {MAX_NODES} nodes"))
    version = reader.string("cacheEngineVersion", pattern=r"1\.\d+\.\d+",
                            rule="must be a full memcached version such as 1.6.22")
    transit = reader.boolean("cacheTransitEncryption")
    if transit and re.fullmatch(r"1\.\d+\.\d+", version):
        reader.check(tuple(int(p) for p in version.split(".")) >= TLS_MIN_VERSION, "cacheEngineVersion", version,
                     "in-transit encryption needs memcached 1.6.12 or later (or set portal:cacheTransitEncryption "
                     "to false)")
    window = reader.string("cacheMaintenanceWindow")
    weekly = weekly_window(window)
    if weekly is None:
        reader.problem("cacheMaintenanceWindow", window,
                       "must be a UTC range ddd:hh24:mi-ddd:hh24:mi, e.g. sun:05:00-sun:06:00")
    else:
        reader.check(weekly[1] >= MIN_MAINTENANCE_MINUTES, "cacheMaintenanceWindow", window,
                     f"ElastiCache needs a maintenance window of at least {MIN_MAINTENANCE_MINUTES} minutes")
    return CacheSettings(node_type=node_type, node_count=count, engine_version=version,
                         maintenance_window=window, transit_encryption=transit)


def _below(value: object, minimum: int) -> bool:
    try:
        return int(str(value)) < minimum
    except ValueError:
        return False


def node_zones(zones: tuple[str, ...], count: int) -> list[str]:
    """The AZ of each node, round-robin, so every AZ holds a share of the keys and no AZ holds them all."""
    return [zones[i % len(zones)] for i in range(count)]
