#!/usr/bin/env bash
# A longer fuzzing run than the build's (issue 9): each fuzz test for SECONDS (default 300), one JVM each, as Jazzer
# fuzzes one test per JVM. Crashing inputs land in src/test/resources/org/mirage4j/reliability/<Test>Inputs/<method>/,
# where every later build runs them as regression tests: turn each into a fix and, if it shows a new input class,
# a unit test beside the code it broke.
#   reliability/fuzz.sh [SECONDS-PER-TARGET] [TARGET...]     TARGET: e.g. WireFuzzTest#tcp (default: all)
set -euo pipefail
seconds="${1:-300}"
shift || true
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
if [ -z "${JAVA_HOME:-}" ]; then
    for jdk in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
        if [ -x "$jdk/bin/java" ]; then export JAVA_HOME="$jdk"; break; fi
    done
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(WireFuzzTest#ethernet WireFuzzTest#arp WireFuzzTest#ipv4 WireFuzzTest#icmp WireFuzzTest#udp
             WireFuzzTest#tcp WireFuzzTest#dhcp ReceivePathFuzzTest#frames)
fi
cd "$root"
./mvnw -q -o -pl reliability -am install -DskipTests
failed=()
for target in "${targets[@]}"; do
    echo "== fuzzing $target for ${seconds}s"
    if ! JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" \
            JAZZER_INSTRUMENTATION_INCLUDES='org.mirage4j.tcpip.**:org.mirage4j.api.**' \
            ./mvnw -q -o -pl reliability surefire:test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false; then
        failed+=("$target")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: findings in ${failed[*]}: see the reports above and the new crash-* files under src/test/resources." >&2
    exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets fuzzed for ${seconds}s each, no findings."
