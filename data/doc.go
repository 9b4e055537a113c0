// Package data implements the app.Store on a local SQLite file: the schema
// and its migrations (migrations/*.sql), transactions (one writer, WAL,
// foreign keys on), the audit hash chain, backups and restores. The Excel
// codecs are in data/xlsx.
package data
