#!/usr/bin/env bash
# What anonymous clients can make the portal do, on loopback only, bounded in count and time:
#
#   tests/load/anonymous.sh          # 5 s of anonymous page requests, 2 s of forged callbacks,
#                                    # then the password floods
#
# 1. Anonymous GET requests (tens of thousands) over the pages that carry a form (public tracking, a procedure's
#    page, the feedback form, sign-in, registration, a rating link that does not exist, the
#    language switch) and forged payment callbacks: counts the rows of every table before
#    and after, and the session rows. Looking writes nothing; a forged callback is counted in a
#    bounded counter (one row per reason), not stored per request.
# 2. Wrong passwords from one address for ever new names, then registrations: how many Argon2
#    hashes the address caused before it was stopped, and in what time (bounded by
#    login_ip_lock_failures and anonymous_hashes_per_window per window).
# Needs wrk (`apt-get install wrk`). Env: PAGES_FOR=5s CALLBACKS_FOR=2s APP_PORT=18090
set -euo pipefail
cd "$(dirname "$0")/../.."

PAGES_FOR=${PAGES_FOR:-5s}
CALLBACKS_FOR=${CALLBACKS_FOR:-2s}
APP_PORT=${APP_PORT:-18090}
base_url=${DATABASE_URL:-postgres:///motcua?host=/var/run/postgresql}
# shellcheck source=tests/load/lib.sh
. tests/load/lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install wrk" >&2; exit 2; }

echo "== building (release)"
cargo build --release --quiet
db=$(db_url motcua_anon)
psql "$(db_url postgres)" -qtc "drop database if exists motcua_anon" >/dev/null
DATABASE_URL=$db target/release/motcua migrate >/dev/null
DATABASE_URL=$db RUST_LOG=warn target/release/motcua demo --addr 127.0.0.1:$APP_PORT >/dev/null 2>&1 &
pid=$!
lua=$(mktemp --suffix=.lua)
jar=$(mktemp)
finish() {
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  rm -f "$lua" "$jar"
  psql "$(db_url postgres)" -qtc "drop database if exists motcua_anon" >/dev/null 2>&1 || true
}
trap finish EXIT
base=http://127.0.0.1:$APP_PORT
for _ in $(seq 1 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done

# every row of every table of the portal's schema
rows() {
  psql "$db" -qtAc "select sum((xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I', schemaname, tablename), false, true, '')))[1]::text::bigint) from pg_tables where schemaname = 'public'"
}
sessions() { psql "$db" -qtAc "select count(*) from sessions"; }

# wrk for $1 over the paths given in turn; prints "SENT requests non2xx"
burst() {
  local duration=$1; shift
  {
    printf 'local paths = {'
    for p in "$@"; do printf '"%s",' "$p"; done
    printf '}\nlocal n = 0\nrequest = function()\n  n = n + 1\n'
    printf '  return wrk.format("GET", paths[(n %% #paths) + 1])\nend\n'
    printf 'done = function(s)\n  io.write(string.format("SENT %%d %%d\\n", s.requests, s.errors.status))\nend\n'
  } > "$lua"
  timeout 120 wrk -t2 -c16 -d"$duration" -s "$lua" "$base/" 2>&1 | grep '^SENT'
}

rows_before=$(rows); sessions_before=$(sessions)
echo "== $(date -u +%FT%TZ) anonymous page requests for $PAGES_FOR"
read -r _ sent _ <<< "$(burst "$PAGES_FOR" /tra-cuu "/tra-cuu?code=000.00.00.H48-251117-0003" /thu-tuc/1.001193 \
  /phan-anh /phan-anh/theo-doi /account/login /account/register \
  /danh-gia/00000000000000000000000000000000 "/ngon-ngu/en?next=/thu-tuc" /thong-ke)"
echo "== forged payment callbacks for $CALLBACKS_FOR"
read -r _ sent_ipn _ <<< "$(burst "$CALLBACKS_FOR" \
  "/api/v1/payments/vnpay/ipn?vnp_TxnRef=1&vnp_Amount=100&vnp_SecureHash=00" \
  "/api/v1/payments/vnpay/ipn?vnp_TxnRef=2&vnp_Amount=200&vnp_SecureHash=11")"
rows_after=$(rows); sessions_after=$(sessions)
printf '%-52s %s\n' "anonymous requests sent (pages, callbacks)" "$sent, $sent_ipn"
printf '%-52s %s\n' "session rows created" "$((sessions_after - sessions_before))"
printf '%-52s %s\n' "rows created in all tables" "$((rows_after - rows_before))"
printf '%-52s %s\n' "rows created per 10,000 anonymous requests" \
  "$(python3 -c "print('%.2f' % (($rows_after - $rows_before) * 10000 / ($sent + $sent_ipn)))")"

echo "== wrong passwords from one address, each for a new name"
token=$(curl -s -c "$jar" -b "$jar" "$base/account/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
start=$(date +%s.%N); checked=0; locked=0
for i in $(seq 1 300); do
  body=$(curl -s -c "$jar" -b "$jar" --data-urlencode "csrf=$token" \
    --data-urlencode "login=09$(printf '%08d' "$i")" --data-urlencode "password=sai-mat-khau-$i" \
    "$base/account/login")
  if grep -q "Đã nhập sai quá nhiều lần" <<< "$body"; then locked=$((locked + 1)); else checked=$((checked + 1)); fi
done
elapsed=$(python3 -c "import time; print('%.1f' % (time.time() - $start))")
printf '%-52s %s\n' "sign-in attempts, checked (hashed), refused at once" "300, $checked, $locked"
printf '%-52s %s\n' "seconds for the 300" "$elapsed"

echo "== registrations from one address"
token=$(curl -s -c "$jar" -b "$jar" "$base/account/register" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
hashed=0; refused=0
for i in $(seq 1 60); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "csrf=$token" \
    --data-urlencode "full_name=Người Thử $i" --data-urlencode "personal_id=0510999$(printf '%05d' "$i")" \
    --data-urlencode "phone=097$(printf '%07d' "$i")" --data-urlencode "email=" \
    --data-urlencode "password=mat-khau-dai-du-$i-abc" --data-urlencode "password_confirm=mat-khau-dai-du-$i-abc" \
    "$base/account/register")
  if [ "$code" = 429 ]; then refused=$((refused + 1)); else hashed=$((hashed + 1)); fi
done
printf '%-52s %s\n' "registrations sent, let through, refused (429)" "60, $hashed, $refused"
