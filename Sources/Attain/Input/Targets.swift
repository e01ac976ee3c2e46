// targets.csv (each rep's year targets per measure, with optional rows for halves, quarters and months) and
// seasonality.csv (the weights of a year's quarters or months), read and broken down to months.

/// targets.csv and, when the folder has one, seasonality.csv.
public struct TargetFiles: Sendable {
    public let targets: InputFile
    public let seasonality: InputFile?

    public init(targets: InputFile, seasonality: InputFile?) {
        self.targets = targets
        self.seasonality = seasonality
    }
}

/// One rep's target for one measure (its key in targets.csv) and one year, broken down to months.
public struct RepTarget: Sendable {
    public let repID: String
    /// The `measure` cell: a measure's name, or the key a plan names in `quota from target "…"`.
    public let key: String
    /// The `year` cell, as written.
    public let yearLabel: String
    public let year: Period
    public let breakdown: TargetBreakdown
    /// The periods targets.csv gives, in year order.
    public let given: [TargetPeriod]
    /// Where the first of its rows starts, for messages.
    public let span: SourceSpan
}

/// Month weights by year and measure: from seasonality.csv, or from last year's deals.
public struct Seasonality: Sendable {
    /// Month weights (fractions totalling 1) by year label, then by measure ("" for every measure).
    public var weights: [String: [String: [Ratio]]] = [:]
    /// What each weight was given for, by year label and measure: quarters or months (percent texts), for the report.
    public var written: [String: [String: [(period: TargetPeriod, percent: ExactDecimal)]]] = [:]

    public init() {}

    /// The month weights of a year and measure: the measure's own, the year's for every measure, or even.
    public func months(year: String, key: String) -> [Ratio] {
        weights[year]?[key] ?? weights[year]?[""] ?? TargetBreakdown.even
    }

    /// Reads seasonality.csv: `year, period, weight` and an optional `measure` column (blank: every measure). The
    /// weights of one year and measure are all quarters or all months, and total 100% (`20` or `20%`).
    public static func load(_ file: InputFile, calendar: PeriodCalendar = .gregorian) -> (Seasonality?, Diagnostics) {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard var t = loader.table(file, required: ["year", "period", "weight"], diagnostics: &diagnostics) else { return (nil, diagnostics) }
        struct Row { let period: TargetPeriod; let weight: ExactDecimal; let record: CSVRecord }
        var groups: [String: [Row]] = [:], order: [String] = []
        var seen: [String: Int] = [:]
        for r in t.records {
            let yearText = t.value(r, "year") ?? ""
            guard TargetYear.period(of: yearText, in: calendar) != nil else {
                t.fail("D286", "`year` is `\(Suggestion.cut(yearText))`: \(TargetYear.expected(yearText, in: calendar))", r, t.header["year"], width: max(1, yearText.count))
                continue
            }
            let periodText = t.value(r, "period") ?? ""
            guard let period = TargetPeriod.parse(periodText, in: calendar), period != .year, !(period.months.count == 6) else {
                t.fail("D286", "`period` is `\(Suggestion.cut(periodText))`: a weight is for a quarter (`Q1`–`Q4`) or a month (`01`–`12`)", r, t.header["period"], width: max(1, periodText.count))
                continue
            }
            guard let weight = percent(&t, r, "weight") else { continue }
            let year = yearText.trimmingSpaces(), measure = (t.value(r, "measure") ?? "").trimmingSpaces()
            let key = year + "\u{0}" + measure
            let id = key + "\u{0}" + period.description
            if let first = seen[id] {
                t.fail("D285", "\(period.named(in: calendar)) of \(year)\(measure.isEmpty ? "" : " for measure `\(Suggestion.cut(measure))`") has a weight already, on line \(first)", r, t.header["period"], width: max(1, periodText.count))
                continue
            }
            seen[id] = r.line
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(Row(period: period, weight: weight, record: r))
        }
        var out = Seasonality()
        for key in order {
            let rows = groups[key]!
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            let (year, measure) = (parts[0], parts[1])
            let of = "\(year)\(measure.isEmpty ? "" : " for measure `\(Suggestion.cut(measure))`")"
            let quarters = rows.filter { if case .quarter = $0.period { return true } else { return false } }
            if !quarters.isEmpty && quarters.count != rows.count {
                let odd = rows.first { if case .quarter = $0.period { return false } else { return true } }!
                t.fail("D287", "the weights of \(of) mix quarters and months; give either the quarters or the months", odd.record, t.header["period"], width: max(1, (t.value(odd.record, "period") ?? "").count))
                continue
            }
            let total = ExactDecimal.total(rows.map(\.weight))
            if total != .hundred {
                let last = rows.last!
                t.fail("D287", "the weights of \(of) total \(total.normalized)%; they must total 100%", last.record, t.header["weight"],
                       width: max(1, (t.value(last.record, "weight") ?? "").count),
                       notes: [.note("weights given on line\(rows.count == 1 ? "" : "s") \(rows.map { "\($0.record.line)" }.joined(separator: ", "))")])
                continue
            }
            var months = [Ratio](repeating: .zero, count: 12)
            for row in rows {
                let w = (try? Ratio(row.weight).divided(by: Ratio(100, 1))) ?? .zero
                for m in row.period.months { months[m - 1] = (try? w.divided(by: Ratio(Int128(row.period.months.count), 1))) ?? .zero }
            }
            out.weights[year, default: [:]][measure] = months
            out.written[year, default: [:]][measure] = rows.sorted { TargetPeriod.order($0.period, $1.period) }.map { ($0.period, $0.weight) }
        }
        let found = t.finished
        diagnostics.append(contentsOf: found)
        return (found.hasErrors ? nil : out, diagnostics)
    }

