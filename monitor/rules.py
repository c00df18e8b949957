"""The shipped rule files (exporters/rules/) and the generated copies Prometheus loads.

The shipped files are never edited for a run: a test that needs alerts to fire sooner asks
for a generated copy with ``for:`` scaled (``alert_for_scale``) or set per alert
(``alert_for``), and a deployment may turn the runbook paths into links (``runbook_base``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from base.durations import format_duration, parse_duration, scale_duration
from base.errors import MonitorConfigError, MonitorError

from .options import MonitorOptions
from .yamltext import dump_yaml

RULES_DIR = Path(__file__).resolve().parents[1] / "exporters" / "rules"
ALERTS_FILE = RULES_DIR / "alerts.yml"
RECORDING_FILE = RULES_DIR / "recording.yml"
RUNBOOK_PREFIX = "docs/runbooks/"


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    alert: str | None = None
    record: str | None = None
    expr: str
    for_: str | None = Field(None, alias="for")
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)


class RuleGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    interval: str | None = None
    limit: int | None = None
    rules: list[Rule]


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    groups: list[RuleGroup]

    @property
    def alerts(self) -> list[Rule]:
        return [r for g in self.groups for r in g.rules if r.alert]

    @property
    def alert_names(self) -> list[str]:
        """Distinct alert names in file order."""
        return list(dict.fromkeys(r.alert for r in self.alerts if r.alert))

    def render(self, header: str | None = None) -> str:
        data = self.model_dump(by_alias=True, exclude_none=True, exclude_defaults=False)
        for group in data["groups"]:
            for rule in group["rules"]:
                for key in ("labels", "annotations"):
                    if not rule[key]:
                        del rule[key]
        return dump_yaml(data, header)


def load_rule_file(path: Path) -> RuleFile:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise MonitorError(f"{path}: cannot read rule file: {exc}") from exc
    try:
        return RuleFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise MonitorError(f"{path}: {where}: {err['msg']}") from exc


def generated_alerts(options: MonitorOptions, source: Path = ALERTS_FILE) -> RuleFile:
    """The shipped alerts with ``for:`` scaled/overridden and runbook links resolved."""
    rules = load_rule_file(source)
    unknown = sorted(set(options.alert_for) - set(rules.alert_names))
    if unknown:
        known = ", ".join(rules.alert_names)
        raise MonitorConfigError(f"--alert-for: unknown alert {unknown[0]!r} (known: {known})")
    groups: list[RuleGroup] = []
    for group in rules.groups:
        out: list[Rule] = []
        for rule in group.rules:
            if rule.alert is None:
                out.append(rule)
                continue
            out.append(rule.model_copy(update=_rewrite(rule, rule.alert, options)))
        groups.append(group.model_copy(update={"rules": out}))
    return RuleFile(groups=groups)


def _rewrite(rule: Rule, name: str, options: MonitorOptions) -> dict[str, Any]:
    update: dict[str, Any] = {}
    if name in options.alert_for:
        update["for_"] = format_duration(parse_duration(options.alert_for[name]))
    elif rule.for_ is not None and options.alert_for_scale != 1.0:
        update["for_"] = scale_duration(rule.for_, options.alert_for_scale, f"{name}.for")
    if options.runbook_base:
        base = options.runbook_base.rstrip("/")
        annotations = dict(rule.annotations)
        # the English and the Chinese runbook links move together
        for key in ("runbook_url", "runbook_url_zh"):
            runbook = annotations.get(key)
            if runbook and runbook.startswith(RUNBOOK_PREFIX):
                annotations[key] = f"{base}/{runbook.removeprefix(RUNBOOK_PREFIX)}"
        if annotations != rule.annotations:
            update["annotations"] = annotations
    return update


def recording_rules_text() -> str | None:
    """exporters/rules/recording.yml as shipped, if the collectors' rules are installed."""
    if not RECORDING_FILE.is_file():
        return None
    return RECORDING_FILE.read_text(encoding="utf-8")
