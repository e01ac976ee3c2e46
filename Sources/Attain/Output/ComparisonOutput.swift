// A comparison as a terminal table, CSV files and JSON: the same numbers in every form.

public enum ComparisonOutput {
    static func money(_ d: ExactDecimal, _ c: Currency) -> String { Money(d, c).text }

    /// A fraction as a percent, half-up to 0.01: "12.34%".
    static func percent(_ r: Ratio) -> String {
        let p = (try? r.multiplied(by: Ratio(100, 1)).rounded(scale: 2, mode: .halfUp)) ?? .zero
        return p.text(minimumScale: 2) + "%"
    }

    static func signed(_ text: String) -> String { text.hasPrefix("-") ? text : "+" + text }

    /// Candidate minus baseline, and that as a share of the baseline ("" when the baseline is zero).
    static func change(_ base: ExactDecimal, _ other: ExactDecimal, _ c: Currency) -> (amount: String, percent: String) {
        let d = (try? other.subtracting(base)) ?? .zero
        let pct = base.isZero ? "" : signed(percent((try? Ratio(d).divided(by: Ratio(base))) ?? .zero))
        return (signed(money(d, c)), pct)
    }

    /// A cell of the comparison's CSV: numbers (`-1100.00`) as they are, any other text neutralized and quoted as the
    /// payroll file's cells are.
    static func csvCell(_ s: String) -> String {
        // A change is written signed (`+12.00`); the sign aside, a number is an exact decimal.
        guard case .success = ExactDecimal.parse(s.hasPrefix("+") ? String(s.dropFirst()) : s) else { return PayrollCSV.cell(s, numeric: false) }
        return PayrollCSV.cell(s, numeric: true)
    }

    /// A table as CSV. A column of percents is written as plain numbers (`20.67`, `-6.09`), the unit in its header
    /// (`attainment_pct`; `losers_over_10.00%` becomes `losers_over_10.00_pct`), so a spreadsheet reads them as numbers.
    static func csv(_ rows: [[String]]) -> String {
        guard var header = rows.first else { return "" }
        var body = Array(rows.dropFirst())
        /// `12.34%` or a signed `+12.34%`, read as an exact decimal (the text `percent` writes).
        func isPercent(_ cell: String) -> Bool {
            guard cell.hasSuffix("%") else { return false }
            let number = cell.dropLast().drop { $0 == "+" }
            return (try? ExactDecimal.parse(Array(number.utf8)).get()) != nil
        }
        for c in header.indices {
            let cells = body.compactMap { c < $0.count ? $0[c] : nil }.filter { !$0.isEmpty }
            guard !cells.isEmpty, cells.allSatisfy(isPercent) else { continue }
            for r in body.indices where c < body[r].count && !body[r][c].isEmpty { body[r][c] = String(body[r][c].dropLast()) }
            if !header[c].hasSuffix("%") && !header[c].hasSuffix("_pct") && !header[c].contains("percent") && !header[c].contains("_pct_") {
                header[c] += "_pct"
            }
        }
        // A header that names a percent (`losers_over_10.00%`) says it in words too.
        for c in header.indices where header[c].hasSuffix("%") { header[c] = String(header[c].dropLast()) + "_pct" }
        return ([header] + body).map { $0.map(csvCell).joined(separator: ",") + "\n" }.joined()
    }

    // MARK: Tables

    public static func summaryRows(_ r: ComparisonResult) -> [[String]] {
        var rows = [["scenario", "cost", "change", "change_pct", "cost_of_sales", "percent_of_target", "median", "p10", "p90", "min", "max",
                     "losers_over_\(percent(r.lossThreshold))"]]
        for (i, s) in r.summaries.enumerated() {
            let c = i == 0 ? ("", "") : change(r.summaries[0].cost, s.cost, r.currency)
            rows.append([s.name, money(s.cost, r.currency), c.0, c.1, s.costOfSales.map(percent) ?? "", s.percentOfTarget.map(percent) ?? "",
                         money(s.median, r.currency), money(s.p10, r.currency), money(s.p90, r.currency), money(s.minimum, r.currency),
                         money(s.maximum, r.currency), i == 0 ? "" : String(r.losers[i])])
        }
        return rows
    }

