#!/bin/sh
# Puts the Erlang cookie and the default user's password from Swarm secrets in place, then hands
# over to the image's entrypoint (which drops root). Neither value is ever written to a config.
set -eu
install -o rabbitmq -g rabbitmq -m 0400 /run/secrets/rabbitmq_erlang_cookie \
  /var/lib/rabbitmq/.erlang.cookie
{
  echo "default_user = platform"
  echo "default_pass = $(cat /run/secrets/rabbitmq_password)"
} >/etc/rabbitmq/conf.d/30-default-user.conf
chown rabbitmq:rabbitmq /etc/rabbitmq/conf.d/30-default-user.conf
chmod 0400 /etc/rabbitmq/conf.d/30-default-user.conf
exec docker-entrypoint.sh "$@"
