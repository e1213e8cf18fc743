#!/usr/bin/env bash
# The container's entry point, behind tini (ENTRYPOINT in deploy/Dockerfile). Also runs from a
# built checkout (`pnpm build`), where it finds the bundles beside this folder.
#
#   start-prod.sh migrate              apply the database migrations and exit (one-shot step)
#   start-prod.sh [launcher flags]     migrate, then run the services (image default: --transport sse --admin)
#   start-prod.sh COMMAND [ARGS...]    run COMMAND instead (a shell for debugging)
#
# Environment:
#   SERVICE=all|mcp|admin              all: the launcher with the flags given; mcp or admin: that
#                                      service alone, flags ignored (one Deployment per service)
#   PROCESS_MANAGER=launcher|supervisord
#                                      supervisord: MCP and admin as two processes (SERVICE=all;
#                                      needs DATABASE_URL and REDIS_URL, their only shared state)
#   MCP_REPLICAS, SUPERVISOR_RUN_DIR   for supervisord (defaults: 1, $TMPDIR/mcp-tools-supervisor)
#   MIGRATE_ON_START=true|false        false where a migrate step ran first (compose, Kubernetes);
#                                      the services still check under an advisory lock at start-up
set -euo pipefail

APP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICE=${SERVICE:-all}
PROCESS_MANAGER=${PROCESS_MANAGER:-launcher}
MIGRATE_ON_START=${MIGRATE_ON_START:-true}

fail() {
  printf 'start-prod.sh: %s\n' "$*" >&2
  exit 2
}

migrate() {
  node "$APP_DIR/services/launcher/dist/migrate.js"
}

case ${1:-} in
  migrate)
    # exec: the migration is the whole job, and its exit code is the container's.
    exec node "$APP_DIR/services/launcher/dist/migrate.js"
    ;;
  "" | -*) ;;
  *) exec "$@" ;;
esac

case $SERVICE in
  all | mcp | admin) ;;
  *) fail "SERVICE must be all, mcp or admin (got \"$SERVICE\")" ;;
esac
case $PROCESS_MANAGER in
  launcher) ;;
  supervisord)
    [[ $SERVICE == all ]] || fail "PROCESS_MANAGER=supervisord runs both services; unset SERVICE (got \"$SERVICE\")"
    [[ -n ${DATABASE_URL:-} && -n ${REDIS_URL:-} ]] ||
      fail "PROCESS_MANAGER=supervisord needs DATABASE_URL and REDIS_URL: separate processes share state only through them"
    ;;
  *) fail "PROCESS_MANAGER must be launcher or supervisord (got \"$PROCESS_MANAGER\")" ;;
esac
case $MIGRATE_ON_START in
  true) migrate ;;
  false) ;;
  *) fail "MIGRATE_ON_START must be true or false (got \"$MIGRATE_ON_START\")" ;;
esac

# exec, so the signals tini forwards reach the process that drains and shuts down.
if [[ $PROCESS_MANAGER == supervisord ]]; then
  # What deploy/supervisord.conf reads from the environment. One MCP process per container:
  # scale containers (or pods), not processes.
  export APP_DIR MCP_PORT=${MCP_PORT:-9090} MCP_REPLICAS=${MCP_REPLICAS:-1}
  export SUPERVISOR_RUN_DIR=${SUPERVISOR_RUN_DIR:-${TMPDIR:-/tmp}/mcp-tools-supervisor}
  mkdir -p "$SUPERVISOR_RUN_DIR"
  exec supervisord --nodaemon --configuration "$APP_DIR/deploy/supervisord.conf"
fi
case $SERVICE in
  mcp) exec node "$APP_DIR/services/mcp-sse/dist/main.js" ;;
  admin) exec node "$APP_DIR/services/admin/dist/main.js" ;;
  *) exec node "$APP_DIR/services/launcher/dist/main.js" "$@" ;;
esac