    public static func payeeRows(_ r: ComparisonResult) -> [[String]] {
        var header = ["payee_id", "name", "plan", "attainment", "target_incentive"] + r.scenarios
        for s in r.scenarios.dropFirst() { header += ["change_\(s)", "change_pct_\(s)"] }
        var rows = [header]
        for p in r.payees {
            var row = [p.payeeID, p.name, p.plan, p.attainment.map(percent) ?? "", money(p.targetIncentive, r.currency)]
            row += p.paid.map { money($0, r.currency) }
            for i in r.scenarios.indices.dropFirst() {
                let c = change(p.paid[0], p.paid[i], r.currency)
                row += [c.amount, c.percent]
            }
            rows.append(row)
        }
        return rows
    }

    public static func distributionRows(_ r: ComparisonResult) -> [[String]] {
        var rows = [["distribution", "band"] + r.scenarios]
        for b in r.attainmentBands { rows.append(["attainment", b.label] + b.counts.map(String.init)) }
        for b in r.payBands { rows.append(["pay", b.label] + b.counts.map(String.init)) }
        return rows
    }

    public static func sensitivityRows(_ r: ComparisonResult) -> [[String]] {
        var rows = [["scale"] + r.scenarios]
        for s in r.sensitivity { rows.append([s.scale.normalized.description] + s.cost.map { money($0, r.currency) }) }
        return rows
    }

    /// What each plan costs in each compared period under each scenario (`ComparisonResult.planCosts`).
    public static func planCostRows(_ r: ComparisonResult) -> [[String]] {
        var rows = [["plan", "period"] + r.scenarios]
        for c in r.planCosts { rows.append([c.plan, c.period.label] + c.cost.map { money($0, r.currency) }) }
        return rows
    }

    public static func curveRows(_ r: ComparisonResult) -> [[String]] {
        var rows = [["plan", "measure", "quota", "target_incentive", "attainment"] + r.scenarios]
        for c in r.curves {
            for p in c.points {
                rows.append([c.plan, c.measure, money(c.quota, r.currency), money(c.targetIncentive, r.currency), percent(p.attainment)]
                            + p.paid.map { $0.map { money($0, r.currency) } ?? "" })
            }
        }
        return rows
    }

    /// The files of a comparison, by path under the output folder; the report in `locale`, the CSV and JSON files
    /// language-neutral. The files are made on all cores at once (the payees' table, the JSON and the report each go
    /// over every payee).
    public static func files(_ r: ComparisonResult, locale: ReportLocale = .english) -> [(path: String, text: String)] {
        let made: [@Sendable () -> String] = [
            { csv(summaryRows(r)) }, { csv(payeeRows(r)) }, { csv(distributionRows(r)) }, { csv(sensitivityRows(r)) },
            { csv(curveRows(r)) }, { csv(planCostRows(r)) }, { json(r).serialized() }, { ComparisonHTML.render(r, locale: locale) },
        ]
        let texts = Parallel.map(made.count) { made[$0]() }
        return zip(["compare/summary.csv", "compare/payees.csv", "compare/distribution.csv", "compare/sensitivity.csv", "compare/curves.csv",
                    "compare/plans.csv", "compare/comparison.json", "compare/report.html"], texts).map { ($0, $1!) }
    }

