#!/usr/bin/env bash
# Runs every test of cdk-pki from a fresh clone (after `npm install`) and prints one closing
# line `N passed, N failed`, after a table of stage timings. Stages (two at a time where they do
# not depend on each other; the machine CI runs on has 2 cores):
#   0. generated files up to date and GitHub workflows pass actionlint; then the release rehearsal's
#      `npx projen bump` (the version a release would publish; `unbump` at the end)
#   1. project-local Python venv (cfn-lint, moto) - scripts/setup-venv.sh
#      || handler bundles, jsii compile, API.md regeneration (must match the committed one), README
#         examples (jsii-rosetta, strict; only examples changed since rosetta/cache.tabl.json)
#   2. type check of test/ (tsc --noEmit; jest only transpiles) || eslint (no --fix)
#   3. jest on Node 22: unit, synth, cfn-lint, moto, openssl, integ snapshots, with coverage thresholds
#   4. jest smoke tests on Node 20 (the machine's own Node), the oldest version we support
#   5. packaging: npm tarball, Python wheel + smoke test, Java and Go consumers - scripts/test-packaging.sh,
#      started beside stage 3 (PACKAGING_SERIAL=1: after stage 4); then the release rehearsal's check that
#      dist/ holds the four artifacts of the bumped version
# Set SKIP_PACKAGING=1 to leave out stage 5 while iterating; JEST_NODE=20 runs stage 3 on the
# machine's Node (no download).
set -uo pipefail
cd "$(dirname "$0")/.."
export CDK_DISABLE_CLI_TELEMETRY=true
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1
mkdir -p .test-work

passed=0
failed=0
failures=()
stages=()
t0=$(date +%s)

# stage NAME SECONDS RESULT: one row of the closing timing table.
stage() { stages+=("$(printf '%-72s %5ss  %s' "$1" "$2" "$3")"); }

# check NAME CMD...: one pass/fail, output kept in .test-work/NAME.log (tail shown on failure).
check() {
  local name="$1"; shift
  local log=".test-work/${name//[^A-Za-z0-9_.-]/_}.log"
  local s; s=$(date +%s)
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1)); echo "PASS $name ($(( $(date +%s) - s ))s)"; stage "$name" $(( $(date +%s) - s )) PASS
  else
    failed=$((failed + 1)); failures+=("$name"); echo "FAIL $name ($(( $(date +%s) - s ))s)"; tail -n 60 "$log"
    stage "$name" $(( $(date +%s) - s )) FAIL
  fi
}

# together "CHECK..." "CHECK...": runs groups of checks at once (each group in order), then replays
# their output and adds up their results in order. A group is a string of `check` calls.
together() {
  local i pids=() outs=()
  for i in "$@"; do
    local out; out=$(mktemp -d .test-work/together.XXXX)
    outs+=("$out")
    ( passed=0; failed=0; failures=(); stages=()
      eval "$i" >"$out/out" 2>&1
      echo "$passed $failed" >"$out/counts"
      printf '%s\n' "${failures[@]+"${failures[@]}"}" >"$out/failures"
      printf '%s\n' "${stages[@]+"${stages[@]}"}" >"$out/stages" ) &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}"
    cat "${outs[$i]}/out"
    local p=0 f=0 line
    read -r p f <"${outs[$i]}/counts" || { p=0; f=1; failures+=("a parallel stage did not finish"); }
    passed=$((passed + p)); failed=$((failed + f))
    while IFS= read -r line; do [ -n "$line" ] && failures+=("$line"); done <"${outs[$i]}/failures"
    while IFS= read -r line; do [ -n "$line" ] && stages+=("$line"); done <"${outs[$i]}/stages"
    rm -rf "${outs[$i]}"
  done
}

# Generated files must match .projenrc.ts and the GitHub workflows must pass actionlint. Before the
# bump: synthesis outside a release writes version 0.0.0 back into package.json.
check "generated files up to date, GitHub workflows pass actionlint" bash scripts/check-workflows.sh --synth

# Release rehearsal (projen's release task is bump -> build -> unbump): everything below compiles,
# tests and packages the version a release of these commits would publish.
check "release rehearsal: npx projen bump" npx projen bump
trap 'npx projen unbump >/dev/null 2>&1 || true' EXIT

api_md_up_to_date() {
  cp API.md .test-work/API.md.committed && npx projen docgen && diff -q .test-work/API.md.committed API.md
}

together \
  'check "python venv (cfn-lint, moto)" bash scripts/setup-venv.sh' \
  'check "bundle handlers and jsii compile" bash -c "npx projen pre-compile && npx projen compile"
   check "API.md generated and up to date" api_md_up_to_date
   check "README examples compile (jsii-rosetta --strict, cached)" npx projen rosetta:check'

together \
  'check "type check of test/ (tsc --noEmit)" npx tsc --noEmit -p test/tsconfig.json' \
  'check "eslint" env ESLINT_USE_FLAT_CONFIG=false npx eslint --ext .ts,.tsx --no-error-on-unmatched-pattern src test examples integ bench projenrc .projenrc.ts'

