"""Rendering the whole sample district for every platform: egovnet vs nornir-jinja2.

What is compared, in one run, on the same intents and the same template files:

* **egovnet** - ``automation.render.Renderer``: one compiled Jinja2 environment per
  platform for the whole run (what ``egovnet config render`` uses), run through Nornir's
  threaded runner like the command does;
* **nornir-jinja2** - the stock ``nornir_jinja2`` ``template_file`` task through the same
  Nornir runner, with a new environment per call, as its ``path=`` mode builds one (so
  it re-reads and recompiles the templates for every host); the environment gets
  egovnet's Jinja2 settings (``path=`` mode hard-codes others) so outputs can be compared;
* **egovnet, no Nornir** - the renderer in a plain loop, to show Nornir's own share.

Every device of inventory/district (servers excluded) is rendered for each of the four
platforms (huawei_vrp, hp_comware, cisco_ios, frr). Outputs of both paths are checked to
be identical before times are reported. Goal: the whole district, all platforms, < 5 s.

    python bench/config_render.py                # print the table
    python bench/config_render.py --write-doc    # also update docs/performance.md
    python bench/config_render.py --quick        # fewer repetitions
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

from jinja2 import Environment, FileSystemLoader, StrictUndefined  # noqa: E402
from nornir import InitNornir  # noqa: E402
from nornir.core.task import Result, Task  # noqa: E402
from nornir_jinja2.plugins.tasks import template_file  # noqa: E402

from automation.intent import DeviceIntent, build_intent, network_devices  # noqa: E402
from automation.platforms import PLATFORMS, platform_spec  # noqa: E402
from automation.render import ENTRY_TEMPLATE, Renderer, _ip, _netmask, _tidy, _wildcard  # noqa: E402
from automation.secretref import reference  # noqa: E402
from inventory.loader import load_inventory  # noqa: E402

DOC = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- bench:config_render:begin -->", "<!-- bench:config_render:end -->"
FILTERS = {"wildcard": _wildcard, "netmask": _netmask, "ip": _ip}


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    runs: list[float] = []
    out: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--inventory", type=Path, default=REPO / "inventory" / "district")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="one repetition")
    ap.add_argument("--workers", type=int, default=20)
    ap.add_argument("--write-doc", action="store_true", help=f"update {DOC.relative_to(REPO)}")
    args = ap.parse_args()
    repeat = 1 if args.quick else args.repeat

    start = time.perf_counter()
    inv = load_inventory(args.inventory)
    load_s = time.perf_counter() - start
    devices = network_devices(inv)
    platforms = list(PLATFORMS)

    def intents() -> dict[tuple[str, str], DeviceIntent]:
        return {(d.name, p.value): build_intent(inv, d, p) for d in devices for p in platforms}

    intent_s, by_key = timed(intents, repeat)
    renders = len(by_key)

    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": args.workers}},
        inventory={"plugin": "EgovnetInventory", "options": {"path": str(args.inventory)}},
        logging={"enabled": False},
    )

    def ours_nornir() -> dict[tuple[str, str], str]:
        renderer = Renderer()  # a fresh one per run: template compilation is counted

        def task(task: Task) -> Result:
            texts = {
                p.value: renderer.render(by_key[(task.host.name, p.value)]).text for p in platforms
            }
            return Result(host=task.host, result=texts)

        agg = nr.run(task=task)
        return {(h, p): t for h, m in agg.items() for p, t in m[0].result.items()}

    def peer_nornir() -> dict[tuple[str, str], str]:
        def task(task: Task) -> Result:
            texts = {}
            for p in platforms:
                intent = by_key[(task.host.name, p.value)]
                spec = platform_spec(p)
                # what template_file(path=...) does on every call - a new environment -
                # with egovnet's Jinja2 settings, so that both outputs can be compared
                env = Environment(
                    loader=FileSystemLoader(spec.template_dir),
                    undefined=StrictUndefined,
                    trim_blocks=True,
                    lstrip_blocks=True,
                    keep_trailing_newline=True,
                )
                sub = task.run(
                    task=template_file,
                    template=ENTRY_TEMPLATE,
                    jinja_env=env,
                    jinja_filters=FILTERS,
                    d=intent,
                    m=intent.management,
                    spec=spec,
                    secret=reference,
                )
                texts[p.value] = _tidy(sub.result)
            return Result(host=task.host, result=texts)

        agg = nr.run(task=task)
        return {(h, p): t for h, m in agg.items() for p, t in m[0].result.items()}

    def ours_loop() -> dict[tuple[str, str], str]:
        renderer = Renderer()
        return {key: renderer.render(intent).text for key, intent in by_key.items()}

    ours_s, ours = timed(ours_nornir, repeat)
    peer_s, peer = timed(peer_nornir, repeat)
    loop_s, loop = timed(ours_loop, repeat)
    same = ours == peer == loop and len(ours) == renders
    if not same:
        differing = sorted(k for k in ours if ours.get(k) != peer.get(k))[:5]
        print(f"outputs differ, e.g. {differing}", file=sys.stderr)

    table = render_table(
        len(devices), renders, load_s, intent_s, ours_s, peer_s, loop_s, repeat, same
    )
    print(table)
    if args.write_doc:
        write_doc(table)
    return 0 if same else 1


def render_table(
    devices: int,
    renders: int,
    load_s: float,
    intent_s: float,
    ours_s: float,
    peer_s: float,
    loop_s: float,
    repeat: int,
    same: bool,
) -> str:
    rows = [
        ("egovnet `Renderer` through Nornir (what `config render` runs)", ours_s),
        ("nornir-jinja2 `template_file` through Nornir (the peer)", peer_s),
        ("egovnet `Renderer`, plain loop (no Nornir)", loop_s),
    ]
    lines = [
        f"{devices} network devices x {len(PLATFORMS)} platforms = {renders} configs; "
        f"median of {repeat} run(s); outputs identical: {'yes' if same else 'NO'}.",
        "",
        "| path | wall time | per config | vs peer |",
        "|---|---:|---:|---:|",
    ]
    for name, seconds in rows:
        lines.append(
            f"| {name} | {seconds:.3f} s | {seconds / renders * 1000:.2f} ms "
            f"| {peer_s / seconds:.1f}x |"
        )
    lines += [
        "",
        f"Before rendering: loading and validating the inventory {load_s:.3f} s, building the "
        f"{renders} intents {intent_s:.3f} s. Whole district, all platforms, end to end: "
        f"{load_s + intent_s + ours_s:.2f} s (goal < 5 s).",
    ]
    return "\n".join(lines)


def write_doc(table: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    block = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
