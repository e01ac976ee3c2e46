// Reading an import profile from its node tree: every key checked, every error with its line and column.

extension ImportProfile {
    /// The output columns of the deals section a profile may map.
    public static let dealColumns = ["deal_id", "owner", "close_date", "amount", "currency", "stage", "type", "product", "split", "cancel_date"]
    /// The output columns of the activities section a profile may map.
    public static let activityColumns = ["activity_id", "owner", "date", "kind", "count"]
    /// deals.csv's standard columns, which extra columns may not be named.
    public static let standardDealColumns = ["deal_id", "rep_id", "close_date", "amount", "currency", "product", "type", "split", "status", "cancel_date", "role"]
    public static let standardActivityColumns = ["activity_id", "rep_id", "date", "kind", "count"]

    /// Decodes a profile. `root` is the document's top node (nil for an empty file); `file` is the profile's text, for
    /// the lines errors show. All errors are found before failing.
    public static func decode(_ root: ProfileNode?, file: SourceFile) -> Result<ImportProfile, Diagnostics> {
        var d = ProfileDecoder(file: file)
        let name = OutputName.lastComponent(file.path)
        var profile = ImportProfile(name: name, path: file.path)
        guard let root else {
            d.diagnostics.append(.error("I403", "the profile is empty; expected at least a `deals:` section",
                                        at: SourceSpan(path: file.path, line: 1, column: 1, width: 1, lineText: file.lineText(1))))
            return .failure(d.diagnostics)
        }
        let top = d.mapping(root, in: "the profile", keys: ["name", "delimiter", "dates", "amounts", "currency", "blank_amount", "deals", "owners", "activities"])
        let keys = ProfileDecoder.keyNodes(root)
        if let n = top["name"], let t = d.text(n, what: "`name`") { profile.name = t }
        if let n = top["delimiter"], let t = d.text(n, what: "`delimiter`") {
            switch t {
            case ",", ";", "\t": profile.delimiter = t.utf8.first!
            case "\\t", "tab": profile.delimiter = 0x09
            default: d.error("I404", "`delimiter` is `\(t)`; expected `,`, `;` or a tab (written `\"\\t\"`)", n)
            }
        }
        if let n = top["dates"] {
            var formats: [DateFormat] = []
            for item in d.list(n, what: "`dates`") {
                guard let t = d.text(item, what: "a date format") else { continue }
                if let f = DateFormat.named(t) {
                    if !formats.contains(f) {
                        // Two formats that read one text as two dates would pick a date by whichever fits.
                        if let other = formats.first(where: { f.ambiguity(with: $0) != nil }), let (text, one, two) = other.ambiguity(with: f) {
                            d.error("I406", "`dates:` lists `\(other.rawValue)` and `\(f.rawValue)`, which read the same text as different dates: `\(text)` is \(one) or \(two)",
                                    keys["dates"] ?? n, notes: [.help("list only the format the export writes")])
                        }
                        formats.append(f)
                    }
                } else {
                    d.error("I404", "unknown date format `\(t)`", item, notes: Suggestion.help(for: t, in: DateFormat.names)
                        + [.note("formats: \(DateFormat.names.map { "`\($0)`" }.joined(separator: ", "))")])
                }
            }
            if !formats.isEmpty { profile.dates = formats }
        }
        if let n = top["amounts"] { profile.amounts = d.amounts(n) }
        if let n = top["currency"], let t = d.text(n, what: "`currency`") {
            if let c = Currency(code: t) { profile.defaultCurrency = c } else {
                d.error("I404", "unknown currency `\(t)`; expected an ISO 4217 code such as USD", n, notes: Currency.help(for: t))
            }
        }
        if let n = top["blank_amount"], let t = d.choice(n, what: "`blank_amount`", BlankAmount.allCases.map(\.rawValue)) {
            profile.blankAmount = BlankAmount(rawValue: t)!
        }
        if let n = top["deals"] {
            profile.deals = d.deals(n, at: keys["deals"] ?? n)
        } else {
            d.error("I403", "the profile has no `deals:` section", root)
        }
        if let n = top["owners"] {
            let o = d.mapping(n, in: "`owners`", keys: ["by", "table", "unmapped"])
            if let b = o["by"] { profile.ownersBy = d.list(b, what: "`owners.by`").compactMap { d.text($0, what: "a roster column") } }
            if let t = o["table"] {
                for (key, value, node) in d.textMap(t, what: "`owners.table`") {
                    profile.ownerTable[key] = value
                    profile.ownerTableSpans[key] = d.span(node)
                }
            }
            if let u = o["unmapped"], let t = d.choice(u, what: "`owners.unmapped`", UnmappedOwners.allCases.map(\.rawValue)) {
                profile.unmappedOwners = UnmappedOwners(rawValue: t)!
            }
        }
        if let n = top["activities"] {
            // One section, or a list of them (an export is read with the first whose columns it has).
            if case .sequence(let items) = n.value {
                profile.activitySections = items.map { d.activities($0, at: $0) }
                profile.activities = profile.activitySections.first
                if items.isEmpty { d.error("I403", "`activities` is an empty list; give one section, or a list of sections", n) }
            } else {
                profile.activities = d.activities(n, at: keys["activities"] ?? n)
            }
        }
        return d.diagnostics.hasErrors ? .failure(d.diagnostics) : .success(profile)
    }
}

