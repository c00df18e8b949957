"""The configuration syntax of each platform, referenced by the platform map.

Kept apart from :mod:`automation.platforms` because the FRR device agent needs the FRR
syntax on the device, where only the standard library can be counted on (this module and
:mod:`automation.confdiff` import nothing else).
"""

from __future__ import annotations

from .confdiff import ConfigSyntax

_CISCO_STYLE_IGNORE = (r"^Building configuration", r"^Current configuration", r"^end$")

HUAWEI_VRP = ConfigSyntax(
    comment_prefixes=("#", "!"),
    negate_prefix="undo ",
    exit_command="quit",
    ignore_patterns=(r"^return$", r"^!Software Version", r"^!Last configuration"),
    bare_negations=("description", "sysname", "header login information"),
    prints_negations=False,
)
HP_COMWARE = ConfigSyntax(
    comment_prefixes=("#",),
    negate_prefix="undo ",
    exit_command="quit",
    ignore_patterns=(r"^return$", r"^version \d"),
    bare_negations=("description", "sysname", "header login"),
    prints_negations=False,
)
CISCO_IOS = ConfigSyntax(
    comment_prefixes=("!",),
    negate_prefix="no ",
    exit_command="exit",
    ignore_patterns=(*_CISCO_STYLE_IGNORE, r"^version \d", r"^! Last configuration"),
    # IOS never prints SNMPv3 users in its running configuration
    hidden_patterns=(r"^snmp-server user ",),
    bare_negations=("description", "hostname", "banner login"),
)
FRR = ConfigSyntax(
    comment_prefixes=("!",),
    negate_prefix="no ",
    exit_command="exit",
    ignore_patterns=(*_CISCO_STYLE_IGNORE, r"^frr version ", r"^frr defaults "),
    bare_negations=("description", "hostname"),
    # snmpd's v1/v2c access: the device agent shows and rewrites it (automation.frr.agent)
    host_contexts=("host-service ",),
)
