// What the HTML pages need beyond a statement: the language each payee reads, names by rep id, and the text of the
// plan rules that lines point at.

/// The facts of a run that pages are written with: which language each payee reads (roster.csv's `locale`, or the
/// run's default), each rep's name (override lines and team pages name reports), and each plan line's text, so a
/// statement line can quote the rule it comes from.
public struct PageContext: Sendable {
    /// The language for payees the roster gives none (`--locale`, English when not given).
    public var defaultLocale: ReportLocale
    /// Payee id → the language roster.csv's `locale` column names.
    public var locales: [String: ReportLocale]
    /// Rep id → name, from the roster.
    public var names: [String: String]
    /// A line's trace as statements write it (`plans/ae.plan:14`) → that plan line's text, without its indentation
    /// or a comment at its end.
    public var ruleTexts: [String: String]

    public init(defaultLocale: ReportLocale = .english, locales: [String: ReportLocale] = [:], names: [String: String] = [:],
                ruleTexts: [String: String] = [:]) {
        self.defaultLocale = defaultLocale
        self.locales = locales
        self.names = names
        self.ruleTexts = ruleTexts
    }

    /// The context of a run over `plans` and `reps`.
    public init(plans: [SourceFile], reps: [Rep], defaultLocale: ReportLocale = .english) {
        self.init(defaultLocale: defaultLocale)
        locales.reserveCapacity(reps.count)
        names.reserveCapacity(reps.count)
        for rep in reps {
            names[rep.id] = rep.name
            if let l = rep.locale { locales[rep.id] = l }
        }
        for plan in plans { ruleTexts.merge(Self.ruleTexts(of: plan)) { first, _ in first } }
    }

    /// The language payee `id` reads.
    public func locale(for id: String) -> ReportLocale { locales[id] ?? defaultLocale }

    /// The plan text at a trace (`plans/ae.plan:14`), or nil when the trace names no line of a plan of the run.
    public func rule(at trace: String) -> String? { ruleTexts[trace] }

    /// Every non-blank line of a plan by its trace, trimmed, with a `#` comment at its end taken off (a `#` inside a
    /// quoted name stays).
    static func ruleTexts(of plan: SourceFile) -> [String: String] {
        var out: [String: String] = [:]
        for (i, raw) in plan.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var inQuotes = false
            var end = raw.endIndex
            for j in raw.indices {
                if raw[j] == "\"" { inQuotes.toggle() } else if raw[j] == "#" && !inQuotes { end = j; break }
            }
            let text = raw[..<end].trimmingCharacters(in: [" ", "\t", "\r"])
            if !text.isEmpty { out["\(plan.path):\(i + 1)"] = text }
        }
        return out
    }
}

private extension Substring {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
