"""Bad cache settings: each row is raw config and the one exact problem it must produce."""

import pytest

from components.cache.settings import node_zones
from components.cache import settings as cache_settings
from components.validation import ConfigReader


def problems(raw: dict) -> list[str]:
    reader = ConfigReader(raw, cache_settings.KEYS)
    cache_settings.parse(reader)
    return reader.problems


def parsed(raw: dict) -> cache_settings.CacheSettings:
    reader = ConfigReader(raw, cache_settings.KEYS)
    result = cache_settings.parse(reader)
    assert reader.problems == []
    return result


BAD_INPUTS = [
    ({"cacheNodeCount": "1"},
     "portal:cacheNodeCount = 1: at least 2 nodes are needed to spread memcached across Availability Zones"),
    ({"cacheNodeCount": "0"},
     "portal:cacheNodeCount = 0: at least 2 nodes are needed to spread memcached across Availability Zones"),
    ({"cacheNodeCount": "41"}, "portal:cacheNodeCount = 41: a memcached cluster holds at most 40 nodes"),
    ({"cacheNodeCount": "two"}, "portal:cacheNodeCount = two: must be a whole number"),
    ({"cacheNodeType": "t4g.small"},
     "portal:cacheNodeType = t4g.small: must be an ElastiCache node type such as cache.t4g.small or "
     "cache.r7g.large"),
    ({"cacheEngineVersion": "1.6"}, "portal:cacheEngineVersion = 1.6: must be a full memcached version such as 1.6.22"),
    ({"cacheEngineVersion": "1.6.6"},
     "portal:cacheEngineVersion = 1.6.6: in-transit encryption needs memcached 1.6.12 or later (or set "
     "portal:cacheTransitEncryption to false)"),
    ({"cacheTransitEncryption": "yes"}, "portal:cacheTransitEncryption = yes: must be true or false"),
    ({"cacheMaintenanceWindow": "sun:05:00-sun:05:30"},
     "portal:cacheMaintenanceWindow = sun:05:00-sun:05:30: ElastiCache needs a maintenance window of at least 60 "
     "minutes"),
    ({"cacheMaintenanceWindow": "05:00-06:00"},
     "portal:cacheMaintenanceWindow = 05:00-06:00: must be a UTC range ddd:hh24:mi-ddd:hh24:mi, e.g. "
     "sun:05:00-sun:06:00"),
]


@pytest.mark.parametrize("raw, expected", BAD_INPUTS, ids=[str(raw) for raw, _ in BAD_INPUTS])
def test_bad_cache_setting_is_reported_exactly(raw, expected):
    assert problems(raw) == [expected]


def test_old_memcached_is_accepted_without_tls():
    cache = parsed({"cacheEngineVersion": "1.6.6", "cacheTransitEncryption": "false"})
    assert (cache.engine_version, cache.transit_encryption) == ("1.6.6", False)


def test_secure_defaults():
    cache = parsed({})
    assert cache.node_count >= 2
    assert cache.transit_encryption is True


@pytest.mark.parametrize("zones, count, expected", [
    (("a", "b", "c"), 3, ["a", "b", "c"]),
    (("a", "b", "c"), 2, ["a", "b"]),
    (("a", "b", "c"), 5, ["a", "b", "c", "a", "b"]),
    (("a", "b"), 4, ["a", "b", "a", "b"]),
])
def test_nodes_go_round_robin_over_the_zones(zones, count, expected):
    assert node_zones(zones, count) == expected
