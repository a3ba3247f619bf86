#!/bin/sh
# Run by PostgreSQL's image when it creates its data folder (compose.scale.yml mounts it into
# /docker-entrypoint-initdb.d/): lets `postgres-replica` clone and follow this server over the
# replication protocol, as the database owner (a superuser there), with a password. wal_level
# (replica) and max_wal_senders (10) already have the values streaming replication needs.
set -e
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
