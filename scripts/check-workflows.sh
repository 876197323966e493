#!/usr/bin/env bash
# Lints the GitHub workflows that projen generates (.github/workflows/*.yml) with actionlint (syntax,
# expressions, job needs/outputs, action inputs, permissions). actionlint is built once from the Go
# module proxy into .test-work/bin. Also checks that no job installs with `npm ci` (CONTRIBUTING.md,
# "Build machine notes"). Exits non-zero on any finding.
#
# shellcheck over the `run:` scripts is off by default, so that the result does not depend on what
# is on PATH: the scripts it would flag (info/style level: unquoted $GITHUB_OUTPUT, `! -z`) are
# projen's own steps. WORKFLOW_SHELLCHECK=1 turns it on (needs shellcheck on PATH).
#
# With --synth it first runs projen's synthesis (`npx projen default`, 5-10 s) and fails when that
# changed any generated file (the workflows, package.json, .projen/, ...): they were stale against
# .projenrc.ts (the run leaves them regenerated; review and commit them). Run it before
# `npx projen bump`: outside a release (RELEASE unset) synthesis writes version 0.0.0 back.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
if [ "${1:-}" = "--synth" ]; then
  generated() {
    node -e 'for (const f of [...require("./.projen/files.json").files, "package.json"]) console.log(f)' |
      while read -r f; do if [ -f "$f" ]; then sha256sum "$f"; fi; done
  }
  before=$(generated)
  mkdir -p .test-work
  if ! npx projen default >.test-work/synth.log 2>&1; then
    tail -n 30 .test-work/synth.log >&2
    echo "check-workflows: npx projen default failed" >&2
    exit 1
  fi
  stale=$(diff <(echo "$before") <(generated) | sed -n 's/^> [0-9a-f]*  //p' || true)
  if [ -n "$stale" ]; then
    echo "check-workflows: generated files were stale against .projenrc.ts (now regenerated; commit them):" >&2
    sed 's/^/  /' <<<"$stale" >&2
    status=1
  else
    echo "check-workflows: generated files are up to date with .projenrc.ts"
  fi
fi

ACTIONLINT_VERSION=v1.7.12
bin="$PWD/.test-work/bin"
actionlint="$bin/actionlint"
if [ ! -x "$actionlint" ] || [ "$("$actionlint" -version 2>/dev/null | head -n 1)" != "$ACTIONLINT_VERSION" ]; then
  mkdir -p "$bin"
  # The Go proxy is reachable; its checksum database may not be.
  GOBIN="$bin" GOSUMDB=off GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#workflows[@]} -eq 0 ]; then
  echo "check-workflows: no workflow in .github/workflows" >&2
  exit 1
fi

flags=(-no-color -pyflakes=)
if [ "${WORKFLOW_SHELLCHECK:-0}" = "1" ]; then
  echo "check-workflows: actionlint $ACTIONLINT_VERSION with $(shellcheck --version | sed -n 's/^version: /shellcheck /p')"
else
  flags+=(-shellcheck=)
  echo "check-workflows: actionlint $ACTIONLINT_VERSION (shellcheck off; WORKFLOW_SHELLCHECK=1 turns it on)"
fi
"$actionlint" "${flags[@]}" "${workflows[@]}" || status=1

if grep -nE '\bnpm ci\b' "${workflows[@]}"; then
  echo "check-workflows: a job installs with npm ci (use npm install)" >&2
  status=1
fi

[ "$status" -eq 0 ] && echo "check-workflows: ${#workflows[@]} workflows, no finding"
exit "$status"
