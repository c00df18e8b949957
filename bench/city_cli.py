"""Issue 15's table: the CLI commands on the sample district and a generated city, as a user
runs them (one process each): wall time, peak RSS, and the load average when each started.

    python bench/city_cli.py                      # district + the 10-district city
    python bench/city_cli.py --districts 2        # a smaller city

The city is written by bench/city.py's generator (inventory/sample_city.py) into a temporary
directory; configs and drawings go there too. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from inventory.sample_city import CityShape, write_city  # noqa: E402

EGOVNET = [sys.executable, "-m", "egovnet"]


def commands(inv: Path, out: Path, city: bool) -> list[tuple[str, list[str]]]:
    draw = (
        [("topology draw --overview", ["topology", "draw", "-i", str(inv), "--overview",
                                       "--out", str(out / "overview.svg")]),
         ("topology draw --per-district", ["topology", "draw", "-i", str(inv), "--per-district",
                                           "--out", str(out / "drawings")])]
        if city
        else [("topology draw", ["topology", "draw", "-i", str(inv),
                                 "--out", str(out / "district.svg")])]
    )  # fmt: skip
    return [
        ("inventory validate", ["inventory", "validate", "-i", str(inv)]),
        ("topology check", ["topology", "check", "-i", str(inv)]),
        ("topology whatif --all-single", ["topology", "whatif", "--all-single", "--json", "-i",
                                          str(inv)]),
        ("config render (all devices)", ["config", "render", "-i", str(inv), "--out",
                                         str(out / "configs")]),
        *draw,
    ]  # fmt: skip


def run(argv: list[str]) -> tuple[float, float, int, float]:
    """(wall s, peak RSS MiB, exit code, 1-minute load average at the start)."""
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*EGOVNET, *argv], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, proc.returncode, load


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--districts", type=int, default=10)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="egovnet-city-cli-"))
    try:
        city = work / "city-inventory"
        counts = write_city(city, CityShape(districts=args.districts))
        rows: dict[str, dict[str, str]] = {}
        for key, inv in (("district", REPO / "inventory" / "district"), ("city", city)):
            (work / key).mkdir()
            for label, argv in commands(inv, work / key, key == "city"):
                wall, rss, code, load = run(argv)
                cell = f"{wall:.1f} s, {rss:.0f} MiB (load {load:.1f})"
                if code != 0:
                    cell += f", exit {code}"
                rows.setdefault(label, {})[key] = cell
                print(f"{key:8} {label:32} {cell}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} CPUs,"
        f" `python bench/city_cli.py --districts {args.districts}`: city of"
        f" {counts.network_devices:,} network devices, {counts.servers} servers,"
        f" {counts.links:,} links.\n"
    )
    print("| command | sample district | city |\n|---|---|---|")
    for label, cells in rows.items():
        print(f"| `{label}` | {cells.get('district', '-')} | {cells.get('city', '-')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
