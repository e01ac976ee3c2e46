// The figures that let a statement be checked by hand: each deal line's running measure and attainment, the working
// of caps, gates and bonuses, and the deal columns a plan shows. Made only when lines carry words (`detail`).

extension Evaluator {
    /// Measure `m`'s running figures along counted values in the order the measure counts them: for each, the measure
    /// before and after it counted, and the attainment (as `MeasureResult.attainment` writes it; nil without a quota).
    /// The last `after` is the sum of the values: the measure's value when the list is the measure's own.
    func runningTotals(_ m: Int, _ values: [(credit: Int, value: Ratio)]) throws -> [RunningTotal] {
        if let fast = decimalRunningTotals(m, values) { return fast }
        var out: [RunningTotal] = []
        out.reserveCapacity(values.count)
        let name = plan.measures[m].name
        let quota = quotas[m].flatMap { $0.signum > 0 ? $0 : nil }
        var cumulative = Ratio.zero
        var before = unitText(.zero, measure: m)
        var attainmentBefore = quota.map { _ in Evaluator.percentText(.zero) }
        for (_, value) in values {
            cumulative = try cumulative.adding(value)
            let after = unitText(cumulative, measure: m)
            let attainmentAfter = try quota.map { q throws(ArithmeticError) in Evaluator.percentText(try cumulative.divided(by: q)) }
            out.append(RunningTotal(measure: name, before: before, after: after, attainmentBefore: attainmentBefore, attainmentAfter: attainmentAfter))
            before = after
            attainmentBefore = attainmentAfter
        }
        return out
    }

    /// The same figures in whole numbers, when every value is a decimal of at most `ScaledWalk.digits` places and nothing
    /// comes near overflowing (nil otherwise): the running sum kept as a decimal at one scale, each attainment floored
    /// to hundredths of a percent by one division as `percentText` floors it, and the text made only when read.
    func decimalRunningTotals(_ m: Int, _ values: [(credit: Int, value: Ratio)]) -> [RunningTotal]? {
        let minimum = { if case .money = plan.measures[m].unit { return currency.minorUnits } else { return 0 } }()
        let tens = Evaluator.tens
        // The scale every value can be written at: the smallest power of ten each denominator divides.
        var scale = minimum
        for (_, v) in values {
            guard let d = Int64(exactly: v.denominator), d > 0 else { return nil }
            while tens[scale] % d != 0 {
                scale += 1
                guard scale <= ScaledWalk.digits else { return nil }
            }
        }
        let limit = Int128(1) << 100
        // attainment × 10^4 = sum × 10^4 × q.denominator ÷ (10^scale × q.numerator).
        var times: Int64 = 0, over: Int64 = 1
        if let q = quotas[m], q.signum > 0 {
            guard let t = Int64(exactly: q.denominator), let n = Int64(exactly: q.numerator) else { return nil }
            let (a, o1) = t.multipliedReportingOverflow(by: 10_000)
            let (b, o2) = n.multipliedReportingOverflow(by: tens[scale])
            guard !o1, !o2 else { return nil }
            (times, over) = (a, b)
        }
        // Sums kept below 2^100, and below 2^126 ÷ times so that a sum times `times` cannot overflow.
        let largest = times == 0 ? limit : min(limit, (Int128(1) << 126) / Int128(times))
        let name = plan.measures[m].name
        var out: [RunningTotal] = []
        out.reserveCapacity(values.count)
        var sum: Int128 = 0
        for (_, v) in values {
            let (x, o) = v.numerator.multipliedReportingOverflow(by: Int128(tens[scale] / Int64(v.denominator)))
            guard !o, x.magnitude < limit.magnitude else { return nil }
            let before = sum
            sum += x
            guard sum.magnitude < largest.magnitude else { return nil }
            out.append(RunningTotal(measure: name, scaled: .init(before: before, after: sum, times: times, over: over,
                                                                 scale: Int8(scale), minimum: Int8(minimum))))
        }
        return out
    }

    /// Powers of ten up to 10^`ScaledWalk.digits` and the currency digits beyond it.
    static let tens: [Int64] = (0...18).map { k in (0..<k).reduce(Int64(1)) { p, _ in p * 10 } }

    /// The running figures of measure `m`'s own counted credits, when lines carry words; empty otherwise.
    func running(_ m: Int) throws -> [RunningTotal] {
        input.detail ? try runningTotals(m, contributions[m]) : []
    }

    /// The values of the plan's `show` columns for a credited deal, or nil when the plan shows none (or lines carry no words).
    func shownValues(_ credit: Credit) -> [String]? {
        guard input.detail, !plan.shown.isEmpty else { return nil }
        let env = DealEnvironment(credit: credit, plan: plan)
        return plan.shown.map { column in
            if case .amount = column.field { return Value.decimalText(credit.amount, minimumScale: currency.minorUnits) }
            return (try? env.dealField(column.field)).map(ExtraField.shownText) ?? ""
        }
    }

    /// A cap's working: the limit, the lines it cut back, and, when the cap is a percent of a base (`200% of
    /// target_incentive`), the percent and the base.
    func capWorking(_ cap: Cap, limit: Money, linesTotal: Money) -> LineWorking? {
        guard input.detail else { return nil }
        var w = LineWorking(rule: .cap)
        w.limit = limit.text
        w.linesTotal = linesTotal.text
        if case .arithmetic(let op, .constant(.percent(let p)), let base) = cap.amount, op == .of || op == .multiply,
           let b = try? ExpressionEvaluator.evaluate(base, in: periodEnvironment()).numeric {
            w.limitPercent = Value.percent(p).text
            w.limitBase = Value.decimalText(b, minimumScale: currency.minorUnits)
        }
        return w
    }

    /// A gate's working: its text, the attainment it measured (and the threshold when it compares an attainment with a
    /// percent), and the lines it took back.
    func gateWorking(_ gate: Gate, component: CompiledComponent, linesTotal: Money) -> LineWorking? {
        guard input.detail else { return nil }
        var w = LineWorking(rule: .gate)
        w.condition = gate.text
        w.linesTotal = linesTotal.text
        if case .compare(_, let left, let right) = gate.condition {
            for (a, b) in [(left, right), (right, left)] {
                guard case .constant(.percent(let t)) = b else { continue }
                switch a {
                case .measureAttainment(let i):
                    w.threshold = Value.percent(t).text
                    w.attainment = (try? attainment(i)).map(Evaluator.percentText)
                case .totalAttainment:
                    w.threshold = Value.percent(t).text
                    w.attainment = (try? totalAttainment()).map(Evaluator.percentText)
                default: continue
                }
                return w
            }
        }
        if let m = component.measure, let q = quotas[m], q.signum > 0 { w.attainment = (try? attainment(m)).map(Evaluator.percentText) }
        return w
    }
}
