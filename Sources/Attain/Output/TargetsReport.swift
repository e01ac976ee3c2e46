// `attain targets`: each rep's targets of one year broken down to quarters and months, as a terminal table (with team
// sums under each manager) and as a CSV that reads back as targets.csv.

/// What `attain targets` reads.
public struct TargetsRequest: Sendable {
    public var targets: TargetFiles
    public var roster: InputFile
    public var hierarchy: InputFile?
    /// The year label, e.g. `2026`.
    public var year: String
    /// Last year's deals (deals.csv format): each month's share of their won amount is the seasonality.
    public var shareFrom: InputFile?
    /// Where years start: the calendar year, or a fiscal year (`FY2027`) for plans with `fiscal year starts …`.
    public var calendar: PeriodCalendar = .gregorian

    public init(targets: TargetFiles, roster: InputFile, hierarchy: InputFile? = nil, year: String, shareFrom: InputFile? = nil) {
        self.targets = targets
        self.roster = roster
        self.hierarchy = hierarchy
        self.year = year
        self.shareFrom = shareFrom
    }
}

/// The breakdown of one year.
public struct TargetsReport: Sendable {
    /// The tables for the terminal.
    public let text: String
    /// One row per rep, measure and period (the year, each quarter, each month), readable as targets.csv.
    public let csv: String
    public let warnings: Diagnostics

    /// Breaks every rep's targets of the year down; errors in the files are the failure.
    public static func make(_ request: TargetsRequest) -> Result<TargetsReport, Diagnostics> {
        var diagnostics = Diagnostics()
        guard let year = TargetYear.period(of: request.year, in: request.calendar) else {
            return .failure(Diagnostics([.error("T400", "`--year` is `\(request.year)`: \(TargetYear.expected(request.year, in: request.calendar))", at: nil)]))
        }
        let loader = DataLoader(declaredFields: [:], planNames: [])
        let reps = loader.loadRoster(request.roster, &diagnostics)
        if diagnostics.hasErrors { return .failure(diagnostics) }
        var hierarchy: Hierarchy?
        if let h = request.hierarchy {
            let (loaded, d) = Hierarchy.load(h, reps: reps)
            diagnostics.append(contentsOf: d)
            if diagnostics.hasErrors { return .failure(diagnostics) }
            hierarchy = loaded
        }
        var seasonality = Seasonality()
        let weightsLine: String
        if let deals = request.shareFrom {
            switch Seasonality.share(of: deals, year: year) {
            case .failure(let d): return .failure(d)
            case .success(let (s, line, warnings)):
                seasonality = s
                weightsLine = line
                diagnostics.append(contentsOf: Diagnostics(warnings))
            }
        } else if let file = request.targets.seasonality {
            // With errors in it, targets.csv is still read (evenly) so that every error is reported at once.
            let (loaded, d) = Seasonality.load(file, calendar: request.calendar)
            diagnostics.append(contentsOf: d)
            seasonality = loaded ?? Seasonality()
            weightsLine = seasonalityLine(seasonality, year: year.label, path: file.path, calendar: year.calendar)
        } else {
            weightsLine = "seasonality: none; each year's rest is spread evenly, 1/12 a month"
        }
        let (loadedBook, d) = TargetBook.load(request.targets.targets, seasonality: seasonality, calendar: request.calendar)
        diagnostics.append(contentsOf: d)
        guard let book = loadedBook, !diagnostics.hasErrors else { return .failure(diagnostics) }
        diagnostics.append(contentsOf: Diagnostics(book.unread(reps: Set(reps.map(\.id)), keys: Set(book.targets.map(\.key)))))
        let mine = book.targets.filter { $0.year == year }
        guard !mine.isEmpty else {
            diagnostics.append(.error("T401", "\(book.path) has no target for \(year.label)", at: nil,
                                      notes: [.note("its years: \(Set(book.targets.map(\.yearLabel)).sorted().joined(separator: ", "))")]))
            return .failure(diagnostics)
        }
        let names = Dictionary(reps.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })

