// Package ui holds the Fyne screens of 团务台, one file per screen or
// dialog. It imports app and Fyne only; main.go passes in the services and
// codecs. Screens call app use cases and never touch the store themselves.
package ui
