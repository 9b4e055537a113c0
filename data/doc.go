// Package data implements the app.Store on a local SQLite file (the
// default) or on a school's PostgreSQL server (pg*.go: the same SQL through
// a rewriting driver).
//
// Where things are: store.go (opening, migrations, Read and Write), txn.go
// (one transaction's helpers), check.go, audit.go (the trail and its hash
// chain), backups.go and storefile.go (backups, restores, what a store file
// is), and one file per group of the Tx methods: orgs.go, members.go,
// accounts.go, grad.go, abroad.go, transfers.go, letters.go, progress.go
// (reports and notices' counts), sweep.go (R-T4 set-wise), rows.go
// (multi-row inserts), scan.go (reading rows: scanAll, eachRow), sqlconst.go
// (app's values as SQL literals). The Excel
// codecs are in data/xlsx.
package data
