// Prints the evaluation tree so a reviewer can see what the engine will do with a plan.

public enum TreePrinter {
    public static func describe(_ plan: CompiledPlan) -> String {
        var out = "plan \"\(plan.name)\" version \(plan.version)  (\(plan.path))\n"
        out += "  pays \(plan.currency.code) per \(plan.periodKind.rawValue), effective \(plan.effective.from) to \(plan.effective.to)\n"
        out += "  each line rounded \(plan.rounding.mode.rawValue) to \(plan.rounding.precisionText); totals are sums of rounded lines\n"
        for f in plan.fields { out += "  field deal.\(f.name): \(f.type)\n" }
        for p in plan.params { out += "  param \(p.name) = \(p.value.text)\(p.overridden ? "  (set from the command line)" : "")\n" }
        for m in plan.measures {
            var line = "  measure \(m.name) = "
            switch m.aggregate {
            case .sum(let e): line += "sum of \(expression(e, plan))"
            case .count: line += "count of deals (a split deal counts its share)"
            }
            if let f = m.filter { line += " where \(expression(f, plan))" }
            out += line + "  [\(m.unit)]\n"
            switch m.quota {
            case .assignmentColumn(let c, _)?: out += "    quota: assignments.csv column `\(c)`, prorated by active days\n"
            case .constant(let r)?: out += "    quota: \(Value.threshold(r, m.unit)), prorated by active days\n"
            case nil: out += "    no quota (no attainment)\n"
            }
            if let w = m.weight { out += "    weight: \(Value.percent(w).text)\n" }
        }
        for c in plan.components {
            out += "  \(c.kind.rawValue) \"\(c.name)\"\(c.measure.map { " on \(plan.measures[$0].name)" } ?? "")  (\(c.trace.trace))\n"
            switch c.rule {
            case .commission(.flat(let rate, _)):
                out += "    each deal: credited amount × \(rate.text)\n"
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
        }
        return out
    }

    /// A checked expression written back as plan text.
    static func expression(_ e: CheckedExpr, _ plan: CompiledPlan) -> String {
        switch e {
        case .constant(let v): return v.text
        case .dealField(let f):
            if case .extra(let i) = f { return "deal.\(plan.fields[i].name)" }
            return "deal." + (DealField.standard.first { $0.1 == f }?.0 ?? "?")
        case .measureValue(let i): return plan.measures[i].name
        case .measureQuota(let i): return "\(plan.measures[i].name).quota"
        case .measureAttainment(let i): return "\(plan.measures[i].name).attainment"
        case .totalAttainment: return "total_attainment"
        case .targetIncentive: return "target_incentive"
        case .negate(let x): return "-\(expression(x, plan))"
        case .not(let x): return "not (\(expression(x, plan)))"
        case .arithmetic(let op, let a, let b), .compare(let op, let a, let b), .logical(let op, let a, let b):
            return "(\(expression(a, plan)) \(op.rawValue) \(expression(b, plan)))"
        case .member(let x, let items, let negated):
            return "\(expression(x, plan)) \(negated ? "not in" : "in") (\(items.map(\.text).joined(separator: ", ")))"
        }
    }
}
