// The README's worked example gives the report the README shows: the two groups with their creation lines,
// PricingClient#quote as the minimal failing configuration, a threshold near the 200 ms deadline.
String log = new File(basedir, 'build.log').text
File saved = new File(basedir, 'target/jchaos-reports/OrderServiceTest/placeOrder.txt')
assert saved.isFile()
String report = saved.text
assert report.startsWith('3 threads leaked by OrderServiceTest.placeOrder():\n  2 @ WAITING  [pricing-1, pricing-2]\n') : report
assert report.contains('      started at com.acme.OrderService.placeOrder(OrderService.java:24)\n')
assert report.contains('      started at com.acme.OrderService.placeOrder(OrderService.java:25)\n')
assert report.contains('  1 @ TIMED_WAITING  [audit-flusher]\n')
assert report.contains('      started at com.acme.OrderService.placeOrder(OrderService.java:23)\n')
assert report =~ /Minimal failing configuration \(3\/3 attempts leaked, \d+ runs\):\n  com\.acme\.PricingClient#quote=delay\(300ms\)\n/
def threshold = (report =~ /Delay threshold: com\.acme\.PricingClient#quote leaks from (\d+)ms/)
assert threshold.find() : report
assert (threshold.group(1) as long) in 150L..300L
assert report =~ /Replay: @ChaosTest\(seed = -?\d+\) or -Djchaos.seed=-?\d+\n/
assert new File(basedir, 'target/jchaos-reports/OrderServiceTest/placeOrder.jfr').length() > 0
assert log.contains('[jchaos] OrderServiceTest.placeOrder() leaked with 3 active points; searching the minimal failing configuration')
assert log.contains('Tests run: 1, Failures: 1, Errors: 0, Skipped: 0')
true
