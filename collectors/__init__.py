"""SNMP collection: an asyncio poller on gufo-snmp and a pysnmp trap receiver.

Readings leave this package as typed records (:mod:`collectors.readings`); the exporters
turn them into Prometheus series. Modules:

* ``oids``      numeric OIDs of SNMPv2-MIB and IF-MIB (no MIB files are needed)
* ``targets``   what to poll, resolved from the inventory, its SNMP profiles and secrets
* ``snmpv3``    the one map of SNMPv3 protocol names to gufo-snmp and pysnmp
* ``session``   one gufo-snmp session per target (v2c, v3 auth/priv)
* ``counters``  32-bit counter wrap and agent-restart handling
* ``poller``    the poll of one device and of many, bounded and isolated
* ``traps``     linkDown/linkUp notifications (pysnmp) into a link-state book
* ``simulate``  snmpsim data files and agents for tests and the benchmark
"""
