#!/usr/bin/env bash
# A Python client generated from the published /openapi.yml (openapi-python-client), used for a
# scripted integrator's flow (docs/client-flow.py): contact, preview, message, read back, campaign,
# event, stats, a list with paging, and the refusals (unknown field, past sendAt, opted out,
# idempotent replay), each answer checked; and openapi-generator's validator on the same document. Fails when the document cannot be generated from, when
# the generated code does not import, or when any answer differs from what the document promises.
#
#   .ci/generated-client.sh    exit 0: passed, or skipped because PyPI cannot be reached;
#                              exit 1: a check failed, or the runtime did not start
#
# Environment:
#   GENERATED_CLIENT_REQUIRED=1  an unreachable PyPI is a failure, not a skip
#   GC_VENV                      virtualenv (default ~/.cache/dripline/gc-venv)
#   OPENAPI_PYTHON_CLIENT_VERSION pinned: a new generator release does not fail the build unannounced
# Needs the built runtime (mvn package): local/target/dripline-local.jar.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OPENAPI_PYTHON_CLIENT_VERSION="${OPENAPI_PYTHON_CLIENT_VERSION:-0.29.1}"
GC_VENV="${GC_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dripline/gc-venv}"

source "$ROOT/.ci/lib.sh"
ci_init generated-client GENERATED_CLIENT_REQUIRED

# 1. Tool --------------------------------------------------------------------------------------
if [[ -x "$GC_VENV/bin/openapi-python-client" \
      && "$("$GC_VENV/bin/openapi-python-client" --version 2>/dev/null)" == *"$OPENAPI_PYTHON_CLIENT_VERSION"* ]]; then
  say "using $GC_VENV (openapi-python-client $OPENAPI_PYTHON_CLIENT_VERSION)"
else
  venv_tool "$GC_VENV" - "openapi-python-client==$OPENAPI_PYTHON_CLIENT_VERSION"
fi

# 2. The local runtime -------------------------------------------------------------------------
start_runtime

# 3. openapi-generator's validator (the jar from Maven Central, sha1-checked, cached) -------------
OAG_VERSION="${OPENAPI_GENERATOR_VERSION:-7.17.0}"
OAG_JAR="$(dirname "$GC_VENV")/openapi-generator-cli-$OAG_VERSION.jar"
OAG_URL="https://repo1.maven.org/maven2/org/openapitools/openapi-generator-cli/$OAG_VERSION/openapi-generator-cli-$OAG_VERSION.jar"
if [[ ! -f "$OAG_JAR" ]]; then
  if curl -fsS --max-time 120 -o "$OAG_JAR.part" "$OAG_URL" && sha="$(curl -fsS --max-time 30 "$OAG_URL.sha1")" \
      && [[ "$(sha1sum "$OAG_JAR.part" | cut -d' ' -f1)" == "${sha:0:40}" ]]; then
    mv "$OAG_JAR.part" "$OAG_JAR"
  else
    rm -f "$OAG_JAR.part"
  fi
fi
if [[ -f "$OAG_JAR" ]]; then
  java -jar "$OAG_JAR" validate -i "$work/openapi.yml" >"$work/validate.log" 2>&1 \
    && grep -q "No validation issues detected" "$work/validate.log" \
    || { cat "$work/validate.log"; fail "openapi-generator $OAG_VERSION finds the document invalid"; }
  say "openapi-generator $OAG_VERSION validate: no issues"
else
  say "openapi-generator-cli $OAG_VERSION could not be fetched from Maven Central: its validation is skipped"
fi

# 4. Generate, install, run ----------------------------------------------------------------------
# The generator has no text/csv body type: CSV imports are sent as bytes. No formatter hooks (ruff).
cat >"$work/config.yml" <<'YAML'
content_type_overrides:
  text/csv: application/octet-stream
post_hooks: []
YAML
(cd "$work" && "$GC_VENV/bin/openapi-python-client" generate --path openapi.yml --config config.yml --meta setup \
    --output-path client >"$work/generate.log" 2>&1) || { cat "$work/generate.log"; fail "openapi-python-client refused the document"; }
if grep -q "WARNING\|Endpoint will not be generated" "$work/generate.log"; then
  cat "$work/generate.log"; fail "openapi-python-client left parts of the document out"
fi
say "generated $(find "$work/client" -path '*/api/*' -name '*.py' ! -name '__init__.py' | wc -l) operations"
"$GC_VENV/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$work/client" \
  || fail "the generated package does not install"
"$GC_VENV/bin/pip" install --quiet --disable-pip-version-check "$work/client" >/dev/null \
  || skip "cannot install the generated client's dependencies (httpx, attrs) from PyPI"
DRIPLINE_URL="http://127.0.0.1:$PORT" DRIPLINE_API_KEY="$KEY" "$GC_VENV/bin/python" "$ROOT/docs/client-flow.py" \
  || { grep -m 20 'Exception\|ERROR' "$work/runtime.log" | sed 's/^/    /'; fail "the client flow failed"; }
say "PASSED"
