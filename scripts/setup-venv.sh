#!/usr/bin/env bash
# Creates the project-local venv `.venv` with cfn-lint, moto and pytest. Idempotent: a stamp holds
# the hash of the requirement list, and pip runs only when it changed.
#
# The venv itself lives in a cache outside the checkout (${CDK_PKI_CACHE:-~/.cache/cdk-pki}),
# named by the hash of the requirement list and the Python version, and `.venv` is a symlink to
# it: a fresh clone on a machine that already built the same venv (CI runs in a fresh clone)
# reuses it instead of installing again. CDK_PKI_CACHE=none keeps the venv in `.venv` itself.
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
cache=${CDK_PKI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk-pki}
if [ "$cache" = none ]; then
  venv=.venv
else
  venv="$cache/venv-$(printf '%s %s' "$want" "$(python3 --version 2>&1)" | sha256sum | cut -c1-16)"
  mkdir -p "$cache"
  # .venv points at the cached venv (a real .venv directory of an older checkout is replaced).
  if [ "$(readlink .venv 2>/dev/null)" != "$venv" ]; then
    rm -rf .venv && ln -s "$venv" .venv
  fi
  # Two runs at once (two clones) build one venv: the second waits for the first.
  exec 9>"$venv.lock"
  flock 9
fi

stamp="$venv/.requirements.sha256"
if [ -x "$venv/bin/cfn-lint" ] && [ -x "$venv/bin/moto_server" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "setup-venv: $venv is up to date"
  exit 0
fi
rm -rf "$venv" && python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
echo "setup-venv: installed $("$venv/bin/cfn-lint" --version) and moto $("$venv/bin/python" -c 'import moto; print(moto.__version__)') in $venv"
