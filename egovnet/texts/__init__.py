"""The catalogue of the command's words, one module per verb group, gathered into one map.

Each module holds ``TEXTS``: stable key -> (Chinese, English). ``{name}`` fields are filled by
``egovnet.messages.text(key, name=...)``; ``err.*``, ``finding.*`` and ``problem.*`` entries
are English templates of the domain packages' messages, translated at the edge
(egovnet/messages.py). A key belongs to one module only: :data:`CATALOGUE` refuses a second.
"""

from __future__ import annotations

from . import (
    audit,
    bandwidth,
    common,
    config,
    demo,
    errors,
    inventory,
    lab,
    monitor,
    poll,
    topology,
)

MODULES = (common, errors, inventory, topology, config, monitor, lab, bandwidth, audit, poll, demo)


def _gather() -> dict[str, tuple[str, str]]:
    catalogue: dict[str, tuple[str, str]] = {}
    for module in MODULES:
        for key, pair in module.TEXTS.items():
            if key in catalogue:
                raise AssertionError(f"{module.__name__}: key {key!r} is already catalogued")
            catalogue[key] = pair
    return catalogue


CATALOGUE: dict[str, tuple[str, str]] = _gather()
