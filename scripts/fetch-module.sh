# fetch-module.sh is sourced by the build scripts. fetch_module MODULE
# VERSION DEST copies MODULE@VERSION from the module proxy (through the
# module cache, read-only there) into DEST as a writable tree: the way
# `golangci-lint custom` uses a git clone, without git.
fetch_module() {
	local module=$1 version=$2 dest=$3 src
	echo "fetching $module@$version from the module proxy" >&2
	src=$(cd "$(dirname "$dest")" && go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	if [ -z "$src" ]; then
		echo "go mod download $module@$version gave no directory" >&2
		return 1
	fi
	cp -R "$src" "$dest"
	chmod -R u+w "$dest"
}
