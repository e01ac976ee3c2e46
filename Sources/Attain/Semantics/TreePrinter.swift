// Prints the evaluation tree so a reviewer can see what the engine will do with a plan.

public enum TreePrinter {
    /// `per quarter`, or `per period (one quarter)`.
    static func spanText(_ span: QuotaSpan, _ plan: CompiledPlan) -> String {
        span == .period ? "per period (one \(plan.periodKind.noun))" : "per \(span.rawValue)"
    }

    public static func describe(_ plan: CompiledPlan) -> String {
        var out = "plan \"\(plan.name)\" version \(plan.version)  (\(plan.path))\n"
        out += "  pays \(plan.currency.code) per \(plan.periodKind.noun), effective \(plan.effective.from) to \(plan.effective.to)\n"
        if plan.calendar != .gregorian { out += "  periods follow the \(plan.calendar)\(plan.fiscalTrace.map { "  (\($0.trace))" } ?? "")\n" }
        out += "  each line rounded \(plan.rounding.mode.rawValue) to \(plan.rounding.precisionText); totals are sums of rounded lines\n"
        out += "  deals in other currencies convert at the fx.csv rate of the \(plan.fxDate == .closeDate ? "deal's close date" : "period's first day"), rounded to \(plan.currency.code) \(plan.currency.minorUnits == 0 ? "units" : "minor units")\n"
        if let y = plan.yearToDate {
            out += "  year to date: measures run from \(plan.calendar.isFiscal ? "the fiscal year's first day" : "1 January") to the period's end against the year's quota and target incentive;\n"
            out += "    each period pays that, less what earlier periods of the year paid under this plan (from the ledger)  (\(y.trace))\n"
        }
        if let c = plan.clawback {
            out += "  clawback: a deal cancelled within \(c.days) days of its close date takes back, in the period of the cancellation,\n"
            out += "    what was paid on it in closed periods  (\(c.trace.trace))\n"
        }
        if !plan.creditsOwnerOnly, let at = plan.creditLine {
            out += "  credits deals.csv rows in role\(plan.creditRoles.count == 1 ? "" : "s") \(plan.creditRoles.map { "\"\($0)\"" }.joined(separator: ", ")) only  (\(at.trace))\n"
        }
        for f in plan.fields { out += "  field deal.\(f.name): \(f.type)\n" }
        for f in plan.activityFields { out += "  field activity.\(f.name): \(f.type)\n" }
        if !plan.shown.isEmpty { out += "  shows on each line on a deal: \(plan.shown.map { "deal.\($0.name)" }.joined(separator: ", "))\n" }
        for p in plan.params { out += "  param \(p.name) = \(p.value.text)\(p.overridden ? "  (set from the command line)" : "")\n" }
        for m in plan.measures {
            var line = "  measure \(m.name) = "
            switch m.aggregate {
            case .sum(let e): line += "sum of \(expression(e, plan))"
            case .count: line += m.readsActivities ? "count of activities (each counts 1; activities.csv)" : "count of deals (a split deal counts its share)"
            }
            if let r = m.reports { line += " over the credits of \(r == .direct ? "direct reports" : "all reports (the whole subtree)")" }
            if let r = m.rollUp { line += " over the credits of \(r == .direct ? "direct reports" : "all reports (the whole subtree)"), as its overrides read them" }
            if let f = m.filter { line += " where \(expression(f, plan))" }
            out += line + "  [\(m.unit)]\n"
            switch (m.quota, m.quotaSpan) {
            case (.assignmentColumn(let c, _)?, nil): out += "    quota: assignments.csv column `\(c)`, prorated by active days\n"
            case (.constant(let r)?, nil): out += "    quota: \(Value.threshold(r, m.unit)), prorated by active days\n"
            case (.assignmentColumn(let c, _)?, let span?):
                out += "    quota: assignments.csv column `\(c)` \(spanText(span, plan)): each active day counts the row's quota ÷ the days of its \(span.kind(in: plan).rawValue), summed over the \(plan.yearToDate != nil ? "year" : "period")\n"
            case (.constant(let r)?, let span?):
                out += "    quota: \(Value.threshold(r, m.unit)) \(spanText(span, plan)): each active day counts it ÷ the days of its \(span.kind(in: plan).rawValue), summed over the \(plan.yearToDate != nil ? "year" : "period")\n"
            case (.target(let key, let team, _)?, _): out += "    quota: \(targetText(key: key, team: team, plan))\n"
            case (nil, _): out += "    no quota (no attainment)\n"
            }
            if let w = m.weight { out += "    weight: \(Value.percent(w).text)\n" }
        }
        for c in plan.components {
            out += "  \(c.kind.rawValue) \"\(c.name)\"\(c.measure.map { " on \(plan.measures[$0].name)" } ?? "")  (\(c.trace.trace))\n"
            switch c.rule {
            case .commission(.flat(let rate, _)):
                if case .perUnit = rate, let m = c.measure, plan.measures[m].readsActivities {
                    out += "    each activity counted: \(Evaluator.perActivity(rate.text)) × what it adds to the measure\n"
                } else if case .perUnit = rate {
                    out += "    each deal: \(rate.text) × the payee's share of the deal\n"
                } else {
                    out += "    each deal: credited amount × \(rate.text)\n"
                }
            case .commission(.tiers(let mode, let basis, let bands, _)):
                let over = basis == .attainment ? "attainment (cumulative credited ÷ quota)" : "the measure's running total"
                out += mode == .marginal
                    ? "    marginal tiers over \(over): each deal split across the bands its running total crosses\n"
                    : "    retroactive tiers over \(over): every deal paid at the band the final total reaches\n"
                let type: ValueType = basis == .attainment ? .percent : plan.measures[c.measure!].unit
                for b in bands {
                    let range = b.to.map { "[\(Value.threshold(b.from, type)), \(Value.threshold($0, type)))" } ?? "[\(Value.threshold(b.from, type)), ∞)"
                    out += "      \(range) → \(b.rate.text)  (\(b.trace.trace))\n"
                }
            case .bonus(let steps, let onTotal):
                out += "    pays only the highest step met (\(onTotal ? "total attainment" : "thresholds inclusive")):\n"
                for s in steps { out += "      at ≥ \(s.threshold.text) → \(expression(s.pay, plan))  (\(s.trace.trace))\n" }
            case .override(let rate, let scope, _):
                out += "    each deal the measure counts among \(scope == .direct ? "direct reports'" : "all reports' (the whole subtree)") credits × \(rate.text)\n"
            case .spif(let rule):
                if let w = rule.window { out += "    deals closed \(w.from) to \(w.to) (inclusive)\n" }
                if let f = rule.filter { out += "    where \(expression(f, plan))\n" }
                switch rule.pay {
                case .perDeal(let e): out += "    pays \(expression(e, plan)) per deal × the payee's split share\n"
                case .expression(let e): out += "    pays \(expression(e, plan)) per deal\n"
                }
            }
            for cap in c.caps where cap.scope == .deal { out += "    then cap each deal line at \(cap.text) (adjustment line)  (\(cap.trace.trace))\n" }
            for g in c.gates { out += "    then gate: unless \(g.text), an adjustment cancels the component  (\(g.trace.trace))\n" }
            for cap in c.caps where cap.scope == .period { out += "    then cap the component at \(cap.text) per period (adjustment line)  (\(cap.trace.trace))\n" }
            if let p = c.collection {
                let how = p.mode == .proportionally
                    ? "each deal line paid as the customer pays: line × share of the deal collected (payments.csv, at most 100%), the rest held (hold line) and released as it is collected (release line)"
                    : "each deal line held (hold line) until the customer has paid the whole deal (payments.csv), then released in full (release line)"
                out += "    then pay on collection \(p.mode.rawValue): \(how)  (\(p.trace.trace))\n"
            }
        }
        if let d = plan.draw {
            let window = d.window.map { ", for periods from \($0.from) to \($0.to)" } ?? ""
            out += "  draw \"\(d.name)\": \(Value.money(d.amount, plan.currency).text) per \(d.per.rawValue)\(window), prorated by active days  (\(d.trace.trace))\n"
            out += d.recoverable
                ? "    last: pay = max(draw, pay so far − balance); balance' = balance + pay − pay so far (recoverable, carried in the ledger)\n"
                : "    last: pay = max(draw, pay so far); no balance is kept (non-recoverable)\n"
        }
        return out
    }

    /// A checked expression written back as plan text.
    static func expression(_ e: CheckedExpr, _ plan: CompiledPlan) -> String {
        expression(e, measures: plan.measures.map(\.name), fields: plan.fields.map(\.name))
    }

    /// A checked expression written back as plan text, with parameters shown as their values.
    static func expression(_ e: CheckedExpr, measures: [String], fields: [String], nested: Bool = false) -> String {
        func inner(_ x: CheckedExpr) -> String { expression(x, measures: measures, fields: fields, nested: true) }
        switch e {
        case .constant(let v): return v.text
        case .dealField(let f):
            if case .extra(let i) = f { return "deal.\(fields[i])" }
            return "deal." + (DealField.standard.first { $0.1 == f }?.0 ?? "?")
        case .activityField(let f): return "activity." + f.name
        case .measureValue(let i): return measures[i]
        case .measureQuota(let i): return "\(measures[i]).quota"
        case .measureAttainment(let i): return "\(measures[i]).attainment"
        case .totalAttainment: return "total_attainment"
        case .targetIncentive: return "target_incentive"
        case .negate(let x): return "-\(inner(x))"
        case .not(let x): return "not \(inner(x))"
        case .arithmetic(let op, let a, let b), .compare(let op, let a, let b), .logical(let op, let a, let b):
            let text = "\(inner(a)) \(op == .multiply && isPercent(a) ? "of" : op.rawValue) \(inner(b))"
            return nested ? "(\(text))" : text
        case .member(let x, let items, let negated):
            return "\(inner(x)) \(negated ? "not in" : "in") (\(items.map(\.text).joined(separator: ", ")))"
        }
    }

    static func isPercent(_ e: CheckedExpr) -> Bool {
        if case .constant(.percent) = e { return true }
        return false
    }
}

extension TreePrinter {
    /// How `explain` says where a target quota comes from.
    static func targetText(key: String, team: Bool, _ plan: CompiledPlan) -> String {
        let span = plan.yearToDate != nil ? "the year to date" : "the period"
        let whose = team ? "the sum of the targets of the reports the measure counts, each on the days they report" : "the payee's target"
        return "targets.csv rows of measure `\(key)`, \(whose); each active day of \(span) counts its month's target ÷ the month's days"
    }
}
