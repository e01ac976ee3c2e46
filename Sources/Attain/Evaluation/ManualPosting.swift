// Manual adjustments and disputes at a close: each adjustments.csv row not posted before becomes an `adjustment` line on
// its payee's statement, and each statement shows its payee's queries. Values in, values out: the ledger's disputes and
// posted ids come in on `LedgerHistory.manual`.
import Synchronization

/// What a close knows of manual adjustments and disputes, from adjustments.csv and the ledger.
public struct ManualInputs: Sendable {
    /// adjustments.csv's rows, in file order; empty without the file.
    public var adjustments: [ManualAdjustment] = []
    /// Every dispute recorded before this close, with its status as of the closes before it.
    public var disputes: [Dispute] = []
    /// Adjustment ids posted by earlier closes, with the period each was posted in.
    public var posted: [String: String] = [:]

    public init(adjustments: [ManualAdjustment] = [], disputes: [Dispute] = [], posted: [String: String] = [:]) {
        self.adjustments = adjustments
        self.disputes = disputes
        self.posted = posted
    }

    /// Nothing to post and no query to show: a close then does no work for them.
    public var isEmpty: Bool { adjustments.isEmpty && !disputes.contains { $0.status != .settled } }

    /// The rows this close posts: those no earlier close posted.
    public var pending: [ManualAdjustment] { adjustments.filter { posted[$0.id] == nil } }

    /// The rows an earlier close posted, with the period it was posted in, in file order.
    public var alreadyPosted: [(row: ManualAdjustment, period: String)] { adjustments.compactMap { r in posted[r.id].map { (r, $0) } } }
}

/// A manual line posted before, as the ledger recorded it: how it is known among the posted lines.
public struct ManualLineKey: Sendable, Hashable {
    public let period: String
    public let payeeID: String
    public let source: String
    public let amount: ExactDecimal

    public init(period: String, payeeID: String, source: String, amount: ExactDecimal) {
        self.period = period
        self.payeeID = payeeID
        self.source = source
        self.amount = amount
    }
}

extension LedgerHistory {
    /// Takes the posted manual adjustment lines out of `lines`: they are paid once, and a recomputed period, a clawback
    /// or a true-up reads only what the plans paid.
    public mutating func removeManualLines(_ keys: [ManualLineKey]) {
        guard !keys.isEmpty else { return }
        var left: [ManualLineKey: Int] = [:]
        for k in keys { left[k, default: 0] += 1 }
        lines.removeAll { line in
            guard line.kind == .adjustment, line.refPeriod == nil, line.dealID == nil else { return false }
            let k = ManualLineKey(period: line.period, payeeID: line.payeeID, source: line.source, amount: line.amount)
            guard let n = left[k], n > 0 else { return false }
            left[k] = n - 1
            return true
        }
    }
}

/// Applies a close's manual adjustments and queries to its statements as they are made (on any core), and says what
/// was wrong with them once every statement is made.
final class ManualPosting: Sendable {
    let period: Period
    /// The rows to post, by payee, in file order.
    let rows: [String: [ManualAdjustment]]
    /// Disputes to show, by payee: open or answered since the last close.
    let shown: [String: [Dispute]]
    /// Errors found before any statement is made: unknown payees, disputes that cannot be answered.
    let checked: Diagnostics
    private let state = Mutex<(applied: Set<String>, errors: [(line: Int, diagnostic: Diagnostic)])>(([], []))

    init(_ manual: ManualInputs, reps: Set<String>, period: Period) {
        self.period = period
        let pending = manual.pending
        rows = Dictionary(grouping: pending, by: \.payeeID)
        shown = Dictionary(grouping: manual.disputes.filter { $0.status != .settled }, by: \.payeeID)
        var d = Diagnostics()
        let disputes = Dictionary(manual.disputes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for r in pending {
            if !reps.contains(r.payeeID) {
                d.append(.error("D338", "payee `\(Suggestion.cut(r.payeeID))` is not in roster.csv", at: r.payeeSpan,
                                notes: [.help("a manual adjustment is posted on the statement of a payee of the roster")]))
            }
            guard let id = r.dispute else { continue }
            guard let dispute = disputes[id] else {
                d.append(.error("D339", "there is no dispute \(id) in the ledger", at: r.disputeSpan, notes: [.help("`attain disputes --all` lists them")]))
                continue
            }
            if dispute.payeeID != r.payeeID {
                d.append(.error("D341", "dispute \(id) is payee `\(Suggestion.cut(dispute.payeeID))`'s, not `\(Suggestion.cut(r.payeeID))`'s", at: r.disputeSpan))
            } else if dispute.status != .open {
                d.append(.error("D340", "dispute \(id) is not open: \(dispute.answer != nil ? "it was answered" : "an adjustment resolved it") before this close",
                                at: r.disputeSpan, notes: [.help("leave `dispute` empty, or name an open dispute (`attain disputes`)")]))
            }
        }
        checked = d
    }

    /// The posting of a close's manual inputs (`history.manual`), or nil when it has none to post or show.
    static func of(_ history: LedgerHistory, prepared: PreparedRun, period: Period) -> ManualPosting? {
        history.manual.isEmpty ? nil : ManualPosting(history.manual, reps: Set(prepared.data.reps.map(\.id)), period: period)
    }

    /// Adds the payee's rows as adjustment lines and sets the queries it shows.
    func apply(_ s: inout Statement) {
        let mine = rows[s.payeeID] ?? []
        let disputes = shown[s.payeeID] ?? []
        guard !mine.isEmpty || !disputes.isEmpty else { return }
        var resolvedAt: [Int: Int] = [:]
        var errors: [(Int, Diagnostic)] = []
        for r in mine {
            guard r.amount.currency == s.currency else {
                errors.append((r.line, .error("D342", "payee `\(Suggestion.cut(r.payeeID))` is paid in \(s.currency.code) in \(period), not \(r.amount.currency.code)",
                                              at: r.currencySpan, notes: [.help("write the adjustment in the payee's statement currency, \(s.currency.code)")])))
                continue
            }
            var line = StatementLine(kind: .adjustment, component: r.component, dealID: nil, closeDate: nil, base: nil, share: nil, rate: nil, tier: nil,
                                     amount: r.amount, reason: r.reason, source: r.source)
            line.dispute = r.dispute
            line.manualAdjustment = r.id
            do {
                try s.append([line])
            } catch {
                errors.append((r.line, .error("R390", "the totals for rep `\(s.payeeID)` are too large to compute exactly", at: r.payeeSpan)))
                continue
            }
            if let d = r.dispute { resolvedAt[d] = s.lines.count }
        }
        s.queries = disputes.map { d in
            if let n = resolvedAt[d.id] { return StatementQuery(d, status: .resolved, adjustmentLine: n) }
            return StatementQuery(d, status: d.status == .answered ? .answered : .open)
        }
        state.withLock { st in
            st.applied.insert(s.payeeID)
            st.errors += errors
        }
    }

    /// Errors found while applying, in file order, and rows whose payee has no statement this period.
    func finished() -> Diagnostics {
        let (applied, errors) = state.withLock { ($0.applied, $0.errors) }
        var found = errors
        for (payee, list) in rows where !applied.contains(payee) {
            for r in list {
                found.append((r.line, .error("D343", "payee `\(Suggestion.cut(payee))` has no statement in \(period) (no plan assignment in force in it), so the adjustment has no statement to go on",
                                             at: r.payeeSpan, notes: [.help("post it at a close of a period the payee has a statement in, or add an assignment")])))
            }
        }
        return Diagnostics(found.sorted { $0.line < $1.line }.map(\.diagnostic))
    }
}
