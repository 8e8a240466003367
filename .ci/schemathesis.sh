#!/usr/bin/env bash
# Schemathesis against the local runtime: every /v1 operation of the published /openapi.yml,
# with generated valid and invalid requests. Fails on any 5xx, any status code, content type,
# header or body the document does not describe (problem+json bodies are held to its Problem
# schema). Installs schemathesis into a virtualenv (reused across runs) from PyPI.
#
#   .ci/schemathesis.sh        exit 0: passed, or skipped because PyPI cannot be reached;
#                              exit 1: a check failed, or the runtime did not start
#
# Environment:
#   SCHEMATHESIS_REQUIRED=1   an unreachable PyPI is a failure, not a skip
#   ST_VENV                   virtualenv (default ~/.cache/dripline/st-venv)
#   SCHEMATHESIS_VERSION      pinned: new checks do not fail the build unannounced
#   ST_MAX_EXAMPLES           generated cases per operation and phase (default 20)
# One worker: hypothesis parsing lambdas on several threads trips a CPython 3.11 ast bug.
# Needs the built runtime (mvn package): local/target/dripline-local.jar.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
ST_VENV="${ST_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dripline/st-venv}"
ST_MAX_EXAMPLES="${ST_MAX_EXAMPLES:-20}"

source "$ROOT/.ci/lib.sh"
ci_init schemathesis SCHEMATHESIS_REQUIRED

# 1. Tool --------------------------------------------------------------------------------------
if [[ -x "$ST_VENV/bin/st" && "$("$ST_VENV/bin/st" --version 2>/dev/null)" == *"$SCHEMATHESIS_VERSION"* ]]; then
  say "using $ST_VENV (schemathesis $SCHEMATHESIS_VERSION)"
else
  venv_tool "$ST_VENV" - "schemathesis==$SCHEMATHESIS_VERSION"
fi

# 2. The local runtime -------------------------------------------------------------------------
start_runtime DRIPLINE_API_RATE=100000 DRIPLINE_API_BURST=100000 \
  DRIPLINE_VERIFY_SECRET="ci-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
say "runtime ready; /openapi.yml has $(grep -c '^  /v1/' "$work/openapi.yml") /v1 paths"

# 3. The run -----------------------------------------------------------------------------------
status=0
cd "$work" # schemathesis keeps a cache (.schemathesis/) in its working directory: not in the repository
"$ST_VENV/bin/st" run "http://127.0.0.1:$PORT/openapi.yml" \
  --header "Authorization: Bearer $KEY" \
  --include-path-regex '^/v1/' \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --max-examples "$ST_MAX_EXAMPLES" --seed 20261121 --workers 1 --request-timeout 20 \
  --report har --report-har-path "$work/requests.har" \
  --suppress-health-check all --warnings off || status=$?
requests="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["log"]["entries"]))' "$work/requests.har" 2>/dev/null || echo '?')"
say "responses by status: $(python3 -c 'import json,sys,collections; e=json.load(open(sys.argv[1]))["log"]["entries"]; print(dict(sorted(collections.Counter(x["response"]["status"] for x in e).items())))' "$work/requests.har" 2>/dev/null || echo '?')"
if grep -q 'Exception\|ERROR' "$work/runtime.log"; then
  say "runtime log excerpts:"; grep -m 20 'Exception\|ERROR' "$work/runtime.log" | sed 's/^/    /'
fi
(( status == 0 )) || fail "schemathesis reported failures ($requests requests)"
say "PASSED: $requests requests, none failed a check"
