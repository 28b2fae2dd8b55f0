"""YAML files read the way the Pulumi CLI reads Pulumi.yaml and Pulumi.<stack>.yaml.

The CLI parses them with Go's yaml.v3, which follows the YAML 1.2 core schema: ``yes``/``no``/``on``/``off``
are strings, and a value that looks like a date stays the text as written (yaml.v3 keeps it a string when
the target is untyped, which is how Pulumi decodes config). A key defined twice in one mapping is an error
there, not "the last one wins". PyYAML implements YAML 1.1 and gets all three wrong, so every file the
preflight reads goes through :func:`read_yaml`.
"""

from __future__ import annotations

import copy
import functools
import os
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

__all__ = ["YamlFileError", "YamlReadError", "read_yaml"]

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class YamlFileError(Exception):
    """The file cannot be read or is not valid YAML; a YAML problem is ``could not parse path:line:column: ...``."""


class YamlReadError(YamlFileError):
    """The file cannot be opened or is not UTF-8; ``reason`` says why, for a caller that names the file its own way."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"could not read {path}: {reason}")
        self.reason = reason


class _Resolver(VersionedResolver):
    # A `%YAML 1.1` directive would switch ruamel back to 1.1 booleans; yaml.v3 ignores the version.
    @property
    def processing_version(self) -> Any:
        return (1, 2)


class _Constructor(SafeConstructor):
    pass


_Constructor.add_constructor(_TIMESTAMP_TAG, lambda self, node: self.construct_scalar(node))


def _yaml() -> YAML:
    y = YAML(typ="safe", pure=True)
    y.version = (1, 2)
    y.Resolver = _Resolver
    y.Constructor = _Constructor
    return y


def _shown(path: str) -> str:
    """A path under the working directory relative to it, as an editor or terminal links it."""
    rel = os.path.relpath(os.path.abspath(path))
    return path if rel.startswith("..") else rel


def _key_text(node: Node) -> tuple[str, str] | None:
    if isinstance(node, ScalarNode):
        return node.tag, node.value
    return None


def _duplicates(node: Node, where: str, seen_nodes: set[int]) -> list[str]:
    """``mapping key "k" already defined at line n`` (as yaml.v3 words it) for every repeated key."""
    if id(node) in seen_nodes:  # an alias points back at a node already walked
        return []
    seen_nodes.add(id(node))
    problems: list[str] = []
    if isinstance(node, MappingNode):
        first: dict[tuple[str, str], int] = {}
        for key, value in node.value:
            text = _key_text(key)
            if text is not None and text[1] != "<<":
                if text in first:
                    m = key.start_mark
                    problems.append(f"could not parse {where}:{m.line + 1}:{m.column + 1}: "
                                    f"mapping key \"{text[1]}\" already defined at line {first[text]}")
                else:
                    first[text] = key.start_mark.line + 1
            problems += _duplicates(key, where, seen_nodes)
            problems += _duplicates(value, where, seen_nodes)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            problems += _duplicates(item, where, seen_nodes)
    return problems


def _describe(e: MarkedYAMLError, where: str) -> str:
    mark = e.problem_mark or e.context_mark
    at = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark is not None else where
    problem = (e.problem or e.context or type(e).__name__).strip()
    context = (e.context or "").strip()
    if e.problem and context.startswith("while ") and e.context_mark is not None and e.context_mark != mark:
        what = context[len("while "):].replace("parsing a ", "the ").replace("scanning a ", "the ")
        what = what.replace("constructing a ", "the ")
        cm = e.context_mark
        problem += f" (in {what} that starts at line {cm.line + 1}, column {cm.column + 1})"
    return f"could not parse {at}: {problem}"


@functools.lru_cache(maxsize=64)
def _parsed(text: str, where: str) -> Any:
    # Parsing is most of the cost of loading a stack's config, which every program run does again with the same
    # Pulumi.yaml and stack file; the document depends only on the text (`where` names the file in errors).
    node = _yaml().compose(text)
    if node is None:
        return None
    problems = _duplicates(node, where, set())
    if problems:
        raise YamlFileError("\n".join(problems))
    return _yaml().load(text)


def read_yaml(path: str) -> Any:
    """The document in ``path`` (None when empty), or :class:`YamlFileError` naming file, line and column."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise YamlReadError(path, e.strerror or type(e).__name__) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise YamlReadError(path, f"it is not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start})") from None
    where = _shown(path)
    try:
        # A copy: the caller may change what it gets, and the parse is kept for the next read of the same text.
        return copy.deepcopy(_parsed(text, where))
    except MarkedYAMLError as e:
        raise YamlFileError(_describe(e, where)) from None
    except YAMLError as e:
        raise YamlFileError(f"could not parse {where}: {str(e).strip().splitlines()[0]}") from None
