// The contract's leak scenarios, checked on what Surefire recorded for this user project.
reportDirs = ['surefire-reports', 'surefire-reports-parallel', 'surefire-reports-configured']
Map results = evaluate(new File(itShared, 'results.groovy'))
def result = { String key ->
    assert results.containsKey(key) : "no result for ${key}; have ${results.keySet()}"
    results[key]
}
def leak = { String key ->
    def r = result(key)
    assert r.status == 'failed' && r.type == 'dev.jchaos.junit.ThreadLeakError' : "${key}: ${r}"
    r.text
}
def minimalSet = { String report ->
    def lines = report.readLines()
    int header = lines.findIndexOf { it.startsWith('Minimal failing configuration (') }
    assert header >= 0 : report
    lines.drop(header + 1).takeWhile { it.startsWith('  ') }*.trim()
}
def threshold = { String report, String point ->
    def m = report =~ ("Delay threshold: " + java.util.regex.Pattern.quote(point) + " leaks from (\\d+)ms")
    assert m.find() : "no threshold of ${point} in ${report}"
    m.group(1) as long
}

// one culprit of four points, with its threshold near the 200 ms deadline, and the replay line
String one = leak('com.acme.OneCulpritOfFourTest#quote')
assert one.contains('1 thread leaked by OneCulpritOfFourTest.quote():\n  1 @ TIMED_WAITING  [price-refresher]\n')
assert one.contains('      started at com.acme.QuoteService.startRefresher(QuoteService.java:')
assert minimalSet(one) == ['com.acme.QuoteService#price=delay(500ms)']
assert threshold(one, 'com.acme.QuoteService#price') in 100L..400L
assert one.contains('Replay: @ChaosTest(seed = 8812733) or -Djchaos.seed=8812733\n')
assert new File(basedir, 'target/jchaos-reports/OneCulpritOfFourTest/quote.jfr').length() > 0

// two culprits of five that only leak together
String two = leak('com.acme.TwoCulpritsOfFiveTest#checkout')
assert minimalSet(two).toSet() == ['checkout.reserve=delay(300ms)', 'checkout.charge=delay(300ms)'] as Set
assert threshold(two, 'checkout.reserve') in 100L..400L
assert threshold(two, 'checkout.charge') in 100L..400L

// plain grouped leak, and the report file with the same text
String plain = leak('com.acme.PlainGroupedLeakTest#leaks')
assert plain.contains('4 threads leaked by PlainGroupedLeakTest.leaks():\n  3 @ WAITING  [pricing-1, pricing-2, pricing-3]\n')
assert plain.contains('  1 @ TIMED_WAITING  [audit-flusher]\n')
assert plain.contains('      started at com.acme.PlainGroupedLeakTest.startParker(PlainGroupedLeakTest.java:')
assert plain.contains('      started at com.acme.PlainGroupedLeakTest.leaks(PlainGroupedLeakTest.java:')
assert !plain.contains('(interrupt = true)')
String saved = new File(basedir, 'target/jchaos-reports/PlainGroupedLeakTest/leaks.txt').text
assert plain.contains(saved.readLines()[0])

// clean, common pool, lingering, per-test activations, target=
for (String clean : ['com.acme.CleanTest#usesAndStopsAnExecutor', 'com.acme.CleanTest#usesTheCommonPool',
                     'com.acme.LingeringTest#leavesAThreadThatFinishesSoon',
                     'com.acme.ActivationIsolationTest#receiptIsSlowHere', 'com.acme.ActivationIsolationTest#receiptIsFastHere',
                     'com.acme.TargetTest#delaysAnUnannotatedMethod', 'com.acme.TargetTest#leavesItAloneElsewhere']) {
    def r = result(clean)
    assert r.status == 'passed' : "${clean}: ${r}"
}

// @InjectDelay without anything that registers the extension is said, once, naming what to add
String buildLog = new File(basedir, 'build.log').text
assert result('com.acme.ForgotChaosTestTest#delayNeverActivated').status == 'passed'
assert buildLog.contains('[jchaos] com.acme.ForgotChaosTestTest#delayNeverActivated has @InjectDelay, but the jchaos '
        + 'extension is not registered for it, so no delay is activated: annotate com.acme.ForgotChaosTestTest with '
        + '@dev.jchaos.junit.ChaosTest')
assert buildLog.count('[jchaos] com.acme.ForgotChaosTestTest#') == 1
// and about no other class: every other delayed test here runs with the extension
assert buildLog.count('has @InjectDelay, but the jchaos extension is not registered') == 1

