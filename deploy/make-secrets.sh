#!/bin/sh
# Writes the secrets compose.yaml reads, once, into ./secrets (or the folder given): random passwords and keys,
# and the connection URLs and PgBouncer userlist made from them, so that they agree with each other.
# Usage: deploy/make-secrets.sh [folder]
set -eu

dir=${1:-"$(dirname "$0")/../secrets"}
if [ -e "$dir" ]; then
  echo "$dir already exists: secrets are written once (rotate one by hand, then restart what reads it)" >&2
  exit 1
fi

# 32 random bytes as 64 hex digits: safe inside a URL and a userlist line without escaping.
random() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

umask 077
mkdir -p "$dir"
owner=$(random)
service=$(random)
printf '%s\n' "$(random)" >"$dir/postgres_password"
printf '%s\n' "$owner" >"$dir/db_owner_password"
printf '%s\n' "$service" >"$dir/db_service_password"
# The owner migrates straight to PostgreSQL; the replicas connect through PgBouncer.
printf 'postgres://safeguard_owner:%s@postgres:5432/safeguard\n' "$owner" >"$dir/migrations_database_url"
printf 'postgres://safeguard_service:%s@pgbouncer:6432/safeguard\n' "$service" >"$dir/database_url"
printf '"safeguard_service" "%s"\n' "$service" >"$dir/pgbouncer_userlist"
printf '%s\n' "$(random)" >"$dir/jwt_secret"
printf '%s\n' "$(random)" >"$dir/bootstrap_admin_password"
printf '%s\n' "$(random)" >"$dir/metrics_token"

# Compose bind-mounts each file into containers whose users are not you: the files must be readable there.
# The folder stays yours alone.
chmod 0644 "$dir"/*
chmod 0700 "$dir"
echo "wrote $(ls "$dir" | wc -l) secrets to $dir; the first platform admin's password is in $dir/bootstrap_admin_password"
