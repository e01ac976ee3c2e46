// Crediting's part of credit roles: a payee's row in a role their plan does not credit is not paid, and is never silent
// (the reconciliation's `role_not_credited`, warning R355).

extension Crediting {
    /// The rep's rows closed in a part's window, not taken back, in a role that part's plan does not credit: placed as not
    /// credited in their role, under the plan. (Rows of every role are read; only the plan's roles are credited.)
    mutating func notCreditedInRole(_ fates: inout Fates, parts: [Part], rows: [DealTable.Row], numbers: ArraySlice<Int32>, rep: Rep) {
        let table = prepared.data.deals
        guard tally != nil, table.hasRoles || parts.contains(where: { !$0.plan.creditsOwnerOnly }) else { return }
        for k in fates.indices where fates[k] == .read {
            let row = rows[k], number = numbers[numbers.startIndex + k]
            guard let part = parts.first(where: { credits(row.dates, in: $0) }), !part.plan.credits(row, at: Int(number), in: table) else { continue }
            fates[k] = .roleNotCredited
            tally!.add(.roleNotCredited, plan: part.plan.name, field: "role", value: table.role(row, at: Int(number)),
                       span: part.plan.creditLine ?? part.plan.trace, expects: part.plan.creditRoles, row, at: number, table: table)
        }
    }
}

extension StatementLine {
    /// The line, saying the role its deal row was credited in when that is not `owner`.
    func inRole(of deal: Deal) -> StatementLine {
        guard deal.role != Deal.owner else { return self }
        var line = self
        line.role = deal.role
        return line
    }
}

extension StatementLine {
    /// A settlement line on a deal (a clawback, a prior-period adjustment), saying the role the payee's row of the deal
    /// is credited in when that is not `owner`. Only runs whose deals have roles look. A row no longer in deals.csv
    /// (its pay is taken back) is in the one role the payee's `plan` credits, when that plan credits one role that is
    /// not `owner`.
    func inRole(_ prepared: PreparedRun, payee: String, deal: String, plan: CompiledPlan? = nil) -> StatementLine {
        let table = prepared.data.deals
        guard !deal.isEmpty else { return self }
        var found = false
        if table.hasRoles {
            for number in prepared.rows(of: payee) where table.id(of: Int(number)) == deal {
                found = true
                guard table.rows[Int(number)].role != 0 else { continue }
                var line = self
                line.role = table.role(table.rows[Int(number)], at: Int(number))
                return line
            }
        }
        guard !found, let plan, !plan.creditsOwner, plan.creditRoles.count == 1 else { return self }
        var line = self
        line.role = plan.creditRoles[0]
        return line
    }
}
