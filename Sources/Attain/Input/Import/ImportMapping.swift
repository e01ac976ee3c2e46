// `attain import`'s core: CRM export rows through a profile into deals.csv and activities.csv rows, every row accounted for.

/// What an import produced: the files' text (nil when no export of that kind was given, or on error), the report and
/// every diagnostic.
public struct ImportResult: Sendable {
    public let deals: String?
    public let activities: String?
    public let report: ImportReport
    public let diagnostics: Diagnostics
}

/// Maps CRM exports to Attain's inputs. Pure: the files come in as bytes, the id hash as a function.
public enum ImportMapping {
    /// Runs the profile over the exports, in order. `roster` is the roster owners are looked up in; `hash` gives the hex
    /// SHA-256 of a text (for derived deal ids). With `strict`, every warning is an error.
    public static func run(profile: ImportProfile, exports: [InputFile], roster: InputFile?, strict: Bool,
                           hash: @escaping (String) -> String) -> ImportResult {
        var importer = Importer(profile: profile, hash: hash)
        let (owners, rosterErrors) = OwnerMap.make(profile, roster: roster)
        importer.owners = owners
        importer.diagnostics.append(contentsOf: rosterErrors)
        importer.report.profile = profile.path
        for file in exports { importer.read(file) }
        importer.finishSplits()
        importer.finishUnmapped()
        // In file order, then by position: a value without a mapping stands at its first row among the cells' errors.
        let order = Dictionary(exports.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { a, _ in a })
        let sorted = importer.diagnostics.items.enumerated().sorted { a, b in
            func key(_ d: Diagnostic) -> (Int, Int, Int) { (d.span.flatMap { order[$0.path] } ?? -1, d.span?.line ?? 0, d.span?.column ?? 0) }
            let ka = key(a.element), kb = key(b.element)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
        var diagnostics = Diagnostics(sorted)
        if strict {
            diagnostics = Diagnostics(diagnostics.items.map { $0.severity == .warning ? Diagnostic(.error, code: $0.code, $0.message, at: $0.span, notes: $0.notes) : $0 })
        }
        let ok = !diagnostics.hasErrors
        return ImportResult(deals: ok && importer.sawDeals ? importer.dealsText() : nil,
                            activities: ok && importer.sawActivities ? importer.activitiesText() : nil,
                            report: importer.report, diagnostics: diagnostics)
    }

    /// The plan-friendly name of an export header passed through: lower-cased, every run of characters other than
    /// ASCII letters and digits made one `_`, `_` trimmed from the ends, `c_` before a leading digit. Nil when no ASCII
    /// letter is left (a header in Chinese, say): such a column is kept only when the profile names it under `extras:`.
    public static func planName(_ header: String) -> String? {
        var out = ""
        var gap = false
        for s in header.unicodeScalars {
            let v = s.value
            if (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || (v >= 48 && v <= 57) {
                if gap && !out.isEmpty { out.append("_") }
                gap = false
                out.unicodeScalars.append(v <= 90 && v >= 65 ? Unicode.Scalar(v + 32)! : s)
            } else {
                gap = true
            }
        }
        guard out.unicodeScalars.contains(where: { $0.value >= 97 && $0.value <= 122 }) else { return nil }
        if let f = out.unicodeScalars.first, f.value >= 48 && f.value <= 57 { out = "c_" + out }
        return out
    }

    /// A CSV field as written: quoted when it holds a comma, a quote or a line break.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}

/// The state of one import.
struct Importer {
    /// The profile as written, and as resolved for the export being read (each column's first alternative it has).
    let base: ImportProfile
    var profile: ImportProfile
    let hash: (String) -> String
    var owners = OwnerMap(table: [:], columns: [], identity: true)
    var diagnostics = Diagnostics()
    var report = ImportReport()
    var sawDeals = false
    var sawActivities = false

    /// Output rows: column name → value.
    var dealRows: [[String: String]] = []
    var dealExtras: [String] = []
    var activityRows: [[String: String]] = []
    var activityExtras: [String] = []
    /// Export header → passed-through name, per section.
    var passNames: [String: String] = [:]
    var activityPassNames: [String: String] = [:]
    var derivedCount: [String: Int] = [:]
    /// The export being read: values without a mapping are reported once per file.
    var currentPath = ""
    var activityIDs: [String: Int] = [:]
    /// Deal ids written, with where first: without a split column a repeated id is an error.
    var dealIDs: [String: (line: Int, path: String)] = [:]
    /// With a split column, the rows of each deal id and role (owner `""`): their shares must total 100%.
    var splitGroups: [String: [SplitShare]] = [:]
    var splitOrder: [(id: String, role: String)] = []
    /// Ids with a row refused for errors: their shares are not totalled (the row's own error says what is wrong).
    var refusedIDs: Set<String> = []
    /// Credit role rows written, by deal id, role and rep: rows of one split deal name its holder once.
    var roleRowsWritten: Set<String> = []

    /// One written row's share of a deal, with where it is.
    struct SplitShare {
        let share: ExactDecimal
        let rep: String
        let line: Int
        let path: String
        let span: SourceSpan
        let repSpan: SourceSpan
    }

    /// A value without a mapping (or a warning about one), reported once with where it was first seen.
    struct Unmapped {
        let code: String
        let severity: Diagnostic.Severity
        let what: String
        let value: String
        let span: SourceSpan
        let notes: [Diagnostic.Note]
        var bucket = ImportReport.Bucket()
    }

    var unmapped: [String: Unmapped] = [:]
    var unmappedOrder: [String] = []

    init(profile: ImportProfile, hash: @escaping (String) -> String) {
        self.base = profile
        self.profile = profile
        self.hash = hash
        dealExtras = profile.deals.extras.map(\.name)
        // Every section's extras, in order, once: an activities.csv has one header whichever section read a row.
        for a in profile.activitySections.isEmpty ? (profile.activities.map { [$0] } ?? []) : profile.activitySections {
            for name in a.extras.map(\.name) where !activityExtras.contains(name) { activityExtras.append(name) }
        }
    }

    /// One table of an export: its records and its header, with helpers for cells.
    struct Sheet {
        let file: InputFile
        let records: [CSVRecord]
        let header: [String: Int]
        let headNames: [String]

        func value(_ r: CSVRecord, _ i: Int?) -> String {
            guard let i, i < r.fields.count else { return "" }
            return r.fields[i].trimmingSpaces()
        }

        func span(_ r: CSVRecord, _ i: Int?, width: Int? = nil) -> SourceSpan {
            let i = i ?? 0
            let col = i < r.fields.count ? r.column(i) : 1
            return .csv(path: file.path, line: r.line, column: col, width: width ?? max(1, i < r.fields.count ? r.fields[i].count : 1), lineText: r.lineText)
        }
    }

    mutating func read(_ file: InputFile) {
        currentPath = file.path
        let (records, errors) = CSVReader(path: file.path, bytes: file.bytes, separator: base.delimiter).read()
        diagnostics.append(contentsOf: Diagnostics(errors.items.map { $0.withCSVSpanCut() }))
        guard let head = records.first else {
            diagnostics.append(.error("I433", "the export is empty; expected a header row", at: SourceSpan(path: file.path, line: 1, column: 1, width: 1, lineText: "")))
            return
        }
        var header: [String: Int] = [:]
        let names = head.fields.map { $0.trimmingSpaces() }
        for (i, n) in names.enumerated() {
            if let first = header[n] {
                repeatedHeader(n, first: first, at: i, head, file)
            } else {
                header[n] = i
            }
        }
        profile = base.choosingActivities(for: header).resolved(in: header)
        let sheet = Sheet(file: file, records: records, header: header, headNames: names)
        // An activity export has the activities' date column and not the deals' stage column.
        if let a = profile.activities, let date = a.columns["date"], header[date.column] != nil,
           profile.deals.columns["stage"].map({ header[$0.column] == nil }) ?? true {
            sawActivities = true
            readActivities(sheet, a)
        } else {
            sawDeals = true
            readDeals(sheet)
        }
    }

    /// A header written twice: the first is read. An error when the profile maps it (which column is meant is not
    /// clear), a warning when it is only passed through or not read (the second is dropped).
    mutating func repeatedHeader(_ name: String, first: Int, at i: Int, _ head: CSVRecord, _ file: InputFile) {
        guard !name.isEmpty else { return }
        let sheet = Sheet(file: file, records: [head], header: [:], headNames: [])
        let note = Diagnostic.Note.note("first at column \(head.column(first))", at: sheet.span(head, first))
        if base.mappedColumns.contains(name) {
            diagnostics.append(.error("I437", "column `\(Suggestion.cut(name))` is in the header twice, and the profile maps it", at: sheet.span(head, i),
                                      notes: [note, .help("rename or remove one of the two columns in the export")]))
        } else {
            diagnostics.append(.warning("I437", "column `\(Suggestion.cut(name))` is in the header twice; this one is not read", at: sheet.span(head, i), notes: [note]))
        }
    }

    /// The header index of each source; a missing one is an error at the header naming the closest header the
    /// profile does not already map. When the header read with another separator has the missing columns, one error
    /// says so instead.
    mutating func locate(_ sheet: Sheet, _ sources: [(key: String, source: ImportProfile.Source)]) -> [String: Int]? {
        var found: [String: Int] = [:]
        let head = sheet.records[0]
        var missing: [(key: String, source: ImportProfile.Source)] = []
        for (key, source) in sources {
            if let i = sheet.header[source.column] { found[key] = i } else { missing.append((key, source)) }
        }
        // A named extra column the export lacks is only a column no plan may read: its cells are written blank, with a
        // warning (an error under --strict; with --plans, a plan that reads it stops the import, I435).
        let extras = missing.filter { $0.key.hasPrefix("extras.") }
        if !extras.isEmpty && missing.count == extras.count {
            for (key, source) in extras {
                let head = sheet.records[0]
                diagnostics.append(.warning("I441", "the export has no column \(source.shown) (the profile's `\(key)`): its `\(key.dropFirst("extras.".count))` cells are written blank",
                                            at: .csv(path: sheet.file.path, line: head.line, column: 1, width: max(1, head.lineText.count), lineText: head.lineText),
                                            notes: [.note("the profile names it here", at: source.span),
                                                    .help("remove it from the profile's extras if this CRM's exports do not have it; --strict makes this an error")]))
            }
            return found
        }
        if missing.isEmpty { return found }
        let whole = SourceSpan.csv(path: sheet.file.path, line: head.line, column: 1, width: max(1, head.lineText.count), lineText: head.lineText)
        // A header whose separator the profile does not say: `Record ID;Deal Name;…` read as one column.
        for (sep, shown, written) in [(UInt8(ascii: ";"), "`;`", "\";\""), (UInt8(ascii: ","), "`,`", "\",\""), (UInt8(0x09), "a tab", "\"\\t\"")] where sep != base.delimiter {
            let other = Set((CSVReader(path: "", bytes: Array(head.lineText.utf8), separator: sep).read().0.first?.fields ?? []).map { $0.trimmingSpaces() })
            guard other.count > 1, missing.contains(where: { m in m.source.alternatives.contains { other.contains($0) } }) else { continue }
            let first = missing[0]
            diagnostics.append(.error("I410", "the export has no column \(first.source.shown) (the profile's `\(first.key)`)"
                                        + (missing.count > 1 ? " nor \(missing.count - 1) other\(missing.count == 2 ? "" : "s") it names" : "")
                                        + ": the header looks separated by \(shown)", at: whole,
                                      notes: [.help("\(base.delimiter == UInt8(ascii: ",") ? "add" : "set") `delimiter: \(written)` \(base.delimiter == UInt8(ascii: ",") ? "to" : "in") the profile"), .note("the profile names it here", at: first.source.span)]))
            return nil
        }
        // "Did you mean" among the headers no other source takes; for an amount or a date, first among the headers
        // whose values read as one.
        let taken = Set(found.values)
        let free = sheet.headNames.indices.filter { !taken.contains($0) && sheet.header[sheet.headNames[$0]] == $0 }
        let names = Suggestion.Names(free.map { sheet.headNames[$0] })
        let sample = sheet.records.dropFirst().prefix(5)
        func holds(_ i: Int, _ reads: (String) -> Bool) -> Bool {
            let values = sample.map { sheet.value($0, i) }.filter { !$0.isEmpty }
            return !values.isEmpty && values.allSatisfy(reads)
        }
        let amounts = Suggestion.Names(free.filter { i in holds(i) { if case .success? = profile.amounts.parse($0) { true } else { false } } }.map { sheet.headNames[$0] })
        let dates = Suggestion.Names(free.filter { i in holds(i) { date($0) != nil } }.map { sheet.headNames[$0] })
        for (key, source) in missing {
            let kind: Suggestion.Names? = key == "amount" ? amounts : ["close_date", "cancel_date", "date"].contains(key) ? dates : nil
            var near: (alternative: String, header: String)?
            for pool in [kind, names].compactMap({ $0 }) where near == nil {
                near = source.alternatives.lazy.compactMap { a in pool.closest(to: a).map { (a, $0) } }.first
            }
            let span: SourceSpan = near.flatMap { sheet.header[$0.header] }.map { sheet.span(head, $0) } ?? whole
            diagnostics.append(.error("I410", "the export has no column \(source.shown) (the profile's `\(key)`)", at: span,
                                      notes: (near.map { [.help("the header has `\(Suggestion.cut($0.header))`: did you mean `\(Suggestion.cut($0.alternative))`?")] } ?? [])
                                        + [.note("the profile names it here", at: source.span)]))
        }
        return nil
    }

    // MARK: Deals

    mutating func readDeals(_ sheet: Sheet) {
        let deals = profile.deals
        let rows = sheet.records.count - 1
        report.dealRows += rows
        report.files.append((sheet.file.path, "deals", rows))
        var sources: [(key: String, source: ImportProfile.Source)] = []
        for key in ImportProfile.dealColumns {
            guard let s = deals.columns[key] else { continue }
            // With a derived id the id column is used when the export has it.
            if key == "deal_id", deals.derivedID != nil, sheet.header[s.column] == nil { continue }
            sources.append((key, s))
        }
        for (n, s) in (deals.derivedID?.columns ?? []).enumerated() { sources.append(("derive_id.from[\(n + 1)]", s)) }
        for r in deals.roles { sources.append(("roles.\(r.role)", r.column)) }
        for e in deals.extras { sources.append(("extras.\(e.name)", e.column)) }
        guard let at = locate(sheet, sources) else {
            // The rows are refused whole; their amounts are summed where the amount column is there to read.
            let amountAt = deals.columns["amount"].flatMap { sheet.header[$0.column] }
            let currencyAt = deals.columns["currency"].flatMap { sheet.header[$0.column] }
            for r in sheet.records.dropFirst() {
                guard let amountAt else {
                    report.refused.addUnread("the export lacks columns")
                    continue
                }
                var amount: ExactDecimal?, currency: Currency?
                if case .success(let a)? = profile.amounts.parse(sheet.value(r, amountAt)) {
                    amount = a.value
                    let code = sheet.value(r, currencyAt)
                    currency = (code.isEmpty ? nil : Currency(code: code)) ?? a.currency ?? profile.defaultCurrency
                }
                _ = report.refused.add("the export lacks columns", amount, currency)
            }
            return
        }
        // Columns passed through: every one the profile does not map, under its plan-friendly name.
        var consumed = Set(deals.columns.values.map(\.column))
        consumed.formUnion(deals.roles.map(\.column.column))
        consumed.formUnion(deals.extras.map(\.column.column))
        var pass: [(index: Int, name: String)] = []
        if deals.passThrough {
            for (i, h) in sheet.headNames.enumerated() where !consumed.contains(h) && sheet.header[h] == i {
                if let name = passName(h, taken: ImportProfile.standardDealColumns, names: &passNames, extras: &dealExtras) { pass.append((i, name)) }
            }
        }
        for r in sheet.records.dropFirst() { dealRow(sheet, r, at, pass) }
    }

    /// The name a passed-through header is written under; a name already taken by another header gets `_2`, `_3`, ….
    func passName(_ header: String, taken: [String], names: inout [String: String], extras: inout [String]) -> String? {
        if let n = names[header] { return n }
        guard let base = ImportMapping.planName(header) else { return nil }
        var name = base
        var k = 2
        while taken.contains(name) || extras.contains(name) {
            name = "\(base)_\(k)"
            k += 1
        }
        names[header] = name
        extras.append(name)
        return name
    }

    func date(_ text: String) -> CivilDate? {
        for f in profile.dates { if let d = f.parse(text) { return d } }
        return nil
    }

    mutating func badDate(_ sheet: Sheet, _ r: CSVRecord, _ i: Int?, _ column: String, _ text: String) {
        diagnostics.append(.error("I420", text.isEmpty ? "`\(column)` is blank" : "`\(column)` is `\(Suggestion.cut(text))`: not a date in the profile's formats",
                                  at: sheet.span(r, i), notes: [.note("`dates:` accepts \(profile.dates.map { "`\($0.rawValue)`" }.joined(separator: ", "))")]))
    }

    mutating func dealRow(_ sheet: Sheet, _ r: CSVRecord, _ at: [String: Int], _ pass: [(index: Int, name: String)]) {
        let deals = profile.deals
        let stage = sheet.value(r, at["stage"])
        let amountText = sheet.value(r, at["amount"])
        let parsed = profile.amounts.parse(amountText)
        var amount: ExactDecimal?
        var amountCurrency: Currency?
        if case .success(let a)? = parsed { amount = a.value; amountCurrency = a.currency }
        let currencyText = sheet.value(r, at["currency"])
        let columnCurrency = currencyText.isEmpty ? nil : Currency(code: currencyText)
        let currency = columnCurrency ?? amountCurrency ?? profile.defaultCurrency
        guard let rule = deals.stages[stage]?.rule else {
            note("I411", .error, "stage", stage, sheet.span(r, at["stage"]), amount, currency,
                 notes: Suggestion.help(for: stage, in: Array(deals.stages.keys)) + [.help("list it under `deals.stages` as won, lost, cancelled or open")])
            _ = report.refused.add("stage not mapped", amount, currency)
            return
        }
        switch rule {
        case .lost:
            _ = report.lost.add(stage, amount, currency)
            return
        case .open:
            _ = report.open.add(stage, amount, currency)
            return
        case .won, .cancelled: break
        }
        var bad = false
        // The amount, exactly as written.
        if parsed == nil {
            switch profile.blankAmount {
            case .error:
                diagnostics.append(.error("I424", "a \(rule.rawValue) deal has a blank amount", at: sheet.span(r, at["amount"]),
                                          notes: [.help("fill it in, or set `blank_amount: skip` (leave such deals out) or `zero`")]))
                bad = true
            case .skip:
                note("I425", .warning, "blank amount", "", sheet.span(r, at["amount"]), nil, nil, notes: [.note("`blank_amount: skip` leaves these deals out")])
                _ = report.refused.add("blank amount", nil, currency)
                return
            case .zero:
                amount = .zero
            }
        } else if case .failure(let e)? = parsed {
            diagnostics.append(.error("I421", "`amount` is `\(Suggestion.cut(amountText))`: \(e.reason)", at: sheet.span(r, at["amount"])))
            bad = true
        }
        if !currencyText.isEmpty && columnCurrency == nil {
            diagnostics.append(.error("I423", "unknown currency `\(Suggestion.cut(currencyText))`", at: sheet.span(r, at["currency"]),
                                      notes: Currency.help(for: currencyText)))
            bad = true
        } else if let c = columnCurrency, let a = amountCurrency, c != a {
            diagnostics.append(.error("I427", "the amount says \(a.code) but `currency` is \(c.code)", at: sheet.span(r, at["amount"])))
            bad = true
        } else if currency == nil {
            diagnostics.append(.error("I423", "no currency: the export has no currency column here and the profile gives no `currency:`", at: sheet.span(r, at["amount"])))
            bad = true
        }
        if let a = amount, let c = currency, a.scale > c.minorUnits, a.normalized.scale > c.minorUnits {
            diagnostics.append(.error("I422", "`amount` \(a) has more decimals than \(c.code) has (\(c.minorUnits))", at: sheet.span(r, at["amount"]),
                                      notes: [.note("amounts are imported exactly as written, never rounded")]))
            bad = true
        }
        let closeText = sheet.value(r, at["close_date"])
        let close = date(closeText)
        if close == nil {
            badDate(sheet, r, at["close_date"], "close_date", closeText)
            bad = true
        }
        var cancel: CivilDate?
        if rule == .cancelled {
            let t = sheet.value(r, at["cancel_date"])
            if t.isEmpty {
                note("I426", .warning, "cancelled deal", "", sheet.span(r, at["stage"]), amount, currency,
                     notes: at["cancel_date"] == nil
                        ? [.note("the profile maps no `cancel_date` column"), .help("map `deals.columns.cancel_date`, or list the stage as lost")]
                        : [.note("`cancel_date` is blank"), .help("fill in the cancel date, or list the stage as lost")])
                _ = report.refused.add("cancelled without a cancel date", amount, currency)
                return
            }
            cancel = date(t)
            if cancel == nil {
                badDate(sheet, r, at["cancel_date"], "cancel_date", t)
                bad = true
            }
        }
        // Who is credited.
        let ownerText = sheet.value(r, at["owner"])
        guard let rep = rep(ownerText, sheet.span(r, at["owner"]), amount, currency) else {
            _ = report.refused.add("owner not mapped", amount, currency)
            return
        }
        let type = mapped("type", sheet.value(r, at["type"]), present: at["type"] != nil, map: deals.types, fixed: deals.fixedType,
                          sheet.span(r, at["type"]), amount, currency)
        let product = mapped("product", sheet.value(r, at["product"]), present: at["product"] != nil, map: deals.products, fixed: deals.fixedProduct,
                             sheet.span(r, at["product"]), amount, currency)
        if type == nil || product == nil { bad = true }
        // The id: the export's, or derived from the named columns.
        var id = sheet.value(r, at["deal_id"])
        if id.isEmpty, let derive = deals.derivedID {
            let key = derive.columns.map { sheet.value(r, sheet.header[$0.column]) }.joined(separator: "\u{1F}")
            let base = derive.prefix + String(hash(key).prefix(16))
            let n = derivedCount[base, default: 0] + 1
            derivedCount[base] = n
            id = n == 1 ? base : "\(base)-\(n)"
        } else if id.isEmpty {
            diagnostics.append(.error("I429", "`deal_id` is blank", at: sheet.span(r, at["deal_id"])))
            bad = true
        }
        // A repeated id: a split of one deal when the profile maps a split column, else an error.
        var share = ExactDecimal.one
        if at["split"] != nil {
            let text = sheet.value(r, at["split"])
            if !text.isEmpty {
                let digits = text.hasSuffix("%") ? String(text.dropLast()).trimmingSpaces() : text
                if case .success(let p) = ExactDecimal.parse(digits), p > .zero, p <= .hundred, let f = try? Rate(percent: p).fraction {
                    share = f
                } else {
                    diagnostics.append(.error("I438", "`split` is `\(Suggestion.cut(text))`: a share is a percent above 0 and at most 100", at: sheet.span(r, at["split"])))
                    bad = true
                }
            }
        } else if !id.isEmpty, let first = dealIDs[id] {
            diagnostics.append(.error("I436", "deal `\(Suggestion.cut(id))` appears twice", at: sheet.span(r, at["deal_id"]),
                                      notes: [.note("first on line \(first.line)\(first.path == sheet.file.path ? "" : " of \(first.path)")"),
                                              .help("map the export's split column (`deals.columns.split`) when rows of one id are splits of one deal")]))
            bad = true
        }
        if bad {
            if !id.isEmpty { refusedIDs.insert(id) }
            _ = report.refused.add("errors in the row", amount, currency)
            return
        }
        guard let close, let currency, let amount, let type, let product else { return }
        var row: [String: String] = [
            "deal_id": id, "rep_id": rep, "close_date": close.description, "amount": amount.description, "currency": currency.code,
            "product": product, "type": type, "split": sheet.value(r, at["split"]), "status": rule == .won ? "won" : "cancelled",
            "cancel_date": cancel?.description ?? "",
        ]
        for e in deals.extras { row[e.name] = sheet.value(r, sheet.header[e.column.column]) }
        for p in pass { row[p.name] = sheet.value(r, p.index) }
        dealRows.append(row)
        if dealIDs[id] == nil { dealIDs[id] = (r.line, sheet.file.path) }
        if at["split"] != nil { addShare(id, "", SplitShare(share: share, rep: rep, line: r.line, path: sheet.file.path, span: sheet.span(r, at["split"]), repSpan: sheet.span(r, at["owner"]))) }
        let added = rule == .won ? report.won.add(amount, currency) : report.cancelled.add(amount, currency)
        if !added { overflow(sheet.span(r, at["amount"])) }
        // Credit roles: one more row per role holder, at 100%.
        for (role, source) in deals.roles {
            let holder = sheet.value(r, sheet.header[source.column])
            guard !holder.isEmpty else { continue }
            guard let roleRep = self.rep(holder, sheet.span(r, sheet.header[source.column]), amount, currency) else {
                _ = report.rolesRefused.add("\(role): holder not mapped", amount, currency)
                continue
            }
            // Rows of a split deal name their role holder once.
            guard roleRowsWritten.insert("\(id)\u{1}\(role)\u{1}\(roleRep)").inserted else { continue }
            if at["split"] != nil {
                let cell = sheet.span(r, sheet.header[source.column])
                addShare(id, role, SplitShare(share: .one, rep: roleRep, line: r.line, path: sheet.file.path, span: cell, repSpan: cell))
            }
            var extra = row
            extra["rep_id"] = roleRep
            extra["role"] = role
            extra["split"] = ""
            dealRows.append(extra)
            _ = report.roles.add(role, amount, currency)
        }
    }

    mutating func addShare(_ id: String, _ role: String, _ share: SplitShare) {
        let key = "\(id)\u{1}\(role)"
        if splitGroups[key] == nil { splitOrder.append((id, role)) }
        splitGroups[key, default: []].append(share)
    }

    /// Split deals: one row per rep, shares totalling 100% in each role, at the export's cells.
    mutating func finishSplits() {
        for (id, role) in splitOrder {
            let rows = splitGroups["\(id)\u{1}\(role)"]!
            let inRole = role.isEmpty ? "" : " in role `\(role)`"
            func place(_ s: SplitShare) -> String { "line \(s.line)\(s.path == rows[0].path ? "" : " of \(s.path)")" }
            var seen: [String: SplitShare] = [:]
            var total = ExactDecimal.zero
            for s in rows {
                if let first = seen[s.rep] {
                    diagnostics.append(.error("I436", "deal `\(Suggestion.cut(id))` is credited to rep `\(Suggestion.cut(s.rep))` twice\(inRole)", at: s.repSpan,
                                              notes: [.note("first on \(place(first))")]))
                } else {
                    seen[s.rep] = s
                }
                total = (try? total.adding(s.share)) ?? total
            }
            guard total != .one, !refusedIDs.contains(id) else { continue }
            let percent = (try? total.multiplied(by: .hundred).normalized) ?? total
            diagnostics.append(.error("I439", "split shares of deal `\(Suggestion.cut(id))`\(inRole) total \(percent)%; they must total 100%", at: rows[0].span,
                                      notes: rows.dropFirst().map { .note("also on \(place($0))") }))
        }
    }

    mutating func overflow(_ span: SourceSpan) {
        diagnostics.append(.error("I428", "the import's total overflows (more than 38 digits)", at: span))
    }

    /// The rep an owner value names, or nil (reported) when none does.
    mutating func rep(_ owner: String, _ span: @autoclosure () -> SourceSpan, _ amount: ExactDecimal?, _ currency: Currency?) -> String? {
        switch owners.resolve(owner) {
        case .rep(let id): return id
        case .ambiguous(let ids, let column):
            note("I416", .warning, "owner", owner, span(), amount, currency,
                 notes: [.note("reps \(ids.map { "`\($0)`" }.joined(separator: ", ")) have it in the roster's `\(column)`; credited to `\(ids[0])`"),
                         .help("map it in `owners.table`, or match on an id column")],
                 message: "owner `\(Suggestion.cut(owner))` matches \(ids.count) reps by `\(column)`")
            return ids[0]
        case .none:
            let looked = (profile.ownerTable.isEmpty ? [] : ["`owners.table`"]) + owners.lookedIn.map { "the roster's `\($0)`" }
            let skip = profile.unmappedOwners == .skip
            note(skip ? "I415" : "I414", skip ? .warning : .error, "owner", owner, span(), amount, currency,
                 notes: [.note(looked.isEmpty ? "no roster was given (`--roster`) and the profile has no `owners.table`" : "looked up in \(looked.joined(separator: ", "))")]
                    + (skip ? [.note("`owners.unmapped: skip` leaves these rows out")] : [.help("add the owner to the roster or to `owners.table`, or set `owners.unmapped: skip`")]),
                 message: owner.isEmpty ? "rows with no owner" : "owner `\(Suggestion.cut(owner))` maps to no rep")
            return nil
        }
    }

    /// A type or product value through its map; nil (reported) when the map has no entry for it.
    mutating func mapped(_ what: String, _ value: String, present: Bool, map: [String: String]?, fixed: String?,
                         _ span: @autoclosure () -> SourceSpan, _ amount: ExactDecimal?, _ currency: Currency?) -> String? {
        guard present else { return fixed ?? "" }
        guard let map else { return value.isEmpty ? (fixed ?? "") : value }
        if let v = map[value] { return v }
        if value.isEmpty, let fixed { return fixed }
        note(what == "type" ? "I412" : "I413", .error, what, value, span(), amount, currency,
             notes: Suggestion.help(for: value, in: Array(map.keys).filter { !$0.isEmpty })
                + [.help("add `\(value.isEmpty ? "\"\"" : value): …` to `deals.\(what)s`\(value.isEmpty ? ", or a fixed `deals.\(what):` for blank values" : "")")])
        return nil
    }

    /// Counts a row under a value without a mapping; the diagnostic is made at the end, once per value.
    mutating func note(_ code: String, _ severity: Diagnostic.Severity, _ what: String, _ value: String, _ span: @autoclosure () -> SourceSpan,
                       _ amount: ExactDecimal?, _ currency: Currency?, notes: @autoclosure () -> [Diagnostic.Note], message: @autoclosure () -> String? = nil) {
        let key = "\(code)\u{0}\(currentPath)\u{0}\(value)"
        if unmapped[key] == nil {
            unmapped[key] = Unmapped(code: code, severity: severity, what: message() ?? what, value: value, span: span(), notes: notes())
            unmappedOrder.append(key)
        }
        _ = unmapped[key]!.bucket.add(amount, currency)
    }

    mutating func finishUnmapped() {
        for key in unmappedOrder {
            let u = unmapped[key]!
            let b = u.bucket
            let figures = "\(b.rows) row\(b.rows == 1 ? "" : "s")" + (b.amounts.isEmpty ? "" : ", \(b.amountText)")
            let message: String
            switch u.code {
            case "I411", "I412", "I413", "I430":
                let shown = u.value.isEmpty ? "is blank" : "`\(Suggestion.cut(u.value))`"
                message = u.value.isEmpty ? "\(u.what) is blank and has no mapping (\(figures))" : "\(u.what) \(shown) has no mapping (\(figures))"
            case "I425": message = "won deals with a blank amount are left out (\(figures))"
            case "I426": message = "cancelled deals without a cancel date are left out (\(figures))"
            default: message = "\(u.what) (\(figures))"
            }
            diagnostics.append(Diagnostic(u.severity, code: u.code, message, at: u.span, notes: u.notes))
        }
    }

    // MARK: Activities

    mutating func readActivities(_ sheet: Sheet, _ a: ImportProfile.Activities) {
        let rows = sheet.records.count - 1
        report.activityRows += rows
        report.files.append((sheet.file.path, "activities", rows))
        var sources: [(key: String, source: ImportProfile.Source)] = []
        for key in ImportProfile.activityColumns { if let s = a.columns[key] { sources.append((key, s)) } }
        if let f = a.countOnly { sources.append(("count_only.column", f.column)) }
        for e in a.extras { sources.append(("extras.\(e.name)", e.column)) }
        guard let at = locate(sheet, sources) else {
            for _ in 0..<rows { bump(&report.activitiesRefused, "the export lacks columns") }
            return
        }
        var consumed = Set(a.columns.values.map(\.column))
        consumed.formUnion(a.extras.map(\.column.column))
        var pass: [(index: Int, name: String)] = []
        if a.passThrough {
            for (i, h) in sheet.headNames.enumerated() where !consumed.contains(h) && sheet.header[h] == i {
                if let name = passName(h, taken: ImportProfile.standardActivityColumns, names: &activityPassNames, extras: &activityExtras) { pass.append((i, name)) }
            }
        }
        for r in sheet.records.dropFirst() {
            if let f = a.countOnly {
                let v = sheet.value(r, at["count_only.column"])
                if !f.values.contains(v) {
                    bump(&report.notCounted, "`\(f.column.column)` is \(v.isEmpty ? "blank" : "`\(v)`")")
                    continue
                }
            }
            var bad = false
            let id = sheet.value(r, at["activity_id"])
            if id.isEmpty {
                diagnostics.append(.error("I431", "`activity_id` is blank", at: sheet.span(r, at["activity_id"])))
                bad = true
            } else if let first = activityIDs[id] {
                diagnostics.append(.error("I432", "activity `\(Suggestion.cut(id))` appears twice", at: sheet.span(r, at["activity_id"]), notes: [.note("first on line \(first)")]))
                bad = true
            } else {
                activityIDs[id] = r.line
            }
            let dateText = sheet.value(r, at["date"])
            let day = date(dateText)
            if day == nil {
                badDate(sheet, r, at["date"], "date", dateText)
                bad = true
            }
            var kind = a.fixedKind ?? ""
            if let k = at["kind"] {
                let v = sheet.value(r, k)
                if let map = a.kinds {
                    if let m = map[v] { kind = m } else {
                        note("I430", .error, "activity kind", v, sheet.span(r, k), nil, nil,
                             notes: Suggestion.help(for: v, in: Array(map.keys)) + [.help("add `\(v.isEmpty ? "\"\"" : v): …` to `activities.kinds`")])
                        bad = true
                    }
                } else if !v.isEmpty {
                    kind = v
                }
            }
            var count = ""
            var countValue = ExactDecimal.one
            if let c = at["count"] {
                let t = sheet.value(r, c)
                if !t.isEmpty {
                    switch ExactDecimal.parse(t) {
                    case .success(let v) where !v.isNegative:
                        count = v.description
                        countValue = v
                    case .success:
                        diagnostics.append(.error("I421", "`count` is `\(t)`: a count is not negative", at: sheet.span(r, c)))
                        bad = true
                    case .failure(let e):
                        diagnostics.append(.error("I421", "`count` is `\(Suggestion.cut(t))`: \(e.reason)", at: sheet.span(r, c)))
                        bad = true
                    }
                }
            }
            guard let rep = rep(sheet.value(r, at["owner"]), sheet.span(r, at["owner"]), nil, nil) else {
                bump(&report.activitiesRefused, "owner not mapped")
                continue
            }
            if bad {
                bump(&report.activitiesRefused, "errors in the row")
                continue
            }
            var row = ["activity_id": id, "rep_id": rep, "date": day!.description, "kind": kind, "count": count]
            for e in a.extras { row[e.name] = sheet.value(r, sheet.header[e.column.column]) }
            for p in pass { row[p.name] = sheet.value(r, p.index) }
            activityRows.append(row)
            report.counted += 1
            report.countTotal = (try? report.countTotal.adding(countValue)) ?? report.countTotal
        }
    }

    func bump(_ list: inout [(value: String, rows: Int)], _ value: String) {
        if let i = list.firstIndex(where: { $0.value == value }) { list[i].rows += 1 } else { list.append((value, 1)) }
    }

    // MARK: Output

    func dealsText() -> String {
        var columns = ["deal_id", "rep_id", "close_date", "amount", "currency", "product", "type", "split", "status", "cancel_date"]
        if !profile.deals.roles.isEmpty { columns.append("role") }
        columns += dealExtras
        return Importer.csv(columns, dealRows)
    }

    func activitiesText() -> String {
        Importer.csv(ImportProfile.standardActivityColumns + activityExtras, activityRows)
    }

    static func csv(_ columns: [String], _ rows: [[String: String]]) -> String {
        var out = columns.map(ImportMapping.field).joined(separator: ",") + "\n"
        for row in rows { out += columns.map { ImportMapping.field(row[$0] ?? "") }.joined(separator: ",") + "\n" }
        return out
    }
}
