#!/usr/bin/env bash
# What `make test` needs on this machine, shared by `make test` and `.ci/run`: Redis and PostgreSQL on
# 127.0.0.1 (started when down, installed with apt-get when absent) and Debian's Chromium for the
# dashboard's browser test. When something cannot be provided it stops at once with one line naming
# what is missing and the command that installs it, instead of a failure at the end of a long run.
set -euo pipefail

missing_line() { echo "make test: $1 is missing and could not be installed; install it with: $2" >&2; exit 1; }

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v pg_ctlcluster >/dev/null 2>&1 || need_apt+=(postgresql)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need_apt[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null; } \
      || missing_line "${need_apt[*]}" "sudo apt-get install -y ${need_apt[*]}"
  else
    missing_line "${need_apt[*]}" "sudo apt-get install -y ${need_apt[*]}"
  fi
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 6379; then
  echo "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi

if ! port_open 5432; then
  echo "starting PostgreSQL"
  version=$(ls /etc/postgresql | sort -V | tail -n1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi

for _ in $(seq 1 30); do port_open 6379 && port_open 5432 && break; sleep 1; done
port_open 6379 || missing_line "Redis on 127.0.0.1:6379" "sudo apt-get install -y redis-server"
port_open 5432 || missing_line "PostgreSQL on 127.0.0.1:5432" "sudo apt-get install -y postgresql"

# The tests connect as postgres with trust auth on loopback and create their databases from `test`.
if command -v psql >/dev/null 2>&1 && ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
  su postgres -c "psql -c \"create database test\"" >/dev/null 2>&1 || true
  psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1 \
    || missing_line "PostgreSQL database 'test' with trust auth for postgres on 127.0.0.1" \
      "see README: Two commands (trust auth on loopback, createdb test)"
fi