        // Team sums: each month, every rep's target counts under each manager above them on the month's first day.
        var team: [String: [ExactDecimal]] = [:]
        let place = Rep.positions(reps)
        for t in mine where names[t.repID] != nil {
            for n in 1...12 {
                let day = TargetYear.monthStart(year, n)
                var seen: Set<String> = [t.repID]
                var manager = managerOf(t.repID, on: day, reps: reps, place: place, hierarchy: hierarchy)
                while let m = manager, seen.insert(m).inserted {
                    let k = m + "\u{0}" + t.key
                    var months = team[k] ?? [ExactDecimal](repeating: .zero, count: 12)
                    months[n - 1] = (try? months[n - 1].adding(t.breakdown.months[n - 1])) ?? months[n - 1]
                    team[k] = months
                    manager = managerOf(m, on: day, reps: reps, place: place, hierarchy: hierarchy)
                }
            }
        }

        func money(_ d: ExactDecimal) -> String { d.text(minimumScale: 2) }
        var quarterRows: [[String]] = [["rep", "name", "measure", "year", "Q1", "Q2", "Q3", "Q4"]]
        var monthRows: [[String]] = [["rep", "measure"] + (1...12).map { TargetYear.month(year, $0).label }]
        func add(_ id: String, _ name: String, _ key: String, _ b: TargetBreakdown) {
            quarterRows.append([id, name, key, money(b.year)] + b.quarters.map(money))
            monthRows.append([id, key] + b.months.map(money))
        }
        var csv = "rep_id,measure,year,period,target\n"
        for t in mine {
            add(t.repID, names[t.repID] ?? "(not in the roster)", t.key, t.breakdown)
            func row(_ p: TargetPeriod) {
                csv += [PayrollCSV.cell(t.repID, numeric: false), PayrollCSV.cell(t.key, numeric: false), t.yearLabel, p.cell(in: year.calendar),
                        money(t.breakdown.amount(of: p))].joined(separator: ",") + "\n"
            }
            row(.year)
            for q in 1...4 {
                row(.quarter(q))
                for m in TargetPeriod.quarter(q).months { row(.month(m)) }
            }
        }
        for k in team.keys.sorted() {
            let parts = k.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            let months = team[k]!
            add(parts[0] + " (team)", names[parts[0]] ?? "", parts[1], TargetBreakdown(year: ExactDecimal.total(months), months: months))
        }
        var text = "targets for \(year.label): \(mine.count) rep target\(mine.count == 1 ? "" : "s") from \(book.path)\n\(weightsLine)\n\n"
        text += TextTable.render(quarterRows, numeric: { $0 >= 3 })
        text += "\n"
        text += TextTable.render(monthRows, numeric: { $0 >= 2 })
        if !team.isEmpty {
            text += "\na team row sums the targets of every rep below the manager on each month's first day (\(hierarchy == nil ? "roster.csv's manager_id" : "hierarchy.csv, then roster.csv's manager_id for reps it has no rows for"))\n"
        }
        return .success(TargetsReport(text: text, csv: csv, warnings: diagnostics))
    }

    static func managerOf(_ id: String, on day: CivilDate, reps: [Rep], place: [String: Int], hierarchy: Hierarchy?) -> String? {
        if let h = hierarchy { return h.manager(of: id, on: day) }
        return place[id].flatMap { reps[$0].managerID }
    }

    /// The weights seasonality.csv gives the year, in one line.
    static func seasonalityLine(_ s: Seasonality, year: String, path: String, calendar: PeriodCalendar) -> String {
        guard let byMeasure = s.written[year], !byMeasure.isEmpty else {
            return "seasonality: \(path) has no weights for \(year); each year's rest is spread evenly, 1/12 a month"
        }
        return byMeasure.keys.sorted().map { m in
            "seasonality\(m.isEmpty ? "" : " of `\(m)`") from \(path): " + byMeasure[m]!.map { "\($0.period.cell(in: calendar)) \($0.percent.normalized)%" }.joined(separator: ", ")
        }.joined(separator: "\n")
    }
}

