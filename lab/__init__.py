"""The lab: an emulated district extranet on one machine, made of real parts.

Each inventory device is a network namespace ``eg-<name>`` running FRR (zebra, ospfd, bfdd,
staticd; OSPF area 0 with BFD on every link), snmpd (SNMPv3 authPriv; v2c only where the
inventory keeps a legacy profile), lldpd and an sshd whose sessions land in vtysh. Links are
veths that meet in the ``egfabric`` namespace (carrier circuits, shaped with tc to their
committed rate); site LANs are bridges there. Every node has ``mgmt0`` on the host's bridge
``egmgmt0`` (host 172.31.255.254/16). Lab servers are copy-on-write roots of the host with
their own sshd. Nothing routes out of the machine.

Public API (all take the state directory; the lab's files live under ``<state>/lab/``)::

    lab.up(inventory, state_dir, trap_sink=None, timeout=60) -> LabState   # or repair
        trap_sink=lab.TrapSink(host, port, kind="inform"|"trap"): linkUp/linkDown, SNMPv3
    lab.down(state_dir) -> DownReport            # removes everything, checks, raises if not
    lab.sweep() -> DownReport                    # a crashed lab's leftovers, by name
    lab.status(state_dir) -> LabStatus           # per device: daemons, OSPF, SNMP
    lab.link_down(state_dir, link_id, mode="carrier"|"silent"), lab.link_up(...)
    lab.device_down(state_dir, device), lab.device_up(state_dir, device)
    lab.traffic(state_dir, site, mbps, seconds) -> TrafficResult   # iperf3 via the circuit
    lab.exec_in(state_dir, device, argv) -> CompletedProcess[str]
    lab.namespace(device) -> "eg-<device>"
    lab.LabHandle(state_dir)                     # typed helpers: exec, vtysh, ping, http_get,
                                                 # ospf/lldp neighbours, faults, traffic,
                                                 # netmiko_params, write_ansible_inventory

See docs/lab.md for what each part is built from, the faults and the measured figures.

Credentials: values of the inventory's env names (EGOVNET_SNMP_AUTH_KEY, EGOVNET_SNMP_PRIV_KEY,
EGOVNET_SNMP_COMMUNITY, EGOVNET_DEVICE_PASSWORD) come from the environment, else from
``<state>/secrets.env`` (generated there, mode 0600, on the first ``up``). The lab's SSH
client key is ``<state>/lab/ssh/id_ed25519``. Management addresses answer SSH (user of the
credential profile) on port 22 and SNMP on udp/161.
"""

from __future__ import annotations

from .bringup import up
from .execute import exec_in
from .faults import HealthFault, device_down, device_health, device_up, link_down, link_up
from .handle import LabHandle
from .names import FABRIC_NAMESPACE, MGMT_BRIDGE, namespace
from .snmpd import TrapSink
from .state import LabState, load_state
from .status import LabStatus, NodeStatus, status
from .teardown import DownReport, down, sweep
from .traffic import TrafficResult, traffic

__all__ = [
    "FABRIC_NAMESPACE",
    "MGMT_BRIDGE",
    "DownReport",
    "HealthFault",
    "LabHandle",
    "LabState",
    "LabStatus",
    "NodeStatus",
    "TrafficResult",
    "TrapSink",
    "device_down",
    "device_health",
    "device_up",
    "down",
    "exec_in",
    "link_down",
    "link_up",
    "load_state",
    "namespace",
    "status",
    "sweep",
    "traffic",
    "up",
]
