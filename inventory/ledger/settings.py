"""The ``参数`` sheet: the profile and policy as dotted key/value rows, both ways.

``policy.tiers.town.target_mbps | 100`` is one row. Lists are written comma separated; which
keys hold lists is read from the models themselves, so a new policy field needs no change here.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from inventory.models import Policy, Profile, Tier, TierPolicy

from .cells import ITEM_SEPARATORS, fold

ROOTS: dict[str, type[BaseModel]] = {"profile": Profile, "policy": Policy}
#: The plan's access figures (seed 001's indicator table), written into a fresh template.
TEMPLATE_POLICY = Policy(
    tiers={
        Tier.city: TierPolicy(),
        Tier.district_core: TierPolicy(),
        Tier.cloud: TierPolicy(),
        Tier.department: TierPolicy(baseline_mbps=100, target_mbps=1000),
        Tier.town: TierPolicy(baseline_mbps=50, target_mbps=100, dual_homed=True),
        Tier.village: TierPolicy(baseline_mbps=10, target_mbps=50),
    }
)


def flatten(section: str, model: BaseModel) -> Iterator[tuple[str, object]]:
    """``(dotted key, cell value)`` for every set field; lists as ``a, b``."""
    yield from _flatten(section, model.model_dump(mode="json"))


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, object]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(f"{prefix}.{key}", item)
    elif isinstance(value, list):
        if value:
            yield prefix, ", ".join(str(v) for v in value)
    elif value is not None:
        yield prefix, value


def _annotation(key: str) -> Any:
    """The type of the field at ``policy.management.ntp_servers``-style ``key`` (None: unknown)."""
    root, *rest = key.split(".")
    annotation: Any = ROOTS.get(root)
    for part in rest:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part)
            if field is None:
                return None
            annotation = field.annotation
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return None
    return _unwrap(annotation)


def holds_list(key: str) -> bool:
    """Whether the field at ``key`` is a list."""
    return typing.get_origin(_annotation(key)) in (list, tuple)


_TRUE = frozenset({"true", "yes", "y", "1", "是"})
_FALSE = frozenset({"false", "no", "n", "0", "否"})


def _number(text: str, annotation: Any) -> object:
    """Numbers and yes/no stored as text become what the field is (the inventory's models are
    strict); anything else stays text, for the model to report at its cell."""
    annotation = _unwrap(annotation)
    if annotation is bool:
        word = text.lower()
        return True if word in _TRUE else False if word in _FALSE else text
    try:
        if annotation is int:
            return int(text)
        if annotation is float:
            return float(text)
    except ValueError:
        pass
    return text


def _unwrap(annotation: Any) -> Any:
    """``X | None`` -> ``X``; ``Annotated[X, ...]`` (StrictInt) -> ``X``."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def cell_value(key: str, raw: object) -> object:
    """What a settings cell means: lists split, text trimmed, numbers and booleans kept."""
    annotation = _annotation(key)
    if isinstance(raw, str):
        text = raw.strip()
        if typing.get_origin(annotation) in (list, tuple):
            items = [item for item in ITEM_SEPARATORS.split(fold(text)) if item]
            element = (typing.get_args(annotation) or (str,))[0]
            return [_number(item, element) for item in items]
        return _number(text, annotation)
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return raw


def unflatten(rows: dict[str, object]) -> dict[str, dict[str, Any]]:
    """``{"policy.plan.target_year": 2025}`` -> ``{"policy": {"plan": {"target_year": 2025}}}``."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in rows.items():
        root, *rest = key.split(".")
        node = out.setdefault(root, {})
        for part in rest[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):  # a key that is both a value and a parent
                child = node[part] = {}
            node = child
        if rest:
            node[rest[-1]] = value
    return out
