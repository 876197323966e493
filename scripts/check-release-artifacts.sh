#!/usr/bin/env bash
# Release dry run, last step: after `npx projen bump` and the packaging of all four languages
# (scripts/test-packaging.sh, or `jsii-pacmak --targets ...`), checks that dist/ holds what the
# release workflow would publish, all of the bumped version:
#   dist/version.txt, dist/releasetag.txt (v<VERSION>), dist/changelog.md      written by bump
#   dist/js/cdk-pki@<VERSION>.jsii.tgz                                          npm (package.json and .jsii inside)
#   dist/python/cdk_pki-<VERSION>-py3-none-any.whl and cdk_pki-<VERSION>.tar.gz PyPI
#   dist/java/io/github/cdkpki/cdk-pki/<VERSION>/cdk-pki-<VERSION>.jar (+ .pom, sources, javadoc)  Maven Central
#   dist/go/cdkpki/go.mod and dist/go/cdkpki/version                           github.com/cdk-pki/cdk-pki-go
# and nothing of another version next to them. The version comes from dist/version.txt, or from
# the file given as $1.
# Prints one line per check and `release artifacts: N passed, N failed`; exits 1 on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."

version_file="${1:-dist/version.txt}"
meta_dir=$(dirname "$version_file")
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "PASS $1"; }
ko() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
# expect NAME CMD...: PASS when CMD succeeds; its output is shown on failure.
expect() {
  local name="$1" out; shift
  if out=$("$@" 2>&1); then ok "$name"; else ko "$name" "$(tail -n 5 <<<"$out")"; fi
}

if [ ! -s "$version_file" ]; then
  ko "$version_file exists (run npx projen bump first)"
  echo "release artifacts: $passed passed, $failed failed"
  exit 1
fi
VERSION=$(tr -d '[:space:]' <"$version_file")
echo "release artifacts of version $VERSION (from $version_file)"

semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$'
expect "version $VERSION is a semantic version" grep -Eq "$semver" <<<"$VERSION"
expect "releasetag.txt is v$VERSION" bash -c '[ "$(cat "$1")" = "v$2" ]' _ "$meta_dir/releasetag.txt" "$VERSION"
expect "changelog.md has a section for $VERSION" grep -Eq "^##+ \[?${VERSION//./\\.}\]?" "$meta_dir/changelog.md"

# Only one version per language: a leftover of an earlier run would be published too.
# only DIR PATTERN...: DIR holds nothing but entries matching one of the PATTERNs.
only() {
  local dir="$1" extra p; shift
  local not=()
  for p in "$@"; do not+=(! -name "$p"); done
  [ -d "$dir" ] || { echo "no $dir"; return 1; }
  extra=$(find "$dir" -mindepth 1 -maxdepth 1 "${not[@]}" ! -name '.*' -printf '%f\n')
  [ -z "$extra" ] || { echo "other files: $extra"; return 1; }
}

# npm
tgz="dist/js/cdk-pki@$VERSION.jsii.tgz"
expect "npm: $tgz" test -s "$tgz"
expect "npm: nothing of another version in dist/js" only dist/js "cdk-pki@$VERSION.jsii.tgz"
expect "npm: package.json inside the tarball says $VERSION" \
  bash -c '[ "$(tar -xzOf "$1" package/package.json | node -p "JSON.parse(require(\"fs\").readFileSync(0, \"utf8\")).version")" = "$2" ]' _ "$tgz" "$VERSION"
expect "npm: .jsii inside the tarball says $VERSION" \
  bash -c '[ "$(tar -xzOf "$1" package/.jsii | node -p "JSON.parse(require(\"fs\").readFileSync(0, \"utf8\")).version")" = "$2" ]' _ "$tgz" "$VERSION"

# PyPI
whl="dist/python/cdk_pki-$VERSION-py3-none-any.whl"
sdist="dist/python/cdk_pki-$VERSION.tar.gz"
expect "pypi: $whl" test -s "$whl"
expect "pypi: $sdist" test -s "$sdist"
expect "pypi: nothing of another version in dist/python" only dist/python "cdk_pki-$VERSION[-.]*"
expect "pypi: the wheel's METADATA says Version: $VERSION" \
  bash -c 'python3 -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); m = [n for n in z.namelist() if n.endswith(\".dist-info/METADATA\")]; sys.exit(0 if \"Version: \" + sys.argv[2] + \"\\n\" in z.read(m[0]).decode() else 1)" "$1" "$2"' _ "$whl" "$VERSION"

# Maven Central: the jar, its POM, and the sources and javadoc jars Central requires.
m="dist/java/io/github/cdkpki/cdk-pki"
for f in "cdk-pki-$VERSION.jar" "cdk-pki-$VERSION.pom" "cdk-pki-$VERSION-sources.jar" "cdk-pki-$VERSION-javadoc.jar"; do
  expect "maven: $m/$VERSION/$f" test -s "$m/$VERSION/$f"
done
expect "maven: nothing of another version in $m" only "$m" "$VERSION" "maven-metadata.xml*"
expect "maven: the POM says <version>$VERSION</version>" grep -q "<version>$VERSION</version>" "$m/$VERSION/cdk-pki-$VERSION.pom"

# Go: publib pushes dist/go/cdkpki to github.com/cdk-pki/cdk-pki-go and tags cdkpki/v<version file>.
expect "go: dist/go/cdkpki/go.mod is module github.com/cdk-pki/cdk-pki-go/cdkpki" \
  grep -qx 'module github.com/cdk-pki/cdk-pki-go/cdkpki' dist/go/cdkpki/go.mod
expect "go: dist/go/cdkpki/version is $VERSION" bash -c '[ "$(tr -d "[:space:]" <"$1")" = "$2" ]' _ dist/go/cdkpki/version "$VERSION"
expect "go: the module's jsii bundle is cdk-pki-$VERSION.tgz" \
  bash -c 'ls dist/go/cdkpki/jsii/cdk-pki-"$1".tgz' _ "$VERSION"


echo "release artifacts: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
