reports = 'failsafe-reports'
suiteWide = false
evaluate(new File(itShared, 'verify-user-project.groovy'))
