#!/usr/bin/env bash
# make fresh-check: the README's two commands on a fresh Debian 12 machine.
#
# Builds a minimal Debian 12 root with mmdebstrap from Debian's packages (nothing but `make`
# added), puts a clean clone of the committed HEAD in it, and inside it (chroot, with /proc,
# /sys, /dev, /dev/pts and /run mounted) runs `make test`, then `make demo`, then the stop
# commands the demo prints. Whatever a developer installed by hand on this host is not there,
# so a missing install step fails here.
#
# Two phases, each in its own mount and PID namespace (so every mount and process dies with
# it): `make setup` with the host's network (apt and pip need the registries), then
# `make test` and `make demo` in a network namespace of their own with only loopback: the
# suite and the lab cannot reach anything off the machine, and cannot collide with ports or
# links on the host. The host's trust store (and any proxy settings in the environment) are
# carried into the root, because this machine reaches the registries through TLS that only
# that store accepts.
#
# Afterwards it checks that nothing is left on the host: no mount under the root, no process
# inside it, no new network namespace or link; and says so.
#
# Environment: FRESH_SUITE=bookworm, FRESH_KEEP=1 (keep the root for a look), FRESH_WORK=DIR.
# FRESH_REUSE=1 with FRESH_WORK of a kept run skips building and setup and reruns phase 2 on
# that root with the current commit checked out (a developer's retry; CI never sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

