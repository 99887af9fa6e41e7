reports = 'failsafe-reports'
suiteWide = true
evaluate(new File(itShared, 'verify-user-project.groovy'))
