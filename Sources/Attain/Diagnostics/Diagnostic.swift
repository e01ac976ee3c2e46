// Errors are data: a severity, a stable code, a message, where, and notes.

/// One finding about a plan or an input file. A phase collects all of them before failing.
public struct Diagnostic: Sendable, Hashable, Error, Codable {
    public enum Severity: String, Sendable, Codable {
        case error
        case warning
    }

    public let severity: Severity
    /// A stable code: E0xx syntax, E1xx plan meaning, D2xx input data, R3xx evaluation.
    public let code: String
    /// Lowercase, names identifiers in backticks.
    public let message: String
    public let span: SourceSpan?
    /// Extra lines: `note: …` context and `help: …` fixes.
    public let notes: [Note]

    public struct Note: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Codable {
            case note
            case help
        }

        public let kind: Kind
        public let message: String
        public let span: SourceSpan?

        public static func note(_ message: String, at span: SourceSpan? = nil) -> Note {
            Note(kind: .note, message: message, span: span)
        }

        public static func help(_ message: String) -> Note {
            Note(kind: .help, message: message, span: nil)
        }
    }

    public init(_ severity: Severity = .error, code: String, _ message: String, at span: SourceSpan?, notes: [Note] = []) {
        self.severity = severity
        self.code = code
        self.message = message
        self.span = span
        self.notes = notes
    }

    public static func error(_ code: String, _ message: String, at span: SourceSpan?, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.error, code: code, message, at: span, notes: notes)
    }

    public static func warning(_ code: String, _ message: String, at span: SourceSpan?, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.warning, code: code, message, at: span, notes: notes)
    }
}

/// The diagnostics a phase found. A phase that reports any error stops the run.
public struct Diagnostics: Error, Sendable {
    public var items: [Diagnostic]

    public init(_ items: [Diagnostic] = []) {
        self.items = items
    }

    public var hasErrors: Bool { items.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { items.filter { $0.severity == .error } }

    public mutating func append(_ d: Diagnostic) { items.append(d) }
    public mutating func append(contentsOf other: Diagnostics) { items.append(contentsOf: other.items) }
}

extension Diagnostics {
    /// `text` with every character a reader cannot see, or that would move a terminal's cursor, written as an escape:
    /// controls (C0 including tab and line breaks, DEL, C1), format characters (zero-width space and joiners, bidi
    /// controls, the byte-order mark), spaces other than U+0020 (no-break space, …), line and paragraph separators,
    /// noncharacters, private-use and unassigned code points, and the invisible fillers. Each becomes `\u{200B}`
    /// (uppercase hex, four digits at least). Used for every text a message or a terminal table shows.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isInvisible) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            if isInvisible(scalar) && !joinsWithin(scalars, at: i) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out.append(contentsOf: "\\u{\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whether the scalar at `i` is a zero-width non-joiner or joiner doing its work inside a word: between two letters
    /// (Persian writes ZWNJ inside words, `می‌خواهم`), or ZWJ inside an emoji sequence. There it is part of the name as
    /// people read it and stays; anywhere else (at an end, beside a space or a digit) it is shown escaped.
    static func joinsWithin(_ scalars: [Unicode.Scalar], at i: Int) -> Bool {
        let s = scalars[i]
        guard s.value == 0x200C || s.value == 0x200D, i > 0, i + 1 < scalars.count else { return false }
        func wordy(_ x: Unicode.Scalar) -> Bool {
            switch x.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark: return true
            default: return s.value == 0x200D && x.properties.isEmojiPresentation
            }
        }
        return wordy(scalars[i - 1]) && wordy(scalars[i + 1])
    }

    /// Whether a character is shown escaped by `visible`.
    static func isInvisible(_ s: Unicode.Scalar) -> Bool {
        if s.value >= 0x20 && s.value < 0x7F { return false }
        if s.value < 0x20 || (s.value >= 0x7F && s.value <= 0xA0) { return true }
        if s.properties.isNoncharacterCodePoint { return true }
        switch s.value {
        // Hangul fillers, the combining grapheme joiner, the Mongolian vowel separator: shown as nothing.
        case 0x034F, 0x115F, 0x1160, 0x180E, 0x3164, 0xFFA0: return true
        default: break
        }
        switch s.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate: return true
        default: return false
        }
    }
}
