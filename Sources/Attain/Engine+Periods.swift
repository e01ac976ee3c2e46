// The calendar of a run: the plans of one run share where their year starts and their biweekly anchor, and the
// run's `--period` is read with it.

extension Engine {
    /// The period calendar every plan follows. Errors: P304 (plans whose years start in different months, each named),
    /// P305 (biweekly plans counted from different days).
    public static func periodCalendar(of plans: [CompiledPlan]) -> Result<PeriodCalendar, Diagnostics> {
        guard let first = plans.first else { return .success(.gregorian) }
        var diagnostics = Diagnostics()
        if let other = plans.first(where: { $0.calendar.fiscalStartMonth != first.calendar.fiscalStartMonth }) {
            func says(_ p: CompiledPlan) -> String {
                p.calendar.isFiscal ? "plan \"\(p.name)\"'s year starts in \(PeriodCalendar.monthNames[p.calendar.fiscalStartMonth - 1])"
                                    : "plan \"\(p.name)\" follows the calendar year (no `fiscal year starts` line)"
            }
            let lead = first.calendar.isFiscal ? first : other
            let rest = plans.filter { $0.calendar.fiscalStartMonth != lead.calendar.fiscalStartMonth || $0.name == lead.name }
            diagnostics.append(.error("P304", "the plans of one run follow different years: \(says(first)), \(says(other))", at: lead.fiscalTrace ?? lead.trace,
                                      notes: rest.filter { $0.name != lead.name }.map { .note(says($0) + ($0.fiscalTrace == nil ? " (\($0.path))" : ""), at: $0.fiscalTrace) }
                                             + [.help("give every plan of the run the same `fiscal year starts …` line, or run them apart")]))
        }
        let anchored = plans.filter { $0.calendar.biweeklyAnchor != nil }
        if let a = anchored.first, let b = anchored.first(where: { $0.calendar.biweeklyAnchor != a.calendar.biweeklyAnchor }) {
            diagnostics.append(.error("P305", "biweekly plans \"\(a.name)\" and \"\(b.name)\" count their periods from different days (\(a.calendar.biweeklyAnchor!) and \(b.calendar.biweeklyAnchor!))",
                                      at: a.trace, notes: [.help("give both the same `period biweekly from …` day, or run them apart")]))
        }
        if diagnostics.hasErrors { return .failure(diagnostics) }
        return .success(PeriodCalendar(fiscalStartMonth: first.calendar.fiscalStartMonth, biweeklyAnchor: anchored.first?.calendar.biweeklyAnchor))
    }

    /// A `--period` value read with the calendar of the plans (P300–P306 when it is not one of its periods).
    public static func period(_ text: String, plans: [CompiledPlan]) -> Result<Period, Diagnostics> {
        switch periodCalendar(of: plans) {
        case .failure(let d): return .failure(d)
        case .success(let calendar): return period(text, in: calendar)
        }
    }

    /// A `--period` value read with a calendar, the error saying the forms it accepts.
    public static func period(_ text: String, in calendar: PeriodCalendar) -> Result<Period, Diagnostics> {
        switch Period.read(text, in: calendar) {
        case .success(let p): return .success(p)
        case .failure(let e):
            var notes: [Diagnostic.Note] = e.help.map { [.help($0)] } ?? []
            if e.code != "P300" { notes.append(.help("periods are written \(Period.acceptedForms(in: calendar))")) }
            return .failure(Diagnostics([.error(e.code, e.message, at: nil, notes: notes)]))
        }
    }
}

extension Engine {
    /// Warnings (P307) for periods the ledger closed that the plans' calendar does not read (closed before the plans'
    /// `fiscal year starts` or biweekly anchor changed): they are not recomputed, so a change to their deals is not
    /// adjusted.
    static func unreadClosedPeriods(_ history: LedgerHistory, calendar: PeriodCalendar) -> [Diagnostic] {
        history.closedPeriods.compactMap { label in
            guard case .failure(let e) = Period.read(label, in: calendar) else { return nil }
            return .warning("P307", "closed period \(label) is not a period of the plans' calendar (\(calendar)), so it is not recomputed and changes to its deals are not adjusted", at: nil,
                            notes: [.note(e.message)] + (e.help.map { [.help($0)] } ?? []))
        }
    }
}
