// The `show` line: deal columns a plan shows on each statement line on a deal (`show deal.account, deal.name`).

extension Parser {
    /// `show deal.account, deal.name`, after the word `show`: one or more `deal.<column>` separated by commas. Whether
    /// each column exists (declared or standard), and a column named twice, are the checker's.
    static func parseShow(_ cursor: inout Cursor, head: Token, into ast: inout PlanAST) throws {
        if let first = ast.show {
            throw cursor.repeatedLine(head, "P311", "show", first: (first.start, first.end), help: "name every column on one line: `show deal.account, deal.name`")
        }
        var columns: [Located<String>] = []
        repeat {
            guard let t = cursor.peek, case .identifier(let word) = t.kind else {
                throw cursor.fail("P310", "expected a deal column such as `deal.account` after `show`, found \(cursor.foundText)",
                                  notes: [.help("write the columns as `deal.<column>`, separated by commas: `show deal.account, deal.name`")])
            }
            if word == "activity" {
                throw cursor.failAt(t, "P314", "`show` names deal columns; an activity's columns are not shown on lines",
                                    notes: [.help("write `show deal.<column>`")])
            }
            guard word == "deal" else {
                throw cursor.failAt(t, "P310", "expected a deal column such as `deal.\(word)` after `show`, found `\(word)`",
                                    notes: [.help("write the columns as `deal.<column>`: `show deal.\(word)`")])
            }
            cursor.advance()
            guard cursor.acceptSymbol("."), let n = cursor.peek, case .identifier(let name) = n.kind else {
                throw cursor.fail("P310", "expected a column name after `deal.`, found \(cursor.foundText)",
                                  notes: [.help("write the columns as `deal.<column>`: `show deal.account`")])
            }
            cursor.advance()
            columns.append(Located(value: name, start: t.start, end: n.end))
        } while cursor.acceptSymbol(",")
        ast.show = Located(value: columns, start: head.start, end: cursor.previousEnd)
    }
}
