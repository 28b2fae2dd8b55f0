"""`ecommerce:portal:Portal`: the whole portal, composed tier by tier from one settings tree."""

from __future__ import annotations

import pulumi

from components.logging.component import Logging, LoggingArgs
from components.monitoring.alerting import Alerting, AlertingArgs
from components.network.component import Network, NetworkArgs
from components.settings import PortalSettings


class Portal(pulumi.ComponentResource):
    def __init__(self, name: str, settings: PortalSettings, opts: pulumi.ResourceOptions | None = None):
        super().__init__("ecommerce:portal:Portal", name, None, opts)
        general = settings.general
        child = pulumi.ResourceOptions(parent=self)

        self.network = Network(settings.name, NetworkArgs(
            settings=settings.network, environment=general.environment, tags=general.tags), opts=child)
        self.logging = Logging(settings.name, LoggingArgs(
            environment=general.environment, retention_days=settings.monitoring.log_retention_days,
            tags=general.tags), opts=child)
        self.alerting = Alerting(settings.name, AlertingArgs(
            settings=settings.monitoring, environment=general.environment, tags=general.tags), opts=child)

        # The stack outputs deploy tools read with `pulumi stack output --json`; README documents each.
        self.outputs: dict[str, pulumi.Input] = {
            "vpcId": self.network.vpc_id,
            "availabilityZones": list(self.network.availability_zones),
            "publicSubnetIds": self.network.public_subnet_ids,
            "privateSubnetIds": self.network.private_subnet_ids,
            "dataSubnetIds": self.network.data_subnet_ids,
            "alertTopicArn": self.alerting.topic_arn,
        }
        self.register_outputs(self.outputs)
