# Sourced by every script: the JDK and flags Strata builds and runs with.
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH="$JAVA_HOME/bin:$PATH"
# The last flag silences Arrow's sun.misc.Unsafe warning on JDK 24+ (Arrow 19 still uses it).
STRATA_JVM_FLAGS="--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
export STRATA_JVM_FLAGS
# How the scripts run a node (strata, demo, bench): a bounded heap (STRATA_HEAP, default 1g) that G1
# hands back to the OS when the node idles, instead of the JVM's default of a quarter of the machine's
# memory, which a fast ingest fills with garbage before a collection and never returns (3.7 GB RSS at
# 100k records in the benchmark). GCTimeRatio=4 lets G1 spend up to 20% of its time collecting before it
# grows the heap (default 8%): at 10k records, 591 MB RSS after the query phases instead of 723 MB.
# STRATA_JAVA_OPTS, given after these, overrides any of them.
# strata_node_jvm_flags HEAP: the same flags with another heap (the benchmarks that check a memory bound).
strata_node_jvm_flags() {
  echo "-Xms64m -Xmx${1:-${STRATA_HEAP:-1g}} -XX:+UseG1GC -XX:GCTimeRatio=4 -XX:G1PeriodicGCInterval=10000 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
}
STRATA_NODE_JVM_FLAGS=$(strata_node_jvm_flags)
export STRATA_NODE_JVM_FLAGS
# glibc gives each thread that mallocs its own arena and keeps freed memory there: the native index
# build, RocksDB and Arrow allocate from many threads. Two arenas keep the resident size close to use.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
MVN="mvn -B -ntp"

# Builds the server module (java/server, strata-server: core, S3 store, server and CLI) if its jar is missing or older than any source, and prints the runtime
# classpath (the jar and its dependencies). Used by scripts/demo and scripts/strata.
strata_classpath() {
  local jar classpath_file=java/server/target/runtime-classpath.txt
  jar=$(ls java/server/target/strata-server-*.jar 2>/dev/null | grep -v -e sources -e javadoc -e tests | head -n1 || true)
  if [ -z "$jar" ] || [ -n "$(find java/*/src/main native cmake java/*/pom.xml pom.xml -newer "$jar" -type f 2>/dev/null | head -n1)" ]; then
    echo "building Strata (mvn install -DskipTests)..." >&2
    $MVN -q install -DskipTests >&2
    jar=$(ls java/server/target/strata-server-*.jar | grep -v -e sources -e javadoc -e tests | head -n1)
  fi
  # includeScope (not mdep.includeScope, which the plugin ignores): compile and runtime dependencies only, no
  # test jars, JUnit or S3Mock on a node's classpath
  if [ ! -s "$classpath_file" ] || [ -n "$(find java/*/pom.xml pom.xml scripts/env.sh -newer "$classpath_file" 2>/dev/null | head -n1)" ]; then
    $MVN -q -pl java/server dependency:build-classpath -Dmdep.outputFile="$PWD/$classpath_file" -DincludeScope=runtime >&2
  fi
  printf '%s:%s' "$PWD/$jar" "$(cat "$classpath_file")"
}

# Prints the JVM flag that loads the server's AOT cache (java/server/target/strata-server.aot), writing the
# cache first when it is missing or older than the jar or java/server/pom.xml: a training run of `strata serve` (about 10 s,
# scripts/aot-training.mjs). The cache holds the loaded and linked classes and method profiles of a
# server's first requests: time to the first heartbeat fell from 2.6 to 1.4 s on the 2-core build
# machine. It is only valid for the classpath it was trained with ($1, from strata_classpath); the JVM
# ignores a stale one. STRATA_AOT=off prints nothing.
strata_aot_flag() {
  local classpath="$1" aot=java/server/target/strata-server.aot jar
  [ "${STRATA_AOT:-on}" = off ] && return 0
  jar=${classpath%%:*}
  # the cache is valid for one classpath: a new jar, pom or classpath file means a new cache
  if [ ! -s "$aot" ] || [ "$jar" -nt "$aot" ] || [ java/server/pom.xml -nt "$aot" ] \
      || [ java/server/target/runtime-classpath.txt -nt "$aot" ]; then
    echo "writing the server's AOT cache ($aot)..." >&2
    rm -f "$aot"
    node scripts/aot-training.mjs "$aot" "$classpath" >&2 || { echo "no AOT cache: the server starts without one" >&2; return 0; }
  fi
  printf -- '-XX:AOTCache=%s' "$PWD/$aot"
}
