"""One source of truth per setting: each default is written once (in the settings dataclass) and every key's
documented default is what the portal uses when the key is not set."""

import dataclasses

import pytest

from components.settings import PortalSettings, all_keys, load_settings, tier_keys
from components.validation import ConfigKey, config_value, settings_keys

PARTS = [f.name for f in dataclasses.fields(PortalSettings) if f.name != "stack"]


def test_every_part_of_the_settings_tree_has_its_keys():
    assert sorted(tier_keys()) == sorted(PARTS)
    assert [key for keys in tier_keys().values() for key in keys] == list(all_keys())


def test_no_key_is_declared_twice():
    names = [key.name for key in all_keys()]
    assert sorted({n for n in names if names.count(n) > 1}) == []


@pytest.mark.parametrize("part", PARTS)
def test_each_key_names_a_field_of_its_settings_and_documents_its_default(part):
    defaults = type(getattr(load_settings({}, "staging"), part))()
    fields = {f.name for f in dataclasses.fields(defaults)}
    for key in tier_keys()[part]:
        assert key.field in fields, f"portal:{key.name} names no field of {type(defaults).__name__}"
        assert key.default == config_value(getattr(defaults, key.field)), key.name


@pytest.mark.parametrize("part", PARTS)
def test_every_field_is_set_by_exactly_one_key(part):
    settings_class = type(getattr(load_settings({}, "staging"), part))
    set_by = [key.field for key in tier_keys()[part]]
    assert sorted(set_by) == sorted(f.name for f in dataclasses.fields(settings_class))


@pytest.mark.parametrize("part", PARTS)
def test_settings_built_from_empty_config_are_the_dataclass_defaults(part):
    """What the portal runs with when a key is not set equals the settings' own defaults (the stack name stands
    in for an empty environment, by design)."""
    built = getattr(load_settings({}, "staging"), part)
    expected = type(built)()
    if part == "general":
        expected = dataclasses.replace(expected, environment="staging")
    assert built == expected


def test_a_default_changed_in_the_dataclass_reaches_the_key():
    """The key reads its default from the field: there is no second place to forget."""
    @dataclasses.dataclass(frozen=True)
    class Example:
        days: int = 14
        zones: tuple[str, ...] = ("a", "b")
        labels: dict = dataclasses.field(default_factory=lambda: {"team": "shop"})

    key = settings_keys(Example)
    assert key("days", "integer", "", "days") == ConfigKey("days", "integer", "", 14, "days")
    assert key("zones", "array", "", "zones").default == ["a", "b"]
    assert key("labels", "object", "", "labels").default == {"team": "shop"}
    with pytest.raises(ValueError, match="Example has no field 'missing'"):
        key("missing", "integer", "", "missing")