    /// A percent cell: `20`, `20%` or `12.5 %`, from 0 to 100.
    static func percent(_ t: inout DataLoader.Table, _ r: CSVRecord, _ name: String) -> ExactDecimal? {
        let text = t.value(r, name) ?? ""
        var body = text.trimmingSpaces()
        if body.hasSuffix("%") { body = String(body.dropLast()).trimmingSpaces() }
        switch ExactDecimal.parse(Array(body.utf8)) {
        case .success(let d) where !d.isNegative && !(ExactDecimal.hundred < d): return d
        case .success:
            t.fail("D286", "`\(name)` is `\(Suggestion.cut(text))`: a weight is a percent from 0 to 100", r, t.header[name], width: max(1, text.count))
        case .failure(let e):
            t.fail("D286", "`\(name)` is `\(Suggestion.cut(text))`: \(e.reason)", r, t.header[name], width: max(1, text.count))
        }
        return nil
    }
}

/// Every rep's targets, broken down to months.
public struct TargetBook: Sendable {
    public let path: String
    /// Sorted by rep id, key and year.
    public let targets: [RepTarget]
    /// Places in `targets` by rep id and key.
    let index: [String: [Int]]

    init(path: String, targets: [RepTarget]) {
        self.path = path
        self.targets = targets.sorted { ($0.repID, $0.key, $0.year.start) < ($1.repID, $1.key, $1.year.start) }
        var index: [String: [Int]] = [:]
        for (i, t) in self.targets.enumerated() { index[t.repID + "\u{0}" + t.key, default: []].append(i) }
        self.index = index
    }

    /// The rep's target for `key` in the year holding `day`, or nil when targets.csv has none.
    public func target(rep: String, key: String, on day: CivilDate) -> RepTarget? {
        index[rep + "\u{0}" + key]?.lazy.map { targets[$0] }.first { $0.year.contains(day) }
    }

    /// Whether the rep has a target for `key` in some year.
    public func has(rep: String, key: String) -> Bool { index[rep + "\u{0}" + key] != nil }

    /// The target of the month holding `day`, exact to the cent, or nil when the rep has none for that year.
    public func month(rep: String, key: String, on day: CivilDate) -> ExactDecimal? {
        guard let t = target(rep: rep, key: key, on: day) else { return nil }
        let n = (day.year - t.year.start.year) * 12 + day.month - t.year.start.month
        return t.breakdown.months[n]
    }

