"""SHACL validation spread over forked worker processes, each with a share of the work.

In SHACL every result belongs to one focus node of one shape, and a shape's
results for one focus node do not depend on its other focus nodes. So the
work of a validation can be cut into units, each a shape with all its focus
nodes or with a slice of them, and the units shared out among ``jobs``
worker processes. Each worker runs pyshacl with a copy of the shapes graph
in which only its units keep targets: its whole shapes keep their own
targets, its slices become ``sh:targetNode`` lists, and every other shape
loses its targets (a shape used inside another one, through ``sh:property``,
``sh:or``, ..., is still checked there: its targets only matter at the top).
The union of the workers' results is the set of results of one run.

pyshacl's own ``focus_nodes`` option is not used for this: it keeps only
IRIs (the blank nodes that ``sgsh:NamedNodeShape`` reports would be lost),
looks each focus node up in a list, and runs every SPARQL target in every
worker.

The workers are forked, so the data graph and the shapes are inherited,
never pickled; only the results come back. Where ``fork`` is not available,
or there is too little to share, the validation runs in the calling process.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from math import ceil
from typing import Any, TypeVar

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from supportgraph.workers import can_fork, default_jobs, frozen_gc

__all__ = [
    "MIN_GROUP_COST",
    "TARGET_PREDICATES",
    "Unit",
    "group_shapes",
    "run_shared",
    "share",
    "targeted",
    "units",
]

T = TypeVar("T")
Run = Callable[[Graph, Graph], list[T]]
Focus = Callable[[Graph, Node, Graph], "set[Node] | None"]

# The data a forked worker reads: set before the workers are forked (not the
# pool of supportgraph.parallel, which a build may be using at the same time).
_SHARED: dict[str, Any] = {}

TARGET_PREDICATES = (  # the first two are the ones a Focus function may resolve
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
)
# Parameters whose values are shapes (lists of shapes for the list-taking ones).
_SHAPE_PARAMETERS = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LIST_PARAMETERS = (SH["or"], SH["and"], SH.xone)
# A unit whose focus nodes are not known beforehand (a SPARQL target, one query
# over the graph) is counted as one focus node per this many triples.
_TRIPLES_PER_UNKNOWN_FOCUS = 50
# Groups of units per worker: the workers take the next group as they finish,
# which evens out the guesses of the cost; each group costs a pyshacl set-up.
_GROUPS_PER_JOB = 2
# The least estimated cost worth a group of its own: about 0.25 s of pyshacl
# work (some 50 us a unit), five times the set-up of a worker's pyshacl run.
MIN_GROUP_COST = 5000.0


@dataclass(frozen=True)
class Unit:
    """A shape with all its targets (``focus`` None), or with these focus nodes only."""

    shape: Node
    focus: tuple[Node, ...] | None
    cost: float


def units(
    shapes: Graph,
    graph: Graph,
    count: int,
    focus_of: Focus,
) -> list[Unit]:
    """The targeted shapes, the big ones cut into slices, enough for ``count`` even groups.

    The cost of a shape is its number of focus nodes times the number of
    shapes it checks each of them against (itself, its property shapes, the
    members of its ``sh:or`` ...): a rough guess, good enough to share out.
    ``focus_of`` gives the focus nodes of a shape when they can be known
    beforehand (``None``: the shape is not cut, e.g. for a SPARQL target).
    """
    found: list[tuple[Node, set[Node] | None, float]] = []
    fanout: dict[Node, float] = {}
    for shape in targeted(shapes):
        focus = focus_of(shapes, shape, graph)
        nodes = len(graph) // _TRIPLES_PER_UNKNOWN_FOCUS if focus is None else len(focus)
        found.append((shape, focus, nodes * _weight(shapes, shape, graph, fanout)))
    total = sum(cost for _, _, cost in found)
    piece = total / (4 * count) if total else 1.0  # four units a group: the last ones even out
    result: list[Unit] = []
    for shape, focus, cost in found:
        pieces = ceil(cost / piece) if focus else 1
        if focus is None or pieces <= 1:
            result.append(Unit(shape, None, cost))
            continue
        ordered = sorted(focus, key=lambda node: node.n3())  # the same cut every run
        size = ceil(len(ordered) / pieces)
        for start in range(0, len(ordered), size):
            chunk = tuple(ordered[start : start + size])
            result.append(Unit(shape, chunk, cost * len(chunk) / len(ordered)))
    return result


def share(all_units: Iterable[Unit], count: int) -> list[list[Unit]]:
    """The units in ``count`` groups of about equal cost (biggest first, to the least loaded)."""
    groups: list[list[Unit]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for unit in sorted(all_units, key=lambda u: (-u.cost, u.shape.n3())):
        least = loads.index(min(loads))
        groups[least].append(unit)
        loads[least] += unit.cost
    return [group for group in groups if group]


def run_shared(
    graph: Graph,
    shapes: Graph,
    run: Run[T],
    jobs: int | None,
    focus_of: Focus,
) -> list[T]:
    """``run(graph, shapes)``, its work shared among ``jobs`` forked workers (None: one per core).

    ``run`` must be a module-level function whose results for the shapes of
    the workers, together, are its results for all of them (SHACL results
    are; a shape with an implicit class target keeps it in every worker, so
    its results may come more than once). ``focus_of``: see :func:`units`.
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or not can_fork():
        with frozen_gc():
            return run(graph, shapes)
    found = units(shapes, graph, jobs * _GROUPS_PER_JOB, focus_of)
    count = min(jobs * _GROUPS_PER_JOB, int(sum(unit.cost for unit in found) // MIN_GROUP_COST))
    groups = share(found, count) if count > 1 else []
    with frozen_gc():
        if len(groups) <= 1:  # too little work to be worth the workers
            return run(graph, shapes)
        _SHARED.update(graph=graph, shapes=shapes, run=run, groups=groups)
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(
                max_workers=min(jobs, len(groups)), mp_context=context
            ) as executor:
                pending = [executor.submit(_run_group, index) for index in range(len(groups))]
                return [result for future in pending for result in future.result()]
        finally:
            _SHARED.clear()


def _run_group(index: int) -> list[Any]:
    """In a worker: run the validation with the targets of group ``index`` only."""
    shapes = group_shapes(_SHARED["shapes"], _SHARED["groups"][index])
    return _SHARED["run"](_SHARED["graph"], shapes)


def targeted(shapes: Graph) -> list[Node]:
    """The shapes with explicit targets, in a fixed order."""
    found = {s for p in TARGET_PREDICATES for s in shapes.subjects(p, None)}
    return sorted(found, key=lambda node: node.n3())


def group_shapes(shapes: Graph, group: Sequence[Unit]) -> Graph:
    """A copy of ``shapes`` where only the units of ``group`` have (explicit) targets."""
    targets = set(targeted(shapes))
    whole = {unit.shape for unit in group if unit.focus is None}
    result = Graph()
    for prefix, namespace in shapes.namespaces():
        result.bind(prefix, namespace)
    for triple in shapes:
        s, p, _ = triple
        if p in TARGET_PREDICATES and s in targets and s not in whole:
            continue
        result.add(triple)
    for unit in group:
        for node in unit.focus or ():
            result.add((unit.shape, SH.targetNode, node))
    return result


def _weight(
    shapes: Graph,
    shape: Node,
    graph: Graph,
    fanout: dict[Node, float],
    seen: frozenset[Node] = frozenset(),
) -> float:
    """How many shape checks a focus node of ``shape`` costs (``shape`` included).

    The shapes inside a property shape are checked once per value: as many
    as the nodes of the graph have of that property, on average. A qualified
    value shape counts twice: most values fail it (one label of many is in
    the language asked for), and pyshacl builds a result for each failure.
    """
    if shape in seen:
        return 0
    seen = seen | {shape}
    members: list[Node] = []
    for parameter in _SHAPE_PARAMETERS:
        members.extend(shapes.objects(shape, parameter))
    for parameter in _SHAPE_LIST_PARAMETERS:
        for head in shapes.objects(shape, parameter):
            members.extend(Collection(shapes, head))
    members.extend(shapes.objects(shape, SH.qualifiedValueShape))
    if not members:
        return 1
    path = shapes.value(shape, SH.path)
    per_value = _fanout(graph, path, fanout) if isinstance(path, URIRef) else 1.0
    return 1 + per_value * sum(_weight(shapes, m, graph, fanout, seen) for m in members)


def _fanout(graph: Graph, path: URIRef, known: dict[Node, float]) -> float:
    """How many values of ``path`` a node that has any has, on average (at least 1)."""
    if path not in known:
        subjects = Counter(s for s, _, _ in graph.triples((None, path, None)))
        known[path] = max(sum(subjects.values()) / max(len(subjects), 1), 1.0)
    return known[path]
