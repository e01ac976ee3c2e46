// Loads and validates deals.csv, roster.csv and assignments.csv into typed records, reporting every bad value.

/// An input file's name and bytes, as the shell read it.
public struct InputFile: Sendable {
    public let path: String
    public let bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// Reads the three input tables. Every error names the file, line and column and what was expected.
public struct DataLoader: Sendable {
    /// Extra deal columns the plans declared, by name, with their types.
    public let declaredFields: [String: ValueType]
    /// Names of the plans that were loaded, for checking assignments.
    public let planNames: [String]
    /// Errors reported per file before the rest are only counted.
    public static let errorLimit = 50

    /// Tests turn the fast deals reader off to compare it with the careful one.
    var useFastPath = true
    /// A shard's rows may hold only some rows of a split deal (those credited to its payees): shares are then not
    /// checked to total 100% (the crediting shard, which has every row of a deal, checked them).
    var sharesMayBePartial = false

    public init(declaredFields: [String: ValueType], planNames: [String]) {
        self.declaredFields = declaredFields
        self.planNames = planNames
    }

    /// A CSV file with its header read, collecting errors for one file.
    struct Table {
        let path: String
        let records: [CSVRecord]
        let header: [String: Int]
        var diagnostics = Diagnostics()
        /// Errors of the file already reported before the table was made (the reader's and the header's).
        var shownBefore = 0
        var suppressed = 0

        /// Reports an error at a field of a row (`column`: its place in the header; nil for the row's start). The notes,
        /// a "did you mean" among them, are worked out only for an error that is shown.
        mutating func fail(_ code: String, _ message: String, _ record: CSVRecord, _ column: Int?, width: Int = 1, notes: @autoclosure () -> [Diagnostic.Note] = []) {
            if shownBefore + diagnostics.items.count >= DataLoader.errorLimit {
                suppressed += 1
                return
            }
            let col = column.map { $0 < record.fieldStarts.count ? record.column($0) : record.lineText.count + 1 } ?? 1
            diagnostics.append(.error(code, message, at: .csv(path: path, line: record.line, column: col, width: width, lineText: record.lineText), notes: notes()))
        }

        /// Adds diagnostics found before the rows were read (the reader's), under the same limit.
        mutating func add(_ found: Diagnostics) {
            for d in found.items {
                if d.severity == .error && shownBefore + diagnostics.items.count >= DataLoader.errorLimit {
                    suppressed += 1
                } else {
                    diagnostics.append(d)
                }
            }
        }

        func value(_ record: CSVRecord, _ name: String) -> String? {
            guard let i = header[name], i < record.fields.count else { return nil }
            return record.fields[i]
        }

        var finished: Diagnostics {
            var d = diagnostics
            if suppressed > 0 {
                d.append(.error("D299", "\(DataLoader.counted(suppressed)) more error\(suppressed == 1 ? "" : "s") in \(path) not shown", at: nil))
            }
            return d
        }
    }

