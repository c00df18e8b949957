"""Write a generated city of N districts in the inventory format (inventory/sample_city.py).

    python bench/city.py --districts 10 --out /tmp/city       # the city of issue 15
    python bench/city.py --districts 2 --out /tmp/city2 --json
    egovnet inventory validate -i /tmp/city && egovnet topology check -i /tmp/city

Deterministic: the same arguments write the same files.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from inventory.sample_city import CityShape, write_city  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--districts", type=int, default=10, help="districts (default 10)")
    ap.add_argument("--out", type=Path, required=True, help="directory to write (created)")
    ap.add_argument("--towns", type=int, default=CityShape.towns, help="towns per district")
    ap.add_argument("--seed", type=int, default=CityShape.seed, help="random seed")
    ap.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = ap.parse_args(argv)
    try:
        shape = CityShape(districts=args.districts, towns=args.towns, seed=args.seed)
    except ValueError as exc:
        print(f"bench/city.py: {exc}", file=sys.stderr)
        return 2
    counts = write_city(args.out, shape)
    if args.json:
        print(json.dumps(asdict(counts), ensure_ascii=False, indent=2))
    else:
        print(
            f"wrote {args.out}: {counts.districts} district(s), {counts.sites} sites,"
            f" {counts.network_devices} network devices, {counts.servers} servers,"
            f" {counts.links} links, {counts.systems} systems"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
