"""The Grafana dashboards (exporters/dashboards/*.json) as data: every query, ready to run.

Grafana does not install here, so the dashboards are checked the way Grafana would use
them: each panel target's PromQL with the template variables replaced by real values
(``$site``, ``${site}``, ``[[site]]`` and Grafana's ``$__rate_interval``/``$__interval``/
``$__range``) is sent to a real Prometheus. A query may only come back empty when its
target says so (``"egovnetMayBeEmpty": true``, e.g. the firing-alerts table).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from base.errors import MonitorConfigError, MonitorError

from .health import QueryResult, instant_query

DASHBOARD_DIR = Path(__file__).resolve().parents[1] / "exporters" / "dashboards"
GRAFANA_BUILTINS = {"__rate_interval": "1m", "__interval": "15s", "__range": "1h"}
_VARIABLE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)")
_LABEL_VALUES = re.compile(
    r"^\s*label_values\(\s*(?:(?P<metric>.+?)\s*,\s*)?(?P<label>\w+)\s*\)\s*$"
)


class PanelTarget(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    ref_id: str = Field("A", alias="refId")
    expr: str = ""
    hide: bool = False
    may_be_empty: bool = Field(False, alias="egovnetMayBeEmpty")


class Panel(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int | None = None
    type: str
    title: str = ""
    targets: list[PanelTarget] = Field(default_factory=list)
    panels: list[Panel] = Field(default_factory=list)  # a collapsed row holds its panels


class Variable(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    type: str
    query: str | dict[str, Any] | None = None
    definition: str | None = None

    @property
    def promql_source(self) -> str | None:
        if isinstance(self.query, dict):
            return str(self.query.get("query") or "") or self.definition
        return self.query or self.definition


class Templating(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    variables: list[Variable] = Field(default_factory=list, alias="list")


class Dashboard(BaseModel):
    model_config = ConfigDict(extra="ignore")

    uid: str
    title: str
    panels: list[Panel]
    templating: Templating = Field(default_factory=Templating)
    file: str = ""

    def all_panels(self) -> list[Panel]:
        out: list[Panel] = []
        stack = list(self.panels)
        while stack:
            panel = stack.pop(0)
            out.append(panel)
            stack[0:0] = panel.panels
        return out

    @property
    def query_variables(self) -> list[Variable]:
        return [v for v in self.templating.variables if v.type == "query"]


@dataclass(frozen=True)
class PanelQuery:
    dashboard: str
    panel: str
    ref_id: str
    expr: str  # variables replaced
    may_be_empty: bool


def load_dashboard(path: Path) -> Dashboard:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        board = Dashboard.model_validate(raw)
    except (OSError, ValueError) as exc:
        raise MonitorError(f"{path}: not a Grafana dashboard: {exc}") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise MonitorError(f"{path}: {where}: {err['msg']}") from exc
    return board.model_copy(update={"file": str(path)})


def load_dashboards(directory: Path = DASHBOARD_DIR) -> list[Dashboard]:
    return [load_dashboard(p) for p in sorted(directory.glob("*.json"))]


def substitute(expr: str, values: Mapping[str, str], where: str = "query") -> str:
    """Replace Grafana variables; an unknown variable is an error, not a silent ``$x``."""
    known = {**GRAFANA_BUILTINS, **values}

    def repl(match: re.Match[str]) -> str:
        name = next(g for g in match.groups() if g is not None)
        if name[0].isdigit():  # a regex back-reference such as "$1" in label_replace
            return match.group(0)
        if name not in known:
            raise MonitorConfigError(f"{where}: no value for the variable ${name}")
        return known[name]

    return _VARIABLE.sub(repl, expr)


def panel_queries(board: Dashboard, values: Mapping[str, str]) -> list[PanelQuery]:
    queries: list[PanelQuery] = []
    for panel in board.all_panels():
        for target in panel.targets:
            if target.hide or not target.expr.strip():
                continue
            where = f"{board.uid} / {panel.title} / {target.ref_id}"
            queries.append(
                PanelQuery(
                    dashboard=board.uid,
                    panel=panel.title,
                    ref_id=target.ref_id,
                    expr=substitute(target.expr, values, where),
                    may_be_empty=target.may_be_empty,
                )
            )
    return queries


def variable_query(variable: Variable) -> str:
    """The PromQL behind a ``label_values(metric, label)`` variable, as Grafana resolves it."""
    source = variable.promql_source or ""
    match = _LABEL_VALUES.match(source)
    if match is None:
        raise MonitorConfigError(
            f"variable {variable.name}: only label_values(...) queries are supported,"
            f" got {source!r}"
        )
    label = match["label"]
    metric = match["metric"] or f'{{{label}!=""}}'
    return f"group by ({label}) ({metric})"


@dataclass(frozen=True)
class QueryCheck:
    query: PanelQuery
    result: QueryResult

    @property
    def problem(self) -> str | None:
        if not self.result.ok:
            return f"error: {self.result.error}"
        if self.result.series == 0 and not self.query.may_be_empty:
            return "empty result where data must exist"
        return None


def check_dashboards(
    prometheus_url: str,
    boards: list[Dashboard],
    values: Mapping[str, str],
    at: float | None = None,
) -> list[QueryCheck]:
    """Run every variable and panel query of ``boards`` against a real Prometheus."""
    checks: list[QueryCheck] = []
    for board in boards:
        for variable in board.query_variables:
            expr = variable_query(variable)
            query = PanelQuery(board.uid, f"variable ${variable.name}", "-", expr, False)
            checks.append(QueryCheck(query, instant_query(prometheus_url, expr, at)))
        for query in panel_queries(board, values):
            checks.append(QueryCheck(query, instant_query(prometheus_url, query.expr, at)))
    return checks
