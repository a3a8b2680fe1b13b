#!/bin/bash
# First start of the PostgreSQL container only: one login role and one database per subgraph and
# the gateway, and one for the audit checkpoints. Each role owns its database and nothing else: not a superuser, cannot create
# databases or roles, and no other role (but the superuser) may connect to its database.
set -euo pipefail
make() { # role, database, password
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="$1" -v db="$2" -v password="$3" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
}
make nimo_directory nimo_directory "$DIRECTORY_DB_PASSWORD"
make nimo_consultation nimo_consultation "$CONSULTATION_DB_PASSWORD"
make nimo_adviser_support nimo_adviser_support "$ADVISER_SUPPORT_DB_PASSWORD"
make nimo_training nimo_training "$TRAINING_DB_PASSWORD"
make nimo_gateway nimo_gateway "$GATEWAY_DB_PASSWORD"
# The audit checkpoints (docs/audit.md): outside every subgraph's own database, under a role of its own.
make nimo_audit nimo_audit "$AUDIT_DB_PASSWORD"
