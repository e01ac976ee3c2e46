// Opening balances: what a company that starts mid-year already paid for the year, and open draw balances,
// read from a CSV and validated like every other input, for `attain ledger import`.

/// The rows of an opening-balances file: `payee_id, kind, plan, component, period, amount, currency`.
///
/// A `paid` row is pay already made for a period under a plan, per component. A `draw_balance` row is a draw's balance
/// still to recover at the end of a period (`component` is the draw's name). Every period the file names is marked
/// closed outside Attain; they are of one kind, in one calendar year, one after another. The file names payees and plans
/// as the ledger will see them: nothing here reads a roster or a plan.
public struct OpeningBalances: Sendable {
    /// Pay already made for one period, under one plan and component; in the currency's units.
    public struct Paid: Sendable, Equatable {
        public let payeeID: String
        public let plan: String
        public let component: String
        public let period: Period
        public let amount: Money
        /// The file's line, for the trace of the line posted from it.
        public let line: Int
    }

    /// A recoverable draw's balance still to recover at the end of a period; in the currency's units, zero or more.
    public struct DrawBalance: Sendable, Equatable {
        public let payeeID: String
        public let plan: String
        public let draw: String
        public let period: Period
        public let balance: Money
        public let line: Int
    }

    /// The file, as messages and line traces name it.
    public let path: String
    /// Paid rows in file order.
    public let paid: [Paid]
    /// Draw balance rows in file order.
    public let draws: [DrawBalance]
    /// The periods marked closed outside Attain, oldest first: every period the file names.
    public let periods: [Period]

    /// The columns a file must have, in the order the documentation shows them.
    public static let columns = ["payee_id", "kind", "plan", "component", "period", "amount", "currency"]

    /// The period that follows the last one marked closed: the first one Attain closes.
    public var nextPeriod: Period? {
        periods.last.flatMap(OpeningBalances.following)
    }

    /// The period of the same kind that starts the day after `p` ends.
    static func following(_ p: Period) -> Period? {
        p.next
    }