// jchaos.points set for the test JVM is in force from the first class's @BeforeAll, not only after some activation
for (String configured : ['configuredPointIsActiveInTheFirstTest', 'aTestCanStillTurnItOff',
                          'andItIsBackAfterThatTest']) {
    def r = result('com.acme.configured.ConfiguredPointsTest#' + configured)
    assert r.status == 'passed' : "${configured}: ${r}"
}

// isolation under parallel execution: the @Isolated test reports its own thread only, the others are refused
String isolated = leak('com.acme.parallel.IsolatedLeakTest#leaks')
assert isolated.contains('1 thread leaked by IsolatedLeakTest.leaks():\n  1 @ TIMED_WAITING  [isolated-leak]\n') : isolated
assert !isolated.contains('neighbour')
def refused = result('com.acme.parallel.NotIsolatedTest#runsInParallel')
assert refused.status == 'failed' && refused.text.contains('annotate com.acme.parallel.NotIsolatedTest with @org.junit.jupiter.api.parallel.Isolated') : refused
for (String busy : ['keepsAThreadBusy', 'keepsAnotherThreadBusy']) {
    assert result("com.acme.parallel.BusyNeighboursTest#${busy}").status == 'passed'
}

// a virtual thread's leak on JDK 21+, skipped before
def virtual = result('com.acme.VirtualThreadLeakTest#leaksAVirtualThread')
if ((System.getProperty('java.specification.version') as int) >= 21) {
    String text = leak('com.acme.VirtualThreadLeakTest#leaksAVirtualThread')
    assert text.contains('1 thread leaked by VirtualThreadLeakTest.leaksAVirtualThread():\n  1 @ WAITING  [virtual-leak]\n') : text
    assert text.contains('started at: unknown (the JDK records no start stack for virtual threads); it runs com.acme.VirtualThreadLeakTest.lambda$leaksAVirtualThread$')
} else {
    assert virtual.status == 'skipped'
}

// thread-safety violations: racy tests name the collection and both call sites, clean ones pass
def race = { String key ->
    def r = result(key)
    assert r.status == 'failed' && r.type == 'dev.jchaos.junit.ThreadSafetyViolationError' : "${key}: ${r}"
    r.text
}
String tally = race('com.acme.TallyRaceTest#twoAddersShareOneTally')
assert tally =~ /(?s)\d+ thread-safety violations? in TallyRaceTest\.twoAddersShareOneTally\(\):\n  java\.util\.HashMap: merge while merge on one instance/ : tally
assert tally.contains('    adder-1  merge\n      at com.acme.Tally.add(Tally.java:12)\n') : tally
assert tally.contains('    adder-2  merge\n      at com.acme.Tally.add(Tally.java:12)\n') : tally
assert tally =~ /Exposed in run [123] of 3 by holding com\.acme\.Tally\.add\(Tally\.java:12\) for 100ms\n/ : tally
assert tally =~ /Replay: @ChaosTest\(seed = -?\d+\) or -Djchaos\.seed=-?\d+\n/ : tally
String tallyFile = new File(basedir, 'target/jchaos-reports/TallyRaceTest/twoAddersShareOneTally.races.txt').text
assert tally.contains(tallyFile.readLines()[0])

String orders = race('com.acme.OrderRegistryRaceTest#reporterSumsWhileRequestsWrite')
assert orders.contains('java.util.HashMap') : orders
assert orders.contains('at com.acme.OrderRegistry.exposure(OrderRegistry.java:') : orders
assert orders =~ /at com\.acme\.OrderRegistry\.(start|finish)\(OrderRegistry\.java:/ : orders

String rare = race('com.acme.RareNearMissTest#countFifteenMillisecondsAfterAppend')
assert rare.contains('java.util.ArrayList: ') : rare
assert rare.contains('at com.acme.EventLog.append(EventLog.java:') && rare.contains('at com.acme.EventLog.count(EventLog.java:') : rare
assert rare =~ /Exposed in run [23] of 3 by holding / : rare

for (String clean : ['lockedTally', 'concurrentHashMap', 'synchronizedMap', 'handOffAfterJoin']) {
    def r = result("com.acme.CleanRaceTest#${clean}")
    assert r.status == 'passed' : "${clean}: ${r}"
}
assert !new File(basedir, 'target/jchaos-reports/CleanRaceTest').exists()

String log = new File(basedir, 'build.log').text
for (String broken : ['NoSuchMethodError', 'NoClassDefFoundError']) {
    assert !log.contains(broken) : "${broken} in build.log"
}
true
