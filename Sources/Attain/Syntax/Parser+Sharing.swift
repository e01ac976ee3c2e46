// The `share` header line: what a plan lets team pages show of its payees (`share attainment with team`,
// `share attainment and pay with team`). Without one, a payee's figures are private.

/// One `share … with team` line as written: the things shared (`attainment`, `pay`) and where the line is.
public struct SharingDecl: Sendable {
    public var items: [Located<String>]
    public var start: Int
    public var end: Int
}

extension Parser {
    /// What a plan can share with the payee's team.
    static let shareableWords = ["attainment", "pay"]

    /// `share attainment with team`, `share pay with team` or `share attainment and pay with team`, after the word
    /// `share`. A thing shared on an earlier line of the plan, or twice on one line, is an error.
    static func parseShare(_ cursor: inout Cursor, head: Token, into ast: inout PlanAST) throws {
        var items: [Located<String>] = []
        repeat {
            guard let t = cursor.peek, case .identifier(let word) = t.kind else {
                throw cursor.fail("P320", "expected what the plan shares with the team, `attainment` or `pay`, found \(cursor.foundText)",
                                  notes: [.help("write `share attainment with team`")])
            }
            guard shareableWords.contains(word) else {
                throw cursor.failAt(t, "P321", "a plan shares `attainment` or `pay` with the team, not `\(word)`",
                                    notes: Suggestion.help(for: word, in: shareableWords))
            }
            if items.contains(where: { $0.value == word }) {
                throw cursor.failAt(t, "P322", "`\(word)` is named twice on this `share` line")
            }
            if let first = ast.sharing.first(where: { d in d.items.contains { $0.value == word } }) {
                throw cursor.failAt(t, "P323", "the plan already shares `\(word)` with the team",
                                    notes: [.note("shared here", at: cursor.file.span(from: first.start, to: first.end))])
            }
            cursor.advance()
            items.append(Located(value: word, start: t.start, end: t.end))
        } while cursor.acceptWord("and") || cursor.acceptSymbol(",")
        guard cursor.acceptWord("with") else {
            throw cursor.fail("P324", "expected `with team` after `share \(items.map(\.value).joined(separator: " and "))`",
                              notes: [.help("a plan shares its payees' figures with their team: `share attainment with team`")])
        }
        guard let t = cursor.peek, t.isWord("team") else {
            throw cursor.fail("P325", "a plan shares with the payee's team only: expected `team`, found \(cursor.foundText)",
                              notes: [.help("team pages show a manager's reports; write `with team`")])
        }
        cursor.advance()
        ast.sharing.append(SharingDecl(items: items, start: head.start, end: cursor.previousEnd))
    }
}
