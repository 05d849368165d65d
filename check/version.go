package check

// RulesVersion names what the rules report. Bump it whenever a rule's
// findings change (a new rule, another tolerance, other severities or ids):
// every check run records it beside the extractor versions it read, so a
// finding's history says which rules made it.
const RulesVersion = "1"