    /// Reads targets.csv: `rep_id, measure, year, target` and an optional `period` (blank: the year; `Q1`–`Q4`, `H1`,
    /// `H2`, `01`–`12`), and breaks each rep's year down with `seasonality` (even where it gives no weights).
    public static func load(_ file: InputFile, seasonality: Seasonality, calendar: PeriodCalendar = .gregorian) -> (TargetBook?, Diagnostics) {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard var t = loader.table(file, required: ["rep_id", "measure", "year", "target"], diagnostics: &diagnostics) else { return (nil, diagnostics) }
        struct Row { let period: TargetPeriod; let amount: ExactDecimal; let record: CSVRecord }
        var groups: [String: [Row]] = [:], order: [String] = []
        var seen: [String: Int] = [:]
        for r in t.records {
            guard let rep = loader.requiredText(&t, r, "rep_id")?.trimmingSpaces(), let key = loader.requiredText(&t, r, "measure")?.trimmingSpaces() else { continue }
            let yearText = t.value(r, "year") ?? ""
            guard TargetYear.period(of: yearText, in: calendar) != nil else {
                t.fail("D286", "`year` is `\(Suggestion.cut(yearText))`: \(TargetYear.expected(yearText, in: calendar))", r, t.header["year"], width: max(1, yearText.count))
                continue
            }
            let periodText = t.value(r, "period") ?? ""
            guard let period = TargetPeriod.parse(periodText, in: calendar) else {
                t.fail("D286", "`period` is `\(Suggestion.cut(periodText))`: expected blank (the whole year), `Q1`–`Q4`, `H1`, `H2` or a month `01`–`12`", r, t.header["period"], width: max(1, periodText.count))
                continue
            }
            let text = t.value(r, "target") ?? ""
            let amount: ExactDecimal
            switch ExactDecimal.parse(Array(text.utf8)) {
            case .success(let d) where d.isNegative:
                t.fail("D286", "`target` is `\(Suggestion.cut(text))`: a target cannot be negative", r, t.header["target"], width: max(1, text.count))
                continue
            case .success(let d) where d.scale > 2 && d.normalized.scale > 2:
                t.fail("D286", "`target` is `\(Suggestion.cut(text))`: targets have at most 2 decimal places", r, t.header["target"], width: max(1, text.count))
                continue
            case .success(let d): amount = d
            case .failure(let e):
                t.fail("D286", "`target` is `\(Suggestion.cut(text))`: \(e.reason)", r, t.header["target"], width: max(1, text.count))
                continue
            }
            let group = [rep, key, yearText.trimmingSpaces()].joined(separator: "\u{0}")
            let id = group + "\u{0}" + period.description
            if let first = seen[id] {
                t.fail("D285", "rep `\(Suggestion.cut(rep))` has a target for measure `\(Suggestion.cut(key))` for \(period.named(in: calendar)) of \(yearText.trimmingSpaces()) already, on line \(first)",
                       r, t.header[period == .year ? "year" : "period"], width: max(1, (period == .year ? yearText : periodText).count))
                continue
            }
            seen[id] = r.line
            if groups[group] == nil { order.append(group) }
            groups[group, default: []].append(Row(period: period, amount: amount, record: r))
        }
        var targets: [RepTarget] = []
        for group in order {
            let rows = groups[group]!
            let parts = group.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            let (rep, key, yearLabel) = (parts[0], parts[1], parts[2])
            let year = TargetYear.period(of: yearLabel, in: calendar)!
            var explicit: [TargetPeriod: ExactDecimal] = [:]
            var at: [TargetPeriod: CSVRecord] = [:]
            for row in rows {
                explicit[row.period] = row.amount
                at[row.period] = row.record
            }
            let whose = "rep `\(Suggestion.cut(rep))`, measure `\(Suggestion.cut(key))`, \(yearLabel)"
            func lines(_ ps: [TargetPeriod]) -> [Diagnostic.Note] {
                ps.map { p in .note("\(p.named(in: calendar)): \(explicit[p]!.text(minimumScale: 2)) on line \(at[p]!.line)") }
            }
            switch TargetBreakdown.make(explicit: explicit, weights: seasonality.months(year: yearLabel, key: key)) {
            case .success(let b):
                let first = rows[0].record
                targets.append(RepTarget(repID: rep, key: key, yearLabel: yearLabel, year: year, breakdown: b,
                                         given: explicit.keys.sorted(by: TargetPeriod.order),
                                         span: .csv(path: file.path, line: first.line, column: first.column(t.header["rep_id"]!), width: max(1, rep.count), lineText: first.lineText)))
            case .failure(.exceeds(let parent, let inside, let sum, let amount)):
                let r = at[parent] ?? at[inside.last!]!
                t.fail(parent == .year ? "D288" : "D289",
                       "\(whose): the periods given inside \(parent.named(in: calendar)) add up to \(sum.text(minimumScale: 2)), more than \(parent.named(in: calendar))'s \(amount.text(minimumScale: 2))",
                       r, t.header["target"], width: max(1, (t.value(r, "target") ?? "").count), notes: lines(inside))
            case .failure(.short(let parent, let inside, let sum, let amount)):
                let r = at[parent] ?? at[inside.last!]!
                t.fail(parent == .year ? "D288" : "D289",
                       "\(whose): every month of \(parent.named(in: calendar)) is given, and they add up to \(sum.text(minimumScale: 2)), not \(parent.named(in: calendar))'s \(amount.text(minimumScale: 2))",
                       r, t.header["target"], width: max(1, (t.value(r, "target") ?? "").count), notes: lines(inside))
            case .failure(.noWeight(let parent, let left)):
                let r = at[parent] ?? rows[0].record
                t.fail("D287", "\(whose): \(left.text(minimumScale: 2)) of \(parent.named(in: calendar)) is left for months the seasonality weighs at 0%",
                       r, t.header["target"], width: max(1, (t.value(r, "target") ?? "").count),
                       notes: [.help("give those months a weight in seasonality.csv, or give \(parent.named(in: calendar))'s other periods in targets.csv")])
            case .failure(.overflow):
                t.fail("D286", "\(whose): an amount is too large to compute exactly", rows[0].record, t.header["target"])
            }
        }
        let found = t.finished
        diagnostics.append(contentsOf: found)
        return (found.hasErrors ? nil : TargetBook(path: file.path, targets: targets), diagnostics)
    }

