"""LLDP discovery: read neighbour tables from devices and compare them with intended links.

Sources sit behind one protocol (:class:`~topology.discovery.sources.NeighborSource`):
a command runner plus the per-platform parser (TextFSM via ntc-templates for Huawei VRP,
H3C Comware and Cisco IOS; ``lldpcli`` JSON for FRR/Linux devices running lldpd), recorded
outputs in a directory, or NAPALM's ``get_lldp_neighbors``.
"""
