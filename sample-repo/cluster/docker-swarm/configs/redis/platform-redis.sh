#!/bin/sh
# Starts one Redis role with the password from the Swarm secret, so it never sits in a config.
#   platform-redis.sh server | replica | sentinel
set -eu
password=$(cat /run/secrets/redis_password)
case "${1:-server}" in
  server)
    exec redis-server --appendonly yes --requirepass "$password" --masterauth "$password"
    ;;
  replica)
    exec redis-server --appendonly yes --requirepass "$password" --masterauth "$password" \
      --replicaof redis-primary 6379
    ;;
  sentinel)
    # Sentinel rewrites its configuration file: give it a writable copy.
    cp /etc/redis/sentinel.conf /tmp/sentinel.conf
    echo "sentinel auth-pass platform $password" >>/tmp/sentinel.conf
    exec redis-sentinel /tmp/sentinel.conf
    ;;
  *)
    echo "unknown role: $1" >&2
    exit 64
    ;;
esac
