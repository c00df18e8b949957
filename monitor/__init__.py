"""The NOC stack: Prometheus and Alertmanager configured from the inventory, run on loopback.

* ``options``      the knobs of a generated configuration (addresses, intervals, ``for:`` scaling)
* ``rules``        the shipped rule files and their generated copies (``for:``, runbook links)
* ``targets``      file_sd target groups, one per inventory device
* ``prometheus``   prometheus.yml: the /snmp?target= relabel pattern, the exporter's own job
* ``alertmanager`` alertmanager.yml: routes by severity and tier, grouping per site, inhibitions
* ``generate``     all of the above written into one directory, checked by promtool and amtool
* ``shards``       past one machine: vmagent scrapers, a VictoriaMetrics store, vmalert
* ``stack``        starting, reloading and stopping the real processes; their PIDs on disk
* ``up``           `monitor up` as one function: generate, check, start, from resolved inputs
* ``health``       readiness probes, instant queries, the alerts Prometheus and Alertmanager hold
* ``status``       the stack at a glance: components, targets, alerts and their delivery
* ``webhook``      a tiny Alertmanager webhook receiver that keeps every notification
* ``dashboards``   the Grafana dashboards: every panel query, ready to run against Prometheus
* ``yamltext``     YAML as people read it (PromQL in literal blocks, Chinese as is)
* ``digest``       the daily digest: plan progress, 上云率, 等保, open alerts, as one message
* ``schedule``     the digest's systemd timer + service and cron entry, written by `monitor config`
"""
