# shellcheck shell=bash disable=SC2034,SC2154 # shares variables with .ci/conformance.sh, which sources it
# The servers .ci/conformance.sh tests, sourced by it. `start_target NAME` starts one and sets
# target_url to its /mcp; `stop_target` stops whatever runs and cleans up after it.
#   one       one process: in-memory database, in-process bus (the defaults on a laptop)
#   replicas  two processes sharing PostgreSQL (a fresh database) and Redis (a fresh key prefix),
#             configured as production requires, behind nginx running deploy/nginx.conf
#             (round-robin, no sticky sessions): a request may reach either replica, whichever
#             holds its session
# Both serve the conformance fixture tools the suite calls (CONFORMANCE_FIXTURES=true), and send a
# 2025-11-25 client to poll for a call still running after POLL_AFTER_MS (SSE_POLL_AFTER_MS): the
# fixture test_reconnection runs longer, for server-sse-polling.
# Uses from the caller: ROOT, RESULTS, entry, log, START_TIMEOUT, STOP_TIMEOUT.

TARGETS=(one replicas)
REPLICAS=2
POLL_AFTER_MS=500
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}

target_url=""
target_dir=""
target_pids=()
target_database=""
target_redis_prefix=""
target_nginx_prefix=""
nginx_bin=""

free_port() {
  node -e 'const s = require("node:net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# spawn NAME CMD...: runs CMD in a session of its own (so its whole group can be killed), from the
# repository root, with stdout and stderr in $target_dir/NAME.log.
spawn() {
  local name=$1
  shift
  (cd "$ROOT" && exec setsid "$@") </dev/null >"$target_dir/$name.log" 2>&1 &
  target_pids+=($!)
}

# spawn_server NAME VAR=VALUE...: the server entry point with exactly these settings (and PATH,
# HOME), nothing inherited: a CI's DATABASE_URL must not leak into the one-process target.
# One node process (tsx as a loader, not the tsx CLI) so SIGTERM reaches the server itself.
spawn_server() {
  local name=$1
  shift
  # shellcheck disable=SC2086 # $entry may carry the launcher's flags
  spawn "$name" env -i PATH="$PATH" HOME="$HOME" LOG_LEVEL="${CONFORMANCE_LOG_LEVEL:-info}" "$@" \
    node --import tsx $entry
}

# wait_until WHAT PID CMD...: polls CMD until it succeeds; fails when PID exits or time runs out.
wait_until() {
  local what=$1 pid=$2 deadline=$((SECONDS + START_TIMEOUT))
  shift 2
  until "$@" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "ERROR: $what: the process exited (logs in ${target_dir#"$ROOT"/}/)"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "ERROR: $what: not within ${START_TIMEOUT}s (logs in ${target_dir#"$ROOT"/}/)"
      return 1
    fi
    sleep 0.2
  done
}

answers() { curl -fsS -o /dev/null --max-time 2 "$1"; }

start_target() {
  target_dir=$RESULTS/$1
  mkdir -p "$target_dir"
  case $1 in
    one) start_one ;;
    replicas) start_replicas ;;
    *) log "ERROR: unknown target $1 (targets: ${TARGETS[*]})"; return 1 ;;
  esac
}

start_one() {
  local port
  port=$(free_port)
  log "target one: node --import tsx $entry on port $port (DATA_DIR=memory://, in-process bus, fixture tools)"
  spawn_server server HOST=127.0.0.1 MCP_PORT="$port" DATA_DIR=memory:// CONFORMANCE_FIXTURES=true \
    SSE_POLL_AFTER_MS="$POLL_AFTER_MS"
  wait_until "the server's /health" "${target_pids[-1]}" answers "http://127.0.0.1:$port/health" || return 1
  target_url=http://127.0.0.1:$port/mcp
}

start_replicas() {
  local ports=() port proxy_port secret i
  find_nginx || return 1
  command -v psql >/dev/null || { log "ERROR: target replicas needs psql (apt-get install postgresql-client)"; return 1; }
  create_database || return 1
  target_redis_prefix=mcp-conformance:$(random_hex 6):
  secret=$(random_hex 24)
  proxy_port=$(free_port)
  for ((i = 1; i <= REPLICAS; i++)); do ports+=("$(free_port)"); done
  log "target replicas: ${#ports[@]} x $entry on ports ${ports[*]}, nginx on $proxy_port"
  log "  database ${target_database##*/}, Redis prefix $target_redis_prefix"
  for port in "${ports[@]}"; do
    # Not NODE_ENV=production, which refuses CONFORMANCE_FIXTURES: NODE_ENV only changes what the
    # configuration requires and defaults to, and what production requires is set here (a
    # RELAY_SECRET with REDIS_URL; MCP_AUTH, which production would make `required`, is given).
    # MCP_AUTH is off: the suite cannot send an Authorization header, and behind nginx no request
    # counts as local (it carries X-Forwarded-For), so `required` or `local` would answer every
    # scenario with 401.
    # The Host and Origin a client uses are nginx's, which the operator lists (deploy/README.md).
    spawn_server "replica-$port" CONFORMANCE_FIXTURES=true SSE_POLL_AFTER_MS="$POLL_AFTER_MS" \
      MCP_AUTH=off HOST=127.0.0.1 MCP_PORT="$port" \
      DATABASE_URL="$target_database" REDIS_URL="$REDIS_URL" REDIS_PREFIX="$target_redis_prefix" \
      RELAY_SECRET="$secret" ALLOWED_HOSTS=127.0.0.1,localhost \
      ALLOWED_ORIGINS="http://127.0.0.1:$proxy_port,http://localhost:$proxy_port"
  done
  for i in "${!ports[@]}"; do
    wait_until "replica ${ports[$i]}'s /ready" "${target_pids[$i]}" \
      answers "http://127.0.0.1:${ports[$i]}/ready" || return 1
  done
  start_nginx "$proxy_port" "${ports[@]}" || return 1
  target_url=http://127.0.0.1:$proxy_port/mcp
}

