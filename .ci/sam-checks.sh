#!/usr/bin/env bash
# SAM checks: `sam validate --lint` and `sam build` from the repository root, then a look at
# what the build produced. Installs AWS SAM CLI and cfn-lint into a virtualenv (reused across
# runs) from PyPI.
#
#   .ci/sam-checks.sh            exit 0: passed, or skipped because PyPI cannot be reached
#                                (the reason is printed); exit 1: lint, build or setup failed
#
# Environment:
#   SAM_CHECKS_REQUIRED=1   an unreachable PyPI is a failure, not a skip
#   SAM_VENV                virtualenv to use/create (default ~/.cache/dripline/sam-venv)
#   SAM_CLI_VERSION, CFN_LINT_VERSION   versions to install (pinned: new lint rules do not
#                           break the build unannounced; bump them together, deliberately)
#   MVN_ARGS                extra Maven arguments for the Makefile's build (e.g. -o)
#   SAM_BUILD_DIR           keep the build output there (default: a temporary directory, deleted)
# Needs python3 (with venv), make, mvn, unzip (or the JDK's jar). No Docker, no AWS account.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SAM_CLI_VERSION="${SAM_CLI_VERSION:-1.170.0}"
CFN_LINT_VERSION="${CFN_LINT_VERSION:-1.58.0}"
SAM_VENV="${SAM_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dripline/sam-venv}"
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 SAM_CLI_TELEMETRY=0
# Never let a developer's AWS profile or credentials matter: nothing here talks to AWS.
unset AWS_PROFILE

# A previous run's output must not pass for this one's when this one skips or fails early.
[[ -z "${SAM_BUILD_DIR:-}" ]] || rm -rf "$SAM_BUILD_DIR"

source "$ROOT/.ci/lib.sh"
ci_init sam-checks SAM_CHECKS_REQUIRED

tools_ok() {
  [[ -x "$SAM_VENV/bin/sam" && -x "$SAM_VENV/bin/cfn-lint" ]] \
    && [[ "$("$SAM_VENV/bin/sam" --version 2>/dev/null)" == *"$SAM_CLI_VERSION"* ]] \
    && [[ "$("$SAM_VENV/bin/cfn-lint" --version 2>/dev/null)" == *"$CFN_LINT_VERSION"* ]]
}

# 1. Tools -----------------------------------------------------------------------------------
if tools_ok; then
  say "using $SAM_VENV (aws-sam-cli $SAM_CLI_VERSION, cfn-lint $CFN_LINT_VERSION)"
else
  venv_tool "$SAM_VENV" "cfn-lint==$CFN_LINT_VERSION" "aws-sam-cli==$SAM_CLI_VERSION" "cfn-lint==$CFN_LINT_VERSION"
  tools_ok || fail "installed tools do not report the expected versions"
fi
SAM="$SAM_VENV/bin/sam"

cd "$ROOT"

# 2. Lint --------------------------------------------------------------------------------------
say "sam validate --lint"
"$SAM" validate --lint --template template.yaml || fail "sam validate --lint reported errors"
say "circular dependencies after the SAM transform (cfn-lint misses those through the HTTP API)"
"$SAM_VENV/bin/python" .ci/cfn_cycles.py template.yaml || fail "template has a circular dependency"

# 3. Build -------------------------------------------------------------------------------------
# Into a throw-away directory, so a developer's .aws-sam/ is left as it was; or into
# SAM_BUILD_DIR, kept for what runs next (.ci/run: .ci/lambda-check.sh); keep it outside the
# checkout (SAM copies the code directory).
if [[ -n "${SAM_BUILD_DIR:-}" ]]; then
  mkdir -p "$SAM_BUILD_DIR"
  build_dir="$(cd "$SAM_BUILD_DIR" && pwd)"
else
  build_dir="$(mktemp -d)"
  trap 'rm -rf "$build_dir"' EXIT
fi
say "sam build (Maven runs once through the root Makefile)"
build_start=$SECONDS
timeout 540 "$SAM" build --template template.yaml --build-dir "$build_dir" \
  || fail "sam build failed (or took over 9 minutes)"
say "sam build took $((SECONDS - build_start)) s"

# 4. What the build produced: every function's handler class at its package root.
for entry in ApiFunction:dev/dripline/api/ApiFunction.class \
             WebhooksFunction:dev/dripline/webhooks/http/WebhooksFunction.class \
             StepsFunction:dev/dripline/steps/StepsHandler.class \
             SenderFunction:dev/dripline/sender/SenderHandler.class; do
  fn="${entry%%:*}" class="${entry#*:}"
  [[ -f "$build_dir/$fn/$class" ]] || fail "$fn: $class missing from the build"
  # Lambda's limit for an unpacked .zip package is 250 MB (bytes, not disk blocks).
  size_kb=$(du -sk --apparent-size "$build_dir/$fn" | cut -f1)
  (( size_kb < 250 * 1024 )) || fail "$fn: ${size_kb} KB unpacked, over Lambda's 250 MB limit"
  say "$fn: $class present, $((size_kb / 1024)) MB unpacked"
done
# Lambda's Java runtime reads SQS events through its serializer, which loads Joda-Time from the
# function's own class path (.ci/lambda-check.sh runs them under the runtime client itself).
for fn in StepsFunction ImportsFunction SenderFunction; do
  [[ -f "$build_dir/$fn/org/joda/time/DateTime.class" ]] || fail "$fn: Joda-Time missing (the runtime cannot read an SQSEvent without it)"
done
grep -q "CodeUri: ApiFunction" "$build_dir/template.yaml" || fail "built template does not point at the built code"

say "PASSED in $((SECONDS - started)) s"
