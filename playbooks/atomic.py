"""The atomic writes of the ground floor, under the name the audit command still imports."""

from __future__ import annotations

from base.atomic import write_text, write_with

__all__ = ["write_text", "write_with"]
