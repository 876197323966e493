#!/usr/bin/env bash
# Creates the project-local venv `.venv` with cfn-lint, moto and pytest. Idempotent: a stamp holds
# the hash of the requirement list, and pip runs only when it changed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v openssl >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && apt-get install -y -qq openssl >/dev/null
  else
    echo "setup-venv: openssl is missing; install it (apt-get install openssl)" >&2
    exit 1
  fi
fi

req=scripts/requirements-test.txt
want=$(sha256sum "$req" | cut -d' ' -f1)
stamp=.venv/.requirements.sha256
if [ -x .venv/bin/cfn-lint ] && [ -x .venv/bin/moto_server ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "setup-venv: .venv is up to date"
  exit 0
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
echo "setup-venv: installed $(.venv/bin/cfn-lint --version) and moto $(.venv/bin/python -c 'import moto; print(moto.__version__)')"
