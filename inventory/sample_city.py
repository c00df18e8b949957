"""A generated city of N districts in the inventory format, for scale tests and benchmarks.

Every district is shaped like the sample district 武江区 (``inventory/district``), only
larger, the size the city measurements of issue 15 were taken at: a core pair joined by two
links, one uplink from each core to one of the two city cores (planes A and B), a
government cloud behind two firewalls each linked to both cores, twelve towns (three of
them subdistricts, 街道) dual-homed to both cores, 12-22 villages (村, 社区 under a 街道)
hanging off each town, 31 district departments (the important ones dual-homed, the others
on one core) and twelve servers. Ten districts give about 2,500 network devices, 120
servers, 2,500 sites and 2,760 links; the city passes ``inventory validate`` and
``topology check``.

The output is deterministic for a given :class:`CityShape` (one seeded random generator per
district). Files: ``profile.yaml``, ``policy.yaml``, ``profiles.yaml``, ``city.yaml`` (the
city site and its two cores) and one ``district-<code>.yaml`` per district holding its
sites, devices, links and systems (the loader joins list sections across files).

Site ids are namespaced by district (``qj.town-longshan``); device names carry the district
code as their prefix (``qj-town-longshan``), like the sample's ``wj-`` devices.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

#: 韶关市's ten county-level divisions (code, name); further districts get numbered names.
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("wj", "武江区"),
    ("zj", "浈江区"),
    ("qj", "曲江区"),
    ("lc", "乐昌市"),
    ("nx", "南雄市"),
    ("rh", "仁化县"),
    ("sx", "始兴县"),
    ("wy", "翁源县"),
    ("xf", "新丰县"),
    ("ry", "乳源瑶族自治县"),
)
CITY_NAME = "韶关市"

#: Syllables of generated place names: (character, pinyin).
SYLLABLES: tuple[tuple[str, str], ...] = (
    ("龙", "long"),
    ("江", "jiang"),
    ("新", "xin"),
    ("石", "shi"),
    ("坪", "ping"),
    ("塘", "tang"),
    ("田", "tian"),
    ("山", "shan"),
    ("岭", "ling"),
    ("水", "shui"),
    ("河", "he"),
    ("溪", "xi"),
    ("桥", "qiao"),
    ("岗", "gang"),
    ("安", "an"),
    ("兴", "xing"),
    ("华", "hua"),
    ("东", "dong"),
    ("南", "nan"),
    ("北", "bei"),
    ("上", "shang"),
    ("下", "xia"),
    ("大", "da"),
    ("长", "chang"),
    ("黄", "huang"),
    ("白", "bai"),
    ("青", "qing"),
    ("红", "hong"),
    ("金", "jin"),
    ("凤", "feng"),
    ("梅", "mei"),
    ("桂", "gui"),
    ("松", "song"),
    ("竹", "zhu"),
    ("沙", "sha"),
    ("湖", "hu"),
    ("洞", "dong"),
    ("坑", "keng"),
    ("围", "wei"),
    ("富", "fu"),
    ("丰", "feng"),
    ("乐", "le"),
    ("马", "ma"),
    ("车", "che"),
    ("云", "yun"),
    ("樟", "zhang"),
    ("莲", "lian"),
    ("枫", "feng"),
)

#: District departments (区直单位): id suffix, name after the district's, important (双归).
DEPARTMENTS: tuple[tuple[str, str, bool], ...] = (
    ("zsj", "政务服务数据管理局", True),
    ("qwb", "委办公室", True),
    ("zfb", "人民政府办公室", True),
    ("fgj", "发展和改革局", False),
    ("jyj", "教育局", False),
    ("gaj", "公安分局", True),
    ("mzj", "民政局", False),
    ("sfj", "司法局", False),
    ("czj", "财政局", True),
    ("rsj", "人力资源和社会保障局", False),
    ("zrj", "自然资源分局", False),
    ("zjj", "住房和城乡建设管理局", False),
    ("jtj", "交通运输局", False),
    ("nyj", "农业农村局", False),
    ("swj", "水务局", False),
    ("sw", "商务局", False),
    ("wgl", "文化广电旅游体育局", False),
    ("wjj", "卫生健康局", True),
    ("tyj", "退役军人事务局", False),
    ("yjj", "应急管理局", True),
    ("sjj", "审计局", False),
    ("scj", "市场监督管理局", False),
    ("tjj", "统计局", False),
    ("ybj", "医疗保障局", False),
    ("xfj", "信访局", False),
    ("cgj", "城市管理和综合执法局", False),
    ("lyj", "林业局", False),
    ("cl", "残疾人联合会", False),
    ("zgh", "总工会", False),
    ("dag", "档案馆", False),
    ("xzfw", "行政服务中心", True),
)

#: Information systems: id, name, owning department; hosted on the cloud unless the
#: department has its own server (``SERVER_DEPARTMENTS``).
SYSTEMS: tuple[tuple[str, str, str], ...] = (
    ("ZWFW", "政务服务网上办事系统", "zsj"),
    ("YWTB", "一网通办受理平台", "zsj"),
    ("OA", "协同办公系统", "zfb"),
    ("GW", "电子公文交换系统", "qwb"),
    ("XXGK", "政府信息公开系统", "zfb"),
    ("ZXTS", "12345政务服务便民热线系统", "zsj"),
    ("CZ", "财政一体化管理系统", "czj"),
    ("RS", "人社业务经办系统", "rsj"),
    ("JY", "教育资源公共服务平台", "jyj"),
    ("MZ", "社会救助信息系统", "mzj"),
    ("WJW", "基层医疗卫生信息系统", "wjj"),
    ("YB", "医保经办服务系统", "ybj"),
    ("YJ", "应急指挥调度系统", "yjj"),
    ("SCJG", "市场监管综合业务系统", "scj"),
    ("ZJ", "工程建设项目审批系统", "zjj"),
    ("JT", "交通运输执法系统", "jtj"),
    ("NY", "农村集体三资管理系统", "nyj"),
    ("SW", "河长制信息管理系统", "swj"),
    ("WL", "文旅公共服务平台", "wgl"),
    ("TY", "退役军人服务管理系统", "tyj"),
    ("SJ", "审计业务管理系统", "sjj"),
    ("TJ", "统计数据采集系统", "tjj"),
    ("XF", "信访业务系统", "xfj"),
    ("CG", "数字城管系统", "cgj"),
    ("LY", "森林防火监控系统", "lyj"),
    ("GA", "公安视频监控联网平台", "gaj"),
    ("DA", "数字档案管理系统", "dag"),
    ("FG", "投资项目在线审批监管平台", "fgj"),
    ("SF", "社区矫正管理系统", "sfj"),
    ("XZFW", "政务服务大厅综合管理系统", "xzfw"),
)
SERVER_DEPARTMENTS = ("wjj", "gaj", "dag", "scj")
CLOUD_VMS = 8
CARRIERS = (("中国电信", "DX"), ("中国联通", "LT"), ("中国移动", "YD"))
DUAL_HOMING = (("A", CARRIERS[0]), ("B", CARRIERS[1]))  # (plane, carrier) of core 1 and 2

#: (platform, model, interface name of port n) per role; one picked per device.
CORE = ("huawei_vrp", "CE6881-48S6CQ", "10GE{slot}/0/{port}")
CITY_CORE = ("huawei_vrp", "CE12808", "10GE{slot}/0/{port}")
CLOUD_GW = ("huawei_vrp", "USG6650E", "10GE{slot}/0/{port}")
TOWN_MODELS = (
    ("hp_comware", "S5560X-30C-EI", "GigabitEthernet{slot}/0/{port}"),
    ("huawei_vrp", "S5735-S24T4X", "GigabitEthernet0/0/{port}"),
)
DEPT_MODELS = (
    ("cisco_ios", "C9200-24T", "GigabitEthernet{slot}/0/{port}"),
    ("hp_comware", "S5130S-28S-EI", "GigabitEthernet{slot}/0/{port}"),
    ("huawei_vrp", "S5735-L24T4X", "GigabitEthernet0/0/{port}"),
)
VILLAGE_MODELS = (
    ("hp_comware", "MSR2600-10-X1", "GigabitEthernet1/0/{port}"),
    ("huawei_vrp", "AR651", "GigabitEthernet0/0/{port}"),
    ("cisco_ios", "ISR1111-4P", "GigabitEthernet0/0/{port}"),
)
PORTS_PER_SLOT = 48

# Address plan: one block per district (index 0 is the city itself).
MGMT = ipaddress.IPv4Network("172.16.0.0/12")  # /20 per district
LOOPBACKS = ipaddress.IPv4Network("10.240.0.0/12")  # /22 per district
LINK_NETS = ipaddress.IPv4Network("10.0.0.0/10")  # /20 per district, /30 per link
LANS = ipaddress.IPv4Network("10.64.0.0/10")  # /18 per district, /24 per LAN


@dataclass(frozen=True)
class CityShape:
    """How big the generated city is; the defaults are the city of issue 15."""

    districts: int = 10
    towns: int = 12
    subdistricts: int = 3  # of the towns, 街道 (their villages are 社区)
    villages: tuple[int, int] = (12, 22)  # per town, inclusive range
    seed: int = 15

    def __post_init__(self) -> None:
        if not 1 <= self.districts <= 256:
            raise ValueError("districts must be between 1 and 256")
        if not 1 <= self.towns <= 40 or not 0 <= self.subdistricts <= self.towns:
            raise ValueError("towns must be 1-40, subdistricts at most towns")
        low, high = self.villages
        if not 0 <= low <= high <= 40:
            raise ValueError("villages per town must be a range within 0-40")


@dataclass(frozen=True)
class CityCounts:
    """What was written: the figures ``inventory validate`` reports for the city."""

    districts: int
    sites: int
    network_devices: int
    servers: int
    links: int
    systems: int
    files: list[str] = field(default_factory=list)


def district_names(count: int) -> list[tuple[str, str]]:
    """(code, name) of the first ``count`` districts."""
    extra = [(f"d{i:02d}", f"第{i}区") for i in range(len(DISTRICTS) + 1, count + 1)]
    return [*DISTRICTS, *extra][:count]


def write_city(out: Path, shape: CityShape | None = None) -> CityCounts:
    """Write the city into ``out`` (created; existing ``*.yaml`` there are replaced)."""
    shape = shape or CityShape()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    docs = city_documents(shape)
    for name, doc in docs.items():
        (out / name).write_text(_dump(doc), encoding="utf-8")
    items = {k: [x for d in docs.values() for x in d.get(k, [])] for k in _LISTS}
    servers = sum(1 for d in items["devices"] if d["role"] == "server")
    return CityCounts(
        districts=shape.districts,
        sites=len(items["sites"]),
        network_devices=len(items["devices"]) - servers,
        servers=servers,
        links=len(items["links"]),
        systems=len(items["systems"]),
        files=sorted(docs),
    )


_LISTS = ("sites", "devices", "links", "systems")


def city_documents(shape: CityShape) -> dict[str, dict[str, Any]]:
    """Every file of the city: file name -> YAML document (plain data)."""
    names = district_names(shape.districts)
    city = _Builder(shape, 0, "sg", CITY_NAME)
    city_site = "city"
    city.site(city_site, f"{CITY_NAME}电子政务外网城域网", "city")
    city_cores = [city.device(f"sg-city-core{i}", city_site, "core", CITY_CORE) for i in (1, 2)]
    docs: dict[str, dict[str, Any]] = {
        "profile.yaml": {
            "profile": {
                "name": "city",
                "description": f"{CITY_NAME}电子政务外网 - a generated city of {shape.districts}"
                f" district(s) (bench/city.py, seed {shape.seed})",
            }
        },
        "policy.yaml": {"policy": _policy()},
        "profiles.yaml": _profiles(),
    }
    district_docs: dict[str, dict[str, Any]] = {}
    for index, (code, name) in enumerate(names, start=1):
        builder = _Builder(shape, index, code, name)
        _district(builder, city_site, city_cores, city)
        district_docs[f"district-{code}.yaml"] = builder.document()
    docs["city.yaml"] = city.document()
    docs.update(district_docs)
    return docs


@dataclass
class _Port:
    device: str
    pattern: str
    used: int = 0

    def next(self) -> str:
        self.used += 1
        slot, port = divmod(self.used - 1, PORTS_PER_SLOT)
        return self.pattern.format(slot=slot + 1, port=port + 1)


class _Builder:
    """Sites, devices, links and systems of one district (or of the city level), with its
    own address blocks, port counters and random generator."""

    def __init__(self, shape: CityShape, index: int, code: str, name: str) -> None:
        self.shape = shape
        self.index = index
        self.code = code
        self.name = name
        self.rng = random.Random(f"{shape.seed}:{index}:{code}")
        self.sites: list[dict[str, Any]] = []
        self.devices: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []
        self.systems: list[dict[str, Any]] = []
        self.ports: dict[str, _Port] = {}
        self.by_name: dict[str, dict[str, Any]] = {}
        self.mgmt = _hosts(_block(MGMT, 20, index))
        self.loopbacks = _hosts(_block(LOOPBACKS, 22, index))
        self.link_nets = _block(LINK_NETS, 20, index).subnets(new_prefix=30)
        self.lans = _block(LANS, 18, index).subnets(new_prefix=24)
        self.circuits = 0

    def site(self, site_id: str, name: str, tier: str, **extra: Any) -> str:
        self.sites.append({"id": site_id, "name": name, "tier": tier, **extra})
        return site_id

    def device(
        self, name: str, site: str, role: str, kind: tuple[str, str, str], *, loopback: bool = True
    ) -> str:
        platform, model, pattern = kind
        dev: dict[str, Any] = {
            "name": name,
            "site": site,
            "role": role,
            "platform": platform,
            "model": model,
            "mgmt_address": str(next(self.mgmt)),
        }
        if loopback:
            dev["loopback"] = str(next(self.loopbacks))
        dev.update({"snmp_profile": "noc-v3", "credential_profile": "netops", "interfaces": []})
        self.devices.append(dev)
        self.by_name[name] = dev
        self.ports[name] = _Port(name, pattern)
        return name

    def server(self, name: str, site: str, lan: ipaddress.IPv4Network, host: int) -> str:
        self.devices.append(
            {
                "name": name,
                "site": site,
                "role": "server",
                "platform": "linux",
                "mgmt_address": str(next(self.mgmt)),
                "lan_address": f"{lan[host]}/{lan.prefixlen}",
                "snmp_profile": "noc-v3",
            }
        )
        return name

    def link(
        self,
        a: str,
        b: str,
        kind: str,
        plane: str,
        mbps: int,
        *,
        carrier: tuple[str, str] | None = None,
        link_id: str,
        owner: _Builder | None = None,
    ) -> None:
        """A link from upstream ``a`` to downstream ``b``; ``owner`` holds ``a``'s ports
        when ``a`` belongs to another builder (the city cores)."""
        net = next(self.link_nets)
        ends = []
        for side, port in ((a, (owner or self).ports[a]), (b, self.ports[b])):
            iface = port.next()
            holder = owner if owner is not None and side == a else self
            holder.by_name[side]["interfaces"].append({"name": iface})
            ends.append({"device": side, "interface": iface})
        ends[0]["address"] = f"{net[1]}/30"
        ends[1]["address"] = f"{net[2]}/30"
        item: dict[str, Any] = {"id": link_id, "kind": kind, "plane": plane, "committed_mbps": mbps}
        if carrier is not None:
            self.circuits += 1
            item["carrier"] = carrier[0]
            item["circuit_id"] = f"SG{self.code.upper()}-{carrier[1]}-{self.circuits:04d}"
        item.update(a=ends[0], b=ends[1])
        self.links.append(item)

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"sites": self.sites, "devices": self.devices}
        if self.links:
            doc["links"] = self.links
        if self.systems:
            doc["systems"] = self.systems
        return doc


def _block(net: ipaddress.IPv4Network, prefix: int, index: int) -> ipaddress.IPv4Network:
    size = 2 ** (32 - prefix)
    return ipaddress.IPv4Network((int(net.network_address) + index * size, prefix))


def _hosts(net: ipaddress.IPv4Network) -> Iterator[ipaddress.IPv4Address]:
    return net.hosts()


def _district(b: _Builder, city_site: str, city_cores: list[str], city: _Builder) -> None:
    c, name = b.code, b.name
    core_site = b.site(
        f"{c}.core", f"{name}电子政务外网核心机房", "district_core", parent=city_site
    )
    cloud_lan = next(b.lans)
    cloud_site = b.site(
        f"{c}.cloud", f"{name}政务云", "cloud", parent=core_site, lan_prefix=str(cloud_lan)
    )
    cores = [b.device(f"{c}-core{i}", core_site, "core", CORE) for i in (1, 2)]
    gws = [b.device(f"{c}-cloud-gw{i}", cloud_site, "firewall", CLOUD_GW) for i in (1, 2)]
    for plane in ("A", "B"):
        b.link(
            cores[0],
            cores[1],
            "core-interconnect",
            plane,
            40000,
            link_id=f"{c}-core1-core2-{plane.lower()}",
        )
    for i, (plane, carrier) in enumerate(DUAL_HOMING):
        up, down = city_cores[i], cores[i]
        b.link(
            up,
            down,
            "uplink",
            plane,
            10000,
            carrier=carrier,
            link_id=f"sg-city{i + 1}-{c}-core{i + 1}",
            owner=city,
        )
    for g, gw in enumerate(gws):
        for k, core in enumerate(cores):
            plane = "A" if g == k else "B"
            b.link(core, gw, "backbone", plane, 10000, link_id=f"{c}-core{k + 1}-cloud-gw{g + 1}")
    for n in range(1, CLOUD_VMS + 1):
        b.server(f"{c}-yun-vm{n:02d}", cloud_site, cloud_lan, 100 + n)
    _towns(b, core_site, cores)
    servers = _departments(b, core_site, cores)
    _systems(b, servers)


def _dual_homed(b: _Builder, cores: list[str], dev: str, mbps: int, tag: str) -> None:
    """One link from each core, plane A from China Telecom, plane B from China Unicom."""
    for k, (plane, carrier) in enumerate(DUAL_HOMING):
        b.link(
            cores[k],
            dev,
            "access",
            plane,
            mbps,
            carrier=carrier,
            link_id=f"{b.code}-core{k + 1}-{tag}",
        )


def _place_names(rng: random.Random, count: int, taken: set[str]) -> list[tuple[str, str]]:
    """``count`` two-syllable names (Chinese, pinyin) not in ``taken`` (pinyin)."""
    out: list[tuple[str, str]] = []
    while len(out) < count:
        (h1, p1), (h2, p2) = rng.sample(SYLLABLES, 2)
        if p1 + p2 in taken:
            continue
        taken.add(p1 + p2)
        out.append((h1 + h2, p1 + p2))
    return out


def _towns(b: _Builder, core_site: str, cores: list[str]) -> None:
    c, rng, shape = b.code, b.rng, b.shape
    towns = _place_names(rng, shape.towns, set())
    subdistrict_from = shape.towns - shape.subdistricts
    for t, (hanzi, pinyin) in enumerate(towns):
        street = t >= subdistrict_from
        town_name = hanzi + ("街道" if street else "镇")
        town_site = b.site(f"{c}.town-{pinyin}", town_name, "town", parent=core_site)
        town = b.device(f"{c}-town-{pinyin}", town_site, "aggregation", TOWN_MODELS[t % 2])
        town_mbps = 100 if rng.random() > 0.15 else 50
        _dual_homed(b, cores, town, town_mbps, pinyin)
        count = rng.randint(*shape.villages)
        for v, (vh, _) in enumerate(_place_names(rng, count, {pinyin}), start=1):
            vil_name = f"{town_name}{vh}{'社区' if street else '村'}"
            vil_site = b.site(f"{c}.vil-{pinyin}-{v:02d}", vil_name, "village", parent=town_site)
            vil = b.device(f"{c}-vil-{pinyin}-{v:02d}", vil_site, "cpe", rng.choice(VILLAGE_MODELS))
            mbps = rng.choices((50, 100, 30, 20), weights=(80, 8, 7, 5))[0]
            carrier = rng.choice(CARRIERS)
            b.link(
                town, vil, "access", "A", mbps, carrier=carrier, link_id=f"{c}-{pinyin}-vil{v:02d}"
            )


def _departments(b: _Builder, core_site: str, cores: list[str]) -> dict[str, str]:
    """The departments; returns department id suffix -> its server's name."""
    c, rng = b.code, b.rng
    servers: dict[str, str] = {}
    for d, (abbr, suffix, important) in enumerate(DEPARTMENTS):
        lan = next(b.lans)
        site = b.site(
            f"{c}.dept-{abbr}",
            b.name + suffix,
            "department",
            parent=core_site,
            important=important,
            lan_prefix=str(lan),
        )
        dev = b.device(f"{c}-dept-{abbr}", site, "access", DEPT_MODELS[d % len(DEPT_MODELS)])
        if important:
            _dual_homed(b, cores, dev, 1000, abbr)
        else:
            k = d % 2
            mbps = rng.choices((1000, 500, 200, 100), weights=(70, 5, 5, 20))[0]
            carrier = rng.choice(CARRIERS)
            b.link(
                cores[k],
                dev,
                "access",
                "A",
                mbps,
                carrier=carrier,
                link_id=f"{c}-core{k + 1}-{abbr}",
            )
        if abbr in SERVER_DEPARTMENTS:
            servers[abbr] = b.server(f"{c}-srv-{abbr}01", site, lan, 100)
    return servers