    /// Reads and validates an opening-balances file. Every bad value is reported with file, line and column.
    public static func parse(_ file: InputFile) -> Result<OpeningBalances, Diagnostics> {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard var t = loader.table(file, required: columns, diagnostics: &diagnostics) else { return .failure(diagnostics) }
        if t.records.isEmpty && !diagnostics.hasErrors {
            diagnostics.append(.error("D278", "the file has a header but no rows; expected `paid` or `draw_balance` rows", at:
                SourceSpan(path: file.path, line: 1, column: 1, width: 1, lineText: "")))
            return .failure(diagnostics)
        }
        var paid: [Paid] = []
        var draws: [DrawBalance] = []
        var seen: [String: Int] = [:]
        for r in t.records where r.fields.count == t.header.count {
            let id = loader.requiredText(&t, r, "payee_id")
            let kindText = t.value(r, "kind") ?? ""
            let kind: String? = ["paid", "draw_balance"].contains(kindText) ? kindText : nil
            if kind == nil {
                t.fail("D270", kindText.isEmpty ? "`kind` is empty; expected `paid` or `draw_balance`" : "`kind` is `\(Suggestion.cut(kindText))`; expected `paid` or `draw_balance`",
                       r, t.header["kind"], width: kindText.count, notes: Suggestion.help(for: kindText, in: ["paid", "draw_balance"]))
            }
            let plan = loader.requiredText(&t, r, "plan")
            let component = loader.requiredText(&t, r, "component")
            let periodText = t.value(r, "period") ?? ""
            var period: Period?
            switch Period.parse(periodText) {
            case .success(let p): period = p
            case .failure(let e):
                t.fail("D271", periodText.isEmpty ? "`period` is empty; \(e.reason.split(separator: ";")[0])" : "`period` is `\(Suggestion.cut(periodText))`: \(e.reason.split(separator: ";")[0])",
                       r, t.header["period"], width: periodText.count)
            }
            let code = t.value(r, "currency") ?? ""
            let currency = Currency(code: code)
            if currency == nil {
                t.fail("D272", code.isEmpty ? "`currency` is empty; expected an ISO 4217 code such as USD" : "`currency` is `\(Suggestion.cut(code))`: not a known ISO 4217 currency",
                       r, t.header["currency"], width: code.count, notes: Currency.help(for: code))
            }
            let amount = loader.decimal(&t, r, "amount", maxScale: currency?.minorUnits, what: "\(currency?.code ?? "") amounts")
            guard let id, let kind, let plan, let component, let period, let currency, let amount else { continue }
            // A draw has one balance per payee; pay has one figure per plan, component and period.
            let key = kind == "paid" ? [kind, id, plan, component, period.label].joined(separator: "\u{1F}") : [kind, id, component].joined(separator: "\u{1F}")
            if let first = seen[key] {
                let what = kind == "paid" ? "pay for \(period) under \"\(plan)\", component \"\(component)\"," : "a draw balance for draw \"\(component)\""
                t.fail("D273", "payee `\(Suggestion.cut(id))` has \(what) twice", r, t.header["payee_id"], width: id.count, notes: [.note("first on line \(first)")])
                continue
            }
            seen[key] = r.line
            if kind == "paid" {
                paid.append(Paid(payeeID: id, plan: plan, component: component, period: period, amount: Money(amount, currency), line: r.line))
            } else {
                if amount.isNegative {
                    t.fail("D274", "a draw balance is what is still to recover, zero or more; found `\(Suggestion.cut(t.value(r, "amount") ?? ""))`", r, t.header["amount"],
                           width: (t.value(r, "amount") ?? "").count)
                    continue
                }
                draws.append(DrawBalance(payeeID: id, plan: plan, draw: component, period: period, balance: Money(amount, currency), line: r.line))
            }
        }
        // One plan and one currency per payee and period: the ledger keeps one statement for each.
        var statement: [String: (plan: String, currency: Currency, line: Int)] = [:]
        for p in paid {
            let key = p.payeeID + "\u{1F}" + p.period.label
            guard let first = statement[key] else {
                statement[key] = (p.plan, p.amount.currency, p.line)
                continue
            }
            guard let r = t.records.first(where: { $0.line == p.line }) else { continue }
            if first.plan != p.plan {
                t.fail("D277", "payee `\(Suggestion.cut(p.payeeID))` has pay for \(p.period) under \"\(Suggestion.cut(first.plan))\" and \"\(Suggestion.cut(p.plan))\"; a payee is paid under one plan a period",
                       r, t.header["plan"], width: p.plan.count, notes: [.note("\"\(first.plan)\" on line \(first.line)")])
            } else if first.currency != p.amount.currency {
                t.fail("D277", "payee `\(Suggestion.cut(p.payeeID))` has pay for \(p.period) in \(first.currency) and \(p.amount.currency); a payee is paid in one currency a period",
                       r, t.header["currency"], width: p.amount.currency.code.count, notes: [.note("\(first.currency) on line \(first.line)")])
            }
        }
        // The periods of the rows read: one kind, one year, one after another.
        var periods: [Period] = []
        if !paid.isEmpty || !draws.isEmpty {
            var firstOf: [Period: Int] = [:]
            for (period, line) in paid.map({ ($0.period, $0.line) }) + draws.map({ ($0.period, $0.line) }) where firstOf[period].map({ line < $0 }) ?? true {
                firstOf[period] = line
            }
            let byLine = firstOf.sorted { $0.value < $1.value }
            let reference = byLine[0]
            var alike = true
            for (period, line) in byLine.dropFirst() where period.kind != reference.key.kind || period.start.year != reference.key.start.year {
                alike = false
                let r = t.records.first { $0.line == line }!
                let first = reference.key
                let why = period.kind != first.kind ? "a \(period.kind.rawValue), but the file's first period \(first) is a \(first.kind.rawValue)"
                    : "in \(period.start.year), but the file's first period \(first) is in \(first.start.year)"
                t.fail("D275", "`period` is \(period), \(why); periods closed outside Attain are of one kind, in one year", r, t.header["period"],
                       width: period.label.count, notes: [.note("\(first) on line \(reference.value)")])
            }
            if alike {
                periods = firstOf.keys.sorted { $0.start < $1.start }
                for (a, b) in zip(periods, periods.dropFirst()) where a.end.dayNumber + 1 != b.start.dayNumber {
                    let missing = OpeningBalances.following(a)!
                    let r = t.records.first { $0.line == firstOf[b]! }!
                    t.fail("D276", "\(missing) is missing between \(a) and \(b); periods closed outside Attain follow one another", r, t.header["period"],
                           width: b.label.count, notes: [.help("add a `paid` row for \(missing), with an amount of 0.00 if nothing was paid")])
                }
            }
        }
        diagnostics.append(contentsOf: t.finished)
        if diagnostics.hasErrors { return .failure(diagnostics) }
        return .success(OpeningBalances(path: file.path, paid: paid, draws: draws, periods: periods))
    }
}

