#!/usr/bin/env bash
# build-gopls.sh builds gopls with asynclint's checks added to its analyzers,
# so that any LSP editor shows asynclint's diagnostics and quick fixes:
#
#   1. copy the module golang.org/x/tools/gopls@$GOPLS_VERSION from the module proxy;
#   2. add internal/settings/asynclint.go (scripts/gopls/asynclint.go.in), which
#      appends passes.All's analyzers to gopls's settings.AllAnalyzers;
#   3. go mod edit -require/-replace github.com/asynclint/asynclint to this checkout,
#      and pin golang.org/x/tools to the version this gopls was released with;
#   4. go mod tidy; go build.
#
# Usage: scripts/build-gopls.sh [-o OUTPUT]   (default: bin/gopls)
# Environment: GOPLS_VERSION (default v0.23.0).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=bin/gopls
while getopts o: opt; do
	case $opt in
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-o OUTPUT]" >&2; exit 2 ;;
	esac
done
case $out in /*) ;; *) out=$PWD/$out ;; esac
version=${GOPLS_VERSION:-v0.23.0}
module=golang.org/x/tools/gopls

work=$(mktemp -d "${TMPDIR:-/tmp}/asynclint-gopls.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOWORK=off

. "$root/scripts/fetch-module.sh"
fetch_module "$module" "$version" "$work/gopls"
cd "$work/gopls"

if ! grep -q '^var AllAnalyzers = ' internal/settings/analysis.go; then
	echo "build-gopls: $module@$version has no settings.AllAnalyzers; the patch fits v0.23.0" >&2
	exit 1
fi
cp "$root/scripts/gopls/asynclint.go.in" internal/settings/asynclint.go

# gopls is released in lockstep with golang.org/x/tools and uses its internal
# packages, so it only builds with the x/tools it pins. asynclint requires a
# newer x/tools (v0.52.0), which minimal version selection would pick; the
# replace keeps gopls's own, and asynclint compiles against it.
xtools=$(awk '$1 == "golang.org/x/tools" { print $2 }' go.mod)
if [ -z "$xtools" ]; then
	echo "build-gopls: $module@$version does not require golang.org/x/tools" >&2
	exit 1
fi
go mod edit \
	-require=github.com/asynclint/asynclint@v0.0.0-00010101000000-000000000000 \
	-replace=github.com/asynclint/asynclint="$root" \
	-replace=golang.org/x/tools=golang.org/x/tools@"$xtools"
echo "build-gopls: go mod tidy" >&2
go mod tidy
echo "build-gopls: go build -o $out" >&2
mkdir -p "$(dirname "$out")"
# -trimpath keeps build-cache hits across the throwaway work directories.
go build -trimpath -o "$out" .
echo "build-gopls: built $out" >&2
