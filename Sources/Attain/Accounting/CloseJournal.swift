// What a close's statements post to the books: each statement's journal rows (expense, capitalized cost, clawback
// reversals, the payable) and the commissions it capitalizes.

/// Turns statements into journal rows and capitalized amounts, with the chart of accounts, the deals' terms, the
/// payees' cost centers and what earlier closes capitalized. Pure: every input comes in as a value.
public struct CloseJournal: Sendable {
    /// Nil: no accounts.csv, so no journal; capitalized amounts are still worked out for the ledger.
    public let chart: ChartOfAccounts?
    public let terms: ContractTerms
    public let costCenters: CostCenters
    /// Capitalized amounts (and reversals) of earlier closed periods, by payee and deal.
    let history: [String: [CapitalizedAmount]]

    public init(chart: ChartOfAccounts?, terms: ContractTerms, costCenters: CostCenters, history: [CapitalizedAmount]) {
        self.chart = chart
        self.terms = terms
        self.costCenters = costCenters
        var h: [String: [CapitalizedAmount]] = [:]
        for r in history { h[r.pair, default: []].append(r) }
        self.history = h
    }

    /// One statement's part: its journal rows (entry numbers given later, in payee order) and capitalized amounts.
    public struct Part: Sendable {
        public let payeeID: String
        public var rows: [JournalRow]
        public let capitalized: [CapitalizedAmount]
    }

    /// What a payee's journal rows are for, in the order they are written.
    enum Role: Int, Comparable {
        case expense, capitalized, released, reversed, held, payable
        static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
    }

    /// Whether this close has anything to do: a journal to write, or commissions to capitalize.
    public var isActive: Bool { chart != nil || !terms.terms.isEmpty || !history.isEmpty }

    /// A statement's journal rows and capitalized amounts. Every line's amount goes to the expense account of its
    /// component, except lines on a deal whose term is over twelve months, which go to `contract_cost_asset` (and are
    /// capitalized); a clawback of a deal capitalized before takes the deal's unamortized balance (through this period's
    /// last day) off `contract_cost_asset` and the rest of what it takes back off `amortization_expense`; the statement's
    /// paid is credited to `commissions_payable`. Debits equal credits: the lines sum to paid.
    public func part(of s: Statement) throws(ArithmeticError) -> Part {
        let p = s.period
        let center = costCenters[s.payeeID]
        var byRole: [Role: [String: (account: ChartOfAccounts.Account?, amount: ExactDecimal)]] = [:]
        func add(_ role: Role, _ account: ChartOfAccounts.Account?, _ amount: ExactDecimal) throws(ArithmeticError) {
            let key = account?.number ?? ""
            let was = byRole[role]?[key]?.amount ?? .zero
            byRole[role, default: [:]][key] = (account, try was.adding(amount))
        }
        // Capitalized per deal and component, in order of first line; clawbacks of capitalized deals per deal.
        var capitalized: [(deal: String, component: String, term: ContractTerms.Term, amount: ExactDecimal)] = []
        var clawedBack: [(deal: String, component: String, amount: ExactDecimal)] = []
        for line in s.lines {
            // Held and released pay, with a `commissions_held` account: the line it holds is booked whole, the held
            // part stays on the liability until a release moves it to the payable.
            if line.kind == .hold || line.kind == .release, let held = chart?[.commissionsHeld] {
                try add(.held, held, line.amount.amount)
                continue
            }
            if let deal = line.dealID {
                let pair = s.payeeID + "\u{1}" + deal
                if line.kind == .clawback, let earlier = history[pair], !earlier.contains(where: { $0.kind == .reversal }) {
                    if let i = clawedBack.firstIndex(where: { $0.deal == deal }) {
                        clawedBack[i].amount = try clawedBack[i].amount.adding(line.amount.amount)
                    } else {
                        clawedBack.append((deal, line.component, line.amount.amount))
                    }
                    continue
                }
                if line.kind != .clawback, line.kind != .draw, let term = terms.capitalized(deal) {
                    if let i = capitalized.firstIndex(where: { $0.deal == deal && $0.component == line.component }) {
                        capitalized[i].amount = try capitalized[i].amount.adding(line.amount.amount)
                    } else {
                        capitalized.append((deal, line.component, term, line.amount.amount))
                    }
                    try add(.capitalized, chart?[.contractCostAsset], line.amount.amount)
                    continue
                }
            }
            try add(.expense, chart?.expense(component: line.component), line.amount.amount)
        }
        var records: [CapitalizedAmount] = capitalized.filter { !$0.amount.isZero }.map {
            CapitalizedAmount(kind: .capitalized, payeeID: s.payeeID, dealID: $0.deal, component: $0.component, period: p.label, periodStart: p.start,
                              periodEnd: p.end, amount: $0.amount, currency: s.currency, termMonths: $0.term.months, start: $0.term.start, costCenter: center)
        }
        for c in clawedBack {
            let earlier = history[s.payeeID + "\u{1}" + c.deal]!
            // What the clawback takes back (a positive amount); a clawback returned (positive line) is expensed.
            let taken = c.amount.negated()
            guard !taken.isNegative, !taken.isZero else {
                try add(.expense, chart?.expense(component: c.component), c.amount)
                continue
            }
            let (_, unamortized) = try Amortization.balance(of: earlier, through: p.end)
            try add(.released, chart?[.contractCostAsset], unamortized.negated())
            try add(.reversed, chart?[.amortizationExpense], try unamortized.subtracting(taken))
            let first = earlier.first { $0.kind == .capitalized } ?? earlier[0]
            records.append(CapitalizedAmount(kind: .reversal, payeeID: s.payeeID, dealID: c.deal, component: c.component, period: p.label,
                                             periodStart: p.start, periodEnd: p.end, amount: c.amount, currency: s.currency, termMonths: first.termMonths,
                                             start: first.start, costCenter: center, released: unamortized))
        }
        try add(.payable, chart?[.commissionsPayable], s.paid.amount.negated())
        var rows: [JournalRow] = []
        if chart != nil {
            let reference = "\(p.label)/\(s.payeeID)"
            for role in byRole.keys.sorted() {
                for (_, v) in byRole[role]!.sorted(by: { $0.key < $1.key }) where !v.amount.isZero {
                    guard let account = v.account else { continue }
                    let amount = try v.amount.rounded(scale: s.currency.minorUnits, mode: .halfUp)
                    rows.append(JournalRow(entry: "", date: p.end, period: p.label, account: account, costCenter: center, amount: amount,
                                           currency: s.currency, reference: reference, memo: CloseJournal.memo(role, payee: s.payeeName)))
                }
            }
        }
        return Part(payeeID: s.payeeID, rows: rows, capitalized: records)
    }

