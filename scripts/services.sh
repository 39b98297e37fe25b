#!/usr/bin/env bash
# Makes sure the local PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) that `make test`
# uses are up: starts whichever is down, waits until it answers, fails clearly after ~30 s.
# Running it again when both are up changes nothing.
set -euo pipefail

timeout_s=${SERVICES_TIMEOUT:-30}

if [[ $(id -u) -eq 0 ]]; then
    sudo=()
else
    sudo=(sudo -n)
fi

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
redis_up() { [[ $(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null) == PONG ]]; }

wait_for() {
    local name=$1 probe=$2 hint=$3
    for ((i = 0; i < timeout_s; i++)); do
        if "$probe"; then
            echo "services: $name is up"
            return 0
        fi
        sleep 1
    done
    echo "services: $name did not answer within ${timeout_s}s. $hint" >&2
    exit 1
}

if pg_up; then
    echo "services: PostgreSQL is up"
else
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
    if [[ -z $version ]]; then
        echo "services: no PostgreSQL cluster under /etc/postgresql; run scripts/system-deps.sh test" >&2
        exit 1
    fi
    echo "services: starting PostgreSQL $version"
    # Exit status ignored: a cluster that is already starting makes pg_ctlcluster complain.
    "${sudo[@]}" pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
        echo "services: pg_ctlcluster returned an error; waiting for PostgreSQL anyway" >&2
    wait_for PostgreSQL pg_up "See /var/log/postgresql/postgresql-$version-main.log."
fi

if redis_up; then
    echo "services: Redis is up"
else
    echo "services: starting Redis"
    "${sudo[@]}" mkdir -p /var/lib/redis /var/log/redis || true
    "${sudo[@]}" redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
        --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log ||
        echo "services: redis-server returned an error; waiting for Redis anyway" >&2
    wait_for Redis redis_up "See /var/log/redis/ci.log."
fi
