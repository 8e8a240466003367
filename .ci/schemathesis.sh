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

started=$SECONDS
say() { printf '[schemathesis %3ds] %s\n' "$((SECONDS - started))" "$*"; }
fail() { say "FAILED: $*"; exit 1; }
skip() {
  if [[ "${SCHEMATHESIS_REQUIRED:-0}" == 1 ]]; then fail "$* (SCHEMATHESIS_REQUIRED=1)"; fi
  say "SKIPPED: $*"; exit 0
}

# 1. Tool --------------------------------------------------------------------------------------
if [[ -x "$ST_VENV/bin/st" && "$("$ST_VENV/bin/st" --version 2>/dev/null)" == *"$SCHEMATHESIS_VERSION"* ]]; then
  say "using $ST_VENV (schemathesis $SCHEMATHESIS_VERSION)"
else
  command -v python3 >/dev/null || skip "python3 not found"
  say "installing schemathesis $SCHEMATHESIS_VERSION into $ST_VENV"
  rm -rf "$ST_VENV"
  mkdir -p "$(dirname "$ST_VENV")"
  python3 -m venv "$ST_VENV" || fail "python3 -m venv failed (install python3-venv)"
  if ! "$ST_VENV/bin/pip" install --quiet --disable-pip-version-check --timeout 30 "schemathesis==$SCHEMATHESIS_VERSION"; then
    rm -rf "$ST_VENV"
    skip "cannot install schemathesis==$SCHEMATHESIS_VERSION from the package index (PyPI unreachable?)"
  fi
fi

# 2. The local runtime -------------------------------------------------------------------------
JAR="$ROOT/local/target/dripline-local.jar"
[[ -f "$JAR" ]] || fail "$JAR missing: run mvn -B -DskipTests package first"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
KEY="dl_ci_$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
work="$(mktemp -d)"
DRIPLINE_PORT="$PORT" DRIPLINE_API_KEY="$KEY" \
  DRIPLINE_API_RATE=100000 DRIPLINE_API_BURST=100000 \
  DRIPLINE_VERIFY_SECRET="ci-$(python3 -c 'import secrets; print(secrets.token_hex(16))')" \
  DRIPLINE_SIMULATOR_LATENCY_MS=10 DRIPLINE_LOG_LEVEL=WARN \
  java -XX:TieredStopAtLevel=1 -jar "$JAR" >"$work/runtime.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
say "started the local runtime (pid $pid) on port $PORT"
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/openapi.yml" 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { tail -n 30 "$work/runtime.log"; fail "the runtime exited"; }
  sleep 1
done
curl -fsS -o "$work/openapi.yml" "http://127.0.0.1:$PORT/openapi.yml" || { tail -n 30 "$work/runtime.log"; fail "no /openapi.yml after 120 s"; }
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
