// activities.csv: what reps do that is not a deal (visits, calls, meetings held, demos), read and validated like deals.
// Plans measure them with `count of activities` and `sum of activity.count`.

/// One row of activities.csv.
public struct Activity: Sendable {
    public let activityID: String
    public let repID: String
    public let date: CivilDate
    public let kind: String
    /// How many the row stands for (a number, 1 when the cell is empty), never negative.
    public let count: ExactDecimal
    /// Values of the extra columns the plans declared with `field activity.<name>`.
    public let extras: [String: Value]
    /// The row's line in activities.csv.
    public let line: Int
}

/// The activities read, by rep, each rep's in date order (ties by activity id).
public struct ActivityTable: Sendable {
    public let path: String
    /// Activities of reps in the roster, in file order.
    public let activities: [Activity]
    /// Activities whose rep is not in the roster: read and checked, not counted, named in the reconciliation.
    public let unrostered: [Activity]
    /// Each rep's activities, as positions in `activities`, in date order, ties by activity id.
    let byRep: [String: [Int]]

    init(path: String, activities: [Activity], unrostered: [Activity]) {
        self.path = path
        self.activities = activities
        self.unrostered = unrostered
        // One pass to group (runs of one rep's rows, as exports are often sorted by rep, hash once), then each rep's
        // rows sorted by date and id, compared without copying the activities.
        var by: [String: [Int]] = [:]
        var i = 0
        while i < activities.count {
            let rep = activities[i].repID
            var j = i + 1
            while j < activities.count && activities[j].repID == rep { j += 1 }
            by[rep, default: []].append(contentsOf: i..<j)
            i = j
        }
        activities.withUnsafeBufferPointer { all in
            func before(_ x: Int, _ y: Int) -> Bool {
                all[x].date != all[y].date ? all[x].date < all[y].date : all[x].activityID < all[y].activityID
            }
            for key in by.keys {
                // Exports are often in date order already: a rep's rows are sorted only when they are not.
                let rows = by[key]!
                if zip(rows, rows.dropFirst()).allSatisfy({ !before($1, $0) && before($0, $1) }) { continue }
                by[key]!.sort(by: before)
            }
        }
        byRep = by
    }

    /// A rep's activities in date order.
    public func of(_ rep: String) -> [Activity] {
        (byRep[rep] ?? []).map { activities[$0] }
    }

    /// The standard columns, in the order a file usually has them.
    public static let columns = ["activity_id", "rep_id", "date", "kind", "count"]

    /// Reads activities.csv: every bad value with file, line and column (D263–D268); rows of reps not in the roster
    /// are a warning (D269) and kept apart. `declared`: the plans' `field activity.<name>` columns with their types.
    public static func load(_ file: InputFile, declared: [String: ValueType], reps: [Rep]) -> (ActivityTable?, Diagnostics) {
        if let table = fast(file, declared: declared, reps: reps) { return (table, Diagnostics()) }
        return careful(file, declared: declared, reps: reps)
    }

