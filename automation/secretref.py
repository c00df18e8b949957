"""Secrets in rendered configs are references, resolved only in memory at push time.

A template writes ``{{ secret("EGOVNET_SNMP_AUTH_KEY") }}``; the rendered file holds the
marker ``<<secret:EGOVNET_SNMP_AUTH_KEY>>``, so files under the state directory never hold a
secret value. :func:`resolve` swaps the values in just before a push; :func:`mask` turns
any resolved value back into its marker before text is logged or written.
"""

from __future__ import annotations

import re

from inventory.secrets import SecretStore

MARKER = re.compile(r"<<secret:([A-Z_][A-Z0-9_]*)>>")


def reference(env_name: str) -> str:
    return f"<<secret:{env_name}>>"


def referenced(text: str) -> list[str]:
    """Names of every secret a rendered config refers to, in order, without repeats."""
    return list(dict.fromkeys(MARKER.findall(text)))


def resolve(text: str, store: SecretStore) -> str:
    """Replace every marker with its value; a missing secret raises SecretMissingError."""
    return MARKER.sub(lambda m: store.get(m.group(1)).reveal(), text)


def mask(text: str, store: SecretStore, names: list[str]) -> str:
    """Put markers back where values of ``names`` appear (for logs and change records)."""
    for name in names:
        if store.has(name):
            value = store.get(name).reveal()
            if value:
                text = text.replace(value, reference(name))
    return text


def prefix_before_secret(line: str) -> str | None:
    """The part of a line before its first marker, or None when it holds none.

    Devices show secrets encrypted (``cipher %^%#...``) or not at all, so an intended line
    with a marker matches any running line that starts with the same words.
    """
    found = MARKER.search(line)
    if found is None:
        return None
    return line[: found.start()].rstrip()
