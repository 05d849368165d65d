package cmap

import (
	"errors"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	data := []byte(`%!PS-Adobe-3.0 Resource-CMap
/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/GBK-EUC-H usecmap
/CIDSystemInfo 3 dict dup begin /Registry (Adobe) def /Ordering (GB1) def /Supplement 2 def end def
/CMapName /Test-V def /WMode 1 def
2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
1 beginnotdefrange <00> <1f> 7716 endnotdefrange
2 begincidrange <21> <7e> 814 <8140> <8178> 10072 endcidrange
1 begincidchar <a1a2> 575 endcidchar
2 beginbfchar <0001> <4E2D> <0002> <d83dde00> endbfchar
2 beginbfrange <0010> <0012> <00FE> <0020> <0021> [<0041> <00660069>] endbfrange
% garbage follows
1 beginbfchar <zz> (x) <0003> <0042> endbfchar
endcmap`)
	m, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	want := &CMap{
		Name: "Test-V", UseCMap: "GBK-EUC-H", WMode: 1, Registry: "Adobe", Ordering: "GB1",
		Codespaces: []Codespace{{N: 1, Lo: [4]byte{0}, Hi: [4]byte{0x80}}, {N: 2, Lo: [4]byte{0x81, 0x40}, Hi: [4]byte{0xFE, 0xFE}}},
		CIDs:       []CIDRange{{Lo: 0x21, Hi: 0x7E, N: 1, CID: 814}, {Lo: 0x8140, Hi: 0x8178, N: 2, CID: 10072}, {Lo: 0xA1A2, Hi: 0xA1A2, N: 2, CID: 575}},
		NotDefs:    []CIDRange{{Lo: 0, Hi: 0x1F, N: 1, CID: 7716}},
		BFChars: []BFChar{{Code: 1, N: 2, Dst: []byte{0x4E, 0x2D}}, {Code: 2, N: 2, Dst: []byte{0xD8, 0x3D, 0xDE, 0x00}},
			{Code: 3, N: 2, Dst: []byte{0, 0x42}}},
		BFRanges: []BFRange{{Lo: 0x10, Hi: 0x12, N: 2, Dst: []byte{0, 0xFE}},
			{Lo: 0x20, Hi: 0x21, N: 2, Array: [][]byte{{0, 0x41}, {0, 0x66, 0, 0x69}}}},
		Skipped: 1,
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("got  %+v\nwant %+v", m, want)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{"", "garbage", "<<>> [ ] ( (", "\x00\xff"} {
		m, err := Parse([]byte(in))
		if !errors.Is(err, ErrEmpty) || m == nil {
			t.Errorf("%q: got %v, %v", in, m, err)
		}
	}
}
