# Sourced by ./kopi and scripts/test: points JAVA_HOME at a JDK 25 or newer, or stops with a clear message.
# Looks at JAVA_HOME, then the usual install folders, then the java on PATH.
kopi_java_feature() { # prints the feature version of the JDK in $1, or nothing
  local release="$1/release" v
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  else
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  fi
  echo "$v"
}
kopi_select_jdk() {
  local candidates=() dir v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for dir in "${candidates[@]}"; do
    v=$(kopi_java_feature "$dir")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      export JAVA_HOME="$dir"
      return 0
    fi
  done
  echo "kopi needs a JDK 25 or newer and found none (looked at JAVA_HOME, /usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks and the java on PATH)." >&2
  echo "Install one (for example Temurin 25) and point JAVA_HOME at it." >&2
  return 1
}
# Maven's bundled Guava touches sun.misc.Unsafe, which JDK 24+ warns about on every run.
kopi_quiet_maven() {
  case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
}
