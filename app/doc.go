// Package app is the domain of 团务台: its types, rules, use cases and the
// store interface. It imports neither Fyne nor database/sql.
//
// Where things are: service.go (the Service, its clock, the audit helper),
// session.go and auth.go (who is signed in, sign-in and lock-out, passwords),
// init.go (a new store), org.go and orgs.go (organizations: rules and use
// cases), member*.go and import*.go (members, R-M, R-X), grad.go and marks.go
// (R-G, R-D), transfer.go (types, R-T2 checks), transferplan.go, transferstart.go,
// transferpull.go, transfersteps.go, transferacts.go, transferqueries.go and
// sweep.go (R-T: plan, start, pull, the steps, approvals, queries, deadlines;
// planSteps is R-T3's chain), sweepbackup.go (the window's sweep with its
// 操作前 backup), outside.go (R-W), letter*.go
// (R-L), notices.go (R-N1), audit.go and auditchain.go (the trail), backups.go,
// practice.go and demo*.go (practice stores). Every rule is named by its R-xx
// in comments and in the tests.
package app
