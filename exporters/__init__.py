"""The Prometheus side: collectors per subsystem, the HTTP exporter and its configuration.

* ``labels``            label sets from the inventory, rendered once (docs/metrics.md)
* ``families``          fresh metric families and their samples
* ``exposition``        the text format, fast for the big ``/snmp`` answers
* ``interfaces``        collector: polled IF-MIB series and circuit speeds of one target
* ``devices``           collector: up, uptime, info, scrape duration, SNMP errors
* ``inventory_series``  collector: the plan itself (circuits, sites, tiers, systems)
* ``traps``             collector: link state from linkDown/linkUp traps
* ``bandwidth``         collector: the last iperf3 test per circuit (``bandwidth/`` measures)
* ``health``            the exporter's own counters
* ``config``/``webconfig``  the exporter's config file and the TLS/basic-auth web config
* ``server``/``app``    the asyncio HTTP server and the wiring of it all
"""
