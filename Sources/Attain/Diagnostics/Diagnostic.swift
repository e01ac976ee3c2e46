// Errors are data: a severity, a stable code, a message, where, and notes.

/// One finding about a plan or an input file. A phase collects all of them before failing.
public struct Diagnostic: Sendable, Hashable, Error {
    public enum Severity: String, Sendable {
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

    public struct Note: Sendable, Hashable {
        public enum Kind: String, Sendable {
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
