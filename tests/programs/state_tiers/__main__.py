"""The state tiers on their own, with the security-group chain that admits the web servers (and the bootstrap
function) to the database and the cache, before the web tier exists."""

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, ROOT)

from components.cache.component import Cache, CacheArgs  # noqa: E402
from components.database.component import Database, DatabaseArgs  # noqa: E402
from components.network.component import Network, NetworkArgs  # noqa: E402
from components.security import SecurityGroups, SecurityGroupsArgs  # noqa: E402
from components.settings import settings_from_pulumi_config  # noqa: E402

settings = settings_from_pulumi_config()
name = settings.name
env = settings.general.environment
network = Network(name, NetworkArgs(settings=settings.network, environment=env))
security = SecurityGroups(name, SecurityGroupsArgs(environment=env, vpc_id=network.vpc_id,
                                                   app_port=settings.web.app_port))
database = Database(name, DatabaseArgs(
    settings=settings.database, environment=env, security_group=security.groups["database"],
    data_subnet_ids=network.data_subnet_ids, protect=settings.general.protect))
cache = Cache(name, CacheArgs(
    settings=settings.cache, environment=env, security_group=security.groups["cache"],
    availability_zones=network.availability_zones, data_subnet_ids=network.data_subnet_ids))
