// Values that are legal but unusual enough to be said out loud: negative pay, negative won deals, rates above
// 1000%, deals closed after every plan ends. They are warnings; payroll rows stay exact.

enum Extremes {
    /// Rows of each kind named in full in a message; the rest are counted.
    static let named = 5

    /// A rate above this (1000%) is more likely a typo (`15` for `1.5%`) than a plan.
    static let highRate = try! Ratio(10, 1)

    /// One warning per payee whose period pay is below zero (at most `named` payees named one by one, then a count).
    static func negativePay(_ statements: [Statement]) -> [Diagnostic] {
        negativePay(statements.map { PaidFigure(payeeID: $0.payeeID, paid: $0.paid, period: $0.period.description) })
    }

    /// What `negativePay` reads of a statement.
    struct PaidFigure {
        let payeeID: String
        let paid: Money
        let period: String
        var currency: Currency { paid.currency }
    }

    static func negativePay(_ statements: [PaidFigure]) -> [Diagnostic] {
        let negative = statements.filter { $0.paid.amount.isNegative }
        var out: [Diagnostic] = negative.prefix(named).map { s in
            .warning("R342", "payee `\(s.payeeID)` is paid \(s.paid.text) \(s.currency.code) for \(s.period): the period's lines add up to less than zero", at: nil,
                     notes: [.note("payroll carries the negative amount as it is; check the statement's adjustments, clawbacks and true-ups")])
        }
        if negative.count > named {
            out.append(.warning("R342", "\(negative.count - named) more payees are paid less than zero for \(negative[0].period): \(negative.dropFirst(named).prefix(20).map { "`\($0.payeeID)`" }.joined(separator: ", "))\(negative.count > named + 20 ? ", …" : "")", at: nil))
        }
        return out
    }

    /// A warning for each rate of a plan above 1000%.
    static func rates(_ plan: CompiledPlan) -> [Diagnostic] {
        var found: [(RateSpec, SourceSpan)] = []
        for c in plan.components {
            switch c.rule {
            case .commission(.flat(let r, let trace)): found.append((r, trace))
            case .commission(.tiers(_, _, let bands, _)): found += bands.map { ($0.rate, $0.trace) }
            case .override(let r, _, let trace): found.append((r, trace))
            case .bonus(let steps, _): found += steps.flatMap { step in percents(in: step.pay).map { (RateSpec.percent($0), step.trace) } }
            case .spif(let rule):
                switch rule.pay {
                case .perDeal(let e), .expression(let e): found += percents(in: e).map { (RateSpec.percent($0), rule.trace) }
                }
            }
        }
        return found.compactMap { rate, trace in
            guard case .percent(let r) = rate, (try? Ratio.compare(r, highRate)) ?? 0 > 0 else { return nil }
            return .warning("R343", "rate \(rate.text) is above 1000%", at: trace,
                            notes: [.help("a percent is written as it reads (`15%` is fifteen percent, `1500%` fifteen times the base); if the rate is meant, this warning can be ignored")])
        }
    }

    /// The percents written in an expression (`1500% of deal.amount`).
    static func percents(in e: CheckedExpr) -> [Ratio] {
        switch e {
        case .constant(.percent(let r)): return [r]
        case .negate(let a), .not(let a), .member(let a, _, _): return percents(in: a)
        case .arithmetic(_, let a, let b), .compare(_, let a, let b), .logical(_, let a, let b): return percents(in: a) + percents(in: b)
        default: return []
        }
    }

    /// Deal rows worth naming: their line in deals.csv, id and amount.
    struct Rows: Sendable, Codable {
        var count = 0
        var first: [Named] = []

        /// One row named in full.
        struct Named: Sendable, Codable {
            let line: Int
            let id: String
            let amount: ExactDecimal
            let currency: Currency
            let date: CivilDate
        }

        mutating func add(line: Int, id: @autoclosure () -> String, amount: @autoclosure () -> ExactDecimal, currency: Currency, date: CivilDate) {
            count += 1
            if first.count < Extremes.named { first.append(Named(line: line, id: id(), amount: amount(), currency: currency, date: date)) }
        }

        mutating func join(_ other: Rows) {
            count += other.count
            for r in other.first where first.count < Extremes.named { first.append(r) }
        }
    }

    /// A warning naming the first row and listing the others: won deals with a negative amount.
    static func negativeWon(_ rows: Rows, path: String, period: String) -> [Diagnostic] {
        guard let head = rows.first.first else { return [] }
        let more = rows.first.dropFirst().map { Diagnostic.Note.note("also line \($0.line): deal `\($0.id)`, \($0.amount.text(minimumScale: $0.currency.minorUnits)) \($0.currency.code)") }
        let rest = rows.count - rows.first.count
        return [.warning("R344", "deal `\(head.id)` is won with a negative amount, \(head.amount.text(minimumScale: head.currency.minorUnits)) \(head.currency.code)\(rows.count > 1 ? " (one of \(rows.count) such rows closed in \(period))" : "")",
                         at: SourceSpan(path: path, line: head.line, column: 1, width: 1, lineText: ""),
                         notes: more + (rest > 0 ? [.note("and \(rest) more")] : []) + [.help("a refund or correction may be meant; a cancelled deal has `status` cancelled and a `cancel_date`")])]
    }

    /// The same for deals closed after every plan given has ended.
    static func pastPlanEnd(_ rows: Rows, path: String, end: CivilDate) -> [Diagnostic] {
        guard let head = rows.first.first else { return [] }
        let more = rows.first.dropFirst().map { Diagnostic.Note.note("also line \($0.line): deal `\($0.id)` closed \($0.date)") }
        let rest = rows.count - rows.first.count
        return [.warning("R345", "deal `\(head.id)` closed on \(head.date), after every plan given has ended (the last ends \(end))\(rows.count > 1 ? "; \(rows.count) rows are like it" : "")",
                         at: SourceSpan(path: path, line: head.line, column: 1, width: 1, lineText: ""),
                         notes: more + (rest > 0 ? [.note("and \(rest) more")] : []) + [.help("no period can pay these deals; check the close dates, or give the plans that cover them")])]
    }
}
