"""The city table of issue 15, stage by stage, at 1, 2, 5 and 10 generated districts.

    python bench/city_scale.py                    # 1 2 5 10 districts
    python bench/city_scale.py --districts 1 2    # some sizes
    python bench/city_scale.py --reference 1      # also the per-scenario what-if at 1 district

Stages, each timed in this process: load and validate the inventory, ``topology check``,
``whatif --all-single`` (one pass over the graph's blocks), the DOT text of the overview and
of every district, and ``dot -Tsvg`` of the largest district drawing. The peer is the
per-scenario what-if the project used before (tests/unit/whatif_reference.py), run at the
sizes given to ``--reference`` (it needs minutes at 2 districts, hours at 10).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from inventory.loader import load_inventory  # noqa: E402
from inventory.sample_city import CityShape, write_city  # noqa: E402
from tests.unit.whatif_reference import reference_rank  # noqa: E402
from topology.checks import check  # noqa: E402
from topology.districts import Districts  # noqa: E402
from topology.graph import build_network  # noqa: E402
from topology.overview import drawings  # noqa: E402
from topology.render import Format, render  # noqa: E402
from topology.whatif import rank_single_failures  # noqa: E402


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--districts", type=int, nargs="*", default=[1, 2, 5, 10])
    ap.add_argument("--reference", type=int, nargs="*", default=[1])
    args = ap.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    print(
        "| districts | network devices | links | load + validate s | check s"
        " | whatif --all-single s | per-scenario reference s | DOT of all drawings s"
        " | dot -Tsvg of one district s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.districts:
        with tempfile.TemporaryDirectory() as tmp:
            write_city(Path(tmp), CityShape(districts=n))
            t_load, inv = timed(load_inventory, Path(tmp))
        net = build_network(inv)
        t_check, report = timed(check, inv, net)
        t_rank, rows = timed(rank_single_failures, net)
        reference = "-"
        if n in args.reference:
            t_ref, old = timed(reference_rank, net)
            assert old == rows, "the structural ranking differs from the reference"
            reference = f"{t_ref:.1f} ({t_ref / t_rank:.0f}x)"
        t_dots, dots = timed(drawings, net, report, per_district=True)
        biggest = max(Districts(net).all, key=lambda d: len(d.devices))
        t_svg, _ = timed(render, dots[f"district-{biggest.key}"], Format.svg)
        print(
            f"| {n} | {len(net.devices):,} | {len(inv.links):,} | {t_load:.1f} | {t_check:.2f}"
            f" | {t_rank:.2f} | {reference} | {t_dots:.2f} | {t_svg:.1f} |",
            flush=True,
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
