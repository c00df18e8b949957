#!/usr/bin/env bash
# Installs what egovnet needs on a fresh Debian 12 machine: Debian packages for the real
# network parts (FRR, snmpd, sshd, lldpd, Prometheus, Alertmanager, iperf3, graphviz) and a
# virtualenv (.venv) with the project and its tools. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  frr snmpd snmp lldpd openssh-server openssh-client iperf3
  prometheus prometheus-alertmanager prometheus-snmp-exporter
  graphviz iputils-ping iproute2 procps psmisc kmod
  # the lab (lab/): password hashes for lab accounts, namespaces and mounts, and Ansible
  # password logins to lab servers
  openssl util-linux mount sshpass
  # 等保 hardening (playbooks/roles/mlps_hardening): the lab servers are copy-on-write roots
  # of this host and cannot reach a mirror, so what remediation configures must be here.
  auditd rsyslog chrony libpam-pwquality
  fonts-wqy-microhei
  # the NetBox tests (tests/netbox/harness.py): a Debian 13 root for NetBox 4.7 (Python >= 3.12)
  mmdebstrap
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: need root to install Debian packages: ${missing[*]}" >&2
    exit 2
  fi
  echo "install-deps: apt-get install ${missing[*]}"
  # Keep the packages' own services from starting on the host: the lab starts its own
  # daemons inside network namespaces, and nothing may listen or send on the host's links.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.egovnet-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "install-deps: pip install -e .[dev]"
  if ! { .venv/bin/pip install -q --upgrade pip && .venv/bin/pip install -q -e '.[dev]'; } \
    >.venv/pip-install.log 2>&1; then
    tail -n 40 .venv/pip-install.log >&2
    echo "install-deps: pip install failed (full log: .venv/pip-install.log)" >&2
    exit 1
  fi
  echo "$want" >"$stamp"
fi
