// Crediting's part of several period kinds in one company: a run of a month evaluates the payees on monthly plans and
// leaves those on quarterly plans to the quarter's close, counted and said (never silent), and never an error.

extension Crediting {
    /// A rep with an assignment in the period on `plan`, whose kind is not the run's: left to its own kind's close
    /// (`otherKinds`, `leftKind`) when every plan the rep is on in the period is of that one kind. Errors: R304 when no
    /// plan of the run pays by the run's kind (once per plan), R400 when the rep's plans in the period are of two kinds.
    mutating func otherKind(of rep: Rep, _ assignments: [Assignment], plan: CompiledPlan) {
        let kind = period.kind
        guard prepared.plans.contains(where: { $0.periodKind == kind }) else {
            if reportedPlans.insert(plan.name).inserted {
                diagnostics.append(.error("R304", "plan \"\(plan.name)\" pays by \(plan.periodKind.noun), but the run is for \(kind.noun) \(period)", at: nil,
                                          notes: [.help("run it with a period such as --period \(Period.example(plan.periodKind, in: plan.calendar))")]))
            }
            return
        }
        let plans = assignments.compactMap { prepared.planByName[$0.plan] }
        if let other = zip(assignments, plans).first(where: { $0.1.periodKind != plan.periodKind }) {
            let first = zip(assignments, plans).first { $0.1.periodKind == plan.periodKind }!
            let (a, b) = first.0.line < other.0.line ? (first, other) : (other, first)
            diagnostics.append(.error("R400", "rep `\(rep.id)` is on plans of two period kinds in \(period): \"\(a.1.name)\" pays by \(a.1.periodKind.noun), \"\(b.1.name)\" by \(b.1.periodKind.noun); a payee closes with one kind of period",
                                      at: span(b.0),
                                      notes: [.note("the other assignment is on line \(a.0.line)"),
                                              .help("change the rep's plan on the first day of a period of both kinds (a quarter's first day for months and quarters)")]))
            return
        }
        otherKinds[plan.periodKind, default: 0] += 1
        leftKind = plan
    }

    /// The rep's rows closed in the period, when the rep is left to a close of another kind: "closed with another period
    /// kind", under the rep's plan (they are counted, cancelled or clawed back by that kind's close).
    mutating func leave(_ fates: inout Fates, rows: [DealTable.Row], numbers: ArraySlice<Int32>, rep: Rep, plan: CompiledPlan) {
        for k in fates.indices where fates[k] == .read {
            fates[k] = .otherKind
            tally!.add(.otherPeriodKind, plan: plan.name, field: "rep_id", value: rep.id, span: nil, expects: [], rows[k],
                       at: numbers[numbers.startIndex + k], table: prepared.data.deals)
        }
    }

    /// The payees left to closes of other kinds, one entry per kind, with the periods of that kind the run's period overlaps.
    func leftToOtherKinds() -> [LeftToOtherKind] {
        otherKinds.keys.sorted { $0.rawValue < $1.rawValue }.map { kind in
            var periods: [String] = []
            var p = Period.containing(period.start, kind: kind, in: period.calendar)
            while p.start <= period.end {
                periods.append(p.label)
                guard let next = p.next else { break }
                p = next
            }
            return LeftToOtherKind(kind: kind, payees: otherKinds[kind]!, periods: periods)
        }
    }
}

/// Payees of a run left to the close of another period kind: their plans in the period pay by `kind`.
public struct LeftToOtherKind: Sendable, Equatable {
    public let kind: PeriodKind
    /// How many payees.
    public let payees: Int
    /// The periods of `kind` that overlap the run's period: the closes that pay them.
    public let periods: [String]

    /// "12 payees on quarterly plans are not in this monthly close; they close with 2026-Q1". `what`: "close" or "run".
    public func message(in period: Period, what: String) -> String {
        let who = payees == 1 ? "1 payee" : "\(payees) payees"
        let with = periods.count <= 2 ? periods.joined(separator: " and ") : "\(periods.first!) to \(periods.last!)"
        return "\(who) on \(kind.adjective) plans \(payees == 1 ? "is" : "are") not in this \(period.kind.adjective) \(what); \(payees == 1 ? "it closes" : "they close") with \(with)"
    }
}

extension PeriodKind {
    /// The kind as an adjective, for messages: `monthly`, `quarterly`, `semi-monthly`.
    public var adjective: String {
        switch self {
        case .month: return "monthly"
        case .quarter: return "quarterly"
        case .half: return "half-yearly"
        case .year: return "yearly"
        case .semiMonthly: return "semi-monthly"
        case .biweekly: return "biweekly"
        }
    }
}
