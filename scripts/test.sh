#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: prepares what the tests need, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
swift --version 2>&1 | head -1

# The MCP tests start real reference servers (mcp-server-time, mcp-server-git) and the MCP Python
# SDK, installed into .venv (or $BATON_TEST_VENV) from scripts/python-requirements.txt.
bash scripts/python-env.sh

# The PostgreSQL tests use a throwaway server on 127.0.0.1 (installed from the system's packages
# if missing and we may), reached through BATON_TEST_POSTGRES_URL; without one they are skipped,
# unless BATON_REQUIRE_POSTGRES=1. The trap is set first so that an interrupted start is cleaned
# up too; baton_postgres_stop keeps the exit status.
trap baton_postgres_stop EXIT
source scripts/postgres-env.sh

swift build --build-tests

# Swift Testing prints a line when each test starts; keep the results, failures and summary.
set +e
swift test "$@" 2>&1 | grep --line-buffered -Ev '^(◇|↳)|started\.$'
status=${PIPESTATUS[0]}

# Two tests run alone, after the rest: the chaos test's worker processes load the machine for
# most of a minute (the timing tests around it would slow down), and restarting the server would
# disturb every other test that uses it.
if [ "$status" -eq 0 ] && [ -n "${BATON_TEST_POSTGRES_URL:-}" ] && [ "$#" -eq 0 ]; then
  BATON_TEST_CHAOS=1 swift test --skip-build --filter WorkerChaosTests 2>&1 | grep --line-buffered -Ev '^(◇|↳)|started\.$'
  status=${PIPESTATUS[0]}
fi
if [ "$status" -eq 0 ] && [ -n "${BATON_TEST_POSTGRES_DATA:-}" ] && [ "$#" -eq 0 ]; then
  BATON_TEST_POSTGRES_RESTART=1 swift test --skip-build --filter PostgresRestartTests 2>&1 | grep --line-buffered -Ev '^(◇|↳)|started\.$'
  status=${PIPESTATUS[0]}
fi
exit "$status"
