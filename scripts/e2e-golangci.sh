#!/usr/bin/env bash
# e2e-golangci.sh runs the golangci-lint end-to-end test (e2e/golangci_test.go):
# it builds golangci-lint with asynclint's module plugin from the module proxy
# (scripts/build-golangci-lint.sh) and lints testdata/e2e/golangci with it.
# 2-5 minutes on a cold build cache, well under one warm. .ci/run calls it
# as its own step.
set -euo pipefail
cd "$(dirname "$0")/../e2e"
start=$(date +%s)
ASYNCLINT_E2E_GOLANGCI=1 go test -count=1 -timeout 30m -run '^TestGolangciLint$' -v ./golangci
echo "e2e-golangci: passed in $(($(date +%s) - start))s"
