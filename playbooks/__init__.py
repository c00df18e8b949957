"""Playbooks: 等保 hardening and audit, cloud migration tracking, exports for auditors.

* ``controls``   the 等保 2.0 controls catalogue (clause, test unit, texts, risk)
* ``results``    one result format for every check on every asset, with hashed evidence
* ``devices``    network-device checks from configurations, one module per platform
* ``linux``      rows from what the hardening role (roles/mlps_hardening) recorded
* ``migration``  上云率 against the plan, blockers, migration checks; exporter metrics
* ``export``     XLSX, CSV and HTML for auditors
* ``store``      the audit state under ``<state>/audit``

Ansible content: ``mlps_hardening.yml`` (role ``roles/mlps_hardening``) and
``cloud_migration.yml``. docs/auditor.md is the guide.
"""
