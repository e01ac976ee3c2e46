// The JSON form of statements and of a run's summary.

public enum StatementJSON {
    /// Version of the statement format; bumped when a key changes meaning.
    public static let formatVersion = "1"

    public static func json(_ s: Statement) -> JSONValue {
        var root: [String: JSONValue] = [
            "format": .string("attain-statement/\(formatVersion)"),
            "payee": .object(["id": .string(s.payeeID), "name": .string(s.payeeName)]),
            "plan": .object(["name": .string(s.planName), "version": .string(s.planVersion), "source": .string(s.planPath)]),
            "period": .string(s.period.label),
            "period_start": .string(s.period.start.description),
            "period_end": .string(s.period.end.description),
            "currency": .string(s.currency.code),
            "target_incentive": .string(s.targetIncentive),
            "measures": .array(s.measures.map(measure)),
            "lines": .array(s.lines.map(line)),
            "totals": .object([
                "earned": .string(s.earned.text),
                "adjustments": .string(s.adjustments.text),
                "paid": .string(s.paid.text),
            ]),
        ]
        if let t = s.totalAttainment { root["total_attainment"] = .string(t) }
        if let p = s.proration { root["proration"] = .string(p) }
        if let o = s.measuredOver { root["measured_over"] = .string(o) }
        if !s.segments.isEmpty {
            root["segments"] = .array(s.segments.map { g in
                var o: [String: JSONValue] = [
                    "plan": .object(["name": .string(g.planName), "version": .string(g.planVersion), "source": .string(g.planPath)]),
                    "from": .string(g.from.description), "to": .string(g.to.description),
                    "target_incentive": .string(g.targetIncentive), "measures": .array(g.measures.map(measure)),
                ]
                if let t = g.totalAttainment { o["total_attainment"] = .string(t) }
                if let p = g.proration { o["proration"] = .string(p) }
                return .object(o)
            })
        }
        return .object(root)
    }

    static func measure(_ m: MeasureResult) -> JSONValue {
        var o: [String: JSONValue] = ["name": .string(m.name), "value": .string(m.value)]
        if let q = m.quota { o["quota"] = .string(q) }
        if let a = m.attainment { o["attainment"] = .string(a) }
        if let w = m.weight { o["weight"] = .string(w) }
        return .object(o)
    }

    static func line(_ l: StatementLine) -> JSONValue {
        var o: [String: JSONValue] = [
            "kind": .string(l.kind.rawValue),
            "component": .string(l.component),
            "amount": .string(l.amount.text),
            "source": .string(l.source),
        ]
        if let v = l.dealID { o["deal_id"] = .string(v) }
        if let v = l.closeDate { o["close_date"] = .string(v.description) }
        if let v = l.base { o["base"] = .string(v) }
        if let v = l.share { o["share"] = .string(v) }
        if let v = l.rate { o["rate"] = .string(v) }
        if let v = l.tier { o["tier"] = .string(v) }
        if let v = l.reason { o["reason"] = .string(v) }
        if let v = l.creditedTo { o["credited_to"] = .string(v) }
        if let v = l.refPeriod { o["for_period"] = .string(v) }
        if let v = l.balanceBefore { o["balance_before"] = .string(v.text) }
        if let v = l.balanceAfter { o["balance_after"] = .string(v.text) }
        if let v = l.segment { o["segment"] = .int(v) }
        if let c = l.conversion {
            o["original_amount"] = .string(c.original.text)
            o["original_currency"] = .string(c.original.currency.code)
            o["fx_rate"] = .string(c.rate.normalized.description)
            o["fx_date"] = .string(c.date.description)
        }
        if !l.tiers.isEmpty {
            o["tiers"] = .array(l.tiers.map { t in
                .object(["band": .string(t.band), "base": .string(t.base), "rate": .string(t.rate), "amount": .string(t.amount), "source": .string(t.source)])
            })
        }
        return .object(o)
    }

    /// The run summary: every payee's totals and the totals per currency, which reconcile with the statements.
    public static func summary(_ run: RunResult) -> JSONValue {
        var byCurrency: [String: (earned: Money, adjustments: Money, paid: Money, count: Int)] = [:]
        for s in run.statements {
            let code = s.currency.code
            let t = byCurrency[code] ?? (.zero(s.currency), .zero(s.currency), .zero(s.currency), 0)
            byCurrency[code] = ((try? t.earned.adding(s.earned)) ?? t.earned, (try? t.adjustments.adding(s.adjustments)) ?? t.adjustments,
                                (try? t.paid.adding(s.paid)) ?? t.paid, t.count + 1)
        }
        return .object([
            "format": .string("attain-summary/\(formatVersion)"),
            "period": .string(run.period.label),
            "plans": .array(run.plans.map { p in
                .object(["name": .string(p.name), "version": .string(p.version), "source": .string(p.path)])
            }),
            "payees": .array(run.statements.map { s in
                .object(["id": .string(s.payeeID), "name": .string(s.payeeName), "plan": .string(s.planName), "currency": .string(s.currency.code),
                         "earned": .string(s.earned.text), "adjustments": .string(s.adjustments.text), "paid": .string(s.paid.text)])
            }),
            "totals": .array(byCurrency.keys.sorted().map { code in
                let t = byCurrency[code]!
                return .object(["currency": .string(code), "payees": .int(t.count), "earned": .string(t.earned.text),
                                "adjustments": .string(t.adjustments.text), "paid": .string(t.paid.text)])
            }),
            "warnings": .array(run.warnings.items.map { .string(DiagnosticRenderer.plain($0)) }),
        ])
    }
}
