"""Secrets in rendered configs are references, resolved only in memory at push time.

A template writes ``{{ secret("EGOVNET_SNMP_AUTH_KEY") }}``; the rendered file holds the
marker ``<<secret:EGOVNET_SNMP_AUTH_KEY>>``, so files under the state directory never hold a
secret value. :func:`resolve` swaps the values in just before a push; :func:`mask` turns
any resolved value back into its marker before text is logged or written.
"""

from __future__ import annotations

from base.secretmarkers import MARKER, reference, referenced, substitute, unsubstitute
from inventory.secrets import SecretStore

__all__ = ["MARKER", "mask", "prefix_before_secret", "reference", "referenced", "resolve"]


def resolve(text: str, store: SecretStore) -> str:
    """Replace every marker with its value; a missing secret raises SecretMissingError."""
    return substitute(text, lambda name: store.get(name).reveal())


def mask(text: str, store: SecretStore, names: list[str]) -> str:
    """Put markers back where values of ``names`` appear (for logs and change records)."""
    return unsubstitute(text, {n: store.get(n).reveal() for n in names if store.has(n)})


def prefix_before_secret(line: str) -> str | None:
    """The part of a line before its first marker, or None when it holds none.

    Devices show secrets encrypted (``cipher %^%#...``) or not at all, so an intended line
    with a marker matches any running line that starts with the same words.
    """
    found = MARKER.search(line)
    if found is None:
        return None
    return line[: found.start()].rstrip()
