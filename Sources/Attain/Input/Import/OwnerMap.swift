// Owners as a CRM writes them (an id, an e-mail, a name) to the roster's rep_id: the profile's table, then roster columns.

/// Finds the rep an owner value names.
struct OwnerMap {
    enum Match: Equatable {
        case rep(String)
        /// Several reps have the value in `column`; the first (in roster order) is taken, with a warning.
        case ambiguous([String], column: String)
        case none
    }

    let table: [String: String]
    /// Each roster column looked in: its name, whether values are compared loosely (e-mails and names: case and
    /// spaces ignored), and value → rep ids in roster order.
    let columns: [(name: String, loose: Bool, index: [String: [String]])]
    /// No roster and no table: owner values are rep ids already.
    let identity: Bool
    /// Roster columns looked in, for messages.
    var lookedIn: [String] { columns.map(\.name) }

    /// The map for a profile and an optional roster; roster errors (no `rep_id`, none of the `by` columns) are returned.
    static func make(_ profile: ImportProfile, roster: InputFile?) -> (OwnerMap, Diagnostics) {
        var diagnostics = Diagnostics()
        guard let roster else { return (OwnerMap(table: profile.ownerTable, columns: [], identity: profile.ownerTable.isEmpty), diagnostics) }
        let (records, errors) = CSVReader(path: roster.path, bytes: roster.bytes).read()
        diagnostics.append(contentsOf: errors)
        guard let head = records.first else {
            diagnostics.append(.error("I434", "the roster is empty; expected a header with `rep_id`", at: SourceSpan(path: roster.path, line: 1, column: 1, width: 1, lineText: "")))
            return (OwnerMap(table: profile.ownerTable, columns: [], identity: false), diagnostics)
        }
        let names = head.fields.map { $0.trimmingSpaces() }
        guard let idColumn = names.firstIndex(of: "rep_id") else {
            diagnostics.append(.error("I434", "the roster has no `rep_id` column", at: .csv(path: roster.path, line: head.line, column: 1, width: head.lineText.count, lineText: head.lineText),
                                      notes: Suggestion.columnHelp(expected: "rep_id", found: Suggestion.closest(to: "rep_id", in: names))))
            return (OwnerMap(table: profile.ownerTable, columns: [], identity: false), diagnostics)
        }
        var columns: [(name: String, loose: Bool, index: [String: [String]])] = []
        for by in profile.ownersBy {
            guard let c = names.firstIndex(of: by) else { continue }
            let loose = by.contains("mail") || by.contains("name")
            var index: [String: [String]] = [:]
            for r in records.dropFirst() where c < r.fields.count && idColumn < r.fields.count {
                let v = r.fields[c].trimmingSpaces()
                guard !v.isEmpty else { continue }
                let key = loose ? OwnerMap.folded(v) : v
                let id = r.fields[idColumn].trimmingSpaces()
                if !(index[key]?.contains(id) ?? false) { index[key, default: []].append(id) }
            }
            columns.append((by, loose, index))
        }
        // A rep the table names must be on the roster: its rows would be credited to nobody the run knows.
        let reps = Set(records.dropFirst().compactMap { idColumn < $0.fields.count ? $0.fields[idColumn].trimmingSpaces() : nil })
        for (owner, rep) in profile.ownerTable.sorted(by: { ($0.key, $0.value) < ($1.key, $1.value) }) where !reps.contains(rep) {
            diagnostics.append(.warning("I440", "`owners.table` maps `\(Suggestion.cut(owner))` to `\(Suggestion.cut(rep))`, who is not on the roster",
                                        at: profile.ownerTableSpans[owner], notes: Suggestion.help(for: rep, in: reps.sorted())
                                            + [.note("the roster is \(roster.path)")]))
        }
        if columns.isEmpty {
            diagnostics.append(.error("I434", "the roster has none of the columns `owners.by` names (\(profile.ownersBy.map { "`\($0)`" }.joined(separator: ", ")))",
                                      at: .csv(path: roster.path, line: head.line, column: 1, width: head.lineText.count, lineText: head.lineText)))
        }
        return (OwnerMap(table: profile.ownerTable, columns: columns, identity: false), diagnostics)
    }

    func resolve(_ value: String) -> Match {
        if let rep = table[value] { return .rep(rep) }
        if identity { return value.isEmpty ? .none : .rep(value) }
        for c in columns {
            guard let ids = c.index[c.loose ? OwnerMap.folded(value) : value], let first = ids.first else { continue }
            return ids.count == 1 ? .rep(first) : .ambiguous(ids, column: c.name)
        }
        return .none
    }

    /// Lower-cased, spaces around trimmed and runs of spaces made one.
    static func folded(_ s: String) -> String {
        s.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{00A0}" }).joined(separator: " ")
    }
}
