// Package typeerr does not type-check.
package typeerr

func Count() int { return "three" }
