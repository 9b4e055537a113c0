#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (issue 14):
#   url=$(bash .ci/pg.sh start DIR)   # initdb in DIR, listen on 127.0.0.1 and a free port
#   bash .ci/pg.sh stop DIR           # stop it (DIR is left for the caller to remove)
# The server runs as an unprivileged user (postgres refuses root): as root it
# is "nobody". It has one superuser, tuanwu, with a random password (scram),
# so that the tests can create a database per test and try wrong passwords.
# Durability is off (fsync): nothing it holds outlives the test run.
# With PG_SSL_DIR=DIR holding server.crt and server.key, the server also
# speaks TLS with that certificate (the TLS test, data/tls_test.go).
set -euo pipefail
cmd=${1:?usage: pg.sh start|stop DIR}
dir=${2:?usage: pg.sh start|stop DIR}
bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do bindir=$d; done
if [ -z "$bindir" ]; then
  if command -v initdb >/dev/null; then bindir=$(dirname "$(readlink -f "$(command -v initdb)")"); fi
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "pg.sh: 找不到 PostgreSQL 的 initdb（apt-get install postgresql）" >&2; exit 1; }
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u nobody --); fi
case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown nobody "$dir"
  chmod 700 "$dir"
  pass=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  printf '%s\n' "$pass" > "$dir/pw"
  [ "$(id -u)" -ne 0 ] || chown nobody "$dir/pw"
  "${as[@]}" "$bindir/initdb" -D "$dir/data" -U tuanwu --pwfile="$dir/pw" -A scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pw"
  ssl=""
  if [ -n "${PG_SSL_DIR:-}" ]; then
    cp "$PG_SSL_DIR/server.crt" "$PG_SSL_DIR/server.key" "$dir/"
    chmod 600 "$dir/server.key"
    [ "$(id -u)" -ne 0 ] || chown nobody "$dir/server.crt" "$dir/server.key"
    ssl="-c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key"
  fi
  # A free port among 55432–55931, tried from a random one: tests of two
  # packages start servers of their own at the same moment, and a port
  # seen free can be taken before this server binds it; then the next is tried.
  port=""
  first=$((RANDOM % 500))
  for i in $(seq 0 499); do
    p=$((55432 + (first + i) % 500))
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then continue; fi
    rm -f "$dir/server.log"
    if "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $p -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB $ssl" \
      start >/dev/null 2>&1; then
      port=$p
      break
    fi
    grep -q "could not bind\|could not create any TCP/IP sockets\|already in use" "$dir/server.log" || { cat "$dir/server.log" >&2; exit 1; }
  done
  [ -n "$port" ] || { echo "pg.sh: no free port" >&2; exit 1; }
  echo "postgres://tuanwu:$pass@127.0.0.1:$port/postgres?sslmode=disable"
  ;;
stop)
  [ -d "$dir/data" ] && "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
*) echo "usage: pg.sh start|stop DIR" >&2; exit 2 ;;
esac