/// The last part of a path, for a profile's default name.
enum OutputName {
    static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// Walks a profile's nodes, collecting every error.
struct ProfileDecoder {
    let file: SourceFile
    var diagnostics = Diagnostics()

    func span(_ n: ProfileNode) -> SourceSpan {
        SourceSpan(path: file.path, line: n.line, column: n.column, width: max(1, n.text?.count ?? 1), lineText: file.lineText(n.line))
    }

    mutating func error(_ code: String, _ message: String, _ n: ProfileNode, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.error(code, message, at: span(n), notes: notes))
    }

    /// A mapping's values by key; unknown keys are errors naming the closest known one.
    mutating func mapping(_ n: ProfileNode, in what: String, keys: [String]) -> [String: ProfileNode] {
        guard case .mapping(let entries) = n.value else {
            if case .scalar(let s) = n.value, s.isEmpty { return [:] }
            error("I402", "\(what) is \(n.kindName); expected a mapping of \(keys.prefix(4).map { "`\($0):`" }.joined(separator: ", "))\(keys.count > 4 ? ", …" : "")", n)
            return [:]
        }
        var out: [String: ProfileNode] = [:]
        for e in entries {
            guard let k = e.key.text else {
                error("I402", "a key in \(what) is \(e.key.kindName); expected a name", e.key)
                continue
            }
            if keys.contains(k) {
                out[k] = e.value
            } else {
                error("I401", "unknown key `\(k)` in \(what)", e.key, notes: Suggestion.help(for: k, in: keys)
                    + [.note("\(what) takes \(keys.map { "`\($0)`" }.joined(separator: ", "))")])
            }
        }
        return out
    }

    /// The key nodes of a mapping, by name: where a message about a section's missing part points.
    static func keyNodes(_ n: ProfileNode) -> [String: ProfileNode] {
        guard case .mapping(let entries) = n.value else { return [:] }
        var out: [String: ProfileNode] = [:]
        for e in entries { if let k = e.key.text, out[k] == nil { out[k] = e.key } }
        return out
    }

    mutating func text(_ n: ProfileNode, what: String) -> String? {
        guard let s = n.text else {
            error("I402", "\(what) is \(n.kindName); expected a text", n)
            return nil
        }
        return s
    }

    /// A list, or one text taken as a list of one.
    mutating func list(_ n: ProfileNode, what: String) -> [ProfileNode] {
        switch n.value {
        case .sequence(let items): return items
        case .scalar(let s): return s.isEmpty ? [] : [n]
        case .mapping:
            error("I402", "\(what) is a mapping; expected a list (`[a, b]` or one `- item` a line)", n)
            return []
        }
    }

    mutating func choice(_ n: ProfileNode, what: String, _ options: [String]) -> String? {
        guard let t = text(n, what: what) else { return nil }
        guard options.contains(t) else {
            error("I404", "\(what) is `\(t)`; expected \(options.map { "`\($0)`" }.joined(separator: " or "))", n, notes: Suggestion.help(for: t, in: options))
            return nil
        }
        return t
    }

