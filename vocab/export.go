package vocab

// HeaderWord is a printed header word and the column key it gives.
type HeaderWord struct{ Word, Key string }

// HeaderWords lists the header words above amount columns with their
// column keys, in the order ColumnKey tries them (for data dictionaries).
func HeaderWords() []HeaderWord {
	out := make([]HeaderWord, len(headerWords))
	for i, w := range headerWords {
		out[i] = HeaderWord{Word: w.word, Key: w.key}
	}
	return out
}
