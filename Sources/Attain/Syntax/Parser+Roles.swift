// The `credit` header line: which credit roles of deals.csv a plan pays on (`credit "owner", "overlay"`).

extension Parser {
    /// `credit "sdr"` or `credit "owner", "overlay"`, after the word `credit`: at least one role in quotes, separated by
    /// commas. The roles themselves (their text, a role named twice) are checked by the checker.
    static func parseCredit(_ cursor: inout Cursor, head: Token, into ast: inout PlanAST) throws {
        if let first = ast.credit {
            throw cursor.failAt(head, "E188", "the plan already has a `credit` line",
                                notes: [.note("the first one", at: cursor.file.span(from: first.start, to: first.end)),
                                        .help("name every role the plan credits on one line: `credit \"owner\", \"sdr\"`")])
        }
        guard cursor.peek != nil else {
            throw cursor.fail("E193", "a `credit` line names at least one credit role",
                              notes: [.help("write e.g. `credit \"sdr\"`, or leave the line out to credit the deal's owner")])
        }
        var roles: [Located<String>] = []
        repeat {
            guard let t = cursor.peek, case .string(let s) = t.kind else {
                let found = cursor.peek.map { $0.display } ?? "the end of the line"
                throw cursor.fail("E189", "expected a credit role in quotes such as `\"sdr\"`, found \(found)",
                                  notes: [.help("roles are written in quotes and separated by commas: `credit \"owner\", \"overlay\"`")])
            }
            cursor.advance()
            roles.append(Located(value: s, start: t.start, end: t.end))
        } while cursor.acceptSymbol(",")
        ast.credit = Located(value: roles, start: head.start, end: cursor.previousEnd)
    }
}
