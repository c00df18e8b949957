"""Run the benchmarks ``make bench`` knows; add one by adding a line to BENCHMARKS.

python bench/run_all.py               # all, full size, tables written into docs/
python bench/run_all.py --quick       # all, scaled down (tables not written)
python bench/run_all.py snmp_poll     # just one
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent

#: name -> (script, arguments of a full run, arguments of a --quick run).
BENCHMARKS: dict[str, tuple[str, list[str], list[str]]] = {
    "snmp_poll": ("snmp_poll.py", ["--write-doc"], ["--quick"]),
    "snmp_poll_snmpd": (  # needs root: a network namespace with net-snmp's snmpd
        "snmp_poll.py",
        ["--agent", "snmpd", "--devices", "1042", "--cycles", "2", "--write-doc"],
        ["--agent", "snmpd", "--quick"],
    ),
    "config_render": ("config_render.py", ["--repeat", "3", "--write-doc"], ["--quick"]),
    "shards": ("shards.py", ["--write-doc"], ["--quick"]),  # needs root, like snmp_poll_snmpd
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {list(BENCHMARKS)})")
    ap.add_argument("--quick", action="store_true", help="scaled-down runs; docs left alone")
    args = ap.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    failed: list[str] = []
    for name in args.names or list(BENCHMARKS):
        script, full, quick = BENCHMARKS[name]
        extra = quick if args.quick else full
        print(f"== {name}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(BENCH / script), *extra])
        print(f"== {name}: exit {code} in {time.monotonic() - started:.0f} s", flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
