// Shared checks of a user project's outcome; the calling verify.groovy sets `reports` (the report directory under
// target) and `suiteWide` (whether its junit-platform.properties leak-checks every test).
reportDirs = [reports]
Map results = evaluate(new File(itShared, 'results.groovy'))
def result = { String key ->
    assert results.containsKey(key) : "no result for ${key}; have ${results.keySet()}"
    results[key]
}

def leak = result('com.acme.LeakingTest#leaksWhenPricingIsSlow')
assert leak.status == 'failed' && leak.type == 'dev.jchaos.junit.ThreadLeakError' : leak
assert leak.text.contains('1 thread leaked by LeakingTest.leaksWhenPricingIsSlow():\n  1 @ TIMED_WAITING  [price-refresher]')
assert leak.text.contains('      started at com.acme.QuoteService.startRefresher(QuoteService.java:')
// the minimizer re-ran the test through the JUnit Platform launcher of this project's JUnit version
assert leak.text.contains('Minimal failing configuration (1/1 attempts leaked, ') : leak.text
assert leak.text.contains('  com.acme.QuoteService#price=delay(500ms)\n')
assert new File(basedir, 'target/jchaos-reports/LeakingTest/leaksWhenPricingIsSlow.txt').isFile()

assert result('com.acme.CleanTest#usesAndStopsAnExecutor').status == 'passed'
def classPath = result('com.acme.ClassPathTest#everyJUnitJarIsTheProjectsVersion')
assert classPath.status == 'passed' : classPath.text

def unannotated = result('com.acme.UnannotatedLeakTest#leaksWithoutAnyAnnotation')
if (suiteWide) {
    assert unannotated.status == 'failed' && unannotated.type == 'dev.jchaos.junit.ThreadLeakError' : unannotated
    assert unannotated.text.contains('1 thread leaked by UnannotatedLeakTest.leaksWithoutAnyAnnotation():')
    assert unannotated.text.contains('started at com.acme.UnannotatedLeakTest.leaksWithoutAnyAnnotation(UnannotatedLeakTest.java:')
} else {
    assert unannotated.status == 'passed' : unannotated
}

String log = new File(basedir, 'build.log').text
for (String broken : ['NoSuchMethodError', 'NoClassDefFoundError', 'ClassNotFoundException']) {
    assert !log.contains(broken) : "${broken} in ${basedir}/build.log"
}
true