    static func memo(_ role: Role, payee: String) -> String {
        switch role {
        case .expense: return "commission expense, \(payee)"
        case .capitalized: return "commissions capitalized (contract terms over 12 months), \(payee)"
        case .released: return "clawback: unamortized capitalized commissions released, \(payee)"
        case .reversed: return "clawback: amortized commission expense reversed, \(payee)"
        case .held: return "commissions earned and held until released, \(payee)"
        case .payable: return "commissions payable, \(payee)"
        }
    }

    /// The journal of a close: the parts in payee order, one entry per payee numbered `2026-Q1-0001`, `…-0002`.
    public static func journal(_ parts: [Part], period: Period) -> [JournalRow] {
        var out: [JournalRow] = []
        var n = 0
        for part in parts.sorted(by: { $0.payeeID < $1.payeeID }) where !part.rows.isEmpty {
            n += 1
            let number = String(n)
            let entry = "\(period.label)-\(String(repeating: "0", count: max(0, 4 - number.count)))\(number)"
            for var r in part.rows {
                r.entry = entry
                out.append(r)
            }
        }
        return out
    }

    /// The capitalized amounts of a close, in payee, deal and component order.
    public static func capitalized(_ parts: [Part]) -> [CapitalizedAmount] {
        parts.sorted { $0.payeeID < $1.payeeID }.flatMap { $0.capitalized.sorted { ($0.dealID, $0.kind.rawValue, $0.component) < ($1.dealID, $1.kind.rawValue, $1.component) } }
    }

    /// The first deal with a term over twelve months, when the chart lacks an account capitalization needs
    /// (`contract_cost_asset`, `amortization_expense`): error D356 at accounts.csv's first line.
    public func missingCapitalizationAccounts(path: String) -> Diagnostic? {
        guard let chart else { return nil }
        let long = terms.terms.filter { $0.value.months > ContractTerms.expedientMonths }.keys.sorted()
        guard let deal = long.first ?? history.values.first?.first?.dealID else { return nil }
        let missing = [ChartOfAccounts.Entry.contractCostAsset, .amortizationExpense].filter { chart[$0] == nil }
        guard !missing.isEmpty else { return nil }
        return .error("D356", "accounts.csv has no \(missing.map { "`\($0.rawValue)`" }.joined(separator: " or ")) row, but deal `\(Suggestion.cut(deal))` has a contract term over \(ContractTerms.expedientMonths) months, whose commission is capitalized",
                      at: SourceSpan(path: path, line: 1, column: 1, width: 1, lineText: ""),
                      notes: missing.map { .help("add a row `\($0.rawValue),<account>,<name>`") })
    }
}
