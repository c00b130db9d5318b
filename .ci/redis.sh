#!/usr/bin/env bash
# Start a throw-away Redis on 127.0.0.1 for the distributed batch test (Debian's redis-server, installed
# when missing) and print the export line for its URL. Usage: eval "$(.ci/redis.sh start)"; .ci/redis.sh stop
set -euo pipefail
PORT="${PAPER2CODE_REDIS_PORT:-56379}"
DATA="${PAPER2CODE_REDIS_DATA:-/tmp/paper2code-redis-$PORT}"

case "${1:-start}" in
  start)
    if ! command -v redis-server >/dev/null; then
      echo "installing Redis from Debian's packages" >&2
      SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
      $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >&2
    fi
    rm -rf "$DATA" && mkdir -p "$DATA"
    redis-server --port "$PORT" --bind 127.0.0.1 --dir "$DATA" --save "" --appendonly no --daemonize yes \
      --pidfile "$DATA/redis.pid" --logfile "$DATA/redis.log" >&2
    for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    echo "export PAPER2CODE_TEST_REDIS_URL=redis://127.0.0.1:$PORT"
    ;;
  stop)
    redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$DATA"
    ;;
esac
