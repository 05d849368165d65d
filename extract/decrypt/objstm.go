package decrypt

import (
	"errors"
	"fmt"
)

// ObjStm is a decoded object stream (PDF 32000 §7.5.7).
type ObjStm struct {
	Data    []byte      // the decoded stream
	Offsets map[int]int // object number to the offset of its value in Data
	Extends bool        // the stream names another with /Extends
}

// ReadObjStm parses the unencrypted object stream whose "num gen obj"
// header is at offset off of data, decoding at most maxBytes (0: 64 MiB).
// It lets a caller check an object stream (its size, which objects it
// holds, whether it extends another) before a reader without limits
// follows it. A stream over the limit gives ErrTooLarge.
func ReadObjStm(data []byte, off, maxBytes int) (s *ObjStm, err error) {
	defer func() {
		if x := recover(); x != nil {
			s, err = nil, fmt.Errorf("object stream: internal error on malformed input: %v", x)
		}
	}()
	if off < 0 || off >= len(data) {
		return nil, errors.New("object stream: offset outside the file")
	}
	f := newFile(data)
	f.h = &handler{} // the caller has removed any encryption
	if maxBytes > 0 {
		f.maxStream = maxBytes
	}
	o, err := f.parseAt(off, 0)
	if err != nil {
		return nil, fmt.Errorf("object stream: %w", err)
	}
	st, err := f.objStmOf(o)
	if err != nil {
		return nil, err
	}
	return &ObjStm{Data: st.data, Offsets: st.offs, Extends: st.extends}, nil
}
