"""Strategies for inputs that look right and are not: a valid JSON document with a few of its
parts dropped, retyped, blown up or nested deep; text with the characters that break things."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

#: strings that have broken parsers, databases and consoles before
AWKWARD_TEXTS = [
    "", " ", "\t\n", "\x00", "a\x00b", "\ud800", "lena\udcff", "\u202eevil", "é", "Ω≈ç√",
    "東京", "🙂" * 3, "null", "None", "0", "-1", "1e309", "NaN", "'; DROP TABLE tickets; --",
    "%s%n%x", "{key}", "{", "}", "{}", "(", "[", "*", "(a+)+$", "\\", "../../etc/passwd",
    "L1", "L2", "Vendor", "P1", "up", "down", "lena", "sara", "Printer", "in_progress",
    "iso", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%Q", "%", "UTC", "Mars/Olympus", "utf-16",
    "rot13", "latin-1", "x" * 121, "y" * 2_001, "z" * 70_000,
]  # fmt: skip
HUGE_NUMBERS = [0, -1, 1, 2**31, 2**31 - 1, -(2**31), 2**63, -(2**63), 10**30, 10**400, 10**5000]
SPECIAL_FLOATS = [0.5, -0.0, 1e308, float("inf"), float("-inf"), float("nan")]

awkward_text = st.one_of(
    st.sampled_from(AWKWARD_TEXTS),
    st.text(max_size=12),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=6).map(lambda s: s * 50),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(HUGE_NUMBERS),
    st.integers(),
    st.sampled_from(SPECIAL_FLOATS),
    st.floats(),
    awkward_text,
)


def deeply_nested(depth: int, inner: Any = None, kind: str = "list") -> Any:
    """``depth`` levels of lists (or objects) around ``inner``, built without recursion."""
    value = inner
    for _ in range(depth):
        value = [value] if kind == "list" else {"x": value}
    return value


@dataclass(frozen=True)
class Nested:
    """A placeholder for ``deeply_nested(depth, inner, kind)``: hypothesis prints the examples
    it runs, and its printer recurses, so deep values are built only by ``expand``."""

    depth: int
    inner: Any = None
    kind: str = "list"


def expand(value: Any) -> Any:
    """``value`` with every ``Nested`` placeholder built."""
    if isinstance(value, Nested):
        return deeply_nested(value.depth, value.inner, value.kind)
    if isinstance(value, dict):
        return {key: expand(item) for key, item in value.items()}
    if isinstance(value, list):
        return [expand(item) for item in value]
    return value


junk = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.dictionaries(awkward_text, scalars, max_size=4),
    st.builds(Nested, st.integers(50, 3_000), scalars, st.sampled_from(["list", "dict"])),
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a JSON value (the root included), breadth first."""
    found = [prefix]
    queue = [(value, prefix)]
    while queue:
        node, at = queue.pop(0)
        children = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, child in children:
            found.append((*at, key))
            queue.append((child, (*at, key)))
    return found


def _parent(root: Any, path: tuple[Any, ...]) -> Any:
    node = root
    for key in path[:-1]:
        node = node[key]
    return node


MUTATIONS = ("drop", "replace", "add_key", "wrap", "duplicate", "rename_key")


@st.composite
def mutated(draw: st.DrawFn, seed: Any, max_mutations: int = 3) -> Any:
    """``seed`` (a valid JSON value) with 1 to ``max_mutations`` mutations at places chosen
    anywhere inside it."""
    value = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, max_mutations))):
        where = draw(st.sampled_from(paths(value)))
        kind = draw(st.sampled_from(MUTATIONS))
        if not where:  # the root itself
            value = draw(junk) if kind == "replace" else [value] if kind == "wrap" else value
            continue
        parent, key = _parent(value, where), where[-1]
        if kind == "drop":
            del parent[key]
        elif kind == "replace":
            parent[key] = draw(junk)
        elif kind == "add_key" and isinstance(parent[key], dict):
            parent[key][draw(awkward_text)] = draw(junk)
        elif kind == "wrap":
            parent[key] = draw(st.sampled_from([[parent[key]], {"x": parent[key]}]))
        elif kind == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif kind == "rename_key" and isinstance(parent, dict):
            parent[draw(awkward_text)] = parent.pop(key)
    return value
