"""preflight.yaml_files: project, stack and preflight files read as YAML 1.2, the way the Pulumi CLI reads them."""

from __future__ import annotations

import os

import pytest

from preflight.yaml_files import YamlFileError, read_yaml


def _load(tmp_path, text: str, name: str = "Pulumi.dev.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return read_yaml(str(p))


def _error(tmp_path, text: str, name: str = "Pulumi.dev.yaml") -> str:
    with pytest.raises(YamlFileError) as e:
        _load(tmp_path, text, name)
    return str(e.value)


def test_yaml_1_1_booleans_are_strings(tmp_path):
    doc = _load(tmp_path, "a: no\nb: yes\nc: on\nd: off\ne: y\nf: N\n")
    assert doc == {"a": "no", "b": "yes", "c": "on", "d": "off", "e": "y", "f": "N"}


def test_core_schema_scalars_keep_their_types(tmp_path):
    doc = _load(tmp_path, "a: true\nb: False\nc: 3\nd: 2.5\ne: ~\nf: null\ng: 0x1F\nh: '3'\n")
    assert doc == {"a": True, "b": False, "c": 3, "d": 2.5, "e": None, "f": None, "g": 31, "h": "3"}


def test_unquoted_dates_and_times_are_the_text_as_written(tmp_path):
    doc = _load(tmp_path, "day: 2024-01-01\nat: 2024-01-01T10:00:00Z\nnested: {since: 2023-12-31}\n")
    assert doc == {"day": "2024-01-01", "at": "2024-01-01T10:00:00Z", "nested": {"since": "2023-12-31"}}
    assert all(type(v) is str for v in (doc["day"], doc["at"], doc["nested"]["since"]))


def test_a_yaml_1_1_directive_does_not_bring_back_yaml_1_1_booleans(tmp_path):
    assert _load(tmp_path, "%YAML 1.1\n---\na: no\n") == {"a": "no"}


def test_json_is_read_too(tmp_path):
    assert _load(tmp_path, '{"portal:url": "https://x", "n": 2}', "s.json") == {"portal:url": "https://x", "n": 2}


def test_an_empty_file_is_none(tmp_path):
    assert _load(tmp_path, "") is None


def test_duplicate_key_names_both_lines(tmp_path):
    msg = _error(tmp_path, "config:\n  portal:azCount: 2\n  aws:region: eu-west-1\n  portal:azCount: 3\n")
    assert msg == f"could not parse {tmp_path}/Pulumi.dev.yaml:4:3: mapping key \"portal:azCount\" already defined at line 2"


def test_duplicate_key_in_a_flow_mapping_and_in_a_list_item(tmp_path):
    msg = _error(tmp_path, "a:\n  - {b: 1, c: 2, b: 3}\n")
    assert msg == f"could not parse {tmp_path}/Pulumi.dev.yaml:2:18: mapping key \"b\" already defined at line 2"


def test_every_duplicate_key_is_reported(tmp_path):
    msg = _error(tmp_path, "a: 1\nb: 2\na: 3\nc:\n  d: 1\n  d: 2\n")
    assert msg.splitlines() == [
        f"could not parse {tmp_path}/Pulumi.dev.yaml:3:1: mapping key \"a\" already defined at line 1",
        f"could not parse {tmp_path}/Pulumi.dev.yaml:6:3: mapping key \"d\" already defined at line 5",
    ]


def test_parse_error_names_file_line_and_column(tmp_path):
    msg = _error(tmp_path, "config:\n  portal:azCount: 2\n    portal:minSize: 3\n")
    assert msg == f"could not parse {tmp_path}/Pulumi.dev.yaml:3:19: mapping values are not allowed here"


def test_unclosed_flow_sequence_says_where_it_started(tmp_path):
    msg = _error(tmp_path, "config:\n  zones: [a, b\n")
    assert msg == (f"could not parse {tmp_path}/Pulumi.dev.yaml:3:1: expected ',' or ']', but got '<stream end>' "
                   "(in the flow sequence that starts at line 2, column 10)")


def test_a_tab_is_an_error(tmp_path):
    msg = _error(tmp_path, "config:\n\tportal:azCount: 2\n")
    assert msg == f"could not parse {tmp_path}/Pulumi.dev.yaml:2:1: found character '\\t' that cannot start any token"


def test_a_path_under_the_working_directory_is_shown_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkdir("prog")
    msg = _error(tmp_path, "a: 1\na: 2\n", name="prog/Pulumi.staging.yaml")
    assert msg == "could not parse prog/Pulumi.staging.yaml:2:1: mapping key \"a\" already defined at line 1"


def test_missing_file(tmp_path):
    with pytest.raises(YamlFileError) as e:
        read_yaml(str(tmp_path / "nope.yaml"))
    assert str(e.value) == f"could not read {tmp_path}/nope.yaml: No such file or directory"


def test_not_utf8(tmp_path):
    p = tmp_path / "Pulumi.dev.yaml"
    p.write_bytes(b"a: \xff\n")
    with pytest.raises(YamlFileError) as e:
        read_yaml(str(p))
    assert str(e.value) == f"could not read {p}: it is not UTF-8 text (byte 0xff at offset 3)"


# ---- every reader goes through read_yaml ----


def test_the_parity_file_reports_a_duplicate_section_with_its_line(tmp_path):
    from preflight.parity import ParityFileError, load_allowed

    p = tmp_path / "parity.yaml"
    p.write_text("properties:\n  - {paths: [a], why: sizes differ}\nproperties: []\n")
    with pytest.raises(ParityFileError) as e:
        load_allowed(str(p))
    assert str(e.value) == f"could not parse {p}:3:1: mapping key \"properties\" already defined at line 1"


def test_the_parity_file_keeps_yaml_1_2_strings(tmp_path):
    from preflight.parity import load_allowed

    p = tmp_path / "parity.yaml"
    p.write_text("normalize: [no]\n")
    assert load_allowed(str(p)).normalize == ["no"]


def test_a_missing_parity_file_says_which_file_it_is(tmp_path):
    from preflight.parity import ParityFileError, load_allowed

    with pytest.raises(ParityFileError) as e:
        load_allowed(str(tmp_path / "parity.yaml"))
    assert str(e.value) == f"could not read allowed-differences file {tmp_path}/parity.yaml: No such file or directory"


def test_pyyaml_is_not_used_by_the_config_and_parity_readers():
    import preflight.config
    import preflight.parity

    for module in (preflight.config, preflight.parity):
        assert "yaml" not in vars(module), module.__name__
