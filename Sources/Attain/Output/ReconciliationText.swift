// The reconciliation as a short table for the terminal: where the period's deal rows went, and what each measure
// counted. The full figures (per payee, every group of rows not counted) are in summary.json.

extension Reconciliation {
    /// The table: rows read, closed in the period, counted, not counted by reason (reasons with no rows left out),
    /// closed outside the period, then each measure's count and value, then the groups left out on purpose. The words
    /// of the two tables are in `locale` (`table.reconcile.` keys); the lines below them, naming plan text, in English.
    public func text(locale: ReportLocale = .english) -> String {
        func t(_ key: String, _ args: String...) -> String { locale.text("table.reconcile." + key, arguments: args) }
        // The periods are words of the table's (escaped as every cell is), not isolated.
        let label = periods.joined(separator: ", ")
        var rows: [[String]] = [[t("deals_of", label), t("col.deals"), t("col.amount"), t("col.currency")]]
        for c in currencies {
            func row(_ words: String, _ f: Figure) -> [String] {
                [words, String(f.deals), f.amount.text(minimumScale: c.currency.minorUnits), c.currency.code]
            }
            rows.append(row(t("read"), c.read))
            for (role, f) in c.readByRole.sorted(by: { $0.key < $1.key }) { rows.append(row("  " + t("in_role", role), f)) }
            rows.append(row(t("closed_in", label), c.inPeriod))
            rows.append(row("  " + t("counted"), c.counted))
            for reason in Reason.allCases {
                if let f = c.notCounted[reason], f.deals > 0 { rows.append(row("  " + t("not_counted", locale.text("table.reason." + reason.rawValue)), f)) }
            }
            rows.append(row(t("outside"), c.outside))
        }
        var out = TextTable.render(rows, numeric: [1, 2], locale: locale)
        if !measures.isEmpty {
            var table: [[String]] = [[t("col.measure"), t("col.deals"), t("col.value"), ""]]
            for m in measures {
                var unit = ""
                if case .money(let c) = m.unit { unit = c.code }
                table.append([m.label, String(m.deals), m.valueText, unit])
            }
            out += TextTable.render(table, numeric: [1, 2], locale: locale)
        }
        for g in groups where g.reason == .excludedByFilter {
            // Values from the data, shown with their invisible characters escaped as in a table.
            out += Diagnostics.visible("left out on purpose by \(g.plan ?? "") (\(g.source ?? "")): \(Reconciliation.count(g.figure.deals)), \(g.figure.amount.text(minimumScale: g.currency.minorUnits)) \(g.currency.code), \(g.field == "filter" ? "by" : "deal." + g.field) \(Reconciliation.valueList(g))") + "\n"
        }
        if let activities { out += activities.text() }
        return out
    }
}

extension Reconciliation {
    /// How many values of a group of rows not counted the JSON lists; the rest are counted.
    static let groupValues = 20

    /// Where every deal row went, as `summary.json` and `comparison.json` carry it: per currency, per measure, per
    /// payee, and the groups of rows not counted with their most common values.
    public var json: JSONValue {
        var members = summaryMembers
        members["payees"] = .array(payees.map { p in
            .object(["id": .string(p.payeeID), "currency": .string(p.currency.code), "deals": .int(p.figure.deals),
                     "amount": .string(p.figure.amount.text(minimumScale: p.currency.minorUnits))])
        })
        return .object(members)
    }

    /// The same object written straight into a writer, its per-payee list without a tree of values (100,000 payees
    /// make one).
    func write(into w: inout JSONWriter) {
        let members = summaryMembers
        w.beginObject()
        for key in (Array(members.keys) + ["payees"]).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            w.key(text: key)
            guard key == "payees" else {
                members[key]!.write(into: &w)
                continue
            }
            w.beginArray()
            for p in payees {
                w.beginObject()
                w.field("amount", p.figure.amount.text(minimumScale: p.currency.minorUnits))
                w.field("currency", p.currency.code)
                w.key("deals")
                w.int(p.figure.deals)
                w.field("id", p.payeeID)
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
    }

    /// Every member but the per-payee list.
    var summaryMembers: [String: JSONValue] {
        func figure(_ f: Figure, _ c: Currency) -> JSONValue {
            .object(["amount": .string(f.amount.text(minimumScale: c.minorUnits)), "deals": .int(f.deals)])
        }
        var members: [String: JSONValue] = [
            "periods": .array(periods.map { .string($0) }),
            "currencies": .array(currencies.map { c in
                var notCounted: [String: JSONValue] = [:]
                for reason in Reason.allCases where (reason != .roleNotCredited && reason != .otherPeriodKind) || (c.notCounted[reason]?.deals ?? 0) > 0 {
                    notCounted[reason.rawValue] = figure(c.notCounted[reason] ?? Figure(), c.currency)
                }
                return .object([
                    "currency": .string(c.currency.code), "read": figure(c.read, c.currency), "in_period": figure(c.inPeriod, c.currency),
                    "outside_period": figure(c.outside, c.currency), "counted": figure(c.counted, c.currency),
                    "credited": figure(c.credited, c.currency), "not_counted": .object(notCounted),
                ].merging(c.readByRole.isEmpty ? [:] : ["read_by_role": .object(c.readByRole.mapValues { figure($0, c.currency) })]) { a, _ in a })
            }),
            "groups": .array(groups.map { g in
                let values = g.sortedValues
                var members: [String: JSONValue] = [
                    "reason": .string(g.reason.rawValue), "field": .string(g.field), "currency": .string(g.currency.code),
                    "amount": .string(g.figure.amount.text(minimumScale: g.currency.minorUnits)), "deals": .int(g.figure.deals),
                    "expects": .array(g.expects.map { .string($0) }),
                    "values": .array(values.prefix(Reconciliation.groupValues).map { v, f in
                        .object(["value": .string(v), "deals": .int(f.deals), "amount": .string(f.amount.text(minimumScale: g.currency.minorUnits))])
                    }),
                ]
                if let plan = g.plan { members["plan"] = .string(plan) }
                if let source = g.source { members["source"] = .string(source) }
                if values.count > Reconciliation.groupValues { members["more_values"] = .int(values.count - Reconciliation.groupValues) }
                return .object(members)
            }),
            "measures": .array(measures.map { m in
                .object(["plan": .string(m.plan), "measure": .string(m.measure), "scope": .string(m.scope?.rawValue ?? "own"),
                         "deals": .int(m.deals), "value": .string(m.valueText)])
            }),
        ]
        if let activities { members["activities"] = activities.json }
        return members
    }
}
