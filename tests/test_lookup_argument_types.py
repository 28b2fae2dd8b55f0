"""A lookup's echoed arguments come back with the types the provider declares for its result, as the provider
answers them, whatever form the program wrote them in: the SDK rejects a result of the wrong type."""

from __future__ import annotations

import os

import pytest

from preflight import fabricate
from preflight.runner import run_program

from .conftest import PROGRAMS

PROGRAM = os.path.join(PROGRAMS, "lookup_flag_strings")


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_a_lookup_with_string_flags_runs(mode):
    r = run_program(PROGRAM, "dev", mode)
    assert r.error is None, r.error and r.error.details
    assert r.outputs["mostRecent"] is True
    assert r.outputs["zones"][:2] == ["us-east-1a", "us-east-1b"]


@pytest.mark.parametrize("given, declared", [("true", True), ("True", True), ("1", True), ("false", False),
                                             ("0", False), (True, True)])
def test_echoed_booleans_take_the_declared_type(given, declared):
    result = fabricate.invoke("aws:ec2/getAmi:getAmi", {"mostRecent": given, "owners": ["amazon"]}, "us-east-1")
    assert result["mostRecent"] is declared


def test_a_string_that_is_no_boolean_is_echoed_as_given():
    """The provider would reject it; the program's own error is more useful than a fabricated value."""
    result = fabricate.invoke("aws:ec2/getAmi:getAmi", {"mostRecent": "newest", "owners": ["amazon"]}, "us-east-1")
    assert result["mostRecent"] == "newest"