# Sets nginx_bin; installs nginx from apt where it is missing and we may (as root, like CI).
find_nginx() {
  nginx_bin=$(PATH=$PATH:/usr/sbin:/usr/local/sbin command -v nginx) && return 0
  if ((EUID != 0)); then
    log "ERROR: target replicas needs nginx: apt-get install nginx"
    return 1
  fi
  log "nginx is missing; installing it from apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q --no-install-recommends nginx || return 1
  nginx_bin=$(PATH=$PATH:/usr/sbin command -v nginx)
}

create_database() {
  local name
  name=mcp_conformance_$(random_hex 6)
  psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qc "create database $name" >/dev/null || {
    log "ERROR: cannot create a database on $DATABASE_URL"
    return 1
  }
  # shellcheck disable=SC2016 # JavaScript
  target_database=$(node -e 'const url = new URL(process.argv[1]); url.pathname = `/${process.argv[2]}`;
    console.log(url.href);' "$DATABASE_URL" "$name")
}

# start_nginx PORT UPSTREAM_PORT...: the shipped deploy/nginx.conf, rendered for this machine by
# the bench's renderer (listen port, the replicas; the admin upstream dropped), with its access log
# kept: it names the replica that answered each request.
start_nginx() {
  local port=$1 prefix
  shift
  # Not under the repository: as root, nginx's workers run as an unprivileged user, and they must
  # reach the temp folders in the prefix (a clone under /root is closed to them).
  prefix=$(mktemp -d -t mcp-conformance-nginx.XXXXXX)
  target_nginx_prefix=$prefix
  chmod 755 "$prefix"
  mkdir "$prefix/nginx"
  # shellcheck disable=SC2016 # JavaScript
  (cd "$ROOT" && node --import tsx --input-type=module -e '
    import { readFileSync, writeFileSync } from "node:fs";
    import { deriveNginxConfig, SERVERS_INCLUDE, serversInclude } from "./packages/bench/src/servers/nginx-config.ts";
    const [prefix, port, ...upstreams] = process.argv.slice(1);
    const shipped = readFileSync("deploy/nginx.conf", "utf8");
    writeFileSync(`${prefix}/nginx.conf`,
      deriveNginxConfig(shipped, { listenPort: Number(port), balancing: "round-robin", accessLog: true }));
    writeFileSync(`${prefix}/${SERVERS_INCLUDE}`, serversInclude(upstreams.map(Number)));
  ' "$prefix" "$port" "$@") || { log "ERROR: cannot render deploy/nginx.conf"; return 1; }
  cp "$prefix/nginx.conf" "$prefix/nginx/mcp-servers.conf" "$target_dir/"
  # The access log goes to stdout, errors to stderr.
  (exec setsid "$nginx_bin" -c "$prefix/nginx.conf" -p "$prefix/" -e stderr -g 'daemon off;') \
    </dev/null >"$target_dir/nginx-access.log" 2>"$target_dir/nginx.log" &
  target_pids+=($!)
  wait_until "/health through nginx" "${target_pids[-1]}" answers "http://127.0.0.1:$port/health"
}

stop_target() {
  local pid waited=0
  for pid in "${target_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${target_pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((waited < STOP_TIMEOUT * 10)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "WARNING: process $pid ignored SIGTERM for ${STOP_TIMEOUT}s; killing it"
    fi
    # Each runs in a session of its own (setsid): this also takes anything it left behind.
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  done
  if ((${#target_pids[@]} > 0)); then
    log "stopped ${#target_pids[@]} processes in $((waited / 10)).$((waited % 10))s"
    report_balancing
  fi
  target_pids=()
  [[ -z $target_nginx_prefix ]] || rm -rf "$target_nginx_prefix"
  target_nginx_prefix=""
  drop_database
  forget_redis_keys
  target_url=""
}

# How nginx spread the requests: evidence that both replicas served the run.
report_balancing() {
  local access=$target_dir/nginx-access.log
  [[ -s $access ]] || return 0
  log "nginx sent requests to: $(sed -n 's/.* upstream=\([^ ]*\) .*/\1/p' "$access" | sort | uniq -c |
    awk '{ printf "%s%s (%d)", sep, $2, $1; sep = ", " }')"
}

drop_database() {
  [[ -n $target_database ]] || return 0
  local name=${target_database##*/}
  target_database=""
  psql "$DATABASE_URL" -qc "drop database if exists ${name%%\?*} with (force)" >/dev/null ||
    log "WARNING: could not drop the database ${name%%\?*}"
}

forget_redis_keys() {
  [[ -n $target_redis_prefix ]] || return 0
  local prefix=$target_redis_prefix
  target_redis_prefix=""
  command -v redis-cli >/dev/null || return 0
  redis-cli -u "$REDIS_URL" --scan --pattern "$prefix*" 2>/dev/null |
    xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
}
