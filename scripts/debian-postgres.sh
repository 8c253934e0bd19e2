#!/usr/bin/env bash
# Starts the machine's Debian PostgreSQL 15 (installed but stopped on this kind of machine)
# with a role that may create databases and roles (each integration test file makes a role of
# the console's kind: test/support/test-database.ts), and prints its URL: the DATABASE_URL
# path is tested against it as well as against the embedded Postgres. Prints nothing when
# there is no Debian cluster.
set -euo pipefail
command -v pg_ctlcluster >/dev/null 2>&1 || exit 0
[ -d /etc/postgresql/15/main ] || exit 0
pg_ctlcluster 15 main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.5
done
su postgres -c "psql -q -p 5432 -v ON_ERROR_STOP=1" >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'catchment_ci') THEN
    CREATE ROLE catchment_ci LOGIN CREATEDB CREATEROLE PASSWORD 'catchment_ci';
  END IF;
  ALTER ROLE catchment_ci CREATEDB CREATEROLE;
END $$;
-- A test database is dropped WITH (FORCE): an autovacuum worker busy in it then has to be ended,
-- which a role that is no superuser may do only as a member of pg_signal_backend.
GRANT pg_signal_backend TO catchment_ci;
SELECT 'CREATE DATABASE catchment_ci OWNER catchment_ci' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'catchment_ci')\gexec
SQL
echo "postgresql://catchment_ci:catchment_ci@127.0.0.1:5432/catchment_ci"
