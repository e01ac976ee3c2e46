// Checks the quota lines that read targets.csv: no span word (targets are read month by month), and a team target
// only on a measure that counts reports.

extension Checker {
    /// The quota source of `quota from target …` under measure `m`.
    mutating func targetQuota(_ m: MeasureDecl, key: Located<String>?, team: Bool, at q: Located<MeasureDecl.Quota>) -> CompiledMeasure.QuotaSource {
        if let s = m.quotaSpan {
            error("E190", "a quota from targets.csv is read month by month; `per \(s.value.rawValue)` does not apply", at: span(s),
                  notes: [.help("targets.csv gives the year (and any quarters or months); each day of the measured span counts its month's target ÷ the month's days")])
        }
        if let key, key.value.trimmingSpaces().isEmpty {
            error("E192", "the key of a target is empty", at: span(key), notes: [.help("write `quota from target` to read the rows named after the measure")])
        }
        return .target(key: key?.value ?? m.name.value, team: team, trace: span(q))
    }

    /// A team target sums the targets of the reports a measure counts: the measure must count reports (`for direct
    /// reports`, `for all reports`, or as the roll-up of its overrides).
    mutating func checkTeamTargets(_ measures: [CompiledMeasure]) {
        for m in measures {
            guard case .target(_, true, let trace)? = m.quota, m.creditScope == nil else { continue }
            error("E191", "`quota from team target` sums the targets of the reports a team measure counts, and measure `\(m.name)` counts the payee's own \(m.readsActivities ? "activities" : "deals")",
                  at: trace, notes: [.help("write `for direct reports` or `for all reports` after the measure's aggregate, or use `quota from target` for the payee's own target")])
        }
    }
}