/// What a ledger holds from an import, for the checks at the first close after it.
public struct ImportedFigures: Sendable {
    /// The import runs, oldest first.
    public let runs: [Int64]
    /// (payee, plan, currency) of every imported payment.
    public let paid: [(payee: String, plan: String, currency: String)]
    /// (payee, draw) of every imported draw balance.
    public let draws: [(payee: String, draw: String)]
    /// False for a close after the first one after the import: only a payee's first statement since the import is
    /// checked then (a payee who joins later), and only its currency, an error.
    public var firstClose = true

    /// The figures of the given import runs, as the ledger holds them.
    public init(runs: [Int64], paid: [(payee: String, plan: String, currency: String)], draws: [(payee: String, draw: String)]) {
        self.runs = runs
        self.paid = paid
        self.draws = draws
    }

    /// Warnings for the first close after an import: imported payees it has no statement for, plans no plan given is
    /// named, draws no plan has; and an error where a payee's imported pay is in another currency than its plan pays in.
    public func check(_ result: RunResult) -> Diagnostics {
        check(result.period, payees: result.statements.map(StatementJSON.SummaryEntry.init), plans: result.plans)
    }

    /// `check(_:)` of a run known by its payees' figures and the plans its statements used.
    public func check(_ period: Period, payees: [StatementJSON.SummaryEntry], plans: [CompiledPlan]) -> Diagnostics {
        var d = Diagnostics()
        let runText = runs.count == 1 ? "run \(runs[0])" : "runs \(runs.first!)–\(runs.last!)"
        var statements: [String: StatementJSON.SummaryEntry] = [:]
        for s in payees { statements[s.payeeID] = s }
        let planNames = plans.map(\.name)
        let drawNames = plans.compactMap { $0.draw?.name }
        var unseen: Set<String> = []
        var reported: Set<String> = []
        for (payee, plan, currency) in paid {
            guard let s = statements[payee] else { unseen.insert(payee); continue }
            if !firstClose {
                // A later close: imported pay in another currency than the plan's would be taken off as if it were not.
                if plan == s.planName, currency != s.currency.code, reported.insert("currency\u{1F}\(payee)").inserted {
                    d.append(.error("R353", "pay imported for payee `\(payee)` (\(runText)) is in \(currency), but plan \"\(plan)\" pays in \(s.currency.code)", at: nil,
                                    notes: [.help("the import cannot be voided once a period is closed after it; correct the ledger's opening balances or pay the payee on a plan in \(currency)")]))
                }
                continue
            }
            if !planNames.contains(plan) {
                if reported.insert("plan\u{1F}\(payee)\u{1F}\(plan)").inserted {
                    d.append(.warning("R351", "pay imported for payee `\(payee)` (\(runText)) is under plan \"\(plan)\", which no plan given is named; a year-to-date true-up does not take it off",
                                      at: nil, notes: Suggestion.help(for: plan, in: planNames)))
                }
            } else if plan == s.planName, currency != s.currency.code, reported.insert("currency\u{1F}\(payee)").inserted {
                d.append(.error("R353", "pay imported for payee `\(payee)` (\(runText)) is in \(currency), but plan \"\(plan)\" pays in \(s.currency.code)", at: nil,
                                notes: [.help("import it again in \(s.currency.code): reopen an imported period to void the import")]))
            }
        }
        for (payee, draw) in draws where firstClose {
            guard statements[payee] != nil else { unseen.insert(payee); continue }
            if !drawNames.contains(draw), reported.insert("draw\u{1F}\(payee)\u{1F}\(draw)").inserted {
                d.append(.warning("R352", "the draw balance imported for payee `\(payee)` (\(runText)) is for draw \"\(draw)\", which no plan given has; it is not recovered",
                                  at: nil, notes: Suggestion.help(for: draw, in: drawNames)))
            }
        }
        for payee in unseen.sorted() where firstClose {
            d.append(.warning("R350", "opening balances were imported for payee `\(payee)` (\(runText)), who has no statement in \(period); they are kept for when `\(payee)` has one",
                              at: nil))
        }
        return d
    }
}
