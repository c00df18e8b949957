"""The network as a graph: redundancy rules, failure what-ifs, LLDP drift and diagrams.

graph          the inventory's network devices and links as a networkx MultiGraph
reachability   which sites reach the government cloud; single points of failure
checks         ``topology check``: the plan's redundancy rules (findings: typed results)
whatif         ``topology whatif``: sites isolated or left without redundancy by failures
discovery/     ``topology discover``: LLDP neighbours per platform, drift, metrics
diagram        ``topology draw``: Graphviz DOT (render: through ``dot``; linkstate: --live)
"""
