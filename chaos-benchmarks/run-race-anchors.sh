#!/usr/bin/env bash
# jchaos on TSVD4J's published scenario (shanto-Rahman/DataRace-Project, the project TSVD4J's README runs), as
# RESULTS.md's race-anchor section reports it. The scenario's code comes from its own checkout, never from here.
# Usage: chaos-benchmarks/run-race-anchors.sh <DataRace-Project checkout> [trials]
# Needs chaos-benchmarks packaged (mvn -B -f chaos-benchmarks/pom.xml package) and JUnit 4 (4.12, the project's, or
# 4.13.2) with hamcrest-core 1.3 in ~/.m2.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="${1:?usage: run-race-anchors.sh <DataRace-Project checkout> [trials]}"
trials="${2:-10}"
m2="${HOME}/.m2/repository"
junit=""
for v in 4.12 4.13.2; do
  [[ -f "$m2/junit/junit/$v/junit-$v.jar" ]] && { junit="$m2/junit/junit/$v/junit-$v.jar"; break; }
done
[[ -n "$junit" ]] || { echo "JUnit 4 not in ~/.m2: mvn dependency:get -Dartifact=junit:junit:4.13.2" >&2; exit 2; }
hamcrest="$m2/org/hamcrest/hamcrest-core/1.3/hamcrest-core-1.3.jar"
[[ -f "$hamcrest" ]] && junit="$junit:$hamcrest"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
javac -nowarn -d "$out" -cp "$junit" "$project"/src/main/java/dataRace/*.java "$project"/src/test/java/dataRace/*.java
cd "$here"
start=$(date +%s%N)
java -javaagent:target/agent/jchaos-agent.jar -cp "target/benchmarks.jar:$out:$junit" \
  dev.jchaos.benchmarks.races.RaceAnchors --class dataRace.DataRaceTest --method run --watch 'dataRace.*' \
  --trials "$trials" --runs 3 --delay-ms 100
echo "JVM wall time for ${trials} trials: $(( ($(date +%s%N) - start) / 1000000 )) ms"
