"""Bandwidth results on disk, under ``<state>/bandwidth/``.

* ``last.json``      the last result per circuit and direction (what the metrics show)
* ``history.jsonl``  every result ever made, one JSON line each, oldest first
* ``bandwidth.prom`` the last results in the Prometheus text format, for a node_exporter
  textfile collector; the egovnet exporter serves the same (``exporters.bandwidth``). The store
  does not know that format: whoever records passes its renderer (``textfile=``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from base.atomic import write_text
from base.errors import BandwidthError

from .assess import BandwidthResult

_LAST = TypeAdapter(dict[str, BandwidthResult])


def result_key(result: BandwidthResult) -> str:
    return f"{result.link}/{result.direction}"


@dataclass(frozen=True)
class BandwidthStore:
    state_dir: Path

    @property
    def root(self) -> Path:
        return self.state_dir / "bandwidth"

    @property
    def last_file(self) -> Path:
        return self.root / "last.json"

    @property
    def history_file(self) -> Path:
        return self.root / "history.jsonl"

    @property
    def textfile(self) -> Path:
        return self.root / "bandwidth.prom"

    def last(self) -> dict[str, BandwidthResult]:
        if not self.last_file.is_file():
            return {}
        try:
            return _LAST.validate_json(self.last_file.read_bytes())
        except ValidationError as exc:
            raise BandwidthError(f"{self.last_file}: unreadable results: {exc}") from exc

    def history(self) -> list[BandwidthResult]:
        if not self.history_file.is_file():
            return []
        out: list[BandwidthResult] = []
        for n, line in enumerate(self.history_file.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    out.append(BandwidthResult.model_validate_json(line))
                except ValidationError as exc:
                    raise BandwidthError(f"{self.history_file}:{n}: unreadable result") from exc
        return out

    def record(
        self,
        results: Iterable[BandwidthResult],
        *,
        textfile: Callable[[BandwidthStore], str] | None = None,
    ) -> None:
        """Append to the history and replace each circuit's last result; then, given a
        renderer of the last results, the textfile."""
        results = list(results)
        if not results:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        with self.history_file.open("a", encoding="utf-8") as fh:
            for r in results:
                fh.write(r.model_dump_json() + "\n")
        last = self.last()
        last.update({result_key(r): r for r in results})
        write_text(
            self.last_file,
            json.dumps(
                {k: v.model_dump(mode="json") for k, v in sorted(last.items())},
                ensure_ascii=False,
                indent=2,
            ),
        )
        if textfile is not None:
            write_text(self.textfile, textfile(self))
