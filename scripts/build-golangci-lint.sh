#!/usr/bin/env bash
# build-golangci-lint.sh builds a golangci-lint v2 binary that contains
# asynclint's module plugin (package github.com/asynclint/asynclint/plugin),
# exactly as `golangci-lint custom` does, except that golangci-lint's source
# comes from the Go module proxy instead of a git clone:
#
#   1. copy the module github.com/golangci/golangci-lint/v2@$GCL_VERSION;
#   2. add cmd/golangci-lint/plugin_asynclint.go, which blank-imports the plugin;
#   3. go mod edit -require/-replace github.com/asynclint/asynclint to this checkout;
#   4. go mod tidy; go build ./cmd/golangci-lint.
#
# Usage: scripts/build-golangci-lint.sh [-o OUTPUT]   (default: bin/custom-gcl)
# Environment: GCL_VERSION (default v2.15.0, which pins the same
# golang.org/x/tools and honnef.co/go/tools versions as asynclint).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=bin/custom-gcl
while getopts o: opt; do
	case $opt in
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-o OUTPUT]" >&2; exit 2 ;;
	esac
done
case $out in /*) ;; *) out=$PWD/$out ;; esac
version=${GCL_VERSION:-v2.15.0}
module=github.com/golangci/golangci-lint/v2

work=$(mktemp -d "${TMPDIR:-/tmp}/asynclint-gcl.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOWORK=off

. "$root/scripts/fetch-module.sh"
fetch_module "$module" "$version" "$work/golangci-lint"
cd "$work/golangci-lint"

cat >cmd/golangci-lint/plugin_asynclint.go <<'GO'
package main

// Added by asynclint's scripts/build-golangci-lint.sh, as `golangci-lint custom` adds its plugins.
import _ "github.com/asynclint/asynclint/plugin"
GO

go mod edit \
	-require=github.com/asynclint/asynclint@v0.0.0-00010101000000-000000000000 \
	-replace=github.com/asynclint/asynclint="$root"
echo "build-golangci-lint: go mod tidy" >&2
go mod tidy
echo "build-golangci-lint: go build -o $out" >&2
mkdir -p "$(dirname "$out")"
# -trimpath keeps build-cache hits across the throwaway work directories.
go build -trimpath -ldflags "-s -w -X 'main.version=${version#v}-custom-asynclint' -X 'main.date=$(date -u +%Y-%m-%dT%H:%M:%SZ)'" -o "$out" ./cmd/golangci-lint
echo "build-golangci-lint: built $out" >&2
