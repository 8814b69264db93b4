#!/usr/bin/env bash
# e2e-gopls.sh runs the gopls end-to-end test (e2e/gopls_test.go): it builds
# gopls with asynclint's analyzers (scripts/build-gopls.sh), drives it over
# stdio as an LSP client, and checks sigstate's diagnostic and quick fix.
# .ci/run calls it as its own step.
set -euo pipefail
cd "$(dirname "$0")/../e2e"
start=$(date +%s)
ASYNCLINT_E2E_GOPLS=1 go test -count=1 -timeout 30m -run '^TestGopls$' -v ./gopls
echo "e2e-gopls: passed in $(($(date +%s) - start))s"
