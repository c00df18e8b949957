"""Differentiated service on access circuits (网络缺乏差分服务能力 is a problem the plan names).

Four classes, the same on every platform; templates turn them into each vendor's QoS
syntax. Shares are of the circuit's committed rate, to which every access circuit is shaped
(the port is faster than the circuit: 1 Gbps port, 50 Mbps circuit).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QosClass:
    #: ASCII name used in device configs (class-map, traffic classifier)
    name: str
    #: the Chinese label for people
    label: str
    #: DSCP names matched (lower case, as IOS/VRP/Comware accept them)
    dscp: tuple[str, ...]
    #: share of the committed rate in percent (priority: a strict-priority queue capped there)
    percent: int
    priority: bool = False


QOS_CLASSES: tuple[QosClass, ...] = (
    QosClass("EGOV-NETWORK-CONTROL", "网络控制", ("cs6", "cs7"), 5),
    QosClass("EGOV-INTERACTIVE", "视频会议/政务互动", ("ef", "af41"), 30, priority=True),
    QosClass("EGOV-BUSINESS", "业务数据", ("af21", "af31"), 40),
)
#: everything not matched above; it gets what the others leave (100 - 5 - 30 - 40 = 25 %)
BEST_EFFORT = QosClass("EGOV-BEST-EFFORT", "尽力而为", ("default",), 25)
#: the policy name every platform uses for the class policy
POLICY_NAME = "EGOV-QOS"


def _check_shares() -> None:
    total = sum(c.percent for c in QOS_CLASSES) + BEST_EFFORT.percent
    if total != 100:  # pragma: no cover - a programming error caught at import
        raise ValueError(f"QoS shares add up to {total} %, not 100 %")


_check_shares()
