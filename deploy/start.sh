#!/usr/bin/env bash
# Starts mcp-tools from a checkout.
#   ./start.sh prod [--build] [--clean]   Docker Compose: PostgreSQL, Redis, migrate, MCP, admin, nginx
#   ./start.sh dev [--clean]              on this machine without Docker: `pnpm dev` (embedded
#                                         database in .data, in-process bus, restarts on change)
#   --build   rebuild the image first (prod)
#   --clean   prod: remove the containers and their volumes (all data) first; dev: remove .data
set -euo pipefail

DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$DEPLOY_DIR/.." && pwd)
PNPM_VERSION=10.34.8

usage() {
  printf 'Usage: %s prod|dev [--build] [--clean]\n' "$0" >&2
  printf '  prod     Docker Compose (deploy/docker-compose.yml); needs deploy/.env\n' >&2
  printf '  dev      pnpm dev on this machine, no Docker\n' >&2
  printf '  --build  rebuild the image before starting (prod)\n' >&2
  printf '  --clean  prod: docker compose down -v first (deletes the data); dev: delete .data\n' >&2
  exit 2
}

mode=${1:-}
[[ $mode == prod || $mode == dev ]] || usage
shift
build=false
clean=false
for arg in "$@"; do
  case $arg in
    --build) build=true ;;
    --clean) clean=true ;;
    *) usage ;;
  esac
done

start_prod() {
  if [[ ! -f $DEPLOY_DIR/.env ]]; then
    printf 'No %s: copy deploy/.env.example there and set its passwords first.\n' "$DEPLOY_DIR/.env" >&2
    exit 1
  fi
  local compose=(docker compose -f "$DEPLOY_DIR/docker-compose.yml" --project-directory "$DEPLOY_DIR")
  if $clean; then
    "${compose[@]}" down -v --remove-orphans
  fi
  local up=(up -d)
  if $build; then
    up+=(--build)
  fi
  "${compose[@]}" "${up[@]}"
  "${compose[@]}" ps
}

start_dev() {
  if $build; then
    printf 'dev runs from source; --build is ignored\n' >&2
  fi
  cd "$ROOT"
  if $clean; then
    rm -rf "$ROOT/.data"
  fi
  if ! command -v pnpm >/dev/null; then
    npm install -g "pnpm@$PNPM_VERSION"
  fi
  if [[ ! -d $ROOT/node_modules ]]; then
    pnpm install --frozen-lockfile
  fi
  exec pnpm dev
}

if [[ $mode == prod ]]; then
  start_prod
else
  start_dev
fi
