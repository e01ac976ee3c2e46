// Checks a plan's `credit` line: each role a word (E187), none named twice (E186). Without the line a plan credits the
// deal's owner.

extension Checker {
    /// The roles the plan credits, in the order written, and where the plan says so: its `credit` line, or without one
    /// the plan's name in its `plan` line.
    mutating func checkCredit() -> (roles: [String], line: SourceSpan?) {
        guard let credit = ast.credit else { return ([Deal.owner], ast.name.map { span($0) }) }
        var roles: [String] = []
        var first: [String: SourceSpan] = [:]
        for role in credit.value {
            if let problem = Deal.roleProblem(role.value) {
                error("E187", "\(Reconciliation.quoted(role.value)) is not a credit role: \(problem)", at: span(role),
                      notes: [.help("a role is written as deals.csv's `role` column has it, e.g. `\"sdr\"`; `\"owner\"` is the deal's owner")])
                continue
            }
            if let at = first[role.value] {
                error("E186", "the `credit` line names role \(Reconciliation.quoted(role.value)) twice", at: span(role), notes: [.note("first named here", at: at)])
                continue
            }
            first[role.value] = span(role)
            roles.append(role.value)
        }
        return (roles, span(credit))
    }
}

extension CompiledPlan {
    /// Whether the plan credits rows in this role.
    @inline(__always)
    func credits(role: String) -> Bool {
        role == Deal.owner ? creditsOwner : creditRoles.contains(role)
    }

    /// Whether the plan credits a table row in its role (`i`: the row's number).
    @inline(__always)
    func credits(_ r: DealTable.Row, at i: Int, in table: DealTable) -> Bool {
        r.role == 0 ? creditsOwner : creditRoles.contains(table.role(r, at: i))
    }

    /// True when the plan credits the owner alone, as a plan without a `credit` line does.
    var creditsOwnerOnly: Bool { creditRoles.count == 1 && creditsOwner }
}
