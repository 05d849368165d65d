package pdfobj

import (
	"reflect"

	"github.com/ledongthuc/pdf"
)

// The object layer keeps object numbers, raw references and its
// cross-reference table unexported. They are read here by reflection, so
// that objects can be checked before the layer parses them and cycles can
// be cut by identity. Reading unexported fields this way is allowed; the
// layout is that of the pinned library version, and TestInternals fails
// loudly if an upgrade changes it.

// ID returns the object identity of v. For a direct object it is the ID of
// the indirect object that contains it.
func ID(v pdf.Value) ObjID {
	p := reflect.ValueOf(v).FieldByName("ptr")
	if !p.IsValid() || p.NumField() < 2 {
		return ObjID{}
	}
	return ObjID{Num: uint32(p.Field(0).Uint()), Gen: uint16(p.Field(1).Uint())}
}

// refOf reads an objptr struct value.
func refOf(p reflect.Value) (ObjID, bool) {
	if p.Kind() != reflect.Struct || p.NumField() != 2 || p.Type().Name() != "objptr" {
		return ObjID{}, false
	}
	return ObjID{Num: uint32(p.Field(0).Uint()), Gen: uint16(p.Field(1).Uint())}, true
}

// RawRef reports whether dict entry key of v (a dictionary or a stream) is
// an indirect reference, and to which object, without resolving it.
func RawRef(v pdf.Value, key string) (ObjID, bool) {
	e, ok := rawEntry(v, key)
	if !ok {
		return ObjID{}, false
	}
	return refOf(e.Elem())
}

// hasKey reports whether dictionary (or stream) v has entry key, without
// resolving it.
func hasKey(v pdf.Value, key string) bool {
	_, ok := rawEntry(v, key)
	return ok
}

// rawEntry is entry key of v as stored (an interface holding the layer's
// object), when present and not null.
func rawEntry(v pdf.Value, key string) (reflect.Value, bool) {
	d := reflect.ValueOf(v).FieldByName("data")
	if !d.IsValid() || d.IsNil() {
		return reflect.Value{}, false
	}
	d = d.Elem()
	if d.Kind() == reflect.Struct && d.Type().Name() == "stream" {
		d = d.FieldByName("hdr")
	}
	if d.Kind() != reflect.Map || d.Type().Key().Kind() != reflect.String {
		return reflect.Value{}, false
	}
	e := d.MapIndex(reflect.ValueOf(key).Convert(d.Type().Key()))
	if !e.IsValid() || e.IsNil() {
		return reflect.Value{}, false
	}
	return e, true
}

// RawIndexRef is RawRef for element i of an array.
func RawIndexRef(v pdf.Value, i int) (ObjID, bool) {
	d := reflect.ValueOf(v).FieldByName("data")
	if !d.IsValid() || d.IsNil() {
		return ObjID{}, false
	}
	d = d.Elem()
	if d.Kind() != reflect.Slice || i < 0 || i >= d.Len() {
		return ObjID{}, false
	}
	e := d.Index(i)
	if e.IsNil() {
		return ObjID{}, false
	}
	return refOf(e.Elem())
}

// layerRow is one row of the object layer's cross-reference table.
type layerRow struct {
	id       ObjID
	inStream bool
	stream   ObjID // the object stream holding it
	offset   int64 // in the file, for a plain object
}

// xrefView reads the object layer's cross-reference table (indexed by
// object number) in place, without copying it.
type xrefView struct{ rows reflect.Value }

// xrefOf returns the view; ok is false if the layout is not the expected
// one.
func xrefOf(r *pdf.Reader) (xrefView, bool) {
	x := reflect.ValueOf(r).Elem().FieldByName("xref")
	if !x.IsValid() || x.Kind() != reflect.Slice || x.Type().Elem().NumField() != 4 {
		return xrefView{}, false
	}
	return xrefView{x}, true
}

func (x xrefView) len() int {
	if !x.rows.IsValid() {
		return 0
	}
	return x.rows.Len()
}

// at returns row num; ok is false past the end or on an unexpected layout.
func (x xrefView) at(num uint32) (layerRow, bool) {
	if int64(num) >= int64(x.len()) {
		return layerRow{}, false
	}
	e := x.rows.Index(int(num))
	id, ok1 := refOf(e.Field(0))
	stm, ok2 := refOf(e.Field(2))
	if !ok1 || !ok2 || e.Field(1).Kind() != reflect.Bool || e.Field(3).Kind() != reflect.Int64 {
		return layerRow{}, false
	}
	return layerRow{id: id, inStream: e.Field(1).Bool(), stream: stm, offset: e.Field(3).Int()}, true
}

// inStream reads only the inStream flag of row num (the common check).
func (x xrefView) inStream(num uint32) bool {
	if int64(num) >= int64(x.len()) {
		return false
	}
	return x.rows.Index(int(num)).Field(1).Bool()
}
