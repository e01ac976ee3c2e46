// A rep's query against a line of a posted statement, as the ledger holds it, and the queries a statement shows.

/// A dispute recorded against line `line` of payee `payeeID`'s posted statement for `period`, with the line as it read
/// then, and its status as of the close being run (what the ledger says of the closes before it).
public struct Dispute: Sendable, Equatable {
    /// Where a dispute stands as of a close.
    public enum Status: Sendable, Equatable {
        /// Not answered and not resolved by a posted adjustment before this close.
        case open
        /// Answered in writing since the last close before this one (shown on this close's statement).
        case answered
        /// Answered or resolved before that: no longer shown.
        case settled
    }

    public let id: Int
    public let period: String
    public let payeeID: String
    /// The 1-based number of the line on the posted statement.
    public let line: Int
    /// The line as it was posted: kind, component, deal (nil when none), amount (decimal text in the statement's currency).
    public let lineKind: String
    public let lineComponent: String
    public let lineDealID: String?
    public let lineAmount: String
    public let text: String
    public let by: String?
    public let at: String
    public var status: Status
    /// A written answer, who gave it and when.
    public var answer: String? = nil
    public var resolvedBy: String? = nil
    public var resolvedAt: String? = nil

    public init(id: Int, period: String, payeeID: String, line: Int, lineKind: String, lineComponent: String, lineDealID: String?,
                lineAmount: String, text: String, by: String?, at: String, status: Status) {
        self.id = id
        self.period = period
        self.payeeID = payeeID
        self.line = line
        self.lineKind = lineKind
        self.lineComponent = lineComponent
        self.lineDealID = lineDealID
        self.lineAmount = lineAmount
        self.text = text
        self.by = by
        self.at = at
        self.status = status
    }

    /// What the disputed line is, in words for a terminal table: "commission Bookings commission, deal D2, 1400.00".
    public var lineSummary: String {
        ([lineKind + " " + lineComponent] + (lineDealID.map { ["deal \($0)"] } ?? []) + [lineAmount]).joined(separator: ", ")
    }
}

/// One query a statement shows: a dispute of its payee that is open, answered since the last close, or resolved by an
/// adjustment line of this statement.
public struct StatementQuery: Sendable, Equatable {
    public enum Status: String, Sendable {
        case open, answered, resolved
    }

    public let id: Int
    /// The period of the statement the disputed line is on, and its number there.
    public let period: String
    public let line: Int
    public let lineKind: String
    public let lineComponent: String
    public let lineDealID: String?
    public let lineAmount: String
    public let text: String
    public let by: String?
    public let at: String
    public let status: Status
    /// A written answer (status `answered`), who gave it and when.
    public let answer: String?
    public let answeredBy: String?
    public let answeredAt: String?
    /// The 1-based number of the adjustment line of this statement that resolves it (status `resolved`).
    public let adjustmentLine: Int?

    public init(_ d: Dispute, status: Status, adjustmentLine: Int? = nil) {
        id = d.id
        period = d.period
        line = d.line
        lineKind = d.lineKind
        lineComponent = d.lineComponent
        lineDealID = d.lineDealID
        lineAmount = d.lineAmount
        text = d.text
        by = d.by
        at = d.at
        self.status = status
        answer = status == .answered ? d.answer : nil
        answeredBy = status == .answered ? d.resolvedBy : nil
        answeredAt = status == .answered ? d.resolvedAt : nil
        self.adjustmentLine = adjustmentLine
    }
}
