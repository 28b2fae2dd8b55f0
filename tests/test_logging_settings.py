"""Logging settings: the instances' log groups keep their events for a period CloudWatch Logs accepts (pure)."""

import json
from pathlib import Path

import pytest
import yaml

from components.logging import settings as logging_settings
from components.settings import load_settings
from components.validation import ConfigReader

RETENTION_RULE = ("CloudWatch Logs accepts only 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, "
                  "1096, 1827, 2192, 2557, 2922, 3288, 3653 days")


def parse(raw: dict) -> tuple[logging_settings.LoggingSettings, list[str]]:
    reader = ConfigReader(raw, logging_settings.KEYS)
    reader.check_unknown_keys()
    return logging_settings.parse(reader), reader.problems


BAD_INPUTS = [
    ({"logRetentionDays": "45"}, f"portal:logRetentionDays = 45: {RETENTION_RULE}"),
    ({"logRetentionDays": "0"}, f"portal:logRetentionDays = 0: {RETENTION_RULE}"),
    ({"logRetentionDays": "forever"}, "portal:logRetentionDays = forever: must be a whole number"),
    ({"logRetentionDay": "30"},
     "portal:logRetentionDay = 30: unknown key: the portal does not read it; did you mean portal:logRetentionDays?"),
]


@pytest.mark.parametrize(("raw", "expected"), BAD_INPUTS, ids=[f"{next(iter(raw))}={next(iter(raw.values()))}"
                                                                 for raw, _ in BAD_INPUTS])
def test_bad_input_is_reported_exactly(raw, expected):
    _, problems = parse(raw)
    assert problems == [expected]


def test_the_default_keeps_three_months():
    settings, problems = parse({})
    assert problems == []
    assert settings == logging_settings.LoggingSettings(retention_days=90)


@pytest.mark.parametrize("days", [1, 30, 365, 3653])
def test_every_period_cloudwatch_logs_offers_is_accepted(days):
    settings, problems = parse({"logRetentionDays": str(days)})
    assert problems == []
    assert settings.retention_days == days


@pytest.mark.parametrize("stack, days", [("staging", 30), ("prod", 365)])
def test_the_stack_files_keep_their_meaning(stack, days):
    """The key kept its name when it moved to this tier: what the stack files set still reaches the log groups."""
    root = Path(__file__).resolve().parent.parent
    config = yaml.safe_load((root / f"Pulumi.{stack}.yaml").read_text())["config"]
    raw = {k.split(":", 1)[1]: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()
           if k.startswith("portal:")}
    assert load_settings(raw, stack).logging.retention_days == days
