// Checking the parts of a plan that read activities.csv: `field activity.<name>`, measures of activities and the
// `activity.<column>` names they read.

extension Checker {
    /// True when a measure counts activities: `count of activities`, or a sum whose expression reads `activity.*`.
    static func countsActivities(_ m: MeasureDecl) -> Bool {
        if m.ofActivities { return true }
        if case .sum(let e) = m.aggregate { return names(e).contains { $0.first == "activity" } }
        return false
    }

    /// The dotted names an expression reads.
    static func names(_ e: Expr) -> [[String]] {
        switch e.kind {
        case .name(let parts): return [parts]
        case .negate(let a), .not(let a): return names(a)
        case .binary(_, let a, let b): return names(a) + names(b)
        case .member(let a, let items, _): return names(a) + items.flatMap(names)
        case .number, .percent, .money, .date, .text, .bool: return []
        }
    }

    /// `activity.<column>`: read only inside a measure of activities.
    mutating func resolveActivity(_ parts: [String], _ e: Expr, in context: Context) -> (CheckedExpr, ValueType)? {
        let written = parts.joined(separator: ".")
        guard case .activity = context else {
            let place: String
            switch context {
            case .deal: place = "a deal condition or a spif; activities are read only by a measure of activities"
            case .activity: place = ""
            case .constant: place = "a fixed value"
            case .period: place = "a rule about the whole period"
            }
            error("E158", "`\(written)` names an activity column, which cannot be used in \(place)", at: span(e),
                  notes: [.help("count activities in a measure of their own: `measure meetings = count of activities where activity.kind = \"meeting\"`")])
            return nil
        }
        guard parts.count == 2 else {
            error("E159", "write an activity column as `activity.<column>`", at: span(e))
            return nil
        }
        let name = parts[1]
        if let (_, f) = ActivityField.standard.first(where: { $0.0 == name }) {
            switch f {
            case .date: return (.activityField(f), .date)
            case .count: return (.activityField(f), .number)
            default: return (.activityField(f), .text)
            }
        }
        if let field = activityFields.first(where: { $0.name == name }) {
            return (.activityField(.extra(name)), field.type)
        }
        var notes = Suggestion.help(for: name, in: ActivityField.standard.map(\.0) + activityFields.map(\.name))
        if notes.isEmpty { notes = [.help("an extra column of activities.csv is declared with `field activity.\(name)`")] }
        error("E159", "unknown activity field `\(name)`", at: span(e), notes: notes)
        return nil
    }

    /// Components on a measure of activities: commissions and bonuses are; an override or a spif pays on deals.
    mutating func checkActivityComponents(_ components: [CompiledComponent]) {
        for c in components {
            guard let m = c.measure, activityMeasures.contains(m) else { continue }
            let measureName = measureIndex.first { $0.value == m }?.key ?? ""
            switch c.rule {
            case .override:
                error("E179", "override \"\(c.name)\" is on `\(measureName)`, a measure of activities; an override pays on the reports' deals", at: c.trace,
                      notes: [.help("count the reports' activities with `count of activities for all reports` and pay it with a commission")])
            case .spif:
                error("E179", "spif \"\(c.name)\" is on `\(measureName)`, a measure of activities; a spif pays per deal", at: c.trace,
                      notes: [.help("pay per activity with a commission: `rate 40.00 \(currency.code) per activity`")])
            case .commission, .bonus:
                continue
            }
        }
    }
}

extension ActivityField {
    /// The name the plan reads it by, after `activity.`.
    var name: String {
        if case .extra(let n) = self { return n }
        return ActivityField.standard.first { $0.1 == self }?.0 ?? "?"
    }
}
