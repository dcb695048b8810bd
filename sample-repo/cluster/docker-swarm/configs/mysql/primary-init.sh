#!/bin/sh
# Runs once, on the primary's first start: the replication user and the orders application user.
# Passwords come from the Swarm secrets mounted under /run/secrets.
set -eu
repl_password=$(cat /run/secrets/mysql_replication_password)
orders_password=$(cat /run/secrets/orders_db_password)
mysql -uroot -p"$(cat /run/secrets/mysql_root_password)" <<SQL
CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY '${repl_password}';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
CREATE DATABASE IF NOT EXISTS orders;
CREATE USER IF NOT EXISTS 'orders'@'%' IDENTIFIED BY '${orders_password}';
GRANT SELECT, INSERT, UPDATE, DELETE ON orders.* TO 'orders'@'%';
SQL
