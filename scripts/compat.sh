#!/usr/bin/env bash
# API compatibility: jsii-diff compares the compiled .jsii with the last version of this package
# published on npm and fails on a breaking change (the projen `compat` task; `compile` runs it).
# Until a first version is published there is nothing to compare with: that is said and passes.
# Any other failure to ask the registry (network, authentication, ...) fails.
set -euo pipefail
cd "$(dirname "$0")/.."

name=$(node -p 'require("./package.json").name')
if answer=$(npm view "$name" version --json 2>/dev/null); then
  published=$(node -e 'const v = JSON.parse(process.argv[1]); console.log(Array.isArray(v) ? v[v.length - 1] : v)' "$answer")
  ignore=()
  [ -f .compatignore ] && ignore=(--ignore-file .compatignore)
  echo "compat: jsii-diff against $name@$published"
  exec npx jsii-diff "npm:$name@$published" -k "${ignore[@]+"${ignore[@]}"}"
fi

code=$(node -e 'try { console.log(JSON.parse(process.argv[1]).error.code) } catch { console.log("") }' "${answer:-}")
if [ "$code" = "E404" ]; then
  echo "compat: no published version yet: skipping jsii-diff"
  exit 0
fi
echo "compat: cannot ask the npm registry about $name (${code:-no error code}):" >&2
npm view "$name" version >&2 || true
exit 1
