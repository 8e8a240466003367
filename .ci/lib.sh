# Sourced by the .ci checks that install a Python tool from PyPI (checkov.sh, sam-checks.sh,
# schemathesis.sh, generated-client.sh): their log lines, their skip rule, the virtualenv kept
# across runs, and the local runtime some of them test against. Not run on its own.
#
#   ci_init NAME REQUIRED_VAR   log lines "[NAME  Ns] ..."; when REQUIRED_VAR=1 a skip is a failure
#   say / fail / skip           print; print and exit 1; print and exit 0 (or 1, see above)
#   venv_tool VENV PROBE_SPEC SPEC...   (re)create VENV and pip install SPEC...; PyPI unreachable: skip.
#                               With PROBE_SPEC (not "-"), PyPI is probed by downloading it first and a
#                               failed install then fails; without, a failed install is the skip.
#   start_runtime [VAR=value...]   the built local jar on a free port, with a fresh API key and any
#                               extra environment; waits for /openapi.yml (120 s) and saves it as
#                               $work/openapi.yml. Sets PORT, KEY, work, pid; stops it on exit.

ci_init() {
  CI_NAME="$1"
  CI_REQUIRED_VAR="$2"
  started=$SECONDS
}

say() { printf '[%s %3ds] %s\n' "$CI_NAME" "$((SECONDS - started))" "$*"; }
fail() { say "FAILED: $*"; exit 1; }
skip() {
  if [[ "${!CI_REQUIRED_VAR:-0}" == 1 ]]; then fail "$* (${CI_REQUIRED_VAR}=1)"; fi
  say "SKIPPED: $*"; exit 0
}

venv_tool() {
  local venv="$1" probe_spec="$2"
  shift 2
  command -v python3 >/dev/null || skip "python3 not found"
  if [[ "$probe_spec" != - ]]; then
    local probe
    probe="$(mktemp -d)"
    say "checking that PyPI is reachable"
    if ! python3 -m pip download --quiet --no-deps --timeout 15 --retries 1 -d "$probe" \
        "$probe_spec" >"$probe/pip.log" 2>&1; then
      tail -n 3 "$probe/pip.log" | sed 's/^/    /'
      rm -rf "$probe"
      skip "cannot download $probe_spec from the package index (PyPI unreachable?); $CI_NAME not run"
    fi
    rm -rf "$probe"
  fi
  say "installing $* into $venv"
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv" || fail "python3 -m venv failed (install python3-venv)"
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check --timeout 30 "$@"; then
    rm -rf "$venv"
    [[ "$probe_spec" != - ]] && fail "pip install of $* failed"
    skip "cannot install $* from the package index (PyPI unreachable?)"
  fi
}

start_runtime() {
  JAR="$ROOT/local/target/dripline-local.jar"
  [[ -f "$JAR" ]] || fail "$JAR missing: run mvn -B -DskipTests package first"
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  KEY="dl_ci_$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  work="$(mktemp -d)"
  env DRIPLINE_PORT="$PORT" DRIPLINE_API_KEY="$KEY" DRIPLINE_SIMULATOR_LATENCY_MS=10 DRIPLINE_LOG_LEVEL=WARN "$@" \
    java -XX:TieredStopAtLevel=1 -jar "$JAR" >"$work/runtime.log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
  say "started the local runtime (pid $pid) on port $PORT"
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/openapi.yml" 2>/dev/null; then break; fi
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$work/runtime.log"; fail "the runtime exited"; }
    sleep 1
  done
  curl -fsS -o "$work/openapi.yml" "http://127.0.0.1:$PORT/openapi.yml" \
    || { tail -n 30 "$work/runtime.log"; fail "no /openapi.yml after 120 s"; }
}
