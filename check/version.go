package check

// RulesVersion names the behaviour of the rules as a whole: every check run
// records it beside the extractor versions it read, so that findings of
// different rule versions are not mistaken for changes in the documents.
// Bump it whenever a rule's logic, tolerance, severity, ids or messages
// change. 1 was the rules before versions were recorded; 2 adds evidence,
// confidence, severity from the extractor's doubts and the rules of
// issue 10; 3 tells a table the template does not print (labels, contents,
// the document's own statement) from one missing, tables published apart,
// a blank total from a printed 0, keeps one 尾差 note a rule and table and
// none for a stated figure rounded as written; 4 takes a budget's 截至 dates
// of the year before as its own (unless the same day is printed with the
// document's year), outlines narrative figures on their page, checks
// nothing on a text that does not read and lowers every finding on a
// partly garbled one.
const RulesVersion = "4"
