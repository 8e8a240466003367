#!/usr/bin/env bash
# Proof that the functions run as Lambda runs them: each function directory of a `sam build`
# output is started by AWS Lambda's Java Runtime Interface Client (Maven Central) under the
# Runtime Interface Emulator (built with `go install`), with template.yaml's handler string and
# environment, and fed the sample events of events/ (java -jar local/target/dripline-local.jar
# lambda-check; see LambdaCheck.java for what each event must do).
#
#   .ci/lambda-check.sh BUILD_DIR      BUILD_DIR holds ApiFunction/, WebhooksFunction/, ... (sam build --build-dir)
#                                      exit 0: every check passed, or skipped (reason printed) because
#                                      Maven Central or the Go module proxy cannot be reached;
#                                      exit 1: a check failed; 2: it timed out
# Environment:
#   LAMBDA_CHECK_REQUIRED=1   an unreachable registry or a missing go is a failure, not a skip
#   AWS_LAMBDA_RIE            an aws-lambda-rie binary to use instead of installing one
#   RIE_VERSION               the emulator's module version for go install (default latest)
#   MVN_ARGS                  extra Maven arguments for fetching the client (e.g. -o)
# Needs the local jar (mvn package: local/target/dripline-local.jar), java, mvn, and go (or AWS_LAMBDA_RIE).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${1:?usage: .ci/lambda-check.sh BUILD_DIR (a sam build output)}"
RIE_VERSION="${RIE_VERSION:-latest}"
started=$SECONDS
say() { printf '[lambda-check %3ds] %s\n' "$((SECONDS - started))" "$*"; }
skip() {
  if [[ "${LAMBDA_CHECK_REQUIRED:-0}" == 1 ]]; then say "FAILED: $* (LAMBDA_CHECK_REQUIRED=1)"; exit 1; fi
  say "SKIPPED: $*"; exit 0
}

[[ -d "$BUILD_DIR" && -n "$(ls -A "$BUILD_DIR" 2>/dev/null)" ]] || skip "$BUILD_DIR is empty or missing: sam build did not run"
BUILD_DIR="$(cd "$BUILD_DIR" && pwd)"
JAR="$ROOT/local/target/dripline-local.jar"
[[ -f "$JAR" ]] || { say "FAILED: $JAR missing (mvn package first)"; exit 1; }

# 1. The emulator --------------------------------------------------------------------------------
RIE="${AWS_LAMBDA_RIE:-}"
if [[ -z "$RIE" ]]; then
  command -v go >/dev/null || skip "go not found: cannot build the Runtime Interface Emulator"
  GOBIN_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/dripline/rie-bin"
  mkdir -p "$GOBIN_DIR"
  RIE="$GOBIN_DIR/aws-lambda-rie"
  if [[ ! -x "$RIE" || "$RIE_VERSION" != latest ]]; then
    say "go install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$RIE_VERSION"
    if ! GOBIN="$GOBIN_DIR" timeout 300 go install \
        "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$RIE_VERSION" >"$GOBIN_DIR/install.log" 2>&1; then
      tail -n 3 "$GOBIN_DIR/install.log" | sed 's/^/    /'
      skip "cannot build the Runtime Interface Emulator (Go module proxy unreachable?)"
    fi
  fi
fi
[[ -x "$RIE" ]] || { say "FAILED: $RIE is not an executable"; exit 1; }

# 2. The Runtime Interface Client and its dependencies (.ci/lambda-ric/pom.xml pins the versions) ---
RIC_DIR="$(mktemp -d)"
trap 'rm -rf "$RIC_DIR"' EXIT
say "fetching the Runtime Interface Client (Maven)"
# shellcheck disable=SC2086
if ! timeout 300 mvn -q -B ${MVN_ARGS:-} -f "$ROOT/.ci/lambda-ric/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$RIC_DIR" >"$RIC_DIR/mvn.log" 2>&1; then
  tail -n 5 "$RIC_DIR/mvn.log" | sed 's/^/    /'
  skip "cannot fetch com.amazonaws:aws-lambda-java-runtime-interface-client (Maven Central unreachable?)"
fi
rm -f "$RIC_DIR/mvn.log"

# 3. The check: bounded by --timeout inside, and by timeout(1) around it -----------------------------
say "running $(ls "$RIC_DIR" | tr '\n' ' ')under $RIE"
cd "$ROOT"
status=0
timeout -k 10 960 java -jar "$JAR" lambda-check "$BUILD_DIR" --ric "$RIC_DIR" --emulator "$RIE" \
  --template "$ROOT/template.yaml" --events "$ROOT/events" --timeout 900 || status=$?
say "done in $((SECONDS - started)) s (exit $status)"
exit "$status"
