-- Runs once, when the postgres container first creates its data volume (the image's
-- /docker-entrypoint-initdb.d), as POSTGRES_USER connected to POSTGRES_DB. That role owns the
-- database mcp-tools uses. The tables are not here: the migrations create them (the compose
-- `migrate` service, the Kubernetes Job, or any service at start-up).
--
-- On a PostgreSQL of your own, a superuser prepares the same with:
--   CREATE ROLE mcp_tools LOGIN PASSWORD '...';
--   CREATE DATABASE mcp_tools OWNER mcp_tools;
-- Nothing else is needed: the schema uses only built-in features (gen_random_uuid, tsvector).

-- Timestamps are stored with their time zone; UTC keeps what psql and logs show unambiguous.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'UTC');
  -- Only the owner connects: other roles on a shared server have no business here.
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
END
$$;

-- PostgreSQL 15 and later already keep other roles from creating objects in schema public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
