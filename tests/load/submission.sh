#!/usr/bin/env bash
# Throughput of online submission (issue 4: ≥ 300 dossiers/s, each with one 1 MB attachment;
# "My dossiers" p99 ≤ 30 ms), compared between builds in alternate runs: this virtual
# machine's speed drifts over a day, so only runs close together compare.
#
#   tests/load/submission.sh                         # this build, RUNS times
#   tests/load/submission.sh /tmp/motcua-old target/release/motcua
#
# Each run gets a fresh database (motcua_bench on the server of DATABASE_URL) and a new uploads
# directory under UPLOADS, and files DOSSIERS dossiers with CONCURRENCY citizens' sessions
# through `motcua bench-submission`; the machine's busy CPU time during the run is read from
# /proc/stat. Uploads are deleted when the script ends, not between runs (each run leaves
# 2 GB, and a day of runs once filled this machine's disk), and the next invocation waits until
# that deletion is six minutes old: ext4 without a journal, as here, skips an inode freed in
# the last minute (five more while its inode table block is unwritten) when it creates a file,
# testing them one by one; right after a deletion of thousands of uploads that took a tenth of
# the CPU, and three invocations in a row fell from 374 to 312 to 266 dossiers/s.
# Env: RUNS=3 DOSSIERS=2000 CONCURRENCY=16 UPLOADS=/tmp/motcua-bench-uploads
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-3}; DOSSIERS=${DOSSIERS:-2000}; CONCURRENCY=${CONCURRENCY:-16}
UPLOADS=${UPLOADS:-/tmp/motcua-bench-uploads}
base_url=${DATABASE_URL:-postgres:///motcua?host=/var/run/postgresql}
# shellcheck source=tests/load/lib.sh
. tests/load/lib.sh
command -v psql >/dev/null || { echo "psql is missing (apt-get install postgresql-client)" >&2; exit 2; }

binaries=("$@")
if [[ ${#binaries[@]} -eq 0 ]]; then
  echo "== building (release)"
  cargo build --release --quiet
  binaries=(target/release/motcua)
fi

busy() { # jiffies the machine spent working (user, nice, system, irq, softirq)
  local _ user nice system idle iowait irq softirq rest
  read -r _ user nice system idle iowait irq softirq rest < /proc/stat
  echo $((user + nice + system + irq + softirq))
}

mkdir -p "$UPLOADS"
stamp=$UPLOADS/.deleted-at
if [[ -f $stamp ]]; then
  wait=$(( $(cat "$stamp") + 360 - $(date +%s) ))
  if (( wait > 0 )); then
    echo "== waiting ${wait} s for ext4 to stop skipping the last invocation's deleted uploads"
    sleep "$wait"
  fi
fi
made=()
trap 'rm -rf "${made[@]}"; date +%s > "$stamp"' EXIT
for run in $(seq "$RUNS"); do
  for binary in "${binaries[@]}"; do
    psql -d "$(db_url postgres)" -qc "drop database if exists motcua_bench" >/dev/null 2>&1
    dir="$UPLOADS/$(date +%s%N)"
    made+=("$dir")
    before=$(busy)
    out=$(DATABASE_URL=$(db_url motcua_bench) MOTCUA_UPLOAD_DIR=$dir \
      "$binary" bench-submission --dossiers "$DOSSIERS" --concurrency "$CONCURRENCY" 2>/dev/null)
    after=$(busy)
    echo "run $run, $binary:"
    echo "$out" | grep -E "dossiers/s|My dossiers|each request" | sed 's/^/  /'
    echo "  machine busy: $((after - before)) jiffies"
  done
done
