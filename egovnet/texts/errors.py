"""The domain packages' common messages, translated at the edge (egovnet/messages.py).

Each entry is (Chinese, English template): the English is the message as the domain package
writes it, ``{name}`` standing for the part that varies (a name, a number, a value), which the
Chinese keeps as it is. A field named ``msg...`` is a message itself and is translated in turn.
A message no template matches prints in English. File, line and field of a located error are
never part of a template: they print literally before the message.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- inventory files and YAML (inventory/files.py, loader.py, yamlsource.py) ----------------
    "err.no_dir": ("没有这个清单目录", "no such inventory directory"),
    "err.cannot_list": ("无法列出目录：{reason}", "cannot list: {reason}"),
    "err.mapping": ("文件必须是由各节组成的映射", "a file must be a mapping of sections"),
    "err.section_twice": ("该节重复声明", "section declared twice"),
    "err.unknown_section": ("未知的节（已知：{known}）", "unknown section (known: {known})"),
    "err.must_be_list": ("必须是列表", "must be a list"),
    "err.no_policy": ("没有找到 policy 节", "no policy section found"),
    "err.bad_yaml": ("YAML 格式错误：{detail}", "bad YAML: {detail}"),
    "err.duplicate": (
        "重复的 {kind} {ident}（首次出现在 {first}）",
        "duplicate {kind} {ident} (first at {first})",
    ),
    # --- schema (inventory/schema_messages.py, pydantic) ---------------------------------------
    "err.required": ("缺少必填字段", "required field is missing"),
    "err.unknown_field": ("未知字段", "unknown field"),
    "err.secret_field": (
        "未知字段：密钥从不写在清单里，请写出保存它的环境变量名（如 password_env；值不予显示）",
        "unknown field: a secret is never written in the inventory, name the environment"
        " variable that holds it (e.g. password_env; the value is not shown)",
    ),
    "err.env_secret": (
        "必须写环境变量名（该值像是密钥，不予显示）",
        "must name an environment variable (the value looks like a secret and is not shown)",
    ),
    "err.env_name": (
        "必须写环境变量名：大写字母、数字和 _（值不予显示）",
        "must name an environment variable: upper-case letters, digits and _"
        " (the value is not shown)",
    ),
    "err.not_a_key": ("不是已知的键：{msg}", "not a known key: {msg}"),
    "err.got": ("{msg}（实际为 {value}）", "{msg} (got {value})"),
    "err.too_long": ("值太长，无法显示", "a value too long to show"),
    "err.py_int": ("应为整数", "Input should be a valid integer"),
    "err.py_int_parse": (
        "应为整数，无法把字符串解析为整数",
        "Input should be a valid integer, unable to parse string as an integer",
    ),
    "err.py_str": ("应为字符串", "Input should be a valid string"),
    "err.py_bool": ("应为布尔值", "Input should be a valid boolean"),
    "err.py_number": ("应为数字", "Input should be a valid number"),
    "err.py_list": ("应为列表", "Input should be a valid list"),
    "err.py_dict": ("应为映射", "Input should be a valid dictionary"),
    "err.py_gt": ("应大于 {n}", "Input should be greater than {n}"),
    "err.py_ge": ("应大于或等于 {n}", "Input should be greater than or equal to {n}"),
    "err.py_lt": ("应小于 {n}", "Input should be less than {n}"),
    "err.py_le": ("应小于或等于 {n}", "Input should be less than or equal to {n}"),
    "err.py_choice": ("应为 {choices} 之一", "Input should be {choices}"),
    "err.py_pattern": ("应匹配模式 {pattern}", "String should match pattern {pattern}"),
    "err.py_min_len": ("至少应有 {n} 个字符", "String should have at least {n} characters"),
    "err.py_ipv4": ("不是有效的 IPv4 地址", "Input is not a valid IPv4 address"),
    "err.py_ipv4_net": ("不是有效的 IPv4 网段", "Input is not a valid IPv4 network"),
    "err.py_ipv4_if": ("不是有效的 IPv4 接口地址", "Input is not a valid IPv4 interface"),
    "err.py_date": ("应为有效日期", "Input should be a valid date"),
    # --- cross-references (inventory/site_checks.py, validate.py, address_checks.py) -----------
    "err.own_parent": ("站点不能以自己为上级", "a site cannot be its own parent"),
    "err.unknown_site": ("未知站点 {site}", "unknown site {site}"),
    "err.unknown_device": ("未知设备 {device}", "unknown device {device}"),
    "err.unknown_system": ("未知信息系统 {system}", "unknown system {system}"),
    "err.unknown_snmp": ("未知 SNMP 配置 {name}", "unknown SNMP profile {name}"),
    "err.unknown_cred": ("未知凭据配置 {name}", "unknown credential profile {name}"),
    "err.parent_tier": (
        "{tier} 站点的上级必须是 {need} 站点，而不是 {ptier} 站点 {parent}",
        "a {tier} site's parent must be a {need} site, not {ptier} site {parent}",
    ),
    "err.no_parent_tier": (
        "{tier} 站点没有上级站点，而不是 {ptier} 站点 {parent}",
        "a {tier} site has no parent site, not {ptier} site {parent}",
    ),
    "err.parent_cycle": ("上级关系成环：{cycle}", "parent cycle: {cycle}"),
    "err.tier_policy": (
        "层级 {tier} 在 policy.tiers 中没有条目",
        "tier {tier} has no entry in policy.tiers",
    ),
    "err.dual_homed": (
        "重要站点 {name} 必须双归：现有 {uplinks} 条上联到 {upstream} 台上游设备",
        "important site {name} must be dual-homed: it has {uplinks} uplink(s) to"
        " {upstream} upstream device(s)",
    ),
    "err.dup_interface": ("重复的接口 {name}", "duplicate interface {name}"),
    "err.same_device": ("两端在同一台设备上", "both ends on the same device"),
    "err.no_interface": (
        "设备 {device} 没有接口 {interface}",
        "device {device} has no interface {interface}",
    ),
    "err.iface_used": (
        "{device} {interface} 已被链路 {other} 占用",
        "{device} {interface} is already used by link {other}",
    ),
    "err.circuit_twice": (
        "线路 {circuit} 也是链路 {other}（{where}）：一条运营商线路就是一条链路",
        "circuit {circuit} is also link {other} ({where}): one carrier circuit is one link",
    ),
    "err.authpriv": (
        "SNMPv3 authPriv 必填（等保：不允许 noAuth/authNoPriv）",
        "required for SNMPv3 authPriv (等保: no noAuth/authNoPriv)",
    ),
    "err.v2c": ("v2c 必填", "required for v2c"),
    "err.not_server": (
        "设备 {host} 的角色是 {role}，不是服务器",
        "device {host} has role {role}, not server",
    ),
    "err.due_before": ("next_due 早于 last_assessment", "next_due is before last_assessment"),
    "err.dup_address": (
        "重复的地址 {address}（另见 {previous}）",
        "duplicate address {address} (also {previous})",
    ),
    "err.not_usable": (
        "{address} 是{reason}，不是可用的主机地址",
        "{address} is {reason}, not a usable host address",
    ),
    "err.not_lan": ("{prefix} 是{reason}，不是局域网网段", "{prefix} is {reason}, not a LAN"),
    "err.outside_lan": (
        "{address} 不在站点 {site} 的 lan_prefix {prefix} 内",
        "{address} is outside site {site}'s lan_prefix {prefix}",
    ),
    "err.no_lan": (
        "站点 {site} 没有容纳 {address} 的 lan_prefix",
        "site {site} has no lan_prefix to hold {address}",
    ),
    "err.gateway": (
        "{address} 是站点 {site} 的网关（{prefix} 的第一个主机地址）",
        "{address} is the gateway of site {site} (the first host of {prefix})",
    ),
    # --- the other error classes (base/errors.py) ----------------------------------------------
    "err.lang": (
        "--lang：不支持的语言 {lang}（zh 或 en）",
        "--lang: unknown language {lang} (zh or en)",
    ),
    "err.secret_missing": (
        "密钥 {name} 未在环境变量中设置{msg_where}；请 export {export}=... 或写入密钥文件",
        "secret {name} is not set in the environment{msg_where}; export {export}=... or add it"
        " to the secrets file",
    ),
    "err.secret_file": ("，也不在 {file} 中", " nor in {file}"),
    "err.root": (
        "实验环境需要 root 权限（网络命名空间、挂载）：请用 sudo 或以 root 运行",
        "the lab needs root (network namespaces, mounts): run it with sudo or as root",
    ),
    "err.lab_not_up": (
        "实验环境未启动：{target} {route}，未经过实验环境的网桥 {bridge}，因此没有发出任何报文；"
        "请先运行 `{command}`{hint}",
        "the lab is not up: {target} {route}, not through the lab's bridge {bridge}, so nothing"
        " was sent; run `{command}` first{hint}",
    ),
    "err.lab_other_up": (
        "状态目录 {owner} 的实验环境正在运行：请运行 `{command}`",
        "a lab from state dir {owner} is up: run `{command}`",
    ),
    "err.whatif_what": (
        "请说明什么故障：--fail 链路|设备（可重复）或 --all-single",
        "say what fails: --fail LINK|DEVICE (repeatable) or --all-single",
    ),
    "err.whatif_both": (
        "--fail 与 --all-single 不能同时使用",
        "--fail and --all-single do not go together",
    ),
    "err.unknown_element": ("未知链路或设备 {name}", "unknown link or device {name}"),
    "err.unknown_element_hint": (
        "未知链路或设备 {name}（是否想写 {names}？）",
        "unknown link or device {name} (did you mean {names}?)",
    ),
    "err.is_server": (
        "{name} 是服务器：服务器不在拓扑中（请让其站点的设备故障）",
        "{name} is a server: servers are not in the topology (fail its site's device)",
    ),
    "err.both_kinds": (
        "{name} 既是链路又是设备：请写 link:{a} 或 device:{b}",
        "{name} is both a link and a device: write link:{a} or device:{b}",
    ),
    "err.out_needed": ("这里需要 --out {what}", "--out {what} is needed here"),
    "err.unknown_devices": (
        "未知设备 {names}（服务器不在这里配置）",
        "unknown device(s) {names} (servers are not configured here)",
    ),
    "err.no_match": (
        "没有设备符合给出的名称和筛选条件",
        "no device matches the given names and filters",
    ),
    "err.bw_one": (
        "请只指定一项：站点 SITE、--link LINK、--tier TIER 或 --all",
        "name exactly one of: a SITE, --link LINK, --tier TIER or --all",
    ),
    "err.bw_site": (
        "SITE：未知站点 {site}（站点 id 或中文名）",
        "SITE: unknown site {site} (an id or a Chinese name)",
    ),
    "err.bw_no_circuit": (
        "SITE：{name}（{id}）没有接入线路",
        "SITE: {name} ({id}) has no access circuit",
    ),
    "err.bw_link": (
        "--link：{link} 不是清单中的接入线路",
        "--link: {link} is not an access circuit of the inventory",
    ),
    "err.bw_tier": (
        "--tier：未知层级 {tier}（已知：{known}）",
        "--tier: unknown tier {tier} (known: {known})",
    ),
    "err.audit_choice": (
        "{option}：{value} 不是 {allowed} 之一",
        "{option}: {value} is not one of {allowed}",
    ),
    "err.audit_level": (
        "{option}：{value} 不是 egovnet 检查的等级（2 或 3）",
        "{option}: {value} is not a level egovnet checks (2 or 3)",
    ),
    "err.audit_date": (
        "--as-of：{value} 不是日期（YYYY-MM-DD）",
        "--as-of: {value} is not a date (YYYY-MM-DD)",
    ),
    "err.audit_system": ("--system：未知信息系统 {names}", "--system: unknown system(s) {names}"),
    "err.cannot_write": ("--out：无法写入 {out}：{reason}", "--out: cannot write {out}: {reason}"),
    "err.netbox_url": (
        "没有 NetBox 地址：请用 --url 或设置 {env}",
        "no NetBox URL: pass --url or set {env}",
    ),
    # --- what a config verb did to a device (automation/tasks.py, operations.py) -------------
    "step.rendered": ("{n} 行，sha256 {sha}", "{n} lines sha256 {sha}"),
    "step.rendered_to": ("{n} 行，sha256 {sha} -> {path}", "{n} lines sha256 {sha} -> {path}"),
    "step.committed": ("已提交", "committed"),
    "step.unchanged_backup": ("自上次备份以来未变", "unchanged since last backup"),
    "step.no_backup": ("尚无备份", "no backup yet"),
    "step.changed_backup": ("自上次备份以来有变化", "changed since last backup"),
    "step.as_backup": ("与上次备份一致", "as in last backup"),
    "step.already_backup": ("已与备份一致", "already as in backup"),
    "step.reverts": ("{n} 秒内未确认将自动回滚", "reverts in {n}s unless confirmed"),
    # the lab's progress (lab/bringup.py)
    "step.lab_failed": ("失败：正在移除已创建的部分", "failed: removing what was made"),
    "step.lab_up": ("启动完成，用时 {seconds}s，{mib} MiB", "up in {seconds}s, {mib} MiB"),
    "step.lab_configs": ("写入配置", "writing configs"),
    "step.lab_net": ("命名空间、管理网桥、线路", "namespaces, management bridge, circuits"),
    "step.lab_daemons": ("启动守护进程", "starting daemons"),
    "step.lab_boot": (
        "在 {n} 台设备上加载已保存的 FRR 配置（vtysh -b）",
        "booting saved FRR configs on {n} devices (vtysh -b)",
    ),
    "step.lab_wait": ("等待 OSPF、SSH 和 SNMP 就绪", "waiting for OSPF, SSH and SNMP"),
    "step.lab_daemons_on": ("在 {names} 上启动守护进程", "starting daemons on {names}"),
    # audit run (playbooks/audit_run.py)
    "step.no_config": ("{device}：{dir} 中没有配置", "{device}: no configuration in {dir}"),
    "err.no_such_dir": ("{option}：{path}：没有这个目录", "{option}: {path}: no such directory"),
    "step.wave": ("第 {n} 批", "wave {n}"),
    # --- monitor status problems, progress steps ----------------------------------------------
    "problem.not_running": (
        "{name}（进程号 {pid}）未运行；见 {log}",
        "{name} (pid {pid}) is not running; see {log}",
    ),
    "problem.not_ready": ("{name}（{address}）未就绪", "{name} at {address} does not answer ready"),
    "step.starting": ("{name}：开始", "{name}: starting"),
    "step.done": ("{name}：完成", "{name}: done"),
    # --- topology findings (topology/checks.py) -----------------------------------------------
    "finding.device": ("设备 {name}", "device {name}"),
    "finding.link": ("链路 {name}", "link {name}"),
    "finding.more_sites": ("{sites} 及另外 {n} 个站点", "{sites} and {n} more site(s)"),
    "finding.tier.department": ("区直单位", "department"),
    "finding.tier.town": ("镇街", "town"),
    "finding.tier.village": ("村居", "village"),
    "finding.single_homed_dept": (
        "{name} 单归（{link} 到 {device}）；非重要区直单位允许单归",
        "{name} is single-homed ({link} to {device}); allowed for a non-important department site",
    ),
    "finding.single_homed": (
        "{name} 单归（{link} 到 {device}）；{msg_tier}站点允许单归",
        "{name} is single-homed ({link} to {device}); allowed for a {msg_tier} site",
    ),
    "finding.single_point": (
        "{msg_element} 是单点故障：失去它将切断 {msg_what}",
        "{msg_element} is a single point of failure: losing it cuts off {msg_what}",
    ),
    "finding.only_path": (
        "{msg_element} 是 {msg_what} 到政务云的唯一通路",
        "{msg_element} carries the only path to the cloud of {msg_what}",
    ),
    "finding.why_tier": ("所有{msg_tier}站点", "every {msg_tier} site"),
    "finding.why_important": ("重要站点，双归", "important site, 双归"),
    "finding.uplinks": (
        "{name}（{msg_why}）有 {n} 条上联{ids}；需要到每台核心各一条",
        "{name} ({msg_why}) has {n} uplink(s){ids}; it needs one to each core",
    ),
    "finding.same_upstream": (
        "{name}（{msg_why}）的两条上联都落在 {device}；必须每台核心各落一条",
        "both uplinks of {name} ({msg_why}) land on {device}; one must land on each core",
    ),
    "finding.one_plane": (
        "{name} 的所有上联都在平面 {plane}；主备平面必须各有一条",
        "every uplink of {name} is on plane {plane}; one must be on each plane (主备平面)",
    ),
    "finding.one_carrier": (
        "{name} 的所有线路都来自 {carrier}",
        "every circuit of {name} comes from {carrier}",
    ),
    "finding.no_device": ("{name} 没有网络设备", "{name} has no network device"),
    "finding.no_path": ("{name} 没有到政务云的通路", "{name} has no path to the government cloud"),
    "finding.cloud_edge": (
        "只经一台设备（{device}）到达政务云",
        "the government cloud is reached through one device ({device})",
    ),
    "finding.cores": (
        "{n} 台核心设备（{names}），规划要求 {wanted}",
        "{n} core device(s) ({names}), the policy wants {wanted}",
    ),
    "finding.interconnect": (
        "核心之间有 {n} 条互联链路（{ids}），规划要求 {wanted}",
        "the cores are joined by {n} link(s) ({ids}), the policy wants {wanted}",
    ),
    "finding.interconnect_plane": (
        "所有核心互联链路都在平面 {plane}",
        "all core interconnect links are on plane {plane}",
    ),
    "finding.city_uplinks": (
        "到市级有 {n} 条上联（{ids}），规划要求 {wanted}",
        "{n} uplink(s) to the city ({ids}), the policy wants {wanted}",
    ),
    "finding.city_landing": (
        "所有市级上联都落在 {landing}；必须落在 {needed} 台不同的核心上",
        "every city uplink lands on {landing}; they must land on {needed} different cores",
    ),
    "finding.city_plane": ("所有市级上联都在平面 {plane}", "every city uplink is on plane {plane}"),
}
