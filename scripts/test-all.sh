#!/usr/bin/env bash
# Runs every test of cdk-pki from a fresh clone (after `npm install`) and prints one closing
# line `N passed, N failed`. Stages:
#   1. project-local Python venv (cfn-lint, moto) - scripts/setup-venv.sh
#   2. jsii compile, API.md regeneration (must match the committed one), README examples (jsii-rosetta, strict)
#   3. jest: unit, synth, cfn-lint, moto, openssl, integ snapshots, with coverage thresholds; eslint
#   4. packaging: npm tarball, Python wheel + smoke test, Java and Go consumers - scripts/test-packaging.sh
# Set SKIP_PACKAGING=1 to leave out stage 4 while iterating.
set -uo pipefail
cd "$(dirname "$0")/.."
export CDK_DISABLE_CLI_TELEMETRY=true
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1
mkdir -p .test-work

passed=0
failed=0
failures=()
t0=$(date +%s)

# check NAME CMD...: one pass/fail, output kept in .test-work/NAME.log (tail shown on failure).
check() {
  local name="$1"; shift
  local log=".test-work/${name//[^A-Za-z0-9_.-]/_}.log"
  local s; s=$(date +%s)
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1)); echo "PASS $name ($(( $(date +%s) - s ))s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "FAIL $name ($(( $(date +%s) - s ))s)"; tail -n 60 "$log"
  fi
}

check "python venv (cfn-lint, moto)" bash scripts/setup-venv.sh
check "bundle handlers and jsii compile" bash -c "npx projen pre-compile && npx projen compile"
check "API.md generated and up to date" bash -c 'cp API.md .test-work/API.md.committed 2>/dev/null || true; npx projen docgen && diff -q .test-work/API.md.committed API.md'
check "README examples compile (jsii-rosetta --strict)" npx projen rosetta:check

# jest: its junit report gives the counts.
s=$(date +%s)
rm -f test-reports/junit.xml
npx jest --ci 2>&1 | tee .test-work/jest.log | grep -E '^(PASS|FAIL) |Tests:|Test Suites:|threshold|●' | head -n 200
jest_rc=${PIPESTATUS[0]}
if [ -f test-reports/junit.xml ]; then
  read -r jt jf <<<"$(node -e '
    const x = require("fs").readFileSync("test-reports/junit.xml", "utf8");
    const m = x.match(/<testsuites[^>]*>/)[0];
    const g = (k) => Number((m.match(new RegExp(k + "=\"(\\d+)\"")) || [0, 0])[1]);
    console.log(g("tests") - g("skipped"), g("failures") + g("errors"));')"
  passed=$((passed + jt - jf)); failed=$((failed + jf))
  [ "$jf" -gt 0 ] && failures+=("jest: $jf test(s)")
fi
# A non-zero jest exit with no failed test means a suite failed to run or coverage fell short.
if [ "$jest_rc" -ne 0 ] && { [ ! -f test-reports/junit.xml ] || [ "${jf:-0}" -eq 0 ]; }; then
  failed=$((failed + 1)); failures+=("jest run (suite error or coverage threshold)"); tail -n 40 .test-work/jest.log
fi
echo "jest: exit $jest_rc ($(( $(date +%s) - s ))s)"

check "eslint" npx projen eslint

if [ "${SKIP_PACKAGING:-0}" != "1" ]; then
  s=$(date +%s)
  bash scripts/test-packaging.sh 2>&1 | tee .test-work/packaging.out
  pkg_rc=${PIPESTATUS[0]}
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
fi

echo "total time: $(( $(date +%s) - t0 ))s"
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
