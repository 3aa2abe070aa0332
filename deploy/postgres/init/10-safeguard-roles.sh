#!/bin/sh
# Runs once, as the cluster's superuser, when the PostgreSQL data volume is first initialised (the image runs
# /docker-entrypoint-initdb.d/*), and creates the roles of README "Database roles and the audit log":
#   safeguard_owner    owns the database and runs the migrations. Not a superuser: a superuser could switch
#                      the audit log's triggers off (session_replication_role). CREATEROLE, because the
#                      migrations' idempotent CREATE ROLE safeguard_app needs it even to find the role there.
#   safeguard_app      the NOLOGIN group the migrations grant to, created first so the next role can join it.
#   safeguard_service  the LOGIN role the replicas connect as (through PgBouncer): a member of safeguard_app,
#                      which may alter no schema and may only INSERT into and SELECT from audit_event.
# The passwords are compose secrets (deploy/make-secrets.sh), read by psql itself so no command line shows them.
set -eu

psql --no-psqlrc --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
\set owner_password `cat /run/secrets/db_owner_password`
\set service_password `cat /run/secrets/db_service_password`
CREATE ROLE safeguard_owner LOGIN CREATEROLE PASSWORD :'owner_password';
CREATE DATABASE safeguard OWNER safeguard_owner;
REVOKE ALL ON DATABASE safeguard FROM PUBLIC;
CREATE ROLE safeguard_app NOLOGIN;
GRANT CONNECT ON DATABASE safeguard TO safeguard_app;
CREATE ROLE safeguard_service LOGIN PASSWORD :'service_password' IN ROLE safeguard_app;
-- The app's own backstops (DATABASE_*_TIMEOUT_MS), which cannot pass through PgBouncer as startup parameters.
ALTER ROLE safeguard_service SET statement_timeout = '30s';
ALTER ROLE safeguard_service SET idle_in_transaction_session_timeout = '30s';
SQL