say() { printf 'fresh-check: %s\n' "$*"; }
die() { printf 'fresh-check: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || { echo "fresh-check: needs root (mmdebstrap, chroot, namespaces)" >&2; exit 2; }
commit=$(git rev-parse HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  say "note: uncommitted changes are not checked; the root gets commit ${commit:0:12}"
fi

# mmdebstrap is declared (scope ci) in base/programs.txt like every other program.
if ! command -v mmdebstrap >/dev/null; then
  say "apt-get install mmdebstrap"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >/dev/null
fi

suite=${FRESH_SUITE:-bookworm}
work=${FRESH_WORK:-$(mktemp -d /var/tmp/egovnet-fresh.XXXXXX)}
root=$work/root
mkdir -p "$root"

links_before=$(ip -o link show | awk -F': ' '{print $2}' | sort)
netns_before=$(ip netns list 2>/dev/null | awk '{print $1}' | sort)

cleanup() {
  local status=$?
  # Both phases ran in their own mount and PID namespaces, so their mounts and processes are
  # gone; this only guards against an interrupted start.
  if findmnt -rn -o TARGET | grep -q "^$root"; then
    findmnt -rn -o TARGET | grep "^$root" | sort -r | xargs -r -n1 umount -l || true
  fi
  if [ "${FRESH_KEEP:-0}" != 1 ]; then rm -rf --one-file-system "$work"; fi
  exit "$status"
}
trap cleanup EXIT

started=$(date +%s)
if [ "${FRESH_REUSE:-0}" = 1 ] && [ -x "$root/work/egovnet/.venv/bin/python" ]; then
  reuse=1
  say "reusing the root in $work (FRESH_REUSE=1): phase 2 only, commit ${commit:0:12}"
else
  reuse=0
fi
cert=/etc/egovnet-fresh/ca-certificates.crt
# The one thing carried from run to run: the NetBox test harness's cache, which only its own
# build writes (a Debian 13 root with NetBox and the database after ~6 min of migrations). A
# machine without it builds it in phase 1.
netbox_cache=${EGOVNET_NETBOX_CACHE:-/var/cache/egovnet/netbox}
mkdir -p "$netbox_cache"
say "NetBox harness cache: $netbox_cache (bound into the root)"
if [ "$reuse" = 0 ]; then
  say "mmdebstrap --variant=minbase --include=make $suite (Debian's packages only)"
  mmdebstrap --quiet --variant=minbase --include=make "$suite" "$root" >/dev/null \
    2>"$work/mmdebstrap.log" || { tail -n 20 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed"; }

  # The host's trust store: this machine reaches the registries through TLS that only it
  # accepts. The bundle goes where no package regenerates it (ca-certificates rewrites its own
  # when apt installs it), and the local CAs go where update-ca-certificates picks them up.
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$root$cert"
  if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
  fi
  say "carried into the root: the host's trust store (/etc/ssl/certs/ca-certificates.crt as $cert, and /usr/local/share/ca-certificates)"

  # What an installed Debian machine has and a bootstrapped root lacks: names for loopback
  # (libraries resolve "localhost" at import, e.g. pyeapi's syslog handler under napalm).
  if [ ! -s "$root/etc/hosts" ]; then
    printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
  fi

  # A clean clone of the commit: nothing uncommitted, nothing ignored (.venv, .egovnet).
  git clone -q --no-hardlinks "$repo" "$root/work/egovnet"
  git -C "$root/work/egovnet" checkout -q "$commit"
fi

carried_env=()
for name in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PIP_INDEX_URL \
  PIP_EXTRA_INDEX_URL PIP_DEFAULT_TIMEOUT; do
  if [ -n "${!name:-}" ]; then carried_env+=("$name=${!name}"); fi
done
if ((${#carried_env[@]})); then
  say "carried into the root from the environment: ${carried_env[*]%%=*}"
fi
base_env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
  LANG=C.UTF-8 TERM=dumb CI=true SSL_CERT_FILE=$cert REQUESTS_CA_BUNDLE=$cert PIP_CERT=$cert
  PIP_DISABLE_PIP_VERSION_CHECK=1 "${carried_env[@]}")

# in_root NETWORK COMMAND: run COMMAND (bash) in the root, in new mount and PID namespaces;
# NETWORK=own adds a network namespace with only loopback.
in_root() {
  local network=$1 command=$2 flags=(--mount --pid --fork --propagation private)
  [ "$network" = own ] && flags+=(--net --uts --ipc)
  unshare "${flags[@]}" /bin/bash -euo pipefail -c '
    root=$1 network=$2 netbox_cache=$3; shift 3
    [ "$network" = own ] && ip link set lo up
    # the root must be a mount point: `ip netns exec` remounts "/" as a slave
    mount --bind "$root" "$root"
    mount -t proc proc "$root/proc"
    mount -t sysfs sysfs "$root/sys"
    mount --rbind /dev "$root/dev"
    mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"
    mount --bind "$root/dev/pts/ptmx" "$root/dev/ptmx"
    mount -t tmpfs -o mode=0755 tmpfs "$root/run"
    # the NetBox harness'"'"'s cache (its own build: a root and a migrated database, by version)
    mkdir -p "$root$netbox_cache" && mount --bind "$netbox_cache" "$root$netbox_cache"
    exec chroot "$root" /usr/bin/env -i "$@"
  ' in_root "$root" "$network" "$netbox_cache" "${base_env[@]}" /bin/bash -euo pipefail -c "cd /work/egovnet && $command"
}

if [ "$reuse" = 1 ]; then
  git -C "$root/work/egovnet" fetch -q "$repo" "$commit" && git -C "$root/work/egovnet" checkout -q "$commit"
else
  say "phase 1: make setup and the NetBox test harness in the root (with this host's network: apt, pip)"
  in_root host "make setup netbox-cache" || die "make setup failed in the fresh root"
fi

say "phase 2: make test, then make demo and its stop commands (own network namespace: loopback only)"
in_root own '
  EGOVNET_FORBID_SKIPS=1 EGOVNET_HYPOTHESIS_PROFILE=ci make test
  make demo
  .venv/bin/egovnet monitor down
  .venv/bin/egovnet lab down
  left=$(ip netns list)
  if [ -n "$left" ]; then echo "fresh-check: lab namespaces left: $left" >&2; exit 1; fi
  true' || die "make test / make demo failed in the fresh root (commit ${commit:0:12})"

# Nothing of the check may be left on the host.
problems=()
if findmnt -rn -o TARGET | grep -q "^$root"; then problems+=("mounts under $root"); fi
for proc in /proc/[0-9]*; do
  target=$(readlink "$proc/root" 2>/dev/null || true)
  if [[ "$target" == "$root"* ]]; then problems+=("process ${proc#/proc/} inside the root"); fi
done
links_after=$(ip -o link show | awk -F': ' '{print $2}' | sort)
netns_after=$(ip netns list 2>/dev/null | awk '{print $1}' | sort)
new_links=$(comm -13 <(echo "$links_before") <(echo "$links_after") | tr '\n' ' ')
new_netns=$(comm -13 <(echo "$netns_before") <(echo "$netns_after") | tr '\n' ' ')
[ -z "${new_links// /}" ] || problems+=("new links on the host: $new_links")
[ -z "${new_netns// /}" ] || problems+=("new network namespaces on the host: $new_netns")
if ((${#problems[@]})); then
  die "left on the host: ${problems[*]}"
fi
say "nothing left on the host: no mounts under the root, no processes in it, no new links or namespaces"
say "passed on a fresh $suite root in $(($(date +%s) - started)) s (commit ${commit:0:12})"
