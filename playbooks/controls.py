"""The 等保 2.0 controls egovnet checks: one typed catalogue, the only place they are defined.

Each control is one check on one asset type, placed in a control point of GB/T 22239-2019
(身份鉴别, 访问控制, 安全审计, 入侵防范 of 安全计算环境 "CES"; 网络架构 of 安全通信网络 "CNS")
and in a test unit in the style of GB/T 28448-2019: ``L<level>-<class>1-<item>``, e.g.
``L3-CES1-01``. Several checks may share a test unit (pam_pwquality and PASS_MAX_DAYS both
serve 身份鉴别 a). The clause and the test unit depend on the level of the system the asset
belongs to; :meth:`Control.test_unit_id` and :meth:`Control.clause` compute them.

Level 3 item numbers follow the published GB/T 28448-2019 sequence for 安全计算环境
(身份鉴别 01-04, 访问控制 05-11, 安全审计 12-15, 入侵防范 17-22). Level 2 numbers are
derived the same way from the level 2 items of GB/T 22239-2019 7.1.4 (身份鉴别 a-c = 01-03,
访问控制 a-d = 04-07, 安全审计 a-c = 08-10, 入侵防范 a-e = 11-15); docs/auditor.md says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from pydantic import BaseModel, ConfigDict

# The exports name their language with the one shared enum (re-exported here for them).
from base.lang import Lang as Lang  # noqa: PLC0414 - an explicit re-export


class AssetType(StrEnum):
    linux_server = "linux_server"
    network_device = "network_device"


class Method(StrEnum):
    auto = "auto"
    manual = "manual"


class RiskLevel(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class Bilingual(BaseModel):
    """A text in Chinese (the auditors' language, the default) and English."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str
    en: str

    def get(self, lang: Lang | str) -> str:
        return self.en if Lang(lang) is Lang.en else self.zh


def _t(zh: str, en: str) -> Bilingual:
    return Bilingual(zh=zh, en=en)


#: GB/T 22239-2019 states the level 2 requirements in chapter 7 and level 3 in chapter 8,
#: numbered alike below: x.1.2 安全通信网络 (CNS), x.1.4 安全计算环境 (CES)
CHAPTERS = {2: 7, 3: 8}
CLASS_SECTIONS = {"CNS": "1.2", "CES": "1.4"}


@dataclass(frozen=True)
class ControlPoint:
    """A control point (安全控制点) of GB/T 22239-2019: its number within its class."""

    key: str
    name: Bilingual
    unit_class: str  # CES (安全计算环境) or CNS (安全通信网络)
    number: int

    def clause(self, level: int) -> str:
        return f"{CHAPTERS[level]}.{CLASS_SECTIONS[self.unit_class]}.{self.number}"


IDENTITY = ControlPoint("identity", _t("身份鉴别", "Identification and authentication"), "CES", 1)
ACCESS_CONTROL = ControlPoint("access_control", _t("访问控制", "Access control"), "CES", 2)
SECURITY_AUDIT = ControlPoint("security_audit", _t("安全审计", "Security audit"), "CES", 3)
INTRUSION_PREVENTION = ControlPoint(
    "intrusion_prevention", _t("入侵防范", "Intrusion prevention"), "CES", 4
)
NETWORK_ARCHITECTURE = ControlPoint(
    "network_architecture", _t("网络架构", "Network architecture"), "CNS", 1
)

CONTROL_POINTS = (
    IDENTITY,
    ACCESS_CONTROL,
    SECURITY_AUDIT,
    INTRUSION_PREVENTION,
    NETWORK_ARCHITECTURE,
)


@dataclass(frozen=True)
class Control:
    """One check on one asset type. ``items`` maps each level that requires it to the item
    number of its test unit; a control absent at a level is not checked there."""

    check_id: str
    asset_type: AssetType
    point: ControlPoint
    items: dict[int, int]
    method: Method
    risk: RiskLevel
    requirement: Bilingual
    remediation: Bilingual

    @property
    def min_level(self) -> int:
        return min(self.items)

    def applies_at(self, level: int) -> bool:
        return level in self.items

    def test_unit_id(self, level: int) -> str:
        return f"L{level}-{self.point.unit_class}1-{self.items[level]:02d}"

    def clause(self, level: int) -> str:
        return f"GB/T 22239-2019 {self.point.clause(level)}"


LINUX = AssetType.linux_server
NETWORK = AssetType.network_device
AUTO = Method.auto
MANUAL = Method.manual
HIGH, MEDIUM, LOW = RiskLevel.high, RiskLevel.medium, RiskLevel.low

CONTROLS: tuple[Control, ...] = (
    # --- Linux servers -------------------------------------------------------------------
    Control(
        "LNX-PWQUALITY",
        LINUX,
        IDENTITY,
        {2: 1, 3: 1},
        AUTO,
        HIGH,
        _t(
            "口令应具有复杂度要求：启用 pam_pwquality，最小长度不少于8位，至少包含3类字符",
            "Passwords must be complex: pam_pwquality enabled, minlen >= 8, at least 3 classes",
        ),
        _t(
            "在 /etc/security/pwquality.conf 设置 minlen = 8、minclass = 3，并在 PAM 口令栈启用 "
            "pam_pwquality.so",
            "Set minlen = 8 and minclass = 3 in /etc/security/pwquality.conf "
            "and enable pam_pwquality.so in the PAM password stack",
        ),
    ),
    Control(
        "LNX-PASS-MAXDAYS",
        LINUX,
        IDENTITY,
        {2: 1, 3: 1},
        AUTO,
        MEDIUM,
        _t(
            "口令应定期更换：PASS_MAX_DAYS 不大于90天",
            "Passwords must be changed periodically: PASS_MAX_DAYS <= 90",
        ),
        _t(
            "在 /etc/login.defs 设置 PASS_MAX_DAYS 90，并对现有账户执行 chage --maxdays 90",
            "Set PASS_MAX_DAYS 90 in /etc/login.defs and run chage --maxdays 90 for "
            "existing accounts",
        ),
    ),
    Control(
        "LNX-SSH-EMPTYPW",
        LINUX,
        IDENTITY,
        {2: 1, 3: 1},
        AUTO,
        HIGH,
        _t(
            "不得允许空口令登录：sshd PermitEmptyPasswords no",
            "No login with an empty password: sshd PermitEmptyPasswords no",
        ),
        _t(
            "在 sshd 配置中设置 PermitEmptyPasswords no 并重载 sshd",
            "Set PermitEmptyPasswords no in the sshd configuration and reload sshd",
        ),
    ),
    Control(
        "LNX-FAILLOCK",
        LINUX,
        IDENTITY,
        {2: 2, 3: 2},
        AUTO,
        HIGH,
        _t(
            "应具有登录失败处理功能：pam_faillock 连续失败不超过5次即锁定账户",
            "Login failure handling: pam_faillock locks an account after at most 5 failures",
        ),
        _t(
            "启用 pam_faillock（preauth/authfail），在 /etc/security/faillock.conf 设置 "
            "deny = 5、unlock_time = 600",
            "Enable pam_faillock (preauth/authfail) and set "
            "deny = 5, unlock_time = 600 in /etc/security/faillock.conf",
        ),
    ),
    Control(
        "LNX-TMOUT",
        LINUX,
        IDENTITY,
        {2: 2, 3: 2},
        AUTO,
        MEDIUM,
        _t(
            "登录连接超时应自动退出：shell TMOUT 不大于600秒",
            "Idle sessions end automatically: shell TMOUT <= 600 seconds",
        ),
        _t(
            "在 /etc/profile.d/ 设置 readonly TMOUT=600 并 export",
            "Set readonly, exported TMOUT=600 in /etc/profile.d/",
        ),
    ),
    Control(
        "LNX-SSH-CLIENTALIVE",
        LINUX,
        IDENTITY,
        {2: 2, 3: 2},
        AUTO,
        MEDIUM,
        _t(
            "远程会话超时应自动断开：ClientAliveInterval × ClientAliveCountMax 不大于600秒",
            "Idle SSH sessions are cut: ClientAliveInterval x ClientAliveCountMax <= 600 s",
        ),
        _t(
            "在 sshd 配置中设置 ClientAliveInterval 300、ClientAliveCountMax 2",
            "Set ClientAliveInterval 300 and ClientAliveCountMax 2 in the sshd configuration",
        ),
    ),
    Control(
        "LNX-SSH-PROTOCOL",
        LINUX,
        IDENTITY,
        {2: 3, 3: 3},
        AUTO,
        HIGH,
        _t(
            "远程管理应防止鉴别信息被窃听：仅使用 SSH 协议第2版",
            "Remote management protects credentials in transit: SSH protocol 2 only",
        ),
        _t(
            "使用 OpenSSH 7.4 及以上版本（已移除协议1），删除任何 Protocol 1 配置",
            "Run OpenSSH 7.4 or later (protocol 1 removed) and remove any Protocol 1 setting",
        ),
    ),
    Control(
        "LNX-NO-TELNET-RSH",
        LINUX,
        IDENTITY,
        {2: 3, 3: 3},
        AUTO,
        HIGH,
        _t(
            "不得使用明文远程管理协议：未安装且未监听 telnet、rsh/rlogin/rexec",
            "No clear-text remote management: telnet and rsh/rlogin/rexec neither installed "
            "nor listening",
        ),
        _t(
            "卸载 telnetd、rsh-server 等软件包，关闭 23、512-514 端口",
            "Remove telnetd, rsh-server and similar packages; close ports 23 and 512-514",
        ),
    ),
    Control(
        "LNX-MFA",
        LINUX,
        IDENTITY,
        {3: 4},
        MANUAL,
        HIGH,
        _t(
            "应采用口令、密码技术、生物技术等两种或两种以上组合的鉴别技术对用户进行身份鉴别",
            "Administrators authenticate with two or more factors (e.g. password + OTP or "
            "certificate, or via a bastion host)",
        ),
        _t(
            "通过堡垒机或 PAM 二次认证模块（OTP/证书）实现双因素认证，并提供证明材料",
            "Provide two-factor authentication through a bastion host or a PAM second-factor "
            "module (OTP/certificate) and keep the proof",
        ),
    ),
    Control(
        "LNX-SSH-ROOTLOGIN",
        LINUX,
        ACCESS_CONTROL,
        {2: 5, 3: 6},
        AUTO,
        HIGH,
        _t(
            "应限制默认账户：禁止 root 通过 SSH 直接登录（PermitRootLogin no）",
            "Restrict the default account: root cannot log in over SSH (PermitRootLogin no)",
        ),
        _t(
            "在 sshd 配置中设置 PermitRootLogin no，管理员使用个人账户并通过 sudo 提权",
            "Set PermitRootLogin no; administrators log in with personal accounts and sudo",
        ),
    ),
    Control(
        "LNX-SYSACCT-NOLOGIN",
        LINUX,
        ACCESS_CONTROL,
        {2: 6, 3: 7},
        AUTO,
        MEDIUM,
        _t(
            "应停用多余账户：系统账户的登录 shell 为 nologin",
            "Unneeded accounts are disabled: system accounts have a nologin shell",
        ),
        _t(
            "将系统账户（UID 小于 UID_MIN）的 shell 改为 /usr/sbin/nologin",
            "Set the shell of system accounts (UID below UID_MIN) to /usr/sbin/nologin",
        ),
    ),
    Control(
        "LNX-UID0",
        LINUX,
        ACCESS_CONTROL,
        {2: 7, 3: 8},
        AUTO,
        HIGH,
        _t("应授予管理用户最小权限：仅 root 的 UID 为0", "Least privilege: only root has UID 0"),
        _t(
            "核实并删除或修改除 root 外 UID 为0的账户（人工处理，避免误删）",
            "Review and remove or renumber every UID 0 account other than root (by hand)",
        ),
    ),
    Control(
        "LNX-AUDITD",
        LINUX,
        SECURITY_AUDIT,
        {2: 8, 3: 12},
        AUTO,
        HIGH,
        _t(
            "应启用安全审计功能：auditd 运行并加载审计规则",
            "Security audit is on: auditd runs with audit rules loaded",
        ),
        _t(
            "安装并启动 auditd，在 /etc/audit/rules.d/ 配置身份、权限、登录相关审计规则",
            "Install and start auditd; add rules for identity, privilege and login events in "
            "/etc/audit/rules.d/",
        ),
    ),
    Control(
        "LNX-TIMESYNC",
        LINUX,
        SECURITY_AUDIT,
        {2: 9, 3: 13},
        AUTO,
        MEDIUM,
        _t(
            "审计记录的时间应准确：chrony/NTP 运行并同步至统一时间源",
            "Audit records carry accurate time: chrony/NTP runs against the central time source",
        ),
        _t(
            "安装 chrony，配置政务外网统一 NTP 服务器并启动服务",
            "Install chrony, point it at the extranet's NTP servers and start it",
        ),
    ),
    Control(
        "LNX-RSYSLOG-REMOTE",
        LINUX,
        SECURITY_AUDIT,
        {2: 10, 3: 14},
        AUTO,
        HIGH,
        _t(
            "应对审计记录进行保护和备份：rsyslog 将日志转发至集中日志服务器",
            "Audit records are protected and backed up: rsyslog forwards to the central log server",
        ),
        _t(
            "在 /etc/rsyslog.d/ 配置 *.* @@日志服务器:514 并重启 rsyslog",
            "Add *.* @@<log server>:514 in /etc/rsyslog.d/ and restart rsyslog",
        ),
    ),
    Control(
        "LNX-LOG-RETENTION",
        LINUX,
        SECURITY_AUDIT,
        {2: 10, 3: 14},
        AUTO,
        MEDIUM,
        _t(
            "日志留存不少于六个月（《网络安全法》第二十一条）：logrotate 保留不少于180天",
            "Logs are kept at least six months (Cybersecurity Law art. 21): logrotate keeps "
            ">= 180 days",
        ),
        _t(
            "在 logrotate 配置中按轮转周期设置 rotate（如 weekly + rotate 26）",
            "Set rotate for the rotation period in logrotate (e.g. weekly + rotate 26)",
        ),
    ),
    Control(
        "LNX-AUDIT-PROTECT",
        LINUX,
        SECURITY_AUDIT,
        {3: 15},
        AUTO,
        MEDIUM,
        _t(
            "应对审计进程进行保护，防止未经授权的中断：审计规则监控审计配置与工具",
            "The audit process is protected: audit rules watch the audit configuration and tools",
        ),
        _t(
            "增加审计规则：-w /etc/audit/ -p wa，-w /sbin/auditctl -p x，-w /sbin/auditd -p x",
            "Add audit rules -w /etc/audit/ -p wa, -w /sbin/auditctl -p x, -w /sbin/auditd -p x",
        ),
    ),
    Control(
        "LNX-LISTEN-PORTS",
        LINUX,
        INTRUSION_PREVENTION,
        {2: 12, 3: 18},
        AUTO,
        HIGH,
        _t(
            "应关闭不需要的系统服务和高危端口：仅白名单端口对外监听",
            "Unneeded services and high-risk ports are closed: only whitelisted ports listen",
        ),
        _t(
            "核实白名单外的监听端口，停用对应服务或将其绑定到本地回环地址（人工处理）",
            "Review listeners outside the whitelist; stop them or bind them to loopback (by hand)",
        ),
    ),
    Control(
        "LNX-SSH-MGMT-SOURCES",
        LINUX,
        INTRUSION_PREVENTION,
        {2: 13, 3: 19},
        MANUAL,
        MEDIUM,
        _t(
            "应通过设定终端接入方式或网络地址范围对管理终端进行限制",
            "Management terminals are restricted by access method or source address range",
        ),
        _t(
            "在 sshd 配置 AllowUsers/AllowGroups 或在主机防火墙限制管理网段，并提供证明",
            "Restrict sshd with AllowUsers/AllowGroups or limit the management network in the "
            "host firewall, and keep the proof",
        ),
    ),
    # --- network devices -----------------------------------------------------------------
    Control(
        "NET-DEFAULT-ACCOUNTS",
        NETWORK,
        IDENTITY,
        {2: 1, 3: 1},
        AUTO,
        HIGH,
        _t(
            "身份标识唯一、无默认或共享账户，口令以不可逆方式保存",
            "Unique identities: no default or shared accounts; passwords stored irreversibly",
        ),
        _t(
            "删除 admin/cisco/huawei/h3c 等默认账户，本地口令使用 irreversible-cipher/hash/"
            "secret 9",
            "Remove default accounts (admin, cisco, huawei, h3c...) and store "
            "local passwords with irreversible-cipher / hash / secret 9",
        ),
    ),
    Control(
        "NET-LOCKOUT",
        NETWORK,
        IDENTITY,
        {2: 2, 3: 2},
        AUTO,
        HIGH,
        _t(
            "应具有登录失败处理功能：连续失败不超过5次即锁定",
            "Login failure handling: at most 5 failures, then lock",
        ),
        _t(
            "配置登录失败锁定（华为 local-aaa-user wrong-password，H3C password-control "
            "login-attempt，Cisco login block-for / aaa local authentication attempts max-fail）",
            "Configure lockout (Huawei local-aaa-user wrong-password, H3C password-control "
            "login-attempt, Cisco login block-for / aaa local authentication attempts "
            "max-fail)",
        ),
    ),
    Control(
        "NET-IDLE-TIMEOUT",
        NETWORK,
        IDENTITY,
        {2: 2, 3: 2},
        AUTO,
        MEDIUM,
        _t(
            "登录连接超时应自动退出：空闲超时不大于10分钟",
            "Idle management sessions end: idle timeout <= 10 minutes",
        ),
        _t(
            "在 vty/console 下配置 idle-timeout 或 exec-timeout 10 0",
            "Configure idle-timeout / exec-timeout 10 0 on vty and console lines",
        ),
    ),
    Control(
        "NET-SSH-ONLY",
        NETWORK,
        IDENTITY,
        {2: 3, 3: 3},
        AUTO,
        HIGH,
        _t(
            "远程管理应防止鉴别信息被窃听：仅允许 SSHv2，关闭 telnet",
            "Remote management protects credentials in transit: SSHv2 only, telnet off",
        ),
        _t(
            "开启 SSH（stelnet）服务，关闭 telnet 服务，vty 仅允许 ssh 协议接入",
            "Enable the SSH server, disable telnet, accept only ssh on vty lines",
        ),
    ),
    Control(
        "NET-MFA",
        NETWORK,
        IDENTITY,
        {3: 4},
        MANUAL,
        HIGH,
        _t(
            "管理员应采用两种或两种以上组合的鉴别技术（AAA 结合 OTP/证书，或堡垒机）",
            "Administrators use two or more authentication factors (AAA with OTP/certificate, "
            "or a bastion host)",
        ),
        _t(
            "通过 TACACS+/RADIUS 结合动态口令或经堡垒机运维，并提供证明材料",
            "Use TACACS+/RADIUS with one-time passwords or manage through a bastion host, and "
            "keep the proof",
        ),
    ),
    Control(
        "NET-BANNER",
        NETWORK,
        ACCESS_CONTROL,
        {2: 4, 3: 5},
        AUTO,
        LOW,
        _t(
            "登录前应显示授权使用警示信息（与政务外网统一登录提示一致）",
            "A warning banner for authorised use only is shown before login (the extranet's "
            "banner)",
        ),
        _t(
            "配置登录提示（华为 header login，H3C header login，Cisco banner login）",
            "Configure the login banner (Huawei/H3C header login, Cisco banner login)",
        ),
    ),
    Control(
        "NET-SNMPV3",
        NETWORK,
        ACCESS_CONTROL,
        {2: 5, 3: 6},
        AUTO,
        HIGH,
        _t(
            "应删除默认团体字：不得配置 SNMP community，仅使用 SNMPv3 authPriv",
            "No default SNMP communities: no community strings, SNMPv3 authPriv only",
        ),
        _t(
            "删除全部 community 配置，配置 SNMPv3 用户组为 privacy/priv（认证加密）",
            "Remove every community; use SNMPv3 groups with privacy (authPriv)",
        ),
    ),
    Control(
        "NET-NTP",
        NETWORK,
        SECURITY_AUDIT,
        {2: 9, 3: 13},
        AUTO,
        MEDIUM,
        _t(
            "审计记录的时间应准确：设备同步至统一 NTP 服务器",
            "Audit records carry accurate time: the device syncs to the central NTP servers",
        ),
        _t(
            "配置 ntp-service unicast-server / ntp server 指向政务外网 NTP 服务器",
            "Configure ntp-service unicast-server / ntp server with the extranet's NTP servers",
        ),
    ),
    Control(
        "NET-SYSLOG",
        NETWORK,
        SECURITY_AUDIT,
        {2: 10, 3: 14},
        AUTO,
        HIGH,
        _t(
            "应对审计记录进行保护和备份：日志发送至集中日志服务器",
            "Audit records are protected and backed up: logs go to the central log server",
        ),
        _t(
            "配置 info-center loghost / logging host 指向集中日志服务器",
            "Configure info-center loghost / logging host with the central log server",
        ),
    ),
    Control(
        "NET-VTY-ACL",
        NETWORK,
        INTRUSION_PREVENTION,
        {2: 13, 3: 19},
        AUTO,
        MEDIUM,
        _t(
            "应限制管理终端的网络地址范围：vty 应用访问控制列表",
            "Management sources are restricted: an ACL is applied to the vty lines",
        ),
        _t(
            "在 vty 下配置 acl <编号> inbound / access-class <编号> in",
            "Apply acl <n> inbound / access-class <n> in on the vty lines",
        ),
    ),
    Control(
        "NET-REDUNDANCY",
        NETWORK,
        NETWORK_ARCHITECTURE,
        {3: 5},
        AUTO,
        HIGH,
        _t(
            "应提供通信线路、关键网络设备的硬件冗余：双核心、双链路、重要单位双归",
            "Redundant lines and key devices: dual cores, dual links, important sites dual-homed",
        ),
        _t(
            "补充第二条上联链路或第二台核心设备（见 egovnet topology check）",
            "Add the second uplink or the second core device (see egovnet topology check)",
        ),
    ),
)


@cache
def _by_id() -> dict[str, Control]:
    return {c.check_id: c for c in CONTROLS}


def control(check_id: str) -> Control:
    """The control with this id; KeyError names it when unknown."""
    try:
        return _by_id()[check_id]
    except KeyError:
        raise KeyError(f"unknown check id {check_id!r}") from None


def controls_for(asset_type: AssetType, level: int) -> list[Control]:
    """The controls checked on an asset of this type at this MLPS level, in catalogue order."""
    return [c for c in CONTROLS if c.asset_type is asset_type and c.applies_at(level)]


def check_ids(controls: Iterable[Control]) -> list[str]:
    return [c.check_id for c in controls]


def effective_level(level: int) -> int:
    """Levels 1 and 4-5 are outside egovnet's catalogue: check level 1 as 2, 4-5 as 3."""
    return 3 if level >= 3 else 2