    mutating func flag(_ n: ProfileNode, what: String) -> Bool? {
        guard let t = text(n, what: what) else { return nil }
        switch t.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            error("I404", "\(what) is `\(t)`; expected `true` or `false`", n)
            return nil
        }
    }

    /// A mapping of texts to texts, in the order written: (key, value, key node).
    mutating func textMap(_ n: ProfileNode, what: String) -> [(String, String, ProfileNode)] {
        guard case .mapping(let entries) = n.value else {
            if case .scalar(let s) = n.value, s.isEmpty { return [] }
            error("I402", "\(what) is \(n.kindName); expected a mapping (`CRM value: plan value`)", n)
            return []
        }
        var out: [(String, String, ProfileNode)] = []
        for e in entries {
            guard let k = e.key.text else {
                error("I402", "a key in \(what) is \(e.key.kindName); expected a text", e.key)
                continue
            }
            guard let v = text(e.value, what: "the value of `\(k)` in \(what)") else { continue }
            out.append((k.trimmingSpaces(), v.trimmingSpaces(), e.key))
        }
        return out
    }

    func source(_ column: String, _ n: ProfileNode) -> ImportProfile.Source {
        ImportProfile.Source(column: column, span: span(n))
    }

    mutating func columns(_ n: ProfileNode, in what: String, keys: [String]) -> [String: ImportProfile.Source] {
        var out: [String: ImportProfile.Source] = [:]
        for (k, v) in mapping(n, in: what, keys: keys) {
            // A list names alternatives: the first the export has is used.
            if case .sequence(let items) = v.value {
                let names = items.compactMap { text($0, what: "a column of `\(k)`") }.map { $0.trimmingSpaces() }
                if names.isEmpty || names.contains(where: \.isEmpty) {
                    error("I404", "`\(k)` names no column", v)
                } else {
                    out[k] = ImportProfile.Source(column: names[0], span: span(v), alternatives: names)
                }
                continue
            }
            guard let t = text(v, what: "`\(k)`") else { continue }
            if t.isEmpty { error("I404", "`\(k)` names no column", v) } else { out[k] = source(t, v) }
        }
        return out
    }

    mutating func amounts(_ n: ProfileNode) -> AmountLocale {
        var locale = AmountLocale()
        let m = mapping(n, in: "`amounts`", keys: ["decimal", "thousands", "symbols"])
        if let dn = m["decimal"], let t = text(dn, what: "`amounts.decimal`") {
            if t == "." || t == "," { locale.decimal = Character(t) } else { error("I404", "`amounts.decimal` is `\(t)`; expected `.` or `,`", dn) }
        }
        if locale.decimal == "," { locale.thousands = ["."] }
        if let tn = m["thousands"] {
            var set: Set<Character> = []
            for item in list(tn, what: "`amounts.thousands`") {
                guard let t = text(item, what: "a thousands separator") else { continue }
                if t.count == 1, let c = t.first, [",", ".", " ", "'", "\u{00A0}", "\u{202F}"].contains(c) {
                    if c == locale.decimal { error("I404", "the thousands separator is the decimal separator `\(c)`", item) } else { set.insert(c) }
                } else if t.lowercased() == "space" {
                    set.insert(" ")
                } else if !t.isEmpty {
                    error("I404", "thousands separator `\(t)`; expected `,`, `.`, `'` or a space", item)
                }
            }
            locale.thousands = set
        }
        if let sn = m["symbols"] {
            for (symbol, code, key) in textMap(sn, what: "`amounts.symbols`") {
                if let c = Currency(code: code) { locale.symbols[symbol] = c } else { error("I404", "symbol `\(symbol)` names `\(code)`, not an ISO 4217 code", key) }
            }
        }
        return locale
    }

    mutating func names(_ n: ProfileNode, in what: String, standard: [String]) -> [(name: String, column: ImportProfile.Source)] {
        var out: [(name: String, column: ImportProfile.Source)] = []
        for (name, column, key) in textMap(n, what: what) {
            if !ProfileDecoder.isPlanName(name) {
                error("I404", "`\(name)` is not a name a plan can read: lowercase letters, digits and `_`, starting with a letter", key,
                      notes: ImportMapping.planName(name).map { [.help("write `\($0)`")] } ?? [])
            } else if standard.contains(name) {
                error("I404", "`\(name)` is a standard column; map it under `columns:`", key)
            } else {
                out.append((name, source(column, key)))
            }
        }
        return out
    }

    static func isPlanName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f.value >= 97, f.value <= 122 else { return false }
        return s.unicodeScalars.allSatisfy { ($0.value >= 97 && $0.value <= 122) || ($0.value >= 48 && $0.value <= 57) || $0 == "_" }
    }

    /// The deals section `n`, whose key is `key`.
    mutating func deals(_ n: ProfileNode, at key: ProfileNode) -> ImportProfile.Deals {
        var deals = ImportProfile.Deals()
        let m = mapping(n, in: "`deals`", keys: ["columns", "derive_id", "stages", "types", "products", "type", "product", "roles", "extras", "pass_through"])
        if let c = m["columns"] {
            deals.columns = columns(c, in: "`deals.columns`", keys: ImportProfile.dealColumns)
            for needed in ["owner", "close_date", "amount", "stage"] where deals.columns[needed] == nil {
                error("I403", "`deals.columns` maps no `\(needed)` column", c)
            }
        } else {
            error("I403", "`deals` has no `columns:`; it needs at least `owner`, `close_date`, `amount` and `stage`", key)
        }
        if let dn = m["derive_id"] {
            let dm = mapping(dn, in: "`deals.derive_id`", keys: ["prefix", "from"])
            let prefix = dm["prefix"].flatMap { text($0, what: "`derive_id.prefix`") } ?? "ID-"
            var cols: [ImportProfile.Source] = []
            if let f = dm["from"] {
                for item in list(f, what: "`derive_id.from`") {
                    if let t = text(item, what: "a column") { cols.append(source(t, item)) }
                }
            }
            if cols.isEmpty { error("I403", "`derive_id` needs `from:`, the columns whose values make a deal's id", dn) }
            deals.derivedID = ImportProfile.DerivedID(prefix: prefix, columns: cols)
        } else if m["columns"] != nil, deals.columns["deal_id"] == nil {
            error("I403", "`deals.columns` maps no `deal_id` column and there is no `derive_id:`", m["columns"]!)
        }
        if let sn = m["stages"] {
            let sm = mapping(sn, in: "`deals.stages`", keys: ImportProfile.StageRule.allCases.map(\.rawValue))
            for rule in ImportProfile.StageRule.allCases {
                guard let ln = sm[rule.rawValue] else { continue }
                for item in list(ln, what: "`stages.\(rule.rawValue)`") {
                    guard let t = text(item, what: "a stage") else { continue }
                    let v = t.trimmingSpaces()
                    if let other = deals.stages[v] {
                        error("I405", "stage `\(v)` is listed twice (as \(other.rule.rawValue) on line \(other.span.line), and as \(rule.rawValue))", item)
                    } else {
                        deals.stages[v] = (rule, span(item))
                    }
                }
            }
            if !deals.stages.values.contains(where: { $0.rule == .won }) { error("I403", "`deals.stages` lists no `won` stage: no deal would be imported", sn) }
        } else {
            error("I403", "`deals` has no `stages:`; say which stage values are won, lost, cancelled and open", key)
        }
        if let t = m["types"] { deals.types = Dictionary(textMap(t, what: "`deals.types`").map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a }) }
        if let p = m["products"] { deals.products = Dictionary(textMap(p, what: "`deals.products`").map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a }) }
        if let t = m["type"] { deals.fixedType = text(t, what: "`deals.type`") }
        if let p = m["product"] { deals.fixedProduct = text(p, what: "`deals.product`") }
        if let r = m["roles"] {
            for (role, column, key) in textMap(r, what: "`deals.roles`") {
                if !ProfileDecoder.isPlanName(role) || role == "owner" {
                    error("I404", "`\(role)` is not a credit role name: lowercase letters, digits and `_`, and not `owner`", key)
                } else {
                    deals.roles.append((role, source(column, key)))
                }
            }
        }
        if let e = m["extras"] { deals.extras = names(e, in: "`deals.extras`", standard: ImportProfile.standardDealColumns) }
        if let p = m["pass_through"], let f = flag(p, what: "`deals.pass_through`") { deals.passThrough = f }
        return deals
    }

    /// The activities section `n`, whose key is `key`.
    mutating func activities(_ n: ProfileNode, at key: ProfileNode) -> ImportProfile.Activities {
        var a = ImportProfile.Activities()
        let m = mapping(n, in: "`activities`", keys: ["columns", "kind", "kinds", "count_only", "extras", "pass_through"])
        if let c = m["columns"] {
            a.columns = columns(c, in: "`activities.columns`", keys: ImportProfile.activityColumns)
            for needed in ["activity_id", "owner", "date"] where a.columns[needed] == nil {
                error("I403", "`activities.columns` maps no `\(needed)` column", c)
            }
        } else {
            error("I403", "`activities` has no `columns:`; it needs at least `activity_id`, `owner` and `date`", key)
        }
        if let k = m["kind"] { a.fixedKind = text(k, what: "`activities.kind`") }
        if a.fixedKind == nil, m["columns"] != nil, a.columns["kind"] == nil {
            error("I403", "`activities` maps no `kind` column and gives no fixed `kind:`", key)
        }
        if let k = m["kinds"] { a.kinds = Dictionary(textMap(k, what: "`activities.kinds`").map { ($0.0, $0.1) }, uniquingKeysWith: { x, _ in x }) }
        if let cn = m["count_only"] {
            let cm = mapping(cn, in: "`activities.count_only`", keys: ["column", "values"])
            if let col = cm["column"], let t = text(col, what: "`count_only.column`") {
                let values = cm["values"].map { list($0, what: "`count_only.values`").compactMap { text($0, what: "a value")?.trimmingSpaces() } } ?? []
                if values.isEmpty { error("I403", "`count_only` needs `values:`, the values of rows that count", cn) }
                a.countOnly = ImportProfile.RowFilter(column: source(t, col), values: Set(values))
            } else if cm["column"] == nil {
                error("I403", "`count_only` needs `column:`", cn)
            }
        }
        if let e = m["extras"] { a.extras = names(e, in: "`activities.extras`", standard: ImportProfile.standardActivityColumns) }
        if let p = m["pass_through"], let f = flag(p, what: "`activities.pass_through`") { a.passThrough = f }
        return a
    }
}
