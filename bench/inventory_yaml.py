"""Reading the sample district's YAML: egovnet's bounded reader vs PyYAML's own loaders.

What is compared, in one run, on the same files (inventory/district/*.yaml, or --path):

* **egovnet, libyaml** - ``inventory.yamlsource.read_located`` on libyaml's C parser: data,
  the line of every value, and the limits (aliases, nodes, depth, size) counted as it goes;
* **egovnet, pure Python** - the same reader on PyYAML's pure-Python parser (the fallback);
* **PyYAML CSafeLoader** - ``yaml.load(text, Loader=yaml.CSafeLoader)``: data only, no lines,
  no bounds (the peer: what a reader that keeps nothing else costs);
* **PyYAML compose (C)** - ``yaml.compose`` with ``CSafeLoader``: the node tree with marks
  that a line-keeping reader could start from, before any conversion to data.

The data of every reader is checked to equal PyYAML's before times are reported.

    python bench/inventory_yaml.py                 # the sample district, 20 repetitions
    python bench/inventory_yaml.py --repeat 5 --path my-city/
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from inventory.yamlbuild import FAST_PARSER, PURE_PARSER  # noqa: E402
from inventory.yamlsource import read_located  # noqa: E402


def timed(fn: Callable[[], Any], repeat: int) -> float:
    runs: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--path", type=Path, default=REPO / "inventory" / "district")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    if FAST_PARSER is None:
        print("PyYAML has no libyaml here: nothing to compare against", file=sys.stderr)
        return 1
    files = sorted(args.path.glob("*.yaml"))
    texts = {f: f.read_text(encoding="utf-8") for f in files}
    for file, text in texts.items():
        want = yaml.load(text, Loader=yaml.CSafeLoader)
        for parser in (FAST_PARSER, PURE_PARSER):
            located, errors = read_located(file, parser=parser)
            if errors or located.data != want:
                print(f"{file.name}: egovnet's reader disagrees with PyYAML", file=sys.stderr)
                return 1

    def ours(parser: Any) -> Callable[[], None]:
        def run() -> None:
            for file in files:
                read_located(file, parser=parser)

        return run

    def peer(load: Callable[[str], Any]) -> Callable[[], None]:
        def run() -> None:
            for file in files:
                load(file.read_text(encoding="utf-8"))

        return run

    rows = {
        "egovnet, libyaml": timed(ours(FAST_PARSER), args.repeat),
        "egovnet, pure Python": timed(ours(PURE_PARSER), max(1, args.repeat // 4)),
        "PyYAML CSafeLoader (data only)": timed(
            peer(lambda t: yaml.load(t, Loader=yaml.CSafeLoader)), args.repeat
        ),
        "PyYAML compose, C (nodes only)": timed(
            peer(lambda t: yaml.compose(t, Loader=yaml.CSafeLoader)), args.repeat
        ),
    }
    base = rows["egovnet, libyaml"]
    size = sum(len(t.encode()) for t in texts.values())
    print(f"{len(files)} files, {size / 1024:.0f} KiB, median of {args.repeat} runs")
    print(f"{'reader':34} {'ms':>8} {'vs egovnet, libyaml':>20}")
    for name, seconds in rows.items():
        print(f"{name:34} {seconds * 1000:8.1f} {seconds / base:19.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
