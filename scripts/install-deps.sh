#!/usr/bin/env bash
# Installs the Debian packages shopseg builds against, if missing: OpenBLAS + LAPACKE
# (linear algebra), SQLite headers (GRDB on the system libsqlite3), tzdata (IANA zones),
# python3 (its sqlite3 module plays the BI reader in the concurrency test).
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev libsqlite3-dev tzdata python3)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
