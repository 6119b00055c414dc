-- Runs once, when the postgres container initialises an empty data volume
-- (/docker-entrypoint-initdb.d, as the superuser). The same two roles as scripts/postgres.sh:
--   fairlane      owns the database and the schema: runs migrations and fleet-wide jobs.
--   fairlane_app  what the workers process events as: no superuser, no BYPASSRLS, so row-level
--                 security isolates tenants. Migrations grant it access to the tables.
-- Passwords come from the container's environment (psql 15+ \getenv); a missing one stops the init.
\getenv owner_password FAIRLANE_OWNER_PASSWORD
\getenv app_password FAIRLANE_APP_PASSWORD

CREATE ROLE fairlane WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE fairlane_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_password';
CREATE DATABASE fairlane OWNER fairlane ENCODING 'UTF8';