_STRATEGIES = ("rehost", "replatform", "refactor", "rehost", "relocate", "retain")
_STATUSES = ("validated", "cutover", "migrating", "planned", "assessing", "not_started")


def _systems(b: _Builder, servers: dict[str, str]) -> None:
    c, rng = b.code, b.rng
    start = date(2024, 1, 15)
    for n, (ident, name, dept) in enumerate(SYSTEMS):
        level = 3 if n < 8 or dept in ("gaj", "czj") else 2
        assessed = start + timedelta(days=rng.randrange(0, 540))
        strategy = _STRATEGIES[n % len(_STRATEGIES)]
        status = "retained" if strategy == "retain" else rng.choice(_STATUSES)
        system: dict[str, Any] = {
            "id": f"{c.upper()}-SYS-{ident}",
            "name": name,
            "department": f"{c}.dept-{dept}",
            "owner": b.name + next(s for a, s, _ in DEPARTMENTS if a == dept),
            "criticality": ("high", "medium", "low")[min(2, n // 10)],
            "data_class": "sensitive" if level == 3 else "internal",
            "mlps": {
                "level": level,
                "filing_number": f"4402{b.index:02d}99001-{20000 + n + 1}",
                "last_assessment": assessed,
                "next_due": assessed + timedelta(days=365 if level == 3 else 730),
            },
            "migration": {"strategy": strategy, "status": status, "wave": 1 + n % 3},
            "hosts": [servers[dept] if dept in servers else f"{c}-yun-vm{n % CLOUD_VMS + 1:02d}"],
        }
        if strategy != "retain":
            system["migration"]["target"] = {"tenant": f"{c}-{dept}", "zone": "政务外网区"}
        b.systems.append(system)


def _policy() -> dict[str, Any]:
    return {
        "plan": {
            "baseline_year": 2021,
            "target_year": 2025,
            "year_in_force": 2025,
            "migration_baseline_ratio": 0.8,
            "migration_target_ratio": 1.0,
            "coverage_target_ratio": 1.0,
        },
        "tiers": {
            "city": {},
            "district_core": {},
            "cloud": {},
            "department": {"baseline_mbps": 100, "target_mbps": 1000},
            "town": {"baseline_mbps": 50, "target_mbps": 100, "dual_homed": True},
            "village": {"baseline_mbps": 10, "target_mbps": 50},
        },
        "redundancy": {
            "core_devices": 2,
            "core_interconnect_links": 2,
            "city_uplinks": 2,
            "important_dual_homed": True,
        },
        "management": {
            "syslog_servers": ["10.64.0.250", "10.64.0.249"],
            "ntp_servers": ["10.64.0.251", "10.64.0.252"],
            "banner": f"{CITY_NAME}电子政务外网 - 仅限授权人员访问 / Authorized access only",
        },
    }


def _profiles() -> dict[str, Any]:
    return {
        "snmp_profiles": [
            {
                "name": "noc-v3",
                "version": "v3",
                "user": "noc",
                "auth_protocol": "SHA-256",
                "auth_key_env": "EGOVNET_SNMP_AUTH_KEY",
                "priv_protocol": "AES",
                "priv_key_env": "EGOVNET_SNMP_PRIV_KEY",
                "timeout_seconds": 1.0,
                "retries": 1,
            }
        ],
        "credential_profiles": [
            {"name": "netops", "username": "netops", "password_env": "EGOVNET_DEVICE_PASSWORD"}
        ],
    }


def _dump(doc: dict[str, Any]) -> str:
    header = "# Generated by bench/city.py (inventory/sample_city.py); do not edit by hand.\n"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(
        doc, Dumper=dumper, allow_unicode=True, sort_keys=False, default_flow_style=None, width=160
    )
    return header + body
