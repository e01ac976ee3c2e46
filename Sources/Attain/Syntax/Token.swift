// The tokens of the plan language.

/// One token, with the byte range it covers in its file.
public struct Token: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case identifier(String)
        case string(String)
        case number(ExactDecimal)
        case percent(ExactDecimal)
        case date(CivilDate)
        case symbol(String)
    }

    public let kind: Kind
    public let start: Int
    public let end: Int

    /// How the token reads in an error message.
    public var display: String {
        switch kind {
        case .identifier(let s): return "`\(s)`"
        case .string(let s): return "\"\(s)\""
        case .number(let d): return "number `\(d)`"
        case .percent(let d): return "`\(d)%`"
        case .date(let d): return "date `\(d)`"
        case .symbol(let s): return "`\(s)`"
        }
    }

    func isWord(_ word: String) -> Bool {
        if case .identifier(word) = kind { return true }
        return false
    }

    func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(symbol) = kind { return true }
        return false
    }
}

/// One non-blank line of a plan: its tokens and whether it is indented (part of the block above).
public struct TokenLine: Sendable {
    public let indented: Bool
    public let tokens: [Token]
    /// Byte offset of the line's end, for "expected … at end of line" messages.
    public let end: Int
    /// The lexer already reported an error on this line; the parser skips it.
    public var hasLexError = false
}
