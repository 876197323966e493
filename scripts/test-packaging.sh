#!/usr/bin/env bash
# Packaging tests: jsii-pacmak builds the npm tarball, the Python wheel, the Maven artifacts and the
# Go module for real, one target at a time so that each language's build is timed; then a Python
# venv installs the wheel with aws-cdk-lib and cdk-nag and runs pytest (smoke tests, and a Python
# port of the example app whose templates must equal the TypeScript example's), a Java consumer
# compiles against the jar and synthesizes, and a Go consumer builds and synthesizes.
# Prints a table of wall times per language (build = pacmak, install = venv/consumer dependencies
# and compile, test = run and assert), then `packaging: N passed, N failed` last; exits 1 when
# anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
# The Go proxy is reachable here but the checksum database is not.
export GOSUMDB=off GOFLAGS=-mod=mod
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
W=.test-work/packaging
mkdir -p "$W"
passed=0
failed=0
# Wall seconds per language and phase (T[python.build]), and each language's worst result.
declare -A T=() R=()
LANGS=(js python java go)

# note LANG RESULT: PASS < SKIP < FAIL; a language shows the worst result of its steps.
note() {
  case "${R[$1]:-}:$2" in
    FAIL:*) ;;
    *:FAIL | :* | PASS:SKIP) R[$1]=$2 ;;
  esac
}

# check LANG PHASE NAME CMD...: one pass/fail, output kept in $W/NAME.log (tail shown on failure),
# its wall time added to LANG's PHASE.
check() {
  local lang="$1" phase="$2" name="$3"; shift 3
  local log="$W/${name//[^A-Za-z0-9_.-]/_}.log"
  local s; s=$(date +%s)
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1)); note "$lang" PASS; echo "PASS $name ($(( $(date +%s) - s ))s)"
  else
    failed=$((failed + 1)); note "$lang" FAIL; echo "FAIL $name ($(( $(date +%s) - s ))s)"; tail -n 40 "$log"
  fi
  T[$lang.$phase]=$(( ${T[$lang.$phase]:-0} + $(date +%s) - s ))
}

CDK_VERSION=$(node -p 'require("aws-cdk-lib/package.json").version')
VERSION=$(node -p 'require("./package.json").version')
# cdk-nag is a peer dependency: the wheel requires it and the jar's POM names it.
NAG_VERSION=$(node -p 'try { require("cdk-nag/package.json").version } catch { "" }')

npm_tarball_ok() {
  local listing; listing=$(tar tzf dist/js/cdk-pki@"$VERSION".jsii.tgz)
  for f in package/lib/index.js package/lib/index.d.ts package/.jsii package/README.md package/LICENSE; do
    grep -qx "$f" <<<"$listing" || { echo "missing $f"; return 1; }
  done
  if grep -E '^package/(test|examples|integ|scripts|\.venv|\.test-work|src)/' <<<"$listing"; then
    echo "the tarball ships files that are not for users"; return 1
  fi
}

# Maven Central answers here with the cdknag 3.x artifacts when asked by exact version, but its
# maven-metadata.xml lists only 2.x versions, so the range [3.0.2,4.0.0) that pacmak writes into the
# POM finds "No versions available". A local repository of our own ($W/m2, kept between runs) with
# cdknag installed in it (which writes local metadata) lets Maven resolve the range.
maven_seed() {
  [ -z "$NAG_VERSION" ] && return 0
  [ -f "$W/m2/io/github/cdklabs/cdknag/$NAG_VERSION/cdknag-$NAG_VERSION.jar" ] && return 0
  local r="$HOME/.m2/repository/io/github/cdklabs/cdknag/$NAG_VERSION"
  mvn -q -B dependency:get -Dartifact="io.github.cdklabs:cdknag:$NAG_VERSION" &&
    mvn -q -B install:install-file -Dfile="$r/cdknag-$NAG_VERSION.jar" -DpomFile="$r/cdknag-$NAG_VERSION.pom" \
      -DlocalRepositoryPath="$PWD/$W/m2"
}

python_install() {
  local venv=.venv-smoke stamp=.venv-smoke/.stamp
  local want="aws-cdk-lib==$CDK_VERSION constructs<11 pytest==8.4.2${NAG_VERSION:+ cdk-nag==$NAG_VERSION}"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    rm -rf "$venv" && python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check $want && echo "$want" >"$stamp" || return 1
  fi
  "$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps dist/python/*.whl &&
    "$venv/bin/pip" check
}

python_tests() {
  .venv-smoke/bin/python -m pytest -q -p no:cacheprovider --junitxml="$W/pytest.xml" test/python
}

java_compile() {
  # A file repository is never re-checked for a release version: drop what an earlier run cached.
  rm -rf "$HOME/.m2/repository/io/github/cdkpki" "$W/java-target"
  mvn -q -B -f test/consumers/java/pom.xml -Dcdk.version="$CDK_VERSION" -Dcdkpki.version="$VERSION" \
    -Dconsumer.build.directory="$PWD/$W/java-target" \
    dependency:build-classpath -Dmdep.outputFile="$PWD/$W/java-classpath.txt" compile
}

