#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on 127.0.0.1 for the checkpointer tests (installed from
# Debian's packages when missing) and print the export line for its URL. Usage: eval "$(.ci/postgres.sh start)"; .ci/postgres.sh stop
set -euo pipefail
PORT="${PAPER2CODE_PG_PORT:-55432}"
DATA="${PAPER2CODE_PG_DATA:-/tmp/paper2code-pg-$PORT}"

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
      echo "installing PostgreSQL from Debian's packages" >&2
      SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
      $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
    fi
    BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    if [ -f "$DATA/postmaster.pid" ]; then as_owner "$BIN/pg_ctl" -D "$DATA" -m immediate stop >&2 || true; fi
    rm -rf "$DATA" && mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U paper2code --auth=trust >/dev/null
    # Loopback only; the socket goes in the data folder so no system folder is needed.
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
    as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U paper2code paper2code_test
    echo "export PAPER2CODE_TEST_POSTGRES_URL=postgres://paper2code@127.0.0.1:$PORT/paper2code_test"
    ;;
  stop)
    BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop >&2 || true
    rm -rf "$DATA"
    ;;
esac
