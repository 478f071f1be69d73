#!/usr/bin/env bash
# The soak run (issue 9): mixed load against a direct stack on a lossy in-memory link for MINUTES, sampling heap,
# netty buffers, TCP flows and TIME-WAITs; prints a table and PASS, or FAIL if anything grows. Exit 0 on PASS.
#   reliability/soak.sh MINUTES [FAULTS]      e.g. reliability/soak.sh 10      reliability/soak.sh 2 drop=0.05
set -euo pipefail
if [ $# -lt 1 ]; then
    echo "usage: $0 MINUTES [FAULTS]   (FAULTS: a --faults spec such as drop=0.02,reorder=0.02, or none)" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
if [ -z "${JAVA_HOME:-}" ]; then
    for jdk in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
        if [ -x "$jdk/bin/java" ]; then export JAVA_HOME="$jdk"; break; fi
    done
fi
if [ -z "${JAVA_HOME:-}" ]; then
    echo "The soak needs JDK 25: set JAVA_HOME to one and run it again." >&2
    exit 2
fi
# Builds the module and what it depends on, without their tests, unless that was done already.
if [ ! -f "$here/target/classpath" ] || [ ! -d "$here/target/classes" ]; then
    (cd "$root" && ./mvnw -q -o -pl reliability -am install -DskipTests)
fi
# Leak detection samples allocations (advanced level: with records) so that a leak shows without slowing the run
# the way PARANOID would; the heap is capped so that growth shows as growth, not as a larger heap.
exec "$JAVA_HOME/bin/java" -Xmx512m -Dio.netty.leakDetection.level=advanced \
    -cp "$here/target/classes:$(cat "$here/target/classpath")" org.mirage4j.reliability.Soak "$@"