java_synth() {
  local out="$W/java-out"
  rm -rf "$out"
  java -cp "$W/java-target/classes:$(cat "$W/java-classpath.txt")" consumer.Main "$out" || return 1
  grep -q '"AWS::CertificateManager::Certificate"' "$out/JavaConsumer.template.json" &&
    grep -q '"AWS::ACMPCA::CertificateAuthorityActivation"' "$out/JavaConsumer.template.json"
}

go_build() {
  (cd test/consumers/go && go mod tidy && go vet ./... && go build -o "$OLDPWD/$W/go-consumer" .)
}

go_synth() {
  local out="$PWD/$W/go-out"
  rm -rf "$out"
  "$W/go-consumer" "$out" || return 1
  grep -q '"AWS::CertificateManager::Certificate"' "$out/GoConsumer.template.json"
}

[ -f .jsii ] || npx projen compile >/dev/null
rm -rf dist "$W/m2/io/github/cdkpki"

check js build "jsii-pacmak builds js" npx jsii-pacmak --targets js
check js test "npm tarball holds lib/, .jsii, README and LICENSE, and no test or example files" npm_tarball_ok

check python build "jsii-pacmak builds python" npx jsii-pacmak --targets python
check python build "python wheel and sdist built" bash -c 'ls dist/python/cdk_pki-*.whl dist/python/cdk_pki-*.tar.gz'
check python install "python venv installs aws-cdk-lib, cdk-nag and the wheel" python_install
# pytest counts one check, and each of its tests one more.
rm -f "$W/pytest.xml"
check python test "python tests run (smoke tests, example app equal to the TypeScript one)" python_tests
if [ -f "$W/pytest.xml" ]; then
  read -r pt pf <<<"$(node -e '
    const x = require("fs").readFileSync(process.argv[1], "utf8");
    const m = x.match(/<testsuite [^>]*>/)[0];
    const g = (k) => Number((m.match(new RegExp(" " + k + "=\"(\\d+)\"")) || [0, 0])[1]);
    console.log(g("tests") - g("skipped"), g("failures") + g("errors"));' "$W/pytest.xml")"
  echo "pytest: $((pt - pf)) passed, $pf failed"
  passed=$((passed + pt - pf)); failed=$((failed + pf))
fi

check java build "cdknag $NAG_VERSION in the local Maven repository pacmak uses" maven_seed
check java build "jsii-pacmak builds java" npx jsii-pacmak --targets java --maven-local-repository "$PWD/$W/m2"
check java build "java jar in a Maven repository layout" bash -c "ls dist/java/io/github/cdkpki/cdk-pki/$VERSION/cdk-pki-$VERSION.jar"
check java install "java consumer resolves its dependencies and compiles against the jar" java_compile
check java test "java consumer synthesizes a PublicCertificate, a RootCa and a PrivateCertificate" java_synth

# Go: pacmak generates the module, then builds it against aws-cdk-go. The Go module proxy reachable
# here refuses (403) versions the generated go.mod requires: aws-cdk-go/awscdk/v2 v2.258.0 (our
# floor), the cloud-assembly-schema-go v54 it needs, and cdk-nag-go/cdknag/v3. Then the build cannot
# succeed on this machine: it is reported as SKIP with the proxy's answers, never counted as a pass.
# Any other failure fails.
go_pacmak_log="$W/go-pacmak.log"
s=$(date +%s)
if npx jsii-pacmak --targets go >"$go_pacmak_log" 2>&1; then
  passed=$((passed + 1)); note go PASS; echo "PASS jsii-pacmak builds go ($(( $(date +%s) - s ))s)"
elif grep -q '^#STDERR> go: .*: 403 Forbidden' "$go_pacmak_log"; then
  note go SKIP
  echo "SKIP jsii-pacmak builds go ($(( $(date +%s) - s ))s): the Go module proxy refuses what the generated go.mod requires:"
  grep -A1 '^#STDERR> go: .*: 403 Forbidden' "$go_pacmak_log" | sed -e 's/^#STDERR> /  /' -e '/^--$/d'
else
  failed=$((failed + 1)); note go FAIL; echo "FAIL jsii-pacmak builds go"; tail -n 40 "$go_pacmak_log"
fi
T[go.build]=$(( $(date +%s) - s ))
if [ "${R[go]}" = PASS ]; then
  check go install "go consumer builds against the module" go_build
  check go test "go consumer synthesizes a PublicCertificate" go_synth
else
  echo "SKIP go consumer: the generated Go module cannot be built here (see above)"
fi

echo
printf '%-8s | %7s | %9s | %6s | %s\n' language "build s" "install s" "test s" result
for l in "${LANGS[@]}"; do
  printf '%-8s | %7s | %9s | %6s | %s\n' "$l" "${T[$l.build]:--}" "${T[$l.install]:--}" "${T[$l.test]:--}" "${R[$l]:-}"
done
echo
echo "packaging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
