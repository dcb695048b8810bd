#!/bin/sh
# Starts one Redis role with the password from the Swarm secret. The password goes into a config
# file under /tmp, never onto the command line.
#   platform-redis.sh server | replica | sentinel
set -eu
password=$(cat /run/secrets/redis_password)
case "${1:-server}" in
  server | replica)
    printf 'requirepass %s\nmasterauth %s\nappendonly yes\ndir /data\n' "$password" "$password" \
      >/tmp/redis.conf
    if [ "$1" = replica ]; then
      echo "replicaof redis-primary 6379" >>/tmp/redis.conf
    fi
    exec redis-server /tmp/redis.conf
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
