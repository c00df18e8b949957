#!/usr/bin/env bash
# Installs what egovnet needs on a fresh Debian 12 machine, from one declaration:
# base/programs.txt names every external program egovnet runs and the package that brings it.
# Debian packages (scopes host, server, test) come from apt, Python packages from pyproject.toml
# into .venv; then every declared program is checked, and a missing one is one line naming it
# and its package (exit 1). Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

DECLARATION=base/programs.txt
SYSTEM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# declared SCOPE...: "package program" pairs of the given scopes, one per line
declared() {
  local want=" $* " package scope names name
  while read -r package scope names _; do
    case "$package" in "" | "#"*) continue ;; esac
    [[ "$want" == *" $scope "* ]] || continue
    IFS=, read -ra list <<<"$names"
    for name in "${list[@]}"; do printf '%s %s\n' "$package" "$name"; done
  done <"$DECLARATION"
}

# present PROGRAM [DIR]: an absolute path exists, or a name is found on PATH (or in DIR)
present() {
  if [[ "$1" == /* ]]; then [ -e "$1" ]; return; fi
  if [ -n "${2:-}" ]; then [ -x "$2/$1" ]; return; fi
  PATH="$PATH:$SYSTEM_PATH" command -v "$1" >/dev/null 2>&1
}

mapfile -t APT_PACKAGES < <(declared host server test | cut -d' ' -f1 | sort -u)

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
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    >/var/log/egovnet-apt.log 2>&1; then
    tail -n 20 /var/log/egovnet-apt.log >&2
    echo "install-deps: apt-get failed (full log: /var/log/egovnet-apt.log)" >&2
    [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
    exit 1
  fi
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

# Every declared program must now be here: a package that no longer ships one, or a
# program used before it was declared, stops the setup with its name.
absent=0
while read -r package name; do
  if ! present "$name"; then
    echo "install-deps: missing $name (Debian package $package)" >&2
    absent=1
  fi
done < <(declared host server test)
while read -r package name; do
  if ! present "$name" .venv/bin; then
    echo "install-deps: missing .venv/bin/$name (Python package $package)" >&2
    absent=1
  fi
done < <(declared venv)
exit "$absent"
