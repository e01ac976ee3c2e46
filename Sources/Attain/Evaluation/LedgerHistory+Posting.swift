// A run's statements posted to a history in memory, as the ledger would post them and read them back: what-if and
// estimate settle a period after another without writing to the ledger.

extension LedgerHistory {
    /// This history with a run's statements posted after it, as `Ledger.post` records them and `Ledger.history(before:)`
    /// reads them back for a later period: every line with the run's period, the payee, the statement's plan, kind,
    /// component, deal, the period it is for, its amount (exact, in the statement's currency) and source, in payee and
    /// line order; each recoverable draw's balance after the period; and the period among the closed ones.
    /// The run's period must end before any period this history is then used for, and start after every one it holds.
    public func posting(_ result: RunResult) -> LedgerHistory {
        var next = self
        let label = result.period.label
        // What an earlier posting of the run's period paid is of no later period.
        next.reopenedPaid = [:]
        for s in result.statements {
            for line in s.lines {
                next.lines.append(PostedLine(period: label, payeeID: s.payeeID, plan: s.planName, kind: line.kind, component: line.component,
                                             dealID: line.dealID, refPeriod: line.refPeriod, amount: line.amount.amount, source: line.source))
                if line.kind == .draw, let after = line.balanceAfter {
                    next.drawBalances[s.payeeID, default: [:]][line.component] = after.amount
                }
            }
        }
        if !next.closedPeriods.contains(label) { next.closedPeriods.append(label) }
        return next
    }
}
