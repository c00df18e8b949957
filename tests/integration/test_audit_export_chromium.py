"""The HTML export in a real browser: headless Chromium loads the page the command wrote, and
the DOM it built is read back as an auditor would read the screen. A screenshot is kept for
people (its path is printed; `-s` shows it).

Needs Debian's `chromium` and a CJK font (`fonts-wqy-microhei`), both installed by
`make setup`; without a CJK font Chromium draws boxes where the Chinese should be.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from inventory.catalog import Inventory
from tests.audit_support import store_lab_results
from tests.conftest import LAB_INVENTORY, REPO, run_egovnet

pytestmark = pytest.mark.integration

WIDTH, HEIGHT = 1400, 1300


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("chromium is not installed (Debian package chromium; run `make setup`)")
    return found


def browse(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium on a local file: nothing is fetched, the profile is throwaway."""
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",  # root in a container has no user namespace sandbox
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={WIDTH},{HEIGHT}",
            *args,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


class Cells(HTMLParser):
    """The text of every table row and of every SVG chart, as rendered."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.charts: list[list[str]] = []
        self.rects: list[int] = []
        self._cell: list[str] | None = None
        self._in_svg = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []
        elif tag == "svg":
            self._in_svg = True
            self.charts.append([])
            self.rects.append(0)
        elif tag == "rect" and self._in_svg:
            self.rects[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "svg":
            self._in_svg = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_svg and data.strip():
            self.charts[-1].append(data.strip())


def rendered(page: Path, tmp_path: Path) -> tuple[str, Cells]:
    result = browse(page, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "<html" in dom[:200] and dom.rstrip().endswith("</html>"), dom[:200]
    cells = Cells()
    cells.feed(dom)
    return dom, cells


def screenshot(page: Path, tmp_path: Path) -> Path:
    shot = tmp_path / f"{page.stem}.png"
    result = browse(page, tmp_path / "profile", f"--screenshot={shot}")
    assert result.returncode == 0, result.stderr[-2000:]
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert struct.unpack(">II", head[16:24]) == (WIDTH, HEIGHT)
    print(f"screenshot for people: {shot}")
    return shot


def row(cells: Cells, first: str) -> list[str]:
    return next(r for r in cells.rows if r and r[0] == first)


def days_overdue(due: date) -> set[int]:
    """Today in Shanghai, allowing for a midnight between the export and this check."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return {(today - due).days, (today - due).days - 1}


def test_a_cjk_font_is_installed() -> None:
    family = subprocess.run(
        ["fc-match", "-f", "%{family}", "sans-serif:lang=zh-cn"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "WenQuanYi" in family or "Noto Sans CJK" in family, family


def test_chromium_renders_the_export_as_an_auditor_reads_it(
    lab_inventory: Inventory, tmp_path: Path
) -> None:
    state = store_lab_results(lab_inventory, tmp_path / "work")
    page = tmp_path / "等保检查.html"
    result = run_egovnet(
        "audit", "export", "--format", "html", "--out", str(page),
        "-i", str(LAB_INVENTORY), "--state-dir", str(state),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    dom, cells = rendered(page, tmp_path)

    generated = row(cells, "生成时间")[1]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d Asia/Shanghai \(UTC\+08:00\)", generated)
    assert row(cells, "资源清单")[1].startswith("lab: ")
    # Evidence names the files it was read from; the inventory's own place is nobody's business.
    assert str(LAB_INVENTORY) not in dom and str(REPO) not in dom

    header = row(cells, "系统编号")
    zwfw = dict(zip(header, row(cells, "SYS-ZWFW"), strict=True))
    assert zwfw["下次测评"] == "2026-06-18"
    days = {f"逾期 {n} 天" for n in days_overdue(date(2026, 6, 18))}
    assert zwfw["测评状态"] in days, zwfw

    results_header = next(r for r in cells.rows if "采集时间（Asia/Shanghai）" in r)
    at = results_header.index("采集时间（Asia/Shanghai）")
    collected = [r[at] for r in cells.rows if len(r) == len(results_header) and r[0] != "系统编号"]
    assert collected and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", c) for c in collected)

    pass_chart, migration_chart = cells.charts
    assert pass_chart[0] == "各系统符合率（自动检查项）"
    assert "EXTRANET 电子政务外网" in pass_chart and "50.0% (9/18)" in pass_chart
    # Six systems: six bar backgrounds, two parts for each of the four with results, a legend.
    assert cells.rects[0] == 6 + 4 * 2 + 2, "the pass-rate chart draws its bars"
    assert migration_chart[0] == "各部门上云情况"
    screenshot(page, tmp_path)


def test_with_no_results_the_chart_says_why(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    result = run_egovnet(
        "audit", "export", "--format", "html", "--out", str(page),
        "--profile", "district", "--state-dir", str(tmp_path / "state"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    _, cells = rendered(page, tmp_path)
    pass_chart = cells.charts[0]
    assert pass_chart == ["各系统符合率（自动检查项）", "各系统符合率（自动检查项）",
                          "尚无检查结果：请先运行 egovnet audit run"]  # fmt: skip
    assert cells.rects[0] == 0, "no legend without bars"
    blockers = " ".join(r[-1] for r in cells.rows if r and r[0] == "SYS-RS")
    assert re.search(r"等保测评逾期 \d+ 天（应于 2026-09-09 前完成，上次 2025-09-09）", blockers)
    assert "due" not in blockers
    screenshot(page, tmp_path)
