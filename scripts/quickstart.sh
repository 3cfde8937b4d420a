#!/usr/bin/env bash
# The whole job on the bundled sample: install system packages if missing, build shopseg
# (release), load the sample's events and users into demo/shopseg.db, build 4 segments,
# and show the status and a query on the segment tables.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift build -c release --product shopseg
shopseg=".build/release/shopseg"

mkdir -p demo
rm -f demo/shopseg.db demo/shopseg.db-wal demo/shopseg.db-shm
export SHOPSEG_DB=demo/shopseg.db

"$shopseg" init
"$shopseg" load events examples/sample/events.csv
"$shopseg" load users examples/sample/users.csv
"$shopseg" build --k 4 --seed 1
echo
"$shopseg" status
echo
echo "Try: sqlite3 -header -column $SHOPSEG_DB \"select segment_id, size, round(share, 3) as share from current_segments\""
