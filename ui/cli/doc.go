// Package cli is the headless face of 团务台: the commands of CLI.md, each a
// thin call of an app use case, with Chinese tables or --json output.
package cli
