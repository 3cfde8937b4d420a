#!/usr/bin/env bash
# Benchmark harness of issue 6: shopseg against the sqlite3 shell, pandas and scikit-learn.
#
#   scripts/bench.sh [--sizes 10k,100k[,1M]] [--runs 3] [--large-runs 1] [--no-engine] [--no-report]
#
# Builds shopseg and shopseg-bench (bench/swift) in release mode, installs the Python peers'
# packages (bench/requirements.txt, from PyPI) into .build/bench-venv, generates the data under
# .build/bench/, runs every measurement --runs times (medians), prints one table and rewrites
# BENCHMARKS.md (unless --no-report). Needs: Debian packages sqlite3, time, python3-venv (and what
# scripts/quickstart.sh installs); network access to PyPI on the first run.
# Defaults: --sizes 10k,100k --runs 3; sizes of 1M users and more run --large-runs times (default 1).
# Issue 6's targets are stated at 1M users (22.5M events, 1.6 GB CSV): `--sizes 10k,100k,1M` writes
# every row in one session (a few GB of disk; see README "Benchmarks" for the time it takes).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=10k,100k; runs=3; large_runs=1; extra=(); report=BENCHMARKS.md
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --large-runs) large_runs="$2"; shift 2 ;;
        --no-engine) extra+=(--no-engine); shift ;;
        --no-report) report=""; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done

for tool in sqlite3 python3 swift /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing (Debian: apt-get install -y sqlite3 time python3-venv)" >&2; exit 69; }
done

swift build -c release --product shopseg
swift build -c release --product shopseg-bench
bin="$(swift build -c release --show-bin-path)"

venv=.build/bench-venv
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install -q -r bench/requirements.txt

args=(--shopseg "$bin/shopseg" --bench "$bin/shopseg-bench" --work .build/bench --sizes "$sizes" --runs "$runs" --large-runs "$large_runs")
[ -n "$report" ] && args+=(--report "$report")
exec "$venv/bin/python" bench/run.py "${args[@]}" "${extra[@]+"${extra[@]}"}"
