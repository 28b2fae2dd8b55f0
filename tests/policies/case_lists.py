"""Every policy's cases, one list per concern (cases_<concern>.py), each with its stack, its violating cases with
their exact messages and its compliant variants; test_policy_cases.py runs them.

A module holds `stack(name="prod")` (the compliant stack its cases mutate), `VIOLATING` of (policy, case id,
mutate, config, expected) and `COMPLIANT` of (policy, case id, mutate, config), grouped by policy. `expected` is
the exact list of (resource, message) the policy reports, the same in preview and update mode, or
{"preview": [...], "update": [...]} where a value is unknown at preview. Cases run in the current resource forms
and, unless the module's `FORMS` says otherwise, also rewritten into the deprecated ones.
"""
from . import (cases_availability, cases_az_loss, cases_backup, cases_cache, cases_cdn, cases_compute,
               cases_containers, cases_data_services, cases_database, cases_dns, cases_exposure, cases_false_alarms,
               cases_monitoring, cases_native, cases_network, cases_realworld, cases_shape, cases_storage,
               cases_transport, cases_web_tier)
from .fixtures import compliant

CASE_MODULES = {
    "availability": cases_availability, "az_loss": cases_az_loss, "database": cases_database,
    "storage": cases_storage, "transport": cases_transport, "cdn": cases_cdn, "dns": cases_dns,
    "network": cases_network, "compute": cases_compute, "cache": cases_cache, "monitoring": cases_monitoring,
    "backup": cases_backup, "shape": cases_shape, "containers": cases_containers,
    "data_services": cases_data_services, "web_tier": cases_web_tier, "exposure": cases_exposure,
    "native": cases_native, "false_alarms": cases_false_alarms,
    "realworld": cases_realworld,
}
ALL_FORMS = ("current", "deprecated")


def forms(module) -> tuple:
    return getattr(module, "FORMS", ALL_FORMS)


# (policy, case id, mutate, config) of every violating case that mutates the plain compliant stack.
VIOLATIONS_OF_THE_COMPLIANT_STACK = [case[:4] for module in CASE_MODULES.values() if module.stack is compliant
                                     for case in module.VIOLATING]
