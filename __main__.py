"""The e-commerce portal: read the stack's settings, build the portal, export what deploy tools need."""

import pulumi

from components.portal import Portal
from components.settings import SettingsError, settings_from_pulumi_config

try:
    settings = settings_from_pulumi_config()
except SettingsError as error:
    # RunError makes the CLI print the list of problems without a Python traceback.
    raise pulumi.RunError(str(error)) from None
portal = Portal("portal", settings)
for output_name, value in portal.outputs.items():
    pulumi.export(output_name, value)
