//go:build !linux

package ingest

import "syscall"

// Off Linux a worker relies on the collector's soft limit and on
// Process's timeout: the address-space limit is not set.
func setAddressLimit(soft, hard int64) error { return nil }

func vmSize() (int64, error) { return 0, nil }

// physicalMemory is unknown off Linux.
func physicalMemory() int64 { return 0 }

// childAttr: a worker whose parent dies sees its input close and exits.
func childAttr() *syscall.SysProcAttr { return nil }
