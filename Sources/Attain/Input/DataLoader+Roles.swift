// The careful deals reader's part of credit roles: the `role` column checked with its position (D239), and each deal's
// split shares totalling 100% role by role (D238 names the role).

extension DataLoader {
    /// The row's credit role: `owner` when the column is absent or the field empty; nil (with an error) when the text is
    /// not a role, or when the file names more roles than a table holds. `roles`: every role seen so far.
    func role(_ t: inout Table, _ r: CSVRecord, roles: inout Set<String>) -> String? {
        guard t.header["role"] != nil, let text = t.value(r, "role"), !text.isEmpty else { return Deal.owner }
        if let problem = Deal.roleProblem(text) {
            t.fail("D239", "`role` is `\(Suggestion.cut(text))`: \(problem)", r, t.header["role"], width: text.count,
                   notes: [.help("leave `role` empty for the deal's owner, or write a role such as `sdr`, `overlay` or `partner`")])
            return nil
        }
        if !roles.contains(text) {
            guard roles.count < Deal.roleCount else {
                t.fail("D239", "`role` is `\(Suggestion.cut(text))`: \(DataLoader.counted(roles.count)) roles are already in use, and a deals file has at most \(Deal.roleCount)", r, t.header["role"], width: text.count)
                return nil
            }
            roles.insert(text)
        }
        return text
    }

    /// " in role `sdr`" for a role other than `owner`, for messages about a deal's rows.
    static func inRole(_ role: String) -> String {
        role == Deal.owner ? "" : " in role `\(Suggestion.cut(role))`"
    }

    /// Checks that the shares of a deal's rows (`rows`, in file order) total 100% in each role, reporting each role that
    /// does not at its first row. True when all do.
    func shareTotals(_ id: String, _ rows: [(Deal, CSVRecord)], _ t: inout Table) -> Bool {
        var order: [String] = []
        var byRole: [String: [(Deal, CSVRecord)]] = [:]
        for row in rows {
            if byRole[row.0.role] == nil { order.append(row.0.role) }
            byRole[row.0.role, default: []].append(row)
        }
        var ok = true
        for role in order {
            let mine = byRole[role]!
            var total = ExactDecimal.zero
            for (deal, _) in mine { total = (try? total.adding(deal.share)) ?? total }
            if total == .one { continue }
            let record = mine[0].1
            let percent = (try? total.multiplied(by: .hundred).normalized) ?? total
            t.fail("D238", "split shares of deal `\(Suggestion.cut(id))`\(DataLoader.inRole(role)) total \(percent)%; they must total 100%", record, t.header["split"],
                   width: t.value(record, "split")?.count ?? 1,
                   notes: mine.dropFirst().map { .note("also on line \($0.0.line)") })
            ok = false
        }
        return ok
    }
}
