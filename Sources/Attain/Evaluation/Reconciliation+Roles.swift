// The reconciliation's part of credit roles: rows read per role (a deal credited in two roles has a row in each, so
// the rows read in roles other than `owner` are shown apart and the owner rows still add up to the deals), the warning
// for rows in a role their payee's plan does not credit (R355), and one for a plan's role that no row has while rows
// have one close to it (R356).

extension ReconciliationTally {
    /// A row read in a role other than `owner`, into its role's figure.
    mutating func addRoleRow(_ row: DealTable.Row, at number: Int, in table: DealTable) {
        guard row.role != 0 else { return }
        roleRead[RoleKey(currency: row.currency, role: table.role(row, at: number)), default: AmountSum()].add(row, at: number, in: table)
    }

    /// A row of a rep not in the roster, read in a role other than `owner`.
    mutating func addRoleRow(_ deal: Deal) {
        guard deal.role != Deal.owner else { return }
        roleRead[RoleKey(currency: deal.currency.index, role: deal.role), default: AmountSum()].add(exact: (try? deal.amount.multiplied(by: deal.share)) ?? .zero)
    }

    struct RoleKey: Hashable, Codable {
        let currency: UInt8
        let role: String
    }
}

extension Reconciliation {
    /// R355: rows credited in a role that their payees' plan does not credit.
    static func roleNotCreditedWarning(_ g: Group, head: String, values: String, label: String) -> Diagnostic {
        let credits = g.expects.map(Reconciliation.quoted).joined(separator: ", ")
        let all = (g.expects + g.sortedValues.map(\.value)).map(Reconciliation.quoted).joined(separator: ", ")
        return .warning("R355", "\(head) closed in \(label) \(g.figure.deals == 1 ? "is" : "are") credited in role \(values) to payees on plan \"\(g.plan ?? "")\", which credits \(credits); \(g.figure.deals == 1 ? "it is" : "they are") not paid", at: g.span,
                        notes: [.help("to pay them, credit the role in the plan (`credit \(all)`) or put these payees on a plan that credits it; --strict makes this an error")])
    }

    /// R356: a role a plan's `credit` line names that no row of deals.csv has, while a row has a role that differs from
    /// it only by case, spaces or punctuation, or is a likely typo of it.
    static func nearRoleWarnings(_ plans: [CompiledPlan], table: DealTable, path: String) -> [Diagnostic] {
        guard plans.contains(where: { !$0.creditsOwnerOnly }) || table.hasRoles else { return [] }
        return nearRoleWarnings(plans, roles: table.roleTexts(), path: path)
    }

    /// `nearRoleWarnings` for a table of which only its roles are known (every shard's, joined and sorted).
    static func nearRoleWarnings(_ plans: [CompiledPlan], roles have: [String], path: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for plan in plans {
            for role in plan.creditRoles where !have.contains(role) {
                guard let near = have.first(where: { folded($0) == folded(role) }) ?? Suggestion.closest(to: role, in: have) else { continue }
                out.append(.warning("R356", "plan \"\(plan.name)\" credits role \(quoted(role)), which no row of \(path) has; did you mean \(quoted(near))?", at: plan.creditLine,
                                    notes: [.help("rows in role \(quoted(near)) are not credited by this plan; write the role as the `role` column has it")]))
            }
        }
        return out
    }
}