extension Seasonality {
    /// Month weights from last year's deals: each month's share of the won amount closed in the year before `year`,
    /// company-wide, in percent rounded to 0.01 half-up, the last month with deals taking the rest so that they total
    /// 100%. Also the line that says them, and a warning T404 for each quarter last year gave nothing: its months
    /// get 0%, so the quarter's targets are 0 and a run of it has no quota to measure against.
    public static func share(of file: InputFile, year: Period) -> Result<(Seasonality, String, [Diagnostic]), Diagnostics> {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard var t = loader.table(file, required: ["deal_id", "close_date", "amount", "currency"], diagnostics: &diagnostics) else { return .failure(diagnostics) }
        let last = Period.containing(CivilDate(year: year.start.year - 1, month: year.start.month, day: 1)!, kind: .year, in: year.calendar)
        var seen: Set<String> = []
        var months = [ExactDecimal](repeating: .zero, count: 12)
        var currencies: [String: Int] = [:]
        for r in t.records {
            let status = (t.value(r, "status") ?? "").trimmingSpaces()
            guard status.isEmpty || status == "won", let id = loader.requiredText(&t, r, "deal_id") else { continue }
            guard let dateOpt = loader.date(&t, r, "close_date"), let date = dateOpt,
                  let amount = loader.decimal(&t, r, "amount", maxScale: nil, what: "amounts") else { continue }
            guard last.contains(date), seen.insert(id).inserted else { continue }
            currencies[(t.value(r, "currency") ?? "").trimmingSpaces(), default: 0] += 1
            let n = (date.year - last.start.year) * 12 + date.month - last.start.month
            months[n] = (try? months[n].adding(amount)) ?? months[n]
        }
        diagnostics.append(contentsOf: t.finished)
        if diagnostics.hasErrors { return .failure(diagnostics) }
        if currencies.count > 1 {
            return .failure(Diagnostics([.error("T402", "\(file.path) has won deals of \(last.label) in \(currencies.keys.sorted().joined(separator: ", ")); their shares can be taken in one currency only", at: nil)]))
        }
        let total = ExactDecimal.total(months)
        guard total.signum > 0 else {
            return .failure(Diagnostics([.error("T403", "\(file.path) has no won amount closed in \(last.label) to take the seasonality of \(year.label) from", at: nil)]))
        }
        var percents = [ExactDecimal](repeating: .zero, count: 12)
        let lastWithDeals = months.lastIndex { $0.signum > 0 }!
        var sum = ExactDecimal.zero
        for i in 0..<12 where i != lastWithDeals {
            percents[i] = (try? Ratio(months[i]).multiplied(by: Ratio(100, 1)).divided(by: Ratio(total)).rounded(scale: 2, mode: .halfUp)) ?? .zero
            sum = (try? sum.adding(percents[i])) ?? sum
        }
        percents[lastWithDeals] = (try? ExactDecimal.hundred.subtracting(sum)) ?? .zero
        var s = Seasonality()
        s.weights[year.label] = ["": percents.map { (try? Ratio($0).divided(by: Ratio(100, 1))) ?? .zero }]
        s.written[year.label] = ["": (1...12).map { (TargetPeriod.month($0), percents[$0 - 1]) }]
        let line = "seasonality from \(file.path): each month's share of the won amount closed in \(last.label) (\(seen.count) deals, \(total.text(minimumScale: 2)) \(currencies.keys.first ?? "")), company-wide: "
            + (1...12).map { "\(TargetPeriod.month($0).cell(in: year.calendar)) \(percents[$0 - 1].text(minimumScale: 2))%" }.joined(separator: ", ")
        var empty: [Diagnostic] = []
        for q in 1...4 where TargetPeriod.quarter(q).months.allSatisfy({ percents[$0 - 1].signum == 0 }) {
            let months = TargetPeriod.quarter(q).months.map { TargetYear.month(last, $0).label }
            empty.append(.warning("T404", "\(file.path) has no won amount in \(months.first!) to \(months.last!): the seasonality gives Q\(q) of \(year.label) 0%, so its targets are 0.00 and a run of it has no quota",
                                  at: nil, notes: [.help("give targets.csv rows for Q\(q), or weigh the year with a seasonality.csv instead of --share-from")]))
        }
        return .success((s, line, empty))
    }
}