    /// `load` by the careful reader: every row through the CSV reader, every fault said with its position.
    static func careful(_ file: InputFile, declared: [String: ValueType], reps: [Rep]) -> (ActivityTable?, Diagnostics) {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard var t = loader.table(file, required: ["activity_id", "rep_id", "date", "kind"], diagnostics: &diagnostics) else {
            return (nil, DataLoader.renamed(diagnostics, from: "D204", to: "D263"))
        }
        // The `count` column may be left out: every row then stands for one.
        var missing = false
        let headText = String(decoding: file.bytes.prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
        for name in declared.keys.sorted() where t.header[name] == nil {
            let span = SourceSpan.csv(path: file.path, line: 1, column: 1, width: max(1, headText.count), lineText: headText)
            let near = Suggestion.Names(Array(t.header.keys)).closest(to: name)
            diagnostics.append(.error("D263", "missing column `\(name)`, declared with `field activity.\(name)`", at: span,
                                      notes: Suggestion.columnHelp(expected: name, found: near)))
            missing = true
        }
        if missing { return (nil, diagnostics) }
        let roster = Set(reps.map(\.id))
        var activities: [Activity] = [], unrostered: [Activity] = []
        var firstLine: [String: Int] = [:]
        var strangers: [String: (count: Int, record: CSVRecord)] = [:]
        // Columns by position, looked up once: a row's cells are read by index, not by name.
        let idColumn = t.header["activity_id"], repColumn = t.header["rep_id"], kindColumn = t.header["kind"]
        let dateColumn = t.header["date"], countColumn = t.header["count"]
        let extraColumns = declared.sorted(by: { $0.key < $1.key }).map { (name: $0.key, type: $0.value, column: t.header[$0.key]) }
        func cell(_ r: CSVRecord, _ column: Int?) -> String? {
            guard let i = column, i < r.fields.count else { return nil }
            return r.fields[i]
        }
        activities.reserveCapacity(t.records.count)
        firstLine.reserveCapacity(t.records.count)
        // Kinds are few: each is kept once.
        var kinds: [String: String] = [:]
        for r in t.records {
            var ok = true
            func required(_ column: Int?, _ name: String) -> String {
                let text = (cell(r, column) ?? "").trimmingSpaces()
                if text.isEmpty {
                    t.fail("D264", "`\(name)` is empty", r, column)
                    ok = false
                }
                return text
            }
            let id = required(idColumn, "activity_id"), repID = required(repColumn, "rep_id")
            var kind = required(kindColumn, "kind")
            if let known = kinds[kind] { kind = known } else { kinds[kind] = kind }
            var date: CivilDate?
            let dateText = cell(r, dateColumn) ?? ""
            switch CivilDate.parse(Array(dateText.utf8)) {
            case .success(let d): date = d
            case .failure(let e):
                t.fail("D265", dateText.isEmpty ? "`date` is empty; expected a date as YYYY-MM-DD" : "`date` is `\(Suggestion.cut(dateText))`: \(e.reason)",
                       r, t.header["date"], width: max(1, dateText.count))
                ok = false
            }
            var count = ExactDecimal.one
            let countText = (cell(r, countColumn) ?? "").trimmingSpaces()
            if !countText.isEmpty {
                switch ExactDecimal.parse(Array(countText.utf8)) {
                case .success(let d) where d.isNegative:
                    t.fail("D266", "`count` is `\(Suggestion.cut(countText))`: a count cannot be negative", r, t.header["count"], width: countText.count)
                    ok = false
                case .success(let d): count = d
                case .failure(let e):
                    t.fail("D266", "`count` is `\(Suggestion.cut(countText))`: \(e.reason); expected a number such as `1` or `2.5`", r, t.header["count"],
                           width: countText.count)
                    ok = false
                }
            }
            var extras: [String: Value] = [:]
            for (name, type, column) in extraColumns {
                let text = cell(r, column) ?? ""
                switch DataLoader.parseValue(text, as: type) {
                case .success(let v): extras[name] = v
                case .failure(let e):
                    t.fail("D267", "`\(name)` is `\(Suggestion.cut(text))`: \(e.reason) (declared `field activity.\(name): \(type)`)", r, t.header[name],
                           width: max(1, text.count))
                    ok = false
                }
            }
            if !id.isEmpty {
                // One lookup for a new id; a repeated one gets its first line back.
                if let first = firstLine.updateValue(r.line, forKey: id) {
                    firstLine[id] = first
                    t.fail("D268", "a second activity `\(Suggestion.cut(id))`; each `activity_id` is on one row", r, idColumn, width: id.count,
                           notes: [.note("first on line \(first)")])
                    ok = false
                }
            }
            guard ok, let date else { continue }
            let activity = Activity(activityID: id, repID: repID, date: date, kind: kind, count: count, extras: extras, line: r.line)
            if roster.contains(activity.repID) {
                activities.append(activity)
            } else {
                unrostered.append(activity)
                strangers[activity.repID] = ((strangers[activity.repID]?.count ?? 0) + 1, strangers[activity.repID]?.record ?? r)
            }
        }
        diagnostics.append(contentsOf: t.finished)
        if diagnostics.hasErrors { return (nil, diagnostics) }
        if !strangers.isEmpty {
            let warning = DataLoader.offRosterWarning(strangers, rows: unrostered.count, table: t, known: Array(roster))
            let rows = unrostered.count
            // The deal warning's list of reps and counts, after its words.
            let list = warning.message.firstRange(of: "not paid: ").map { String(warning.message[$0.upperBound...]) } ?? ""
            diagnostics.append(.warning("D269", "\(rows) activit\(rows == 1 ? "y names" : "ies name") \(strangers.count == 1 ? "a rep" : "reps") not in the roster, and \(rows == 1 ? "is" : "are") not counted: \(list)",
                                        at: warning.span, notes: warning.notes.map { n in
                                            n.message.hasPrefix("add the reps") ? .help("add the reps to roster.csv to count their activities; --strict makes this an error") : n
                                        }))
        }
        return (ActivityTable(path: file.path, activities: activities, unrostered: unrostered), diagnostics)
    }
}

extension DataLoader {
    /// The same diagnostics with one code given another (a shared check said in a file's own range).
    static func renamed(_ d: Diagnostics, from: String, to: String) -> Diagnostics {
        Diagnostics(d.items.map { item in item.code == from ? Diagnostic(item.severity, code: to, item.message, at: item.span, notes: item.notes) : item })
    }
}

extension Engine {
    /// Reads activities.csv with the extra columns the plans declare (`field activity.<name>`); two plans declaring
    /// one with different types is E117, as for deal fields.
    static func loadActivities(_ file: InputFile, for plans: [CompiledPlan], reps: [Rep]) -> (ActivityTable?, Diagnostics) {
        var declared: [String: ValueType] = [:]
        var diagnostics = Diagnostics()
        for plan in plans {
            for f in plan.activityFields {
                if let t = declared[f.name], t != f.type {
                    diagnostics.append(.error("E117", "plans declare `field activity.\(f.name)` with different types (\(t) and \(f.type))", at: f.trace))
                }
                declared[f.name] = f.type
            }
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        return ActivityTable.load(file, declared: declared, reps: reps)
    }
}