    /// Every table as JSON objects keyed by the CSV headers, with the same text values.
    public static func json(_ r: ComparisonResult) -> JSONValue {
        func objects(_ rows: [[String]]) -> JSONValue {
            guard let header = rows.first else { return .array([]) }
            return .array(rows.dropFirst().map { row in
                .object(Dictionary(uniqueKeysWithValues: zip(header, row).map { ($0, JSONValue.string($1)) }))
            })
        }
        var members: [String: JSONValue] = [
            "format": .string("attain-comparison/1"),
            "baseline": .string(r.scenarios[0]),
            "scenarios": .array(r.scenarios.map { .string($0) }),
            "periods": .array(r.periods.map { .string($0.label) }),
            "currency": .string(r.currency.code),
            "bookings": .string(money(r.bookings, r.currency)),
            "loss_threshold": .string(percent(r.lossThreshold)),
            "input_loads": .int(r.inputLoads),
            "summary": objects(summaryRows(r)),
            "payees": objects(payeeRows(r)),
            "distribution": objects(distributionRows(r)),
            "sensitivity": objects(sensitivityRows(r)),
            "curves": objects(curveRows(r)),
            "plans": objects(planCostRows(r)),
            "warnings": .array(r.warnings.items.map { d in
                .object(["severity": .string(d.severity.rawValue), "code": .string(d.code), "message": .string(d.message),
                         "notes": .array(d.notes.map { .string("\($0.kind.rawValue): \($0.message)") })])
            }),
        ]
        if let rec = r.reconciliation { members["reconciliation"] = rec.json }
        return .object(members)
    }

    /// What `attain compare` prints, its words in `locale` (`table.compare.` keys; English by default).
    public static func text(_ r: ComparisonResult, top: Int = 5, locale: ReportLocale = .english) -> String {
        func t(_ key: String, _ args: String...) -> String { locale.text("table.compare." + key, arguments: args) }
        let rtl = locale.isRightToLeft
        func iso(_ s: String) -> String { rtl ? isolated(s) : s }
        func name(_ i: Int) -> String { i == 0 ? t("baseline") : r.scenarios[i] }
        let periods = r.periods.map(\.label).joined(separator: ", ")
        let loads = r.inputLoads == 1 ? t("read_once") : t("read_times", String(r.inputLoads))
        var out = t("summary", String(r.scenarios.count), iso(periods), String(r.payees.count), iso("\(money(r.bookings, r.currency)) \(r.currency.code)"), loads) + "\n\n"
        var s = summaryRows(r)
        s[0] = ["scenario", "cost", "change", "change_pct", "cost_of_sales", "percent_of_target", "median", "p10", "p90", "min", "max"].map { t("col." + $0) }
            + [t("col.losers_over", percent(r.lossThreshold))]
        for i in s.indices.dropFirst() { s[i][0] = name(i - 1) }
        out += TextTable.render(s.map { [$0[0], $0[1], $0[2], $0[3], $0[4], $0[5], $0[6], $0[7], $0[8], $0[11]] }, numeric: { $0 > 0 }, locale: locale)
        for c in r.scenarios.indices.dropFirst() {
            let ranked = r.ranked(candidate: c)
            let gains = ranked.prefix(top).filter { $0.change > .zero }
            let losses = ranked.reversed().prefix(top).filter { $0.change < .zero }
            out += "\n" + t(r.losers[c] == 1 ? "against_one" : "against_many", iso(r.scenarios[c]), name(0), String(r.losers[c]), iso(percent(r.lossThreshold))) + "\n"
            func rows(_ list: [(payee: PayeeComparison, change: ExactDecimal)]) -> String {
                TextTable.render(list.map { p, _ in
                    let ch = change(p.paid[0], p.paid[c], r.currency)
                    return ["  " + p.payeeID, p.name, p.plan, money(p.paid[0], r.currency), "→", money(p.paid[c], r.currency), ch.amount, ch.percent]
                }, numeric: { [3, 5, 6, 7].contains($0) }, locale: locale, header: false, isolate: { $0 != 4 })
            }
            out += gains.isEmpty ? "  " + t("nobody_gains") + "\n" : "  " + t("largest_gains") + "\n" + rows(Array(gains))
            out += losses.isEmpty ? "  " + t("nobody_loses") + "\n" : "  " + t("largest_losses") + "\n" + rows(Array(losses))
        }
        if r.sensitivity.count > 1 {
            var rows = sensitivityRows(r)
            rows[0] = [t("col.scale")] + r.scenarios.indices.map(name)
            out += "\n" + t("scaled") + "\n" + TextTable.render(rows, numeric: { $0 > 0 }, locale: locale, isolate: { _ in true })
        }
        return out
    }
}
