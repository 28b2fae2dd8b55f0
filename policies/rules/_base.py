"""Policy factories: each policy is declared with its metadata beside its check; validators see plain Nodes / a
Graph. Every declaration is recorded in DECLARED, from which the pack's manifest and docs are generated."""
from typing import Any, Callable, Dict, Iterable, Mapping, NamedTuple, Optional, Tuple

from pulumi_policy import (EnforcementLevel, PolicyConfigSchema, ResourceValidationPolicy,
                           StackValidationPolicy)

from ._config import SCHEMAS
from ._graph import Graph, Node, kind_of, node_from_args
from ._props import UNKNOWNS

MANDATORY = "mandatory"
ADVISORY = "advisory"

ResourceCheck = Callable[[Node, Any], Iterable[str]]
StackCheck = Callable[[Graph, Any], Iterable[Tuple[Node, str]]]
ConfigSchema = Mapping[str, Mapping[str, Any]]


class Declared(NamedTuple):
    """What a policy declares about itself besides its check."""
    level: str
    catalogue: Tuple[str, ...]  # rule ids it answers, explained in rule_ids.py
    description: str  # the first line of every violation message


DECLARED: Dict[str, Declared] = {}


def _meta(name: str, level: str, catalogue: Iterable[str], description: str,
          config_schema: Optional[ConfigSchema]):
    problems = []
    if name in DECLARED:
        problems.append("is declared twice")
    if level not in (MANDATORY, ADVISORY):
        problems.append(f"has level {level!r}, not {MANDATORY!r} or {ADVISORY!r}")
    if not catalogue:
        problems.append("names no rule id in catalogue")
    if not description.endswith("."):
        problems.append("has a description that is not a sentence ending in '.'")
    for key, prop in (config_schema or {}).items():
        if "default" not in prop or not prop.get("description"):
            problems.append(f"has config key {key!r} without a default and a description")
    if problems:
        raise ValueError(f"policy {name!r} " + "; ".join(problems))
    entry = DECLARED[name] = Declared(level, tuple(catalogue), description)
    if config_schema:
        SCHEMAS[name] = dict(config_schema)
    enforcement = EnforcementLevel.MANDATORY if level == MANDATORY else EnforcementLevel.ADVISORY
    schema = PolicyConfigSchema(SCHEMAS[name]) if SCHEMAS.get(name) else None
    return entry, enforcement, schema


def readable(message: str) -> str:
    """The message without the engine's unknown sentinels, which mean nothing to a reader: a value a message
    quotes from the stack may be an ID or output not allocated until deploy."""
    for sentinel in UNKNOWNS:
        if sentinel in message:
            message = message.replace(sentinel, "an id not known until deploy")
    return message


def _crash(node: Node, e: Exception) -> str:
    return (f"The policy could not evaluate {node.label()} ({type(e).__name__}: {e}); report it to the pack's "
            f"maintainers.")


def resource_policy(name: str, kinds: Iterable[str], check: ResourceCheck, *, level: str,
                    catalogue: Iterable[str], description: str,
                    config_schema: Optional[ConfigSchema] = None) -> ResourceValidationPolicy:
    """A resource policy: `check(node, config)` yields messages for one resource of the given kinds."""
    entry, level, schema = _meta(name, level, catalogue, description, config_schema)
    kinds = tuple(kinds)

    def validate(args, report_violation):
        if kind_of(args.resource_type) not in kinds:
            return
        node = node_from_args(args)
        try:
            messages = list(check(node, args.get_config()))
        except Exception as e:  # noqa: BLE001 - fail closed, and say so, rather than abort the whole analysis
            messages = [_crash(node, e)]
        for message in messages:
            report_violation(readable(message), None)

    policy = ResourceValidationPolicy(name=name, description=entry.description, validate=validate,
                                      enforcement_level=level, config_schema=schema)
    # Read by framework_cache to hand the policy only resources of these kinds; `validate` still checks,
    # so the policy is the same where the framework runs unpatched.
    policy.kinds = frozenset(kinds)
    policy.kind_of = kind_of
    return policy


# The graph of the stack last analysed, with the resource list it was built from: every stack policy of one
# AnalyzeStack request receives the same list (framework_cache), so the graph is built once per request. The
# list is held, so its identity cannot be reused by another list while cached.
_last_graph: Tuple[Any, Any] = (None, None)


def graph_of(resources: Any) -> Graph:
    global _last_graph  # pylint: disable=global-statement
    held, graph = _last_graph
    if held is not resources:
        graph = Graph(resources)
        _last_graph = (resources, graph)
    return graph


def stack_policy(name: str, check: StackCheck, *, level: str, catalogue: Iterable[str], description: str,
                 config_schema: Optional[ConfigSchema] = None) -> StackValidationPolicy:
    """A stack policy: `check(graph, config)` yields (resource, message) pairs."""
    entry, level, schema = _meta(name, level, catalogue, description, config_schema)

    def validate(args, report_violation):
        graph = graph_of(args.resources)
        try:
            found = list(check(graph, args.get_config()))
        except Exception as e:  # noqa: BLE001 - fail closed, and say so, rather than abort the whole analysis
            found = [(None, f"The policy could not evaluate this stack ({type(e).__name__}: {e}); report it to "
                            f"the pack's maintainers.")]
        for node, message in found:
            report_violation(readable(message), node.urn if node is not None else None)

    return StackValidationPolicy(name=name, description=entry.description, validate=validate,
                                 enforcement_level=level, config_schema=schema)
