// What Surefire or Failsafe recorded for a user project: 'Class#method' -> [status, type, text], read from the
// report directories (under target) the calling script names in `reportDirs`.
import groovy.xml.XmlSlurper

Map results = [:]
for (String reports : reportDirs) {
    File dir = new File(basedir, "target/" + reports)
    assert dir.isDirectory() : "no ${reports} in ${basedir}"
    dir.eachFileMatch(~/TEST-.*\.xml/) { file ->
        new XmlSlurper().parse(file).testcase.each { testcase ->
            def failure = testcase.failure.size() > 0 ? testcase.failure : (testcase.error.size() > 0 ? testcase.error : null)
            results[testcase.@classname.toString() + '#' + testcase.@name.toString()] = [
                    status: failure != null ? 'failed' : (testcase.skipped.size() > 0 ? 'skipped' : 'passed'),
                    type  : failure?.@type?.toString(),
                    text  : failure?.text()]
        }
    }
}
results
