"""The route guard: nothing is sent to a lab inventory's devices unless the kernel routes their
addresses into the lab (its management bridge) or over loopback.

A room of its own on a low floor, because every room that sends traffic asks it: collectors
(poll), topology (live discovery), playbooks (audit runs), bandwidth, the exporter, monitor.
"""
