"""The pack's rules, one module per concern, in manifest order."""
import os
import sys
from typing import List

from pulumi_policy import Policy

from . import (availability, az_loss, backup, cache, cdn, compute, containers, data_services, database, dns,
               monitoring, network, shape, storage, transport, web_tier)

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from manifest import MANIFEST  # noqa: E402  pylint: disable=wrong-import-position

MODULES = (availability, az_loss, database, storage, transport, cdn, dns, network, compute, cache, monitoring, backup,
           shape, containers, data_services, web_tier)


def all_policies() -> List[Policy]:
    found = {p.name: p for m in MODULES for p in m.POLICIES}
    missing = sorted(set(MANIFEST) - set(found))
    extra = sorted(set(found) - set(MANIFEST))
    if missing or extra:
        raise RuntimeError(f"manifest and rules disagree: missing {missing}, not in manifest {extra}")
    return [found[name] for name in MANIFEST]
