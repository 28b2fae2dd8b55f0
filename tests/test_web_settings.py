"""Bad web settings: each row is raw config and the one exact problem it must produce."""

import pytest

from components.settings import SettingsError, load_settings
from components.validation import ConfigReader
from components.web import settings as web_settings


def problems(raw: dict) -> list[str]:
    reader = ConfigReader(raw, web_settings.KEYS)
    web_settings.parse(reader)
    return reader.problems


def parsed(raw: dict) -> web_settings.WebSettings:
    reader = ConfigReader(raw, web_settings.KEYS)
    result = web_settings.parse(reader)
    assert reader.problems == []
    return result


RELEASE_RULE = ("must be 1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit (it "
                "becomes an S3 prefix and a directory name)")

BAD_INPUTS = [
    ({"release": "../etc"}, f"portal:release = ../etc: {RELEASE_RULE}"),
    ({"release": "v1 final"}, f"portal:release = v1 final: {RELEASE_RULE}"),
    ({"release": "-1.2"}, f"portal:release = -1.2: {RELEASE_RULE}"),
    ({"release": "r" * 65}, f"portal:release = {'r' * 65}: {RELEASE_RULE}"),
    ({"release": "1.2/3"}, f"portal:release = 1.2/3: {RELEASE_RULE}"),
    ({"instanceType": "large"}, "portal:instanceType = large: must be an EC2 instance type like t3.small or m7i.large"),
    ({"instanceType": "T3.small"},
     "portal:instanceType = T3.small: must be an EC2 instance type like t3.small or m7i.large"),
    ({"minSize": "0"}, "portal:minSize = 0: must be between 1 and 100"),
    ({"maxSize": "2"}, "portal:maxSize = 2: must be at least minSize (3)"),
    ({"maxSize": "101"}, "portal:maxSize = 101: must be between 1 and 100"),
    ({"amiId": "ami-123"}, "portal:amiId = ami-123: must be an image id like ami-0123456789abcdef0"),
    ({"release": "2026.11.26-1"},
     "portal:amiId = : must be set when portal:release is: pin the base image in Pulumi.<stack>.yaml"),
    ({"appPort": "79"}, "portal:appPort = 79: must be between 80 and 65535"),
    ({"appPort": "70000"}, "portal:appPort = 70000: must be between 80 and 65535"),
    ({"cpuTarget": "95"}, "portal:cpuTarget = 95: must be between 10 and 90"),
    ({"cpuTarget": "5"}, "portal:cpuTarget = 5: must be between 10 and 90"),
    ({"requestsPerTarget": "0"}, "portal:requestsPerTarget = 0: must be between 1 and 1000000"),
    ({"rootVolumeGb": "4"}, "portal:rootVolumeGb = 4: must be between 8 and 200"),
    ({"healthCheckGraceSeconds": "30"}, "portal:healthCheckGraceSeconds = 30: must be between 60 and 1800"),
    ({"instanceWarmupSeconds": "-1"}, "portal:instanceWarmupSeconds = -1: must be between 0 and 1800"),
    ({"refreshMinHealthyPercentage": "101"}, "portal:refreshMinHealthyPercentage = 101: must be between 0 and 100"),
    ({"refreshMaxHealthyPercentage": "99"}, "portal:refreshMaxHealthyPercentage = 99: must be between 100 and 200"),
    ({"refreshMaxHealthyPercentage": "100"},
     "portal:refreshMaxHealthyPercentage = 100: must be above 100 when refreshMinHealthyPercentage is 100, or the "
     "refresh cannot replace anything"),
    ({"refreshMinHealthyPercentage": "50", "refreshMaxHealthyPercentage": "200"},
     "portal:refreshMaxHealthyPercentage = 200: may exceed refreshMinHealthyPercentage (50) by at most 100"),
]


@pytest.mark.parametrize("raw, problem", BAD_INPUTS, ids=[p.split(":")[1].split(" =")[0] + "-" + str(i)
                                                          for i, (_, p) in enumerate(BAD_INPUTS)])
def test_bad_input_is_reported_exactly(raw, problem):
    assert problems(raw) == [problem]


def test_min_size_below_the_az_count_is_reported_across_tiers():
    with pytest.raises(SettingsError) as caught:
        load_settings({"azCount": "3", "minSize": "2", "release": "1.0.0", "amiId": "ami-0123456789abcdef0"},
                      "staging")
    assert caught.value.problems == [
        "portal:minSize = 2: must be at least the number of Availability Zones (3), so every AZ serves"]


def test_explicit_zone_list_sets_the_az_count_for_min_size():
    with pytest.raises(SettingsError) as caught:
        load_settings({"availabilityZones": '["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d"]',
                       "minSize": "3", "maxSize": "8"}, "staging")
    assert caught.value.problems == [
        "portal:minSize = 3: must be at least the number of Availability Zones (4), so every AZ serves"]


def test_defaults():
    s = parsed({})
    assert s.release == ""  # the web tier itself refuses to build without a release
    assert s.ami_id == ""
    assert s.min_size >= 3 and s.max_size >= s.min_size
    assert s.refresh_min_healthy_percentage == 100 and s.refresh_max_healthy_percentage > 100


def test_good_values_are_kept():
    s = parsed({"release": "2026.11.26-1", "amiId": "ami-0123456789abcdef0", "instanceType": "m7i.large",
                "minSize": "4", "maxSize": "12", "appPort": "8080"})
    assert (s.release, s.ami_id, s.instance_type, s.min_size, s.max_size, s.app_port) == (
        "2026.11.26-1", "ami-0123456789abcdef0", "m7i.large", 4, 12, 8080)


def test_a_pinned_image_can_be_set_with_the_project_defaults_in_place():
    """Every key keeps its Pulumi.yaml default while the stack pins its image (it could not be set at all)."""
    from components.settings import load_settings
    settings = load_settings({"release": "2026.11.26-1", "amiId": "ami-0123456789abcdef0"}, "staging")
    assert settings.web.ami_id == "ami-0123456789abcdef0"
