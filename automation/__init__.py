"""Configuration automation: intended configs from the source of truth, safe pushes, drift.

Data flows one way::

    Inventory --intent.build_intents--> DeviceIntent --render (Jinja2, templates/<platform>/)
        --> RenderedConfig --confdiff (running vs intended)--> ConfigChange
        --sessions.open_session (one Protocol over NAPALM / Netmiko / our FRR driver)--> device

Everything a platform differs in (template set, driver, config syntax, what it can do) is
data in :mod:`automation.platforms`; no Python code branches on a platform name.
"""