    func table(_ file: InputFile, required: [String], diagnostics: inout Diagnostics) -> Table? {
        let (records, csvErrors) = CSVReader(path: file.path, bytes: file.bytes).read()
        // The reader's errors under the file's limit, with long lines cut, then the header's.
        var read = Table(path: file.path, records: [], header: [:])
        read.add(Diagnostics(csvErrors.items.map { $0.withCSVSpanCut() }))
        guard let head = records.first else {
            diagnostics.append(contentsOf: read.finished)
            diagnostics.append(.error("D202", "the file is empty; expected a header row with \(required.map { "`\($0)`" }.joined(separator: ", "))", at: SourceSpan(path: file.path, line: 1, column: 1, width: 1, lineText: "")))
            return nil
        }
        var header: [String: Int] = [:]
        // Names that appear more than once, in the order of their second appearance, with how many times.
        var repeated: [String] = [], times: [String: Int] = [:], firstRepeat = -1
        for (i, name) in head.fields.enumerated() {
            let key = name.trimmingSpaces()
            if header[key] != nil {
                if times[key] == nil {
                    repeated.append(key)
                    times[key] = 1
                }
                if firstRepeat < 0 { firstRepeat = i }
                times[key]! += 1
            }
            header[key] = i
        }
        if !repeated.isEmpty {
            read.diagnostics.append(DataLoader.repeatedColumns(repeated, times: times, at: .csv(path: file.path, line: head.line, column: head.column(firstRepeat),
                                                                                                  width: head.fields[firstRepeat].count, lineText: head.lineText)))
        }
        var missing = false
        let names = Suggestion.Names(Array(header.keys))
        for name in required where header[name] == nil {
            missing = true
            // At the header's column the help names, or under the whole header.
            let near = names.closest(to: name)
            let span: SourceSpan = near.flatMap { header[$0] }.map { i in
                .csv(path: file.path, line: head.line, column: head.column(i), width: head.fields[i].count, lineText: head.lineText)
            } ?? .csv(path: file.path, line: head.line, column: 1, width: head.lineText.count, lineText: head.lineText)
            read.diagnostics.append(.error("D204", "missing column `\(name)`", at: span, notes: Suggestion.columnHelp(expected: name, found: near)))
        }
        if missing {
            diagnostics.append(contentsOf: read.finished)
            return nil
        }
        diagnostics.append(contentsOf: read.diagnostics)
        var t = Table(path: file.path, records: Array(records.dropFirst()), header: header)
        t.shownBefore = read.diagnostics.items.count
        t.suppressed = read.suppressed
        for r in t.records where r.fields.count != head.fields.count {
            t.fail("D205", "expected \(head.fields.count) fields as in the header, found \(r.fields.count)", r, nil, width: r.lineText.count)
        }
        return t
    }

    /// One error for every column name the header has more than once: the names (the first five) and how many times.
    static func repeatedColumns(_ names: [String], times: [String: Int], at span: SourceSpan) -> Diagnostic {
        let help: [Diagnostic.Note] = [.help("a column is read from one place: remove or rename the others")]
        if names.count == 1 {
            let n = times[names[0]]!
            return .error("D203", "column `\(Suggestion.cut(names[0]))` appears \(n == 2 ? "twice" : "\(DataLoader.counted(n)) times") in the header", at: span, notes: help)
        }
        let shown = names.prefix(Reconciliation.shownValues).map { "`\(Suggestion.cut($0))` (\(DataLoader.counted(times[$0]!)) times)" }.joined(separator: ", ")
        let more = names.count > Reconciliation.shownValues ? " and \(DataLoader.counted(names.count - Reconciliation.shownValues)) more" : ""
        return .error("D203", "\(DataLoader.counted(names.count)) column names appear more than once in the header: \(shown)\(more)", at: span, notes: help)
    }

    /// A file's diagnostics as a table reports them: the first `errorLimit` errors (their lines cut), then one line
    /// for the rest. For readers of small files that do not go through `table`.
    static func capped(_ found: Diagnostics, path: String) -> Diagnostics {
        var t = Table(path: path, records: [], header: [:])
        t.add(Diagnostics(found.items.map { $0.withCSVSpanCut() }))
        return t.finished
    }

