"""Canonical JSON: the same JSON-LD document always gives the same bytes.

Object keys are sorted; arrays, which carry no order in our JSON-LD (no
``@list``), are sorted by ``@id`` and then by their JSON; the text is
indented by two spaces and UTF-8 encoded. The text is written in one pass
(see :func:`_canonical_text`); anything that is not plain JSON goes through
``json.dumps`` as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["NotPlain", "canonical_json", "canonical_text", "member_order", "sorted_items"]


def canonical_json(document: Any) -> bytes:
    """UTF-8 JSON with sorted keys and sorted arrays: the same graph always gives the same bytes.

    Arrays are sorted because in our JSON-LD they are sets (no ``@list``).
    """
    try:
        text = _canonical_text(document, "")
    except (NotPlain, RecursionError):
        # Types of values or keys other than JSON's own: the standard library's
        # way (which also gives its errors).
        text = json.dumps(_sorted(document), ensure_ascii=False, sort_keys=True, indent=2)
    return (text + "\n").encode("utf-8")


class NotPlain(Exception):
    """A value :func:`canonical_text` leaves to ``json.dumps`` (not plain JSON)."""


def canonical_text(value: Any, indent: str = "") -> str:
    """The text :func:`canonical_json` writes for ``value`` nested at ``indent`` (no newline).

    For writers that stream a big document item by item. Raises
    :class:`NotPlain` (or ``RecursionError``) for anything but plain JSON.
    """
    return _canonical_text(value, indent)


def member_order(item: dict[str, Any]) -> tuple[str, str | None]:
    """Where an object goes in a canonical array: its ``@id``, then its first member's JSON.

    Items with distinct keys are in :func:`canonical_json`'s order when
    sorted by this; where two share one, only their whole JSON orders them.
    """
    return str(item.get("@id", "")), _first_member(item)


def _canonical_text(value: Any, indent: str) -> str:
    """``json.dumps(_sorted(value), ensure_ascii=False, sort_keys=True, indent=2)``, in one pass.

    json.dumps with an indent runs the standard library's pure-Python
    encoder; writing the text here, with the same C function escaping the
    strings and sorting each array as it is written, takes half the time.
    Only dict, list, str, int, float, bool and None; anything else raises
    :class:`NotPlain`.
    """
    cls = value.__class__
    if cls is str:
        return _ENCODE_STRING(value)
    if cls is dict:
        if not value:
            return "{}"
        inner = indent + "  "
        items = []
        for key in sorted(value):
            if key.__class__ is not str:
                raise NotPlain
            item = value[key]
            text = _ENCODE_STRING(item) if item.__class__ is str else _canonical_text(item, inner)
            items.append(_ENCODE_STRING(key) + ": " + text)
        return "{\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "}"
    if cls is list:
        if not value:
            return "[]"
        inner = indent + "  "
        return (
            "[\n"
            + inner
            + (",\n" + inner).join(
                [
                    _ENCODE_STRING(item) if item.__class__ is str else _canonical_text(item, inner)
                    for item in _in_canonical_order(value)
                ]
            )
            + "\n"
            + indent
            + "]"
        )
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if cls is int:
        return int.__repr__(value)
    if cls is float:
        return json.dumps(value)  # NaN and infinities as json.dumps writes them
    raise NotPlain


def _in_canonical_order(items: list[Any]) -> list[Any]:
    """The items in :func:`_sorted`'s order (by ``@id``, then JSON), unsorted themselves.

    An item is sorted (:func:`_sorted`) and written as JSON only where its
    ``@id`` ties with another's.
    """
    if all(item.__class__ is str for item in items):
        return sorted(items, key=_ENCODE_STRING)
    identifiers = []
    for item in items:
        identifier = item.get("@id", "") if item.__class__ is dict else ""
        if identifier.__class__ is not str:
            raise NotPlain
        identifiers.append(identifier)
    return _by_identifier(items, identifiers, _tie_key)


def _sorted(value: Any) -> Any:
    # Scalars are most values: no call for them.
    if isinstance(value, dict):
        return {
            key: _sorted(item) if isinstance(item, _CONTAINERS) else item
            for key, item in value.items()
        }
    if isinstance(value, list):
        return sorted_items(
            [_sorted(item) if isinstance(item, _CONTAINERS) else item for item in value]
        )
    return value


_CONTAINERS = (dict, list)
# The C function json.dumps escapes strings with (ensure_ascii=False).
_ENCODE_STRING = json.encoder.encode_basestring


def sorted_items(items: list[Any]) -> list[Any]:
    """``sorted(items, key=lambda item: (_identifier(item), _json_key(item)))``, faster.

    Sorting by ``@id`` first and then each run of equal ``@id`` by the JSON
    gives the same order; an item's JSON is written only to break a tie
    (nodes mostly have distinct ``@id``).
    """
    if len(items) < 2:
        return list(items)
    if all(item.__class__ is str for item in items):  # no @id: by their JSON
        return sorted(items, key=_ENCODE_STRING)
    identifiers = [_identifier(item) for item in items]
    return _by_identifier(items, identifiers, _json_key)


def _identifier(item: Any) -> str:
    return str(item.get("@id", "")) if isinstance(item, dict) else ""


def _by_identifier(
    items: list[Any], identifiers: list[str], json_key: Callable[[Any], str]
) -> list[Any]:
    """The items sorted by their ``identifiers``, each run of one ``@id`` by ``json_key``."""
    order = sorted(range(len(items)), key=identifiers.__getitem__)
    if len(set(identifiers)) == len(identifiers):
        return [items[i] for i in order]
    result: list[Any] = []
    start = 0
    while start < len(order):
        identifier = identifiers[order[start]]
        end = start + 1
        while end < len(order) and identifiers[order[end]] == identifier:
            end += 1
        run = [items[i] for i in order[start:end]]
        if len(run) > 1:
            _sort_run(run, json_key)
        result.extend(run)
        start = end
    return result


def _sort_run(run: list[Any], json_key: Callable[[Any], str]) -> None:
    """Sort items of one ``@id`` by their JSON text (``json_key``), in place.

    Objects whose first members (keys sorted) differ are in the order of
    those: the JSON texts differ there (a key's JSON, quotes escaped, is no
    prefix of another's). A node and the graph object of the same IRI (the
    default graph describes each document) are ordered so without writing
    the graph's JSON.
    """
    firsts = [_first_member(item) for item in run]
    if None not in firsts and len(set(firsts)) == len(firsts):
        order = sorted(range(len(run)), key=firsts.__getitem__)
        run[:] = [run[i] for i in order]
    else:
        run.sort(key=json_key)


def _first_member(item: Any) -> str | None:
    """``'"key": '`` of an object's first key in JSON's sorted order; ``None`` for other items."""
    if item.__class__ is not dict or not item or not all(k.__class__ is str for k in item):
        return None
    return _ENCODE_STRING(min(item)) + ": "


def _tie_key(item: Any) -> str:
    """``_json_key(_sorted(item))``: a string or flat object needs no sorting."""
    key = _flat_json(item)
    return json.dumps(_sorted(item), ensure_ascii=False, sort_keys=True) if key is None else key


def _flat_json(item: Any) -> str | None:
    """The sort key JSON of a string or an object of strings; ``None`` for anything else."""
    cls = item.__class__
    if cls is str:
        return _ENCODE_STRING(item)
    if cls is dict and all(k.__class__ is str and v.__class__ is str for k, v in item.items()):
        return (
            "{"
            + ", ".join(f"{_ENCODE_STRING(k)}: {_ENCODE_STRING(item[k])}" for k in sorted(item))
            + "}"
        )
    return None


def _json_key(item: Any) -> str:
    """``json.dumps(item, ensure_ascii=False, sort_keys=True)``; strings, flat objects faster."""
    key = _flat_json(item)
    return json.dumps(item, ensure_ascii=False, sort_keys=True) if key is None else key
