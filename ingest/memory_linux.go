package ingest

import (
	"fmt"
	"os"
	"strings"
	"syscall"
)

// setAddressLimit sets the soft and hard limits of the process's address
// space. The Go runtime reserves about a gigabyte of it at start without
// using it, so limits are set relative to the current size (vmSize).
func setAddressLimit(soft, hard int64) error {
	return syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: uint64(soft), Max: uint64(hard)})
}

// vmSize is the process's current address-space size.
func vmSize() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(l, "VmSize: %d kB", &kb); err == nil {
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmSize in /proc/self/status")
}

// physicalMemory is the machine's RAM in bytes, 0 if unknown.
func physicalMemory() int64 {
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err != nil {
		return 0
	}
	return int64(si.Totalram) * int64(si.Unit)
}

// childAttr makes the kernel kill a worker whose parent dies, even if the
// worker is stuck and never sees its input close.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
