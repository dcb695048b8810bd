#!/bin/sh
# Runs once, on the replica's first start: follow the primary with GTID auto-positioning.
set -eu
repl_password=$(cat /run/secrets/mysql_replication_password)
mysql -uroot -p"$(cat /run/secrets/mysql_root_password)" <<SQL
CHANGE REPLICATION SOURCE TO
  SOURCE_HOST='mysql-primary',
  SOURCE_USER='repl',
  SOURCE_PASSWORD='${repl_password}',
  SOURCE_AUTO_POSITION=1,
  GET_SOURCE_PUBLIC_KEY=1;
START REPLICA;
SQL
