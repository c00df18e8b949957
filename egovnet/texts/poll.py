"""``egovnet poll``: one SNMP poll as two tables."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "poll.progress": ("轮询中", "polling"),
    "poll.devices.title": ("SNMP 轮询：设备", "SNMP poll: devices"),
    "poll.interfaces.title": ("SNMP 轮询：接口", "SNMP poll: interfaces"),
    "poll.missing": ("（缺 {count} 个）", " ({count} missing)"),
    "poll.32bit": ("（32 位计数器）", " (32-bit)"),
}
