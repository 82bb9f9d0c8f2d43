#!/usr/bin/env bash
# The check steps of the agentls action.
#   check.sh sarif FILE  writes the SARIF log of PATHS to FILE and never fails (the upload comes
#                        after it, and must happen even when agentls finds errors)
#   check.sh gate        prints the findings as workflow annotations and fails on FAIL_ON
# env: PATHS (space-separated, default `.`), POLICY (a policy file, optional),
#      FAIL_ON (error | warning | info, default error), AGENTLS (the binary, default `agentls`)
set -uo pipefail
agentls=${AGENTLS:-agentls}
read -r -a paths <<< "${PATHS:-.}"
[ ${#paths[@]} -gt 0 ] || paths=(.)
policy=()
[ -n "${POLICY:-}" ] && policy=(--policy "$POLICY")

case "${1:-}" in
  sarif)
    out=${2:?usage: check.sh sarif FILE}
    "$agentls" check --format sarif ${policy[@]+"${policy[@]}"} "${paths[@]}" > "$out"
    code=$?
    if [ "$code" -ge 2 ]; then
      echo "::error title=agentls::agentls check failed with exit code $code (usage or I/O error)"
      exit "$code"
    fi
    exit 0
    ;;
  gate)
    fail_on=${FAIL_ON:-error}
    case "$fail_on" in
      error) pattern='^::error ' ;;
      warning) pattern='^::(error|warning) ' ;;
      info) pattern='^::(error|warning|notice) ' ;;
      *) echo "::error title=agentls::fail-on must be error, warning or info, not '$fail_on'"; exit 2 ;;
    esac
    annotations=$("$agentls" check --format github ${policy[@]+"${policy[@]}"} "${paths[@]}")
    code=$?
    [ -n "$annotations" ] && printf '%s\n' "$annotations"
    if [ "$code" -ge 2 ]; then
      echo "::error title=agentls::agentls check failed with exit code $code (usage or I/O error)"
      exit "$code"
    fi
    found=$(printf '%s\n' "$annotations" | grep -cE "$pattern" || true)
    if [ "$found" -gt 0 ]; then
      echo "agentls: $found finding(s) at or above '$fail_on'"
      exit 1
    fi
    echo "agentls: nothing at or above '$fail_on'"
    ;;
  *)
    echo "usage: check.sh sarif FILE | check.sh gate" >&2
    exit 2
    ;;
esac
