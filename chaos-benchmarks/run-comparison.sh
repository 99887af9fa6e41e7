#!/usr/bin/env bash
# Runs the whole comparison (jchaos points, race watching, Byteman, Spring AOP, Chaos Monkey, activation latency,
# agent start-up) and writes chaos-benchmarks/RESULTS.md, with race-anchors.md (measured by hand with
# run-race-anchors.sh and TSVD4J) appended. About 20 minutes on an idle 2-core machine.
# Usage: chaos-benchmarks/run-comparison.sh [--quick]   (--quick: one fork, fewer iterations, for trying it out)
# Needs chaos-core installed in the local Maven repository (mvn -B install from the repository root).
set -euo pipefail
cd "$(dirname "$0")"

forks=2; warmups=5; iterations=5; rounds=20; trials=300
if [[ "${1:-}" == "--quick" ]]; then
  forks=1; warmups=3; iterations=3; rounds=3; trials=50
elif [[ $# -gt 0 ]]; then
  echo "unknown argument: $1 (expected --quick or nothing)" >&2
  exit 2
fi

load_before="$(cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g')"
echo "load average before: ${load_before} (nproc $(nproc))"

mvn -B -q ${MAVEN_ARGS:-} -f pom.xml package

results=target/results
rm -rf "${results}"
mkdir -p "${results}"
jmh_opts="-f ${forks} -wi ${warmups} -i ${iterations} -w 1s -r 1s -prof gc"

# each class in its own JMH run: the jchaos classes fork with the jchaos agent, BytemanBenchmark with Byteman's
for bench in PointCostBenchmark OutcomeRecordingBenchmark RaceWatchBenchmark BytemanBenchmark SpringAopBenchmark; do
  echo "== ${bench}"
  # shellcheck disable=SC2086
  java -jar target/benchmarks.jar "${bench}" ${jmh_opts} -rf json -rff "${results}/${bench}.json" \
    | grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)' | grep -vE ':gc\.(count|time|alloc\.rate )'
done

echo "== ActivationLatency"
java -javaagent:target/agent/jchaos-agent.jar -cp target/benchmarks.jar \
  dev.jchaos.benchmarks.jchaos.ActivationLatency --trials "${trials}" --out "${results}/latency.properties"

echo "== StartupComparison"
java -cp target/benchmarks.jar dev.jchaos.benchmarks.startup.StartupComparison \
  --runs "${rounds}" --out "${results}/startup.properties"

java -cp target/benchmarks.jar dev.jchaos.benchmarks.report.ResultsWriter \
  "${results}" RESULTS.md "${jmh_opts}" "${load_before}"