# jest_run LABEL NODE ARGS...: one jest run on the given Node; its junit report gives the counts. Three
# workers on two cores: the tests spend much of their time waiting for moto and cfn-lint.
jest_run() {
  local label="$1" node="$2"; shift 2
  local s; s=$(date +%s)
  local log=".test-work/jest-${label// /_}.log"
  rm -f test-reports/junit.xml
  echo "jest ($label) on $($node --version 2>/dev/null)"
  $node node_modules/jest/bin/jest.js --ci --maxWorkers=3 "$@" 2>&1 | tee "$log" | grep -E '^(PASS|FAIL) |Tests:|Test Suites:|threshold|●' | head -n 200
  local rc=${PIPESTATUS[0]} jt=0 jf=0
  if [ -f test-reports/junit.xml ]; then
    read -r jt jf <<<"$(node -e '
      const x = require("fs").readFileSync("test-reports/junit.xml", "utf8");
      const m = x.match(/<testsuites[^>]*>/)[0];
      const g = (k) => Number((m.match(new RegExp(k + "=\"(\\d+)\"")) || [0, 0])[1]);
      console.log(g("tests") - g("skipped"), g("failures") + g("errors"));')"
    passed=$((passed + jt - jf)); failed=$((failed + jf))
    [ "$jf" -gt 0 ] && failures+=("jest ($label): $jf test(s)")
  fi
  # A non-zero jest exit with no failed test means a suite failed to run or coverage fell short.
  if [ "$rc" -ne 0 ] && { [ ! -f test-reports/junit.xml ] || [ "$jf" -eq 0 ]; }; then
    failed=$((failed + 1)); failures+=("jest ($label) run (suite error or coverage threshold)"); tail -n 40 "$log"
  fi
  echo "jest ($label): exit $rc, $((jt - jf)) passed, $jf failed ($(( $(date +%s) - s ))s)"
  stage "jest ($label): $((jt - jf)) passed, $jf failed" $(( $(date +%s) - s )) "$([ "$rc" -eq 0 ] && echo PASS || echo FAIL)"
}

# The packaging stage (about two minutes, mostly one core: jsii-pacmak, pip, Maven, Go) runs beside jest, whose
# workers leave part of the second core idle while they wait for moto and cfn-lint. It reads lib/, .jsii and
# dist/ only, which jest does not write. PACKAGING_SERIAL=1 runs it after jest instead.
run_packaging() {
  bash scripts/test-packaging.sh >.test-work/packaging.out 2>&1
}
pkg_pid=""
if [ "${SKIP_PACKAGING:-0}" != "1" ] && [ "${PACKAGING_SERIAL:-0}" != "1" ]; then
  pkg_start=$(date +%s)
  run_packaging &
  pkg_pid=$!
fi

if [ "${JEST_NODE:-22}" = "20" ]; then
  jest_run "all tests, Node 20" node
else
  jest_run "all tests, Node 22" "npx -y node@22"
fi
# The oldest supported Node: the example app, the moto and openssl harness, one handler against
# moto, one construct suite. (The packaging stage's Python, Java and Go consumers run the jsii
# runtime on this Node too.)
jest_run "smoke tests, Node 20" node --coverage=false \
  test/examples test/harness/moto.test.ts test/harness/openssl.test.ts test/harness/provider-runtime.test.ts test/private-ca/root-ca.test.ts

if [ "${SKIP_PACKAGING:-0}" != "1" ]; then
  if [ -n "$pkg_pid" ]; then
    s=$pkg_start
    pkg_rc=0; wait "$pkg_pid" || pkg_rc=$?
    echo "packaging (ran beside jest):"
    cat .test-work/packaging.out
  else
    s=$(date +%s)
    pkg_rc=0; run_packaging || pkg_rc=$?
    cat .test-work/packaging.out
  fi
  line=$(grep -E '^packaging: [0-9]+ passed, [0-9]+ failed' .test-work/packaging.out | tail -n 1)
  if [ -n "$line" ]; then
    pp=$(echo "$line" | sed -E 's/^packaging: ([0-9]+) passed.*/\1/'); pf=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    passed=$((passed + pp)); failed=$((failed + pf))
    [ "$pf" -gt 0 ] && failures+=("packaging: $pf check(s)")
  fi
  if [ "$pkg_rc" -ne 0 ] && { [ -z "$line" ] || [ "${pf:-0}" -eq 0 ]; }; then
    failed=$((failed + 1)); failures+=("packaging run")
  fi
  echo "packaging: exit $pkg_rc ($(( $(date +%s) - s ))s)"
  stage "packaging (${line:-no result line})" $(( $(date +%s) - s )) "$([ "$pkg_rc" -eq 0 ] && echo PASS || echo FAIL)"
  if [ -z "${PACKAGING_ONLY:-}" ]; then
    check "release rehearsal: dist/ holds the four artifacts of version $(cat dist/version.txt 2>/dev/null)" bash scripts/check-release-artifacts.sh
  fi
fi
check "release rehearsal: npx projen unbump (package.json back to 0.0.0)" npx projen unbump

echo
echo "stage timings:"
printf '  %s\n' "${stages[@]}"
echo "total time: $(( $(date +%s) - t0 ))s"
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
