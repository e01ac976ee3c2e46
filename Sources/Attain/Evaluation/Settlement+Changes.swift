// What changed since a payee's last closed period, from the ledger's history: the period before and what it paid,
// this period's deal lines on deals no closed period paid, and what an earlier posting of this period paid.

extension Settlement {
    /// The payee's changes since their last closed period (`Statement.changes`), or nil on their first closed period.
    func changes(of payee: PayeeResult) -> StatementChanges? {
        let posted = linesByPayee[payee.rep.id] ?? []
        guard !posted.isEmpty else { return nil }
        var periods: Set<String> = []
        var paidDeals: Set<String> = []
        for line in posted {
            if let d = line.dealID { paidDeals.insert(d) }
            periods.insert(line.period)
        }
        guard let previous = periods.max(by: { Settlement.periodOrder($0, $1, calendar: period.calendar) }) else { return nil }
        let currency = payee.statement.currency
        let paid = ExactDecimal.total(posted.filter { $0.period == previous }.map(\.amount))
        var count = 0
        var earned = Money.zero(currency)
        for line in payee.statement.lines where line.isPeriodLine && line.kind.isEarned {
            guard let d = line.dealID, !paidDeals.contains(d) else { continue }
            count += 1
            earned = (try? earned.adding(line.amount)) ?? earned
        }
        return StatementChanges(previousPeriod: previous, previousPaid: Money(paid, currency), previousAttainment: nil, newDeals: count,
                                newDealsEarned: earned, postedBefore: history.reopenedPaid[payee.rep.id].map { Money($0, currency) })
    }

    /// The values of a plan's `show` columns for a deal a settlement line names, or nil when the plan shows none or the
    /// deal is not in the table.
    func shownValues(plan: CompiledPlan, deal: Deal?) -> [String]? {
        guard detail, !plan.shown.isEmpty, let deal else { return nil }
        let env = DealEnvironment(credit: Credit(deal: deal, amount: Ratio(deal.amount)), plan: plan)
        return plan.shown.map { column in (try? env.dealField(column.field)).map(ExtraField.shownText) ?? "" }
    }
}
