#!/usr/bin/env bash
# Latency of the reports with a province's history (issue 9: with 1,000,000 dossiers the
# province dashboard for a year in ≤ 1 s, a unit's month in ≤ 200 ms), on loopback only.
#
#   tests/load/reports.sh                 # the database of tests/load/back_office.sh, or a new one
#   GENERATE=100000 tests/load/reports.sh
#
# Builds the release binary, fills motcua_backoffice like back_office.sh when it holds fewer than
# GENERATE generated dossiers, brings the reports' facts up to date, starts `motcua demo` on a
# loopback port, signs in as quantri (the province) and lanhdao (one commune), and times each report RUNS times one after another with
# curl, printing the median and the slowest. Exits non-zero when a median exceeds its target.
# Env: GENERATE=1000000 RUNS=5 APP_PORT=18094 YEAR=2026 MONTH=10
set -euo pipefail
cd "$(dirname "$0")/../.."

GENERATE=${GENERATE:-1000000}; RUNS=${RUNS:-5}; APP_PORT=${APP_PORT:-18094}
YEAR=${YEAR:-2026}; MONTH=${MONTH:-10}
DB_NAME=motcua_backoffice
PASSWORD=MotCua-demo-2026
base_url=${DATABASE_URL:-postgres:///motcua?host=/var/run/postgresql}
# shellcheck source=tests/load/lib.sh
. tests/load/lib.sh
for tool in curl psql; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install curl postgresql-client)" >&2; exit 2; }
done

echo "== building (release)"
cargo build --release --quiet
bin=target/release/motcua
load_db=$(db_url "$DB_NAME")
generated() {
  psql "$load_db" -qAtc "select count(*) from dossiers where source_system = 'generated'" 2>/dev/null || echo 0
}
if [ "$(generated)" -lt "$GENERATE" ]; then
  psql "$(db_url postgres)" -qtc "drop database if exists $DB_NAME" >/dev/null
  DATABASE_URL=$load_db $bin migrate >/dev/null
  echo "== generating $GENERATE dossiers"
  DATABASE_URL=$load_db RUST_LOG=warn $bin generate-dossiers --count "$GENERATE"
fi
psql "$load_db" -qAtc "select 'dossiers: ' || count(*) || ', events: ' || (select count(*) from dossier_events) from dossiers"
# what is still queued for the reports' facts (the server would drain it in the background)
DATABASE_URL=$load_db RUST_LOG=warn $bin refresh-reports

pids=()
tmp=$(mktemp -d)
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
DATABASE_URL=$load_db MOTCUA_LOG_FORMAT=json RUST_LOG=warn \
  $bin demo --addr 127.0.0.1:$APP_PORT >"$tmp/server.log" 2>&1 &
pids+=($!)
origin=http://127.0.0.1:$APP_PORT
for _ in $(seq 1 150); do
  curl -sf "$origin/readyz" >/dev/null && break
  sleep 0.2
done
curl -sf "$origin/readyz" >/dev/null || { echo "the server did not start:" >&2; cat "$tmp/server.log" >&2; exit 1; }

sign_in() { # prints the session cookie ("motcua_sid=…")
  local user=$1 jar=$tmp/$1.jar page token
  page=$(curl -sf -c "$jar" "$origin/staff/login")
  token=$(grep -o 'name="csrf" value="[^"]*"' <<< "$page" | head -1 | sed 's/.*value="//; s/"$//')
  curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "login=$user" \
    --data-urlencode "password=$PASSWORD" --data-urlencode "csrf=$token" "$origin/staff/login"
  awk '$6 == "motcua_sid" { print $6 "=" $7 }' "$jar" | tail -1
}

rc=0
report() { # label user path target_ms
  local label=$1 cookie path=$3 target=$4 times=() status t
  cookie=$(sign_in "$2")
  status=$(curl -s -o "$tmp/page.html" -w '%{http_code}' -H "Cookie: $cookie" "$origin$path")
  [ "$status" = 200 ] || { echo "$path answered $status" >&2; rc=1; return; }
  received=$(grep -o '<tr id="total">.*' "$tmp/page.html" | sed 's/<[^>]*>/ /g' | awk '{print $3}')
  for _ in $(seq 1 "$RUNS"); do
    t=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$origin$path")
    times+=("$(awk -v t="$t" 'BEGIN { printf "%d", t * 1000 }')")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(sed -n "$(( (RUNS + 1) / 2 ))p" <<< "$sorted")
  slowest=$(tail -1 <<< "$sorted")
  verdict=ok; [ "$median" -le "$target" ] || { verdict=OVER; rc=1; }
  printf '%-28s %10s received  median %6d ms  slowest %6d ms  target %5d ms  %s\n' \
    "$label" "$received" "$median" "$slowest" "$target" "$verdict"
}

echo "== $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(generated) generated dossiers"
report "unit, month $MONTH/$YEAR" lanhdao "/staff/reports?kind=month&year=$YEAR&number=$MONTH" 200
report "province, year $YEAR" quantri "/staff/reports?kind=year&year=$YEAR" 1000
exit $rc
