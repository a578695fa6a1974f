#!/usr/bin/env bash
# Load test of the catalogue against the ceiling of this stack, on loopback only, bounded in time.
#
#   tests/load/run.sh                 # demo data: home, search, procedure page, API
#   GENERATE=100000 tests/load/run.sh # the same after generating 100,000 procedures
#
# Builds the release binary and the stack's anchor (../shared/tools/anchor: TechEmpower
# "fortunes" on axum + sqlx + askama), starts both on loopback ports, measures the anchor and each
# path with wrk (2 threads, 64 connections, DURATION each, after a warm-up) and prints req/s,
# p50/p99/max latency and each path's ratio to the anchor. Needs wrk (`apt-get install wrk`).
# Env: DURATION=10s CONNS=64 THREADS=2 WARMUP=2s GENERATE=0 ANCHOR_DIR=../shared/tools/anchor
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10s}; CONNS=${CONNS:-64}; THREADS=${THREADS:-2}; WARMUP=${WARMUP:-2s}
GENERATE=${GENERATE:-0}
ANCHOR_DIR=${ANCHOR_DIR:-../shared/tools/anchor}
APP_PORT=${APP_PORT:-18080}; ANCHOR_PORT=${ANCHOR_PORT:-18001}
base_url=${DATABASE_URL:-postgres:///motcua?host=/var/run/postgresql}
# shellcheck source=tests/load/lib.sh
. tests/load/lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install wrk" >&2; exit 2; }

echo "== building (release)"
cargo build --release --quiet
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

anchor_url=""
if [ -d "$ANCHOR_DIR" ]; then
  rm -rf target/anchor-src && cp -r "$ANCHOR_DIR" target/anchor-src && chmod -R u+w target/anchor-src
  (cd target/anchor-src && cargo build --release --quiet --target-dir ../anchor-build)
  anchor_db=$(db_url motcua_anchor)
  psql "$(db_url postgres)" -qtc "drop database if exists motcua_anchor" -c "create database motcua_anchor" >/dev/null
  psql "$anchor_db" -q -f target/anchor-src/fortune.sql >/dev/null
  DATABASE_URL=$anchor_db ANCHOR_ADDR=127.0.0.1:$ANCHOR_PORT target/anchor-build/release/anchor >/dev/null 2>&1 &
  pids+=($!)
  anchor_url=http://127.0.0.1:$ANCHOR_PORT/fortunes
else
  echo "(no anchor at $ANCHOR_DIR: absolute figures only)"
fi

load_db=$(db_url motcua_load)
# a fresh database each run, so that GENERATE=0 measures the demo data alone
psql "$(db_url postgres)" -qtc "drop database if exists motcua_load" >/dev/null
DATABASE_URL=$load_db target/release/motcua migrate >/dev/null
if [ "$GENERATE" -gt 0 ]; then
  echo "== generating $GENERATE procedures"
  DATABASE_URL=$load_db target/release/motcua generate --procedures "$GENERATE"
fi
DATABASE_URL=$load_db MOTCUA_LOG_FORMAT=json RUST_LOG=warn \
  target/release/motcua demo --addr 127.0.0.1:$APP_PORT >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$APP_PORT/readyz" >/dev/null && { [ -z "$anchor_url" ] || curl -sf "$anchor_url" >/dev/null; } && break
  sleep 0.2
done

lua=$(mktemp --suffix=.lua)
trap 'cleanup; rm -f "$lua"' EXIT
cat > "$lua" <<'LUA'
done = function(s, lat, req)
  io.write(string.format("RESULT %.1f %.3f %.3f %.3f %d %d\n", s.requests / (s.duration / 1e6),
    lat:percentile(50) / 1000, lat:percentile(99) / 1000, lat.max / 1000,
    s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout, s.errors.status))
end
LUA
measure() {
  [ "$WARMUP" != 0 ] && timeout 60 wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "$1" >/dev/null 2>&1
  timeout 120 wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "$lua" "$1" 2>&1 | grep '^RESULT'
}

echo "== $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), wrk -t$THREADS -c$CONNS -d$DURATION, generated=$GENERATE"
anchor_rps=""
if [ -n "$anchor_url" ]; then
  read -r _ anchor_rps ap50 ap99 _ <<< "$(measure "$anchor_url")"
  printf '%-44s %10.0f req/s  p50 %6.2f ms  p99 %6.2f ms\n' "anchor /fortunes" "$anchor_rps" "$ap50" "$ap99"
fi
printf '%-44s %10s %9s %9s %9s %7s %7s %s\n' PATH req/s p50_ms p99_ms max_ms sockerr non2xx vs_anchor
rc=0
for path in "/" "/thu-tuc?q=dang+ky" "/thu-tuc/1.001193" "/api/v1/procedures?q=ket+hon" "/thu-tuc?q=cap+giay+phep" "/tra-cuu" "/phan-anh"; do
  url="http://127.0.0.1:$APP_PORT$path"
  line=$(measure "$url") || { echo "$path: wrk failed" >&2; rc=1; continue; }
  read -r _ rps p50 p99 mx se nx <<< "$line"
  ratio=""; [ -n "$anchor_rps" ] && ratio=$(python3 -c "print('%.2f' % ($rps / $anchor_rps))")
  printf '%-44s %10.0f %9.2f %9.2f %9.2f %7d %7d %s\n' "$path" "$rps" "$p50" "$p99" "$mx" "$se" "$nx" "$ratio"
  [ "$se" -eq 0 ] && [ "$nx" -eq 0 ] || rc=1
done

# Uncached searches: random two- and three-word queries (and filters), so that almost every
# request misses the in-memory cache and runs its query in PostgreSQL.
mix=$(mktemp --suffix=.lua)
cat "$lua" > "$mix"
cat >> "$mix" <<'LUA'
local words = {"dang","ky","cap","giay","phep","gia","han","chung","nhan","thay","doi","xac",
  "khai","sinh","ket","hon","thuong","tru","ban","sao","ho","kinh","doanh","duoc","xay","dung",
  "van","tai","thuc","pham","hanh","nghe","to","chuc","ca","nhan","lai","thu","hoi","dieu","chinh"}
local levels = {"", "", "", "&level=full", "&level=partial"}
math.randomseed(os.time())
request = function()
  local n = math.random(2, 3)
  local q = {}
  for i = 1, n do q[i] = words[math.random(#words)] end
  return wrk.format("GET", "/thu-tuc?q=" .. table.concat(q, "+") .. levels[math.random(#levels)])
end
LUA
url="http://127.0.0.1:$APP_PORT/"
[ "$WARMUP" != 0 ] && timeout 60 wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$mix" "$url" >/dev/null 2>&1
line=$(timeout 120 wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "$mix" "$url" 2>&1 | grep '^RESULT') || line=""
rm -f "$mix"
if [ -n "$line" ]; then
  read -r _ rps p50 p99 mx se nx <<< "$line"
  ratio=""; [ -n "$anchor_rps" ] && ratio=$(python3 -c "print('%.2f' % ($rps / $anchor_rps))")
  printf '%-44s %10.0f %9.2f %9.2f %9.2f %7d %7d %s\n' "/thu-tuc?q=<random words> (uncached)" "$rps" "$p50" "$p99" "$mx" "$se" "$nx" "$ratio"
  [ "$se" -eq 0 ] && [ "$nx" -eq 0 ] || rc=1
else
  echo "uncached search mix: wrk failed" >&2; rc=1
fi
exit $rc