    /// Loads targets.csv with seasonality.csv when there is one.
    public static func load(_ files: TargetFiles, calendar: PeriodCalendar = .gregorian) -> (TargetBook?, Diagnostics) {
        var diagnostics = Diagnostics()
        var seasonality = Seasonality()
        if let s = files.seasonality {
            // With errors in it, targets.csv is still read (evenly) so that every error is reported at once.
            let (loaded, d) = Seasonality.load(s, calendar: calendar)
            diagnostics.append(contentsOf: d)
            seasonality = loaded ?? Seasonality()
        }
        let (book, d) = load(files.targets, seasonality: seasonality, calendar: calendar)
        diagnostics.append(contentsOf: d)
        return (diagnostics.hasErrors ? nil : book, diagnostics)
    }

    /// Warnings for rows no run reads: reps not in the roster (R360) and measures no plan takes a quota from (R361),
    /// one for each, at its first row, with the values and how many rows each has.
    public func unread(reps: Set<String>, keys: Set<String>) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func warn(_ code: String, _ what: String, _ list: [RepTarget], help: String) {
            guard let first = list.first else { return }
            var counts: [String: Int] = [:]
            let value: (RepTarget) -> String = code == "R360" ? { $0.repID } : { $0.key }
            for t in list { counts[value(t), default: 0] += 1 }
            let shown = counts.keys.sorted().prefix(Reconciliation.shownValues).map { "`\(Suggestion.cut($0))` (\(counts[$0]!))" }.joined(separator: ", ")
            let more = counts.count > Reconciliation.shownValues ? " and \(counts.count - Reconciliation.shownValues) more" : ""
            out.append(.warning(code, "\(list.count) target\(list.count == 1 ? "" : "s") in \(path) \(list.count == 1 ? "is" : "are") not read: \(what): \(shown)\(more)",
                                at: first.span, notes: [.help(help)]))
        }
        warn("R360", "reps not in the roster", targets.filter { !reps.contains($0.repID) },
             help: "add the rep to roster.csv, or remove the rows")
        warn("R361", "measures no plan takes a quota from", targets.filter { reps.contains($0.repID) && !keys.contains($0.key) },
             help: "a measure reads its target with `quota from target` (rows named after it) or `quota from target \"key\"`")
        return out
    }
}

extension TargetBook {
    /// The error for plans that take a quota from targets.csv when the data folder has none: one, at the first such
    /// quota line, rather than one for every payee.
    public static func missingFile(for plans: [CompiledPlan]) -> Diagnostic? {
        for p in plans {
            for m in p.measures {
                guard case .target(let key, _, let trace)? = m.quota else { continue }
                return .error("R362", "measure `\(m.name)` of plan \"\(p.name)\" takes its quota from the `\(key)` rows of targets.csv, and the data folder has no targets.csv", at: trace,
                              notes: [.help("add targets.csv (`rep_id,measure,year,target`, and `period` for quarters or months) to the data folder")])
            }
        }
        return nil
    }

    /// The keys of targets.csv that some plan's measure takes a quota from.
    public static func keys(read plans: [CompiledPlan]) -> Set<String> {
        var keys: Set<String> = []
        for p in plans {
            for m in p.measures { if case .target(let key, _, _)? = m.quota { keys.insert(key) } }
        }
        return keys
    }
}
