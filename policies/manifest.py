"""The pack's manifest, policy name -> level, concern module, rule ids, description, derived from the policies
themselves: each is declared with its metadata beside its check in rules/<concern>.py.

Rule ids (`A1`..`L10`, `NEW-n`) are explained in rule_ids.py: the first are checks that public AWS rule sets
also make, `NEW-n` checks that none of them makes. The description is the first line of every violation message;
the rule adds one or two sentences naming the resource and what to change. docs/policies.md's tables are
generated from here (tools/sync_policy_docs.py).
"""
import os
import sys
from typing import Dict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rules import ADVISORY, MANDATORY, Entry, manifest  # noqa: E402  pylint: disable=wrong-import-position

MANIFEST: Dict[str, Entry] = manifest()

__all__ = ["ADVISORY", "MANDATORY", "MANIFEST", "Entry"]