    /// A count with thousands separators: "4,001".
    static func counted(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    func date(_ t: inout Table, _ r: CSVRecord, _ name: String, optional: Bool = false) -> CivilDate?? {
        let text = t.value(r, name) ?? ""
        if text.isEmpty {
            if optional { return .some(nil) }
            t.fail("D210", "`\(name)` is empty; expected a date as YYYY-MM-DD", r, t.header[name])
            return nil
        }
        switch CivilDate.parse(Array(text.utf8)) {
        case .success(let d): return .some(d)
        case .failure(let e):
            t.fail("D210", "`\(name)` is `\(Suggestion.cut(text))`: \(e.reason)", r, t.header[name], width: text.count)
            return nil
        }
    }

    func decimal(_ t: inout Table, _ r: CSVRecord, _ name: String, maxScale: Int?, what: String) -> ExactDecimal? {
        let text = t.value(r, name) ?? ""
        switch ExactDecimal.parse(Array(text.utf8)) {
        case .success(let d):
            if let maxScale, d.scale > maxScale, d.normalized.scale > maxScale {
                t.fail("D211", "`\(name)` is `\(Suggestion.cut(text))`: \(what) have at most \(maxScale) decimal place\(maxScale == 1 ? "" : "s")", r, t.header[name], width: text.count)
                return nil
            }
            return d
        case .failure(let e):
            t.fail("D211", "`\(name)` is `\(Suggestion.cut(text))`: \(e.reason)", r, t.header[name], width: max(1, text.count))
            return nil
        }
    }

    func requiredText(_ t: inout Table, _ r: CSVRecord, _ name: String) -> String? {
        let text = t.value(r, name) ?? ""
        if text.trimmingSpaces().isEmpty {
            t.fail("D212", "`\(name)` is empty", r, t.header[name])
            return nil
        }
        return text
    }

    /// Loads all three tables. Returns nil with diagnostics when any value is bad.
    public func load(deals dealsFile: InputFile, roster rosterFile: InputFile, assignments assignmentsFile: InputFile) -> (DataSet?, Diagnostics) {
        var diagnostics = Diagnostics()
        let reps = loadRoster(rosterFile, &diagnostics)
        let repIDs = Set(reps.map(\.id))
        // Assignments are read on a thread of their own while the deals are: reading the deals leaves a core idle at
        // times. Their messages follow the deals' as if read after them.
        let assignmentsRead = Concurrent {
            var d = Diagnostics()
            let assignments = loadAssignments(assignmentsFile, repIDs: repIDs, &d)
            return (assignments, d)
        }
        var unrostered: [Deal] = []
        let deals = loadDeals(dealsFile, reps: reps, &diagnostics, offRoster: &unrostered)
        let (assignments, assignmentDiagnostics) = assignmentsRead.value
        diagnostics.append(contentsOf: assignmentDiagnostics)
        if diagnostics.hasErrors { return (nil, diagnostics) }
        var data = DataSet(deals: deals.0, reps: reps, assignments: assignments, assignmentsPath: assignmentsFile.path, dealColumns: deals.1)
        data.unrostered = unrostered
        return (data, diagnostics)
    }

    func loadRoster(_ file: InputFile, _ diagnostics: inout Diagnostics) -> [Rep] {
        guard var t = table(file, required: ["rep_id", "name", "manager_id", "hire_date", "end_date"], diagnostics: &diagnostics) else { return [] }
        var reps: [Rep] = []
        var seen: [String: Int] = [:]
        for r in t.records {
            guard let id = requiredText(&t, r, "rep_id") else { continue }
            if let first = seen[id] {
                t.fail("D220", "rep `\(Suggestion.cut(id))` appears twice", r, t.header["rep_id"], width: id.count, notes: [.note("first on line \(first)")])
                continue
            }
            seen[id] = r.line
            let name = t.value(r, "name") ?? ""
            let manager = t.value(r, "manager_id") ?? ""
            guard let hire = date(&t, r, "hire_date"), let end = date(&t, r, "end_date", optional: true) else { continue }
            if let h = hire, let e = end, e < h {
                t.fail("D221", "`end_date` \(e) is before `hire_date` \(h)", r, t.header["end_date"], width: 10)
                continue
            }
            var locale: ReportLocale? = nil
            if let tag = t.value(r, "locale"), !tag.isEmpty {
                // The rep is kept (the run fails on the error anyway), so their deals are not also called unknown.
                if let l = ReportLocale.parse(tag) {
                    locale = l
                } else {
                    t.fail("D224", "`locale` is `\(Suggestion.cut(tag))`: statements are written in "
                        + ReportLocale.all.map { "`\($0.tag)`" }.joined(separator: ", ") + " (BCP 47 tags)", r, t.header["locale"], width: tag.count)
                }
            }
            reps.append(Rep(id: id, name: name, managerID: manager.isEmpty ? nil : manager, hireDate: hire!, endDate: end, line: r.line, locale: locale))
        }
        // Each record by its line, for messages about a rep.
        var recordAt: [Int: Int] = [:]
        recordAt.reserveCapacity(t.records.count)
        for (i, r) in t.records.enumerated() { recordAt[r.line] = i }
        let known = Suggestion.Names(Array(seen.keys))
        for rep in reps {
            if let m = rep.managerID, seen[m] == nil {
                let r = t.records[recordAt[rep.line]!]
                t.fail("D222", "manager `\(Suggestion.cut(m))` of rep `\(Suggestion.cut(rep.id))` is not in the roster", r, t.header["manager_id"], width: m.count,
                       notes: Suggestion.help(for: m, in: known))
            }
        }
        // The manager tree must be a tree: a cycle is an error naming every rep in it. Reps are taken in id order, each
        // walking up its managers; a walk stops at a rep an earlier walk passed (whose end is known: the top of the tree
        // or a cycle already reported), so each rep is walked once.
        let sorted = reps.sorted { $0.id < $1.id }
        var place: [String: Int] = [:]
        place.reserveCapacity(sorted.count)
        for (i, rep) in sorted.enumerated() { place[rep.id] = i }
        let managerPlace = sorted.map { rep in rep.managerID.flatMap { place[$0] } ?? -1 }
        // Not walked yet, on the walk under way, or walked.
        var walked = [UInt8](repeating: 0, count: sorted.count)
        var path: [Int] = []
        for start in sorted.indices where walked[start] == 0 {
            path.removeAll(keepingCapacity: true)
            var current = start
            while current >= 0 && walked[current] == 0 {
                walked[current] = 1
                path.append(current)
                current = managerPlace[current]
            }
            if current >= 0 && walked[current] == 1 {
                let cycle = path[path.firstIndex(of: current)!...].map { sorted[$0].id }
                let line = sorted[current].line
                let first = t.records[recordAt[line]!]
                t.fail("D223", "the manager tree has a cycle: \((cycle + [cycle[0]]).map { "`\(Suggestion.cut($0))`" }.joined(separator: " → "))", first, t.header["manager_id"])
            }
            for p in path { walked[p] = 2 }
        }
        diagnostics.append(contentsOf: t.finished)
        return sorted
    }

    /// Rows whose rep is not in the roster are read and checked like the others, then kept apart in `offRoster`: they
    /// are not paid, and one warning names them.
    func loadDeals(_ file: InputFile, reps: [Rep], _ diagnostics: inout Diagnostics, offRoster: inout [Deal]) -> (DealTable, Set<String>) {
        // A well-formed file takes the fast path; anything else gets the careful reader and its messages.
        if useFastPath, let fast = fastDeals(file, reps: reps) { return fast }
        let repIDs = Set(reps.map(\.id))
        guard var t = table(file, required: ["deal_id", "rep_id", "close_date", "amount", "currency", "product", "type"], diagnostics: &diagnostics) else { return (DealTable([], reps: reps), []) }
        for (name, _) in declaredFields.sorted(by: { $0.key < $1.key }) where t.header[name] == nil {
            diagnostics.append(.error("D206", "a plan reads `deal.\(name)`, but \(file.path) has no `\(name)` column", at: SourceSpan(path: file.path, line: 1, column: 1, width: 1, lineText: t.records.first.map { _ in "" } ?? ""),
                                      notes: Suggestion.columnHelp(expected: name, found: Suggestion.closest(to: name, in: Array(t.header.keys)))))
        }
        var deals: [Deal] = []
        // Each row's deal and record; each deal's first row; and the rows of deals on several rows (splits).
        var rows: [(deal: Deal, record: Int)] = []
        var firstRow: [String: Int] = [:]
        var splitRows: [String: [Int]] = [:]
        rows.reserveCapacity(t.records.count)
        firstRow.reserveCapacity(t.records.count)
        // Rows of reps not in the roster, by their place in `rows`, and the first such record of each rep.
        var unknown: Set<Int> = []
        var unknownReps: [String: (count: Int, record: CSVRecord)] = [:]
        var roleTexts: Set<String> = [Deal.owner]
        for (recordIndex, r) in t.records.enumerated() {
            guard let dealID = requiredText(&t, r, "deal_id"), let repID = requiredText(&t, r, "rep_id") else { continue }
            let stranger = !repIDs.contains(repID)
            guard let closeOpt = date(&t, r, "close_date"), let close = closeOpt else { continue }
            let code = t.value(r, "currency") ?? ""
            guard let currency = Currency(code: code) else {
                t.fail("D231", code.isEmpty ? "`currency` is empty; expected an ISO 4217 code such as USD" : "unknown currency `\(Suggestion.cut(code))`", r, t.header["currency"], width: code.count,
                       notes: Currency.help(for: code))
                continue
            }
            guard let amount = decimal(&t, r, "amount", maxScale: currency.minorUnits, what: "\(currency.code) amounts") else { continue }
            var share = ExactDecimal.one
            if t.header["split"] != nil, let splitText = t.value(r, "split"), !splitText.isEmpty {
                let digits = splitText.hasSuffix("%") ? String(splitText.dropLast()) : splitText
                switch ExactDecimal.parse(digits) {
                case .success(let p) where p > .zero && p <= .hundred:
                    share = (try? Rate(percent: p).fraction) ?? .one
                case .success:
                    t.fail("D232", "`split` is `\(Suggestion.cut(splitText))`: a share is a percent above 0 and at most 100", r, t.header["split"], width: splitText.count)
                    continue
                case .failure(let e):
                    t.fail("D232", "`split` is `\(Suggestion.cut(splitText))`: \(e.reason)", r, t.header["split"], width: splitText.count)
                    continue
                }
            }
            var status = Deal.Status.won
            var cancelDate: CivilDate?
            if t.header["status"] != nil, let s = t.value(r, "status"), !s.isEmpty {
                guard let st = Deal.Status(rawValue: s) else {
                    t.fail("D233", "`status` is `\(Suggestion.cut(s))`; expected `won` or `cancelled`", r, t.header["status"], width: s.count,
                           notes: Suggestion.help(for: s, in: ["won", "cancelled"]))
                    continue
                }
                status = st
            }
            if status != .cancelled, t.header["cancel_date"] != nil, let c = t.value(r, "cancel_date"), !c.isEmpty {
                t.fail("D234", "`cancel_date` is set, but `status` is not `cancelled`", r, t.header["cancel_date"], width: c.count,
                       notes: [.help("set `status` to `cancelled`, or clear `cancel_date`")])
                continue
            }
            if status == .cancelled {
                guard t.header["cancel_date"] != nil, let c = date(&t, r, "cancel_date"), let cd = c else {
                    if t.header["cancel_date"] == nil {
                        t.fail("D234", "a cancelled deal needs a `cancel_date` column", r, t.header["status"])
                    }
                    continue
                }
                if cd < close {
                    t.fail("D234", "`cancel_date` \(cd) is before `close_date` \(close)", r, t.header["cancel_date"], width: 10)
                    continue
                }
                cancelDate = cd
            }
            var extras: [String: Value] = [:]
            var extraFailed = false
            for (name, type) in declaredFields.sorted(by: { $0.key < $1.key }) {
                guard let text = t.value(r, name) else { continue }
                switch DataLoader.parseValue(text, as: type) {
                case .success(let v): extras[name] = v
                case .failure(let e):
                    t.fail("D235", "`\(name)` is `\(Suggestion.cut(text))`: \(e.reason)", r, t.header[name], width: max(1, text.count))
                    extraFailed = true
                }
            }
            if extraFailed { continue }
            guard let role = role(&t, r, roles: &roleTexts) else { continue }
            let deal = Deal(dealID: dealID, repID: repID, closeDate: close, amount: amount, currency: currency,
                            product: t.value(r, "product") ?? "", type: t.value(r, "type") ?? "", share: share,
                            status: status, cancelDate: cancelDate, extras: extras, line: r.line, role: role)
            if let first = firstRow[dealID] {
                splitRows[dealID, default: [first]].append(rows.count)
            } else {
                firstRow[dealID] = rows.count
            }
            if stranger {
                unknown.insert(rows.count)
                unknownReps[repID] = ((unknownReps[repID]?.count ?? 0) + 1, unknownReps[repID]?.record ?? r)
            }
            rows.append((deal, recordIndex))
        }
        // Split rules: one row per payee, the same deal facts on every row, shares totalling 100%.
        var rejected: Set<String> = []
        for (index, row) in rows.enumerated() where firstRow[row.deal.dealID] == index {
            let id = row.deal.dealID
            guard let group = splitRows[id] else {
                // A deal on one row: its share must be the whole deal.
                if row.deal.share != .one && !sharesMayBePartial {
                    let record = t.records[row.record]
                    let percent = (try? row.deal.share.multiplied(by: .hundred).normalized) ?? row.deal.share
                    t.fail("D238", "split shares of deal `\(Suggestion.cut(id))`\(DataLoader.inRole(row.deal.role)) total \(percent)%; they must total 100%", record, t.header["split"],
                           width: t.value(record, "split")?.count ?? 1, notes: [])
                    rejected.insert(id)
                }
                continue
            }
            let rows = group.map { (rows[$0].deal, t.records[rows[$0].record]) }
            let first = rows[0].0
            var ok = true
            var payees: [String: Int] = [:]
            for (deal, record) in rows {
                if let line = payees[deal.role + "\u{1}" + deal.repID] {
                    t.fail("D236", "deal `\(Suggestion.cut(id))` is credited to rep `\(Suggestion.cut(deal.repID))` twice\(DataLoader.inRole(deal.role))", record, t.header["rep_id"], width: deal.repID.count, notes: [.note("first on line \(line)")])
                    ok = false
                }
                payees[deal.role + "\u{1}" + deal.repID] = deal.line
                let facts = [("close_date", deal.closeDate == first.closeDate), ("amount", deal.amount == first.amount),
                             ("currency", deal.currency == first.currency), ("product", deal.product == first.product),
                             ("type", deal.type == first.type), ("status", deal.status == first.status),
                             ("cancel_date", deal.cancelDate == first.cancelDate)]
                for (column, same) in facts where !same {
                    t.fail("D237", "rows of split deal `\(Suggestion.cut(id))` disagree on `\(column)`", record, t.header[column], notes: [.note("line \(first.line) has another value")])
                    ok = false
                }
            }
            // Shares total 100% in each role.
            if ok, !sharesMayBePartial, !shareTotals(id, rows, &t) { ok = false }
            if !ok { rejected.insert(id) }
        }
        deals.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() where rejected.isEmpty || !rejected.contains(row.deal.dealID) {
            if unknown.contains(i) { offRoster.append(row.deal) } else { deals.append(row.deal) }
        }
        diagnostics.append(contentsOf: t.finished)
        if !unknownReps.isEmpty { diagnostics.append(DataLoader.offRosterWarning(unknownReps, rows: unknown.count, table: t, known: Array(repIDs))) }
        return (DealTable(deals, reps: reps), Set(t.header.keys))
    }

    func loadAssignments(_ file: InputFile, repIDs: Set<String>, _ diagnostics: inout Diagnostics) -> [Assignment] {
        let required = ["rep_id", "plan", "start_date", "end_date", "quota", "target_incentive"]
        guard var t = table(file, required: required, diagnostics: &diagnostics) else { return [] }
        var result: [Assignment] = []
        var skippedPlans: [String: Int] = [:]
        let roster = Suggestion.Names(Array(repIDs))
        for r in t.records {
            guard let repID = requiredText(&t, r, "rep_id"), let plan = requiredText(&t, r, "plan") else { continue }
            if !repIDs.contains(repID) {
                t.fail("D240", "rep `\(Suggestion.cut(repID))` is not in the roster", r, t.header["rep_id"], width: repID.count, notes: Suggestion.help(for: repID, in: roster))
                continue
            }
            if !planNames.contains(plan) {
                // A near miss is a typo; any other name belongs to a plan this run was not given.
                let help = Suggestion.help(for: plan, in: planNames)
                if !help.isEmpty {
                    t.fail("D241", "no plan named \"\(Suggestion.cut(plan))\" was given", r, t.header["plan"], width: plan.count,
                           notes: help + [.note("plans given: \(planNames.map { "\"\($0)\"" }.joined(separator: ", "))")])
                } else {
                    skippedPlans[plan, default: 0] += 1
                }
                continue
            }
            guard let startOpt = date(&t, r, "start_date"), let start = startOpt, let end = date(&t, r, "end_date", optional: true) else { continue }
            if let e = end, e < start {
                t.fail("D242", "`end_date` \(e) is before `start_date` \(start)", r, t.header["end_date"], width: 10)
                continue
            }
            guard let quota = decimal(&t, r, "quota", maxScale: nil, what: "quotas") else { continue }
            if quota.isNegative {
                t.fail("D243", "`quota` is negative", r, t.header["quota"])
                continue
            }
            var ti = ExactDecimal.zero
            if let text = t.value(r, "target_incentive"), !text.isEmpty {
                guard let v = decimal(&t, r, "target_incentive", maxScale: nil, what: "amounts") else { continue }
                ti = v
            }
            var extras: [String: (text: String, column: Int)] = [:]
            for (name, i) in t.header where !required.contains(name) && i < r.fields.count {
                extras[name] = (r.fields[i], r.column(i))
            }
            extras["quota"] = (t.value(r, "quota") ?? "", r.column(t.header["quota"]!))
            result.append(Assignment(repID: repID, plan: plan, start: start, end: end ?? nil, quota: quota, targetIncentive: ti,
                                     extras: extras, line: r.line, lineText: r.lineText))
        }
        diagnostics.append(contentsOf: t.finished)
        for (plan, count) in skippedPlans.sorted(by: { $0.key < $1.key }) {
            diagnostics.append(.warning("D245", "\(count) assignment\(count == 1 ? "" : "s") in \(file.path) name plan \"\(Suggestion.cut(plan))\", which this run was not given; those reps are not paid by it", at: nil))
        }
        return result
    }

    /// Parses an extra column's text as the type its `field` line declared.
    static func parseValue(_ text: String, as type: ValueType) -> Result<Value, DecimalTextError> {
        switch type {
        case .text: return .success(.text(text))
        case .date: return CivilDate.parse(Array(text.utf8)).map { .date($0) }
        case .money(let c):
            return ExactDecimal.parse(text).flatMap { d in
                d.normalized.scale > c.minorUnits ? .failure(.init(reason: "\(c.code) amounts have at most \(c.minorUnits) decimal places")) : .success(.money(Ratio(d), c))
            }
        case .number: return ExactDecimal.parse(text).map { .number(Ratio($0)) }
        case .percent:
            let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
            return ExactDecimal.parse(digits).flatMap { d in
                guard let r = try? Rate(percent: d) else { return .failure(.init(reason: "too precise")) }
                return .success(.percent(Ratio(r.fraction)))
            }
        case .bool:
            switch text {
            case "true": return .success(.bool(true))
            case "false": return .success(.bool(false))
            default: return .failure(.init(reason: "expected `true` or `false`"))
            }
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension DataLoader {
    /// One warning for the deal rows of reps not in the roster: at the first row, with the most common reps and a
    /// "did you mean" for each that is close to a rep in the roster.
    static func offRosterWarning(_ reps: [String: (count: Int, record: CSVRecord)], rows: Int, table t: Table, known: [String]) -> Diagnostic {
        let sorted = reps.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
        let first = reps.values.min { $0.record.line < $1.record.line }!.record
        let shown = sorted.prefix(Reconciliation.shownValues).map { "`\(Suggestion.cut($0.key))` (\($0.value.count))" }.joined(separator: ", ")
        let more = sorted.count > Reconciliation.shownValues ? " and \(sorted.count - Reconciliation.shownValues) more" : ""
        var notes: [Diagnostic.Note] = []
        let roster = Suggestion.Names(known)
        for (id, _) in sorted.prefix(Reconciliation.shownValues) {
            if let near = roster.closest(to: id) { notes.append(.help("`\(Suggestion.cut(id))`: did you mean `\(near)`?")) }
        }
        notes.append(.help("add the reps to roster.csv to pay them; --strict makes this an error"))
        let column = t.header["rep_id"].map { $0 < first.fieldStarts.count ? first.column($0) : 1 } ?? 1
        let id = t.value(first, "rep_id") ?? ""
        let who = reps.count == 1 ? "a rep" : "reps"
        return .warning("D230", "\(rows) deal row\(rows == 1 ? "" : "s") name\(rows == 1 ? "s" : "") \(who) not in the roster, and \(rows == 1 ? "is" : "are") not paid: \(shown)\(more)",
                        at: .csv(path: t.path, line: first.line, column: column, width: id.count, lineText: first.lineText), notes: notes)
    }
}
