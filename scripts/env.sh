# Sourced by every script: the JDK and flags Strata builds and runs with.
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH="$JAVA_HOME/bin:$PATH"
STRATA_JVM_FLAGS="--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED"
export STRATA_JVM_FLAGS
MVN="mvn -B -ntp"
