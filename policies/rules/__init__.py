"""The pack's rules, one module per concern. Each policy is declared, with its level, rule ids, description and
config schema, in the POLICIES list of its concern's module; the pack's order is the order of MODULES, then the
order of each module's POLICIES."""
from typing import Dict, List, NamedTuple, Tuple

from pulumi_policy import Policy

from . import (availability, az_loss, backup, cache, cdn, compute, containers, data_services, database, dns,
               monitoring, network, shape, storage, transport, web_tier)
from ._base import ADVISORY, DECLARED, MANDATORY

MODULES = (availability, az_loss, database, storage, transport, cdn, dns, network, compute, cache, monitoring, backup,
           shape, containers, data_services, web_tier)


class Entry(NamedTuple):
    level: str  # MANDATORY or ADVISORY
    concern: str  # the module under rules/ that declares it
    catalogue: Tuple[str, ...]  # rule ids (rule_ids.py) the policy answers
    description: str


def all_policies() -> List[Policy]:
    return [p for m in MODULES for p in m.POLICIES]


def manifest() -> Dict[str, Entry]:
    """Policy name -> what it declares, in the pack's order."""
    return {p.name: Entry(DECLARED[p.name].level, m.__name__.rsplit(".", 1)[-1], DECLARED[p.name].catalogue,
                          DECLARED[p.name].description)
            for m in MODULES for p in m.POLICIES}


__all__ = ["ADVISORY", "MANDATORY", "MODULES", "Entry", "all_policies", "manifest"]
