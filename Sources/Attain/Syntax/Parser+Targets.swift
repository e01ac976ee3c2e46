// The quota lines that read targets.csv: `quota from target`, `quota from target "revenue"`, `quota from team target`.

extension Parser {
    /// After `quota from`: `target`, `target "key"`, `team target` or `team target "key"`; nil when the next word is
    /// another source (`assignment`), left for the caller to read.
    func parseTargetQuota(_ c: inout Cursor) throws -> MeasureDecl.Quota? {
        var team = false
        if c.acceptWord("team") {
            team = true
            try c.expectWord("target")
        } else if !c.acceptWord("target") {
            if let t = c.peek, t.isWord("assignment") { return nil }
            throw c.expected("`assignment`, `target` or `team target`")
        }
        var key: Located<String>?
        if let t = c.peek, case .string = t.kind { key = try c.expectString("the measure's key in targets.csv, in quotes") }
        return .target(key: key, team: team)
    }
}
