#!/usr/bin/env bash
# Creates or updates the Python virtual environment that the MCP tests (Tests/BatonMCPTests) use:
# the reference servers mcp-server-time and mcp-server-git, and the MCP Python SDK (mcp), at the
# versions pinned in scripts/python-requirements.txt.
#
# Idempotent and quick when done: a stamp file in the environment records the hash of the
# requirements and of the Python version; when both match, nothing is installed again.
#
# Environment:
#   BATON_TEST_VENV  where the environment lives (default: <repository>/.venv). The tests read the
#                    same variable, with the same default; without the environment they skip.
#   PYTHON           the interpreter that creates it (default: python3).
set -euo pipefail
repository="$(cd "$(dirname "$0")/.." && pwd)"
venv="${BATON_TEST_VENV:-$repository/.venv}"
requirements="$repository/scripts/python-requirements.txt"
python="${PYTHON:-python3}"
stamp="$venv/.baton-requirements.sha256"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "python-env: '$python' not found; install Python 3.10 or later, or set PYTHON" >&2
  exit 1
fi

if command -v sha256sum >/dev/null 2>&1; then checksum=(sha256sum); else checksum=(shasum -a 256); fi
hash="$( { cat "$requirements"; "$python" --version 2>&1; } | "${checksum[@]}" | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$hash" ]]; then
  echo "python-env: $venv is up to date"
  exit 0
fi

echo "python-env: preparing $venv"
if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade -r "$requirements"
echo "$hash" > "$stamp"
echo "python-env: ready ($("$venv/bin/python" -m pip freeze --disable-pip-version-check | grep -iE '^(mcp|mcp-server-time|mcp-server-git)==' | tr '\n' ' '))"
