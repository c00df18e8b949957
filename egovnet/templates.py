"""Matching a message against an English template (``unknown site {site}``), in linear time.

A template is literal text with ``{name}`` fields between. A message matches when it begins
with the first literal, ends with the last, and holds the ones between in order; each field
takes the text up to the leftmost next literal. No backtracking: a message that a regular
expression with lazy groups could match in many ways (and spend minutes on, given a hostile
name thousands of characters long) is matched one way or not at all, in one pass per literal.
Two fields with nothing between them cannot be told apart, so a template may not have them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Template:
    """``prefix {field} literal {field} ... suffix``: ``fields[i]`` is followed by
    ``literals[i]``; the last literal is the suffix (maybe empty)."""

    prefix: str
    fields: tuple[str, ...]
    literals: tuple[str, ...]

    @classmethod
    def parse(cls, template: str) -> Template:
        pieces = FIELD.split(template)  # literal, field, literal, field, ..., literal
        fields, literals = tuple(pieces[1::2]), tuple(pieces[2::2])
        for name, literal in zip(fields[:-1], literals[:-1], strict=True):
            if not literal:
                raise ValueError(f"{template!r}: {{{name}}} is followed by another field")
        if len(set(fields)) != len(fields):
            raise ValueError(f"{template!r}: a field appears twice")
        return cls(pieces[0], fields, literals)

    @property
    def fixed(self) -> int:
        """Characters of literal text: the more, the more specific the template."""
        return len(self.prefix) + sum(len(x) for x in self.literals)

    def match(self, message: str) -> dict[str, str] | None:
        """The fields' values if ``message`` is this template filled in, else None."""
        if not message.startswith(self.prefix):
            return None
        if not self.fields:
            return {} if message == self.prefix else None
        suffix = self.literals[-1]
        end = len(message) - len(suffix)
        if end < len(self.prefix) or not message.endswith(suffix):
            return None
        values: dict[str, str] = {}
        at = len(self.prefix)
        for name, literal in zip(self.fields[:-1], self.literals[:-1], strict=True):
            found = message.find(literal, at, end)
            if found < 0:
                return None
            values[name] = message[at:found]
            at = found + len(literal)
        values[self.fields[-1]] = message[at:end]
        return values
