"""The state tiers on their own, with a stand-in web security group admitted to the database and the cache,
so `admit()` is tested before the web tier exists."""

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, ROOT)

import pulumi_aws as aws  # noqa: E402

from components.cache.component import Cache, CacheArgs  # noqa: E402
from components.database.component import Database, DatabaseArgs  # noqa: E402
from components.network.component import Network, NetworkArgs  # noqa: E402
from components.settings import settings_from_pulumi_config  # noqa: E402

settings = settings_from_pulumi_config()
name = settings.name
env = settings.general.environment
network = Network(name, NetworkArgs(settings=settings.network, environment=env))
database = Database(name, DatabaseArgs(
    settings=settings.database, environment=env, vpc_id=network.vpc_id, data_subnet_ids=network.data_subnet_ids,
    protect=settings.general.protect))
cache = Cache(name, CacheArgs(
    settings=settings.cache, environment=env, vpc_id=network.vpc_id,
    availability_zones=network.availability_zones, data_subnet_ids=network.data_subnet_ids))

web = aws.ec2.SecurityGroup("standin-web", name=f"{name}-web", vpc_id=network.vpc_id, description="stand-in web")
database.admit("web", web.id)
cache.admit("web", web.id)
