// The `credit` header line: which credit roles of deals.csv a plan pays on (`credit "owner", "overlay"`).

extension Parser {
    /// `credit "sdr"` or `credit "owner", "overlay"`, after the word `credit`: at least one role in quotes, separated by
    /// commas. The roles themselves (their text, a role named twice) are checked by the checker.
    static func parseCredit(_ cursor: inout Cursor, head: Token, into ast: inout PlanAST) throws {
        if let first = ast.credit {
            throw cursor.repeatedLine(head, "E188", "credit", first: (first.start, first.end),
                                      help: "name every role the plan credits on one line: `credit \"owner\", \"sdr\"`")
        }
        guard cursor.peek != nil else {
            throw cursor.fail("E193", "a `credit` line names at least one credit role",
                              notes: [.help("write e.g. `credit \"sdr\"`, or leave the line out to credit the deal's owner")])
        }
        var roles: [Located<String>] = []
        repeat {
            guard let t = cursor.peek, case .string(let s) = t.kind else {
                throw cursor.fail("E189", "expected a credit role in quotes such as `\"sdr\"`, found \(cursor.foundText)",
                                  notes: [.help("roles are written in quotes and separated by commas: `credit \"owner\", \"overlay\"`")])
            }
            cursor.advance()
            roles.append(Located(value: s, start: t.start, end: t.end))
        } while cursor.acceptSymbol(",")
        ast.credit = Located(value: roles, start: head.start, end: cursor.previousEnd)
    }
}

extension Cursor {
    /// The error for a second header line the plan may have once (`credit`, `show`, `currency` …), pointing at the first.
    mutating func repeatedLine(_ head: Token, _ code: String, _ word: String, first: (start: Int, end: Int), help: String? = nil) -> Parser.ParseError {
        var notes: [Diagnostic.Note] = [.note("the first one", at: file.span(from: first.start, to: first.end))]
        if let help { notes.append(.help(help)) }
        return failAt(head, code, "the plan already has a `\(word)` line", notes: notes)
    }
}
