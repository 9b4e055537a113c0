// Package print renders 团务台's printed documents as PDF: the numbered
// 组织关系介绍信 of 附件2 (R-L1, R-L2, R-T7). It sees only app types and
// writes to an io.Writer; it knows nothing of storage or widgets.
package print
