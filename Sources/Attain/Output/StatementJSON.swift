// The JSON form of statements and of a run's summary.

public enum StatementJSON {
    /// Version of the statement format; bumped when a key changes meaning.
    public static let formatVersion = "1"

    /// A statement's JSON text, written member by member in key order.
    public static func text(_ s: Statement) -> String {
        var w = JSONWriter(capacity: 1024 + s.lines.count * 512)
        write(s, into: &w)
        return w.finishText()
    }

    /// A statement's JSON bytes, ending in a newline: indented as in its file, or `compact` on one line (a line of
    /// `statements.jsonl`). Handed over in the writer's own memory, to be written as they are.
    public static func bytes(_ s: Statement, compact: Bool = false) -> JSONWriter.Buffer {
        var w = JSONWriter(capacity: 1024 + s.lines.count * (compact ? 384 : 512), compact: compact)
        write(s, into: &w)
        return w.finishBytes()
    }

    /// A statement's members, in key order.
    static func write(_ s: Statement, into w: inout JSONWriter) {
        w.beginObject()
        w.field("currency", s.currency.code)
        w.field("format", "attain-statement/\(formatVersion)")
        w.key("lines")
        w.beginArray()
        for l in s.lines { line(l, into: &w) }
        w.endArray()
        w.field("measured_over", s.measuredOver)
        measures(s.measures, into: &w)
        w.key("payee")
        w.beginObject()
        w.field("id", s.payeeID)
        w.field("name", s.payeeName)
        w.endObject()
        w.field("period", s.period.label)
        w.field("period_end", s.period.end.description)
        w.field("period_start", s.period.start.description)
        plan(name: s.planName, version: s.planVersion, source: s.planPath, into: &w)
        w.field("proration", s.proration)
        if !s.queries.isEmpty { queries(s.queries, into: &w) }
        if !s.segments.isEmpty {
            w.key("segments")
            w.beginArray()
            for g in s.segments {
                w.beginObject()
                w.field("from", g.from.description)
                measures(g.measures, into: &w)
                plan(name: g.planName, version: g.planVersion, source: g.planPath, into: &w)
                w.field("proration", g.proration)
                w.field("target_incentive", g.targetIncentive)
                w.field("to", g.to.description)
                w.field("total_attainment", g.totalAttainment)
                w.endObject()
            }
            w.endArray()
        }
        w.field("target_incentive", s.targetIncentive)
        w.field("total_attainment", s.totalAttainment)
        w.key("totals")
        w.beginObject()
        w.field("adjustments", s.adjustments.text)
        w.field("earned", s.earned.text)
        w.field("held", s.held?.text)
        w.field("paid", s.paid.text)
        w.field("released", s.released?.text)
        w.endObject()
        w.endObject()
    }

    /// The payee's queries (disputes), members in key order; the disputed line by its period and 1-based number.
    static func queries(_ list: [StatementQuery], into w: inout JSONWriter) {
        w.key("queries")
        w.beginArray()
        for q in list {
            w.beginObject()
            if let n = q.adjustmentLine {
                w.key("adjustment_line")
                w.int(n)
            }
            w.field("answer", q.answer)
            w.field("answered_at", q.answeredAt)
            w.field("answered_by", q.answeredBy)
            w.field("at", q.at)
            w.field("by", q.by)
            w.key("id")
            w.int(q.id)
            w.key("line")
            w.int(q.line)
            w.field("line_amount", q.lineAmount)
            w.field("line_component", q.lineComponent)
            w.field("line_deal_id", q.lineDealID)
            w.field("line_kind", q.lineKind)
            w.field("period", q.period)
            w.field("status", q.status.rawValue)
            w.field("text", q.text)
            w.endObject()
        }
        w.endArray()
    }

    static func plan(name: String, version: String, source: String, into w: inout JSONWriter) {
        w.key("plan")
        w.beginObject()
        w.field("name", name)
        w.field("source", source)
        w.field("version", version)
        w.endObject()
    }

    static func measures(_ list: [MeasureResult], into w: inout JSONWriter) {
        w.key("measures")
        w.beginArray()
        for m in list {
            w.beginObject()
            if let activities = m.activities { StatementJSON.activities(activities, into: &w) }
            w.field("attainment", m.attainment)
            if !m.from.isEmpty {
                w.key("from")
                w.beginArray()
                for c in m.from {
                    w.beginObject()
                    w.field("amount", c.amount)
                    w.key("deals")
                    w.int(c.deals)
                    w.field("name", c.repName)
                    w.field("rep_id", c.repID)
                    w.endObject()
                }
                w.endArray()
            }
            w.field("name", m.name)
            w.field("quota", m.quota)
            w.field("value", m.value)
            w.field("weight", m.weight)
            w.endObject()
        }
        w.endArray()
    }

    static func line(_ l: StatementLine, into w: inout JSONWriter) {
        w.beginObject()
        w.field("activity_id", l.activityID)
        w.field("amount", l.amount.text)
        w.field("balance_after", l.balanceAfter?.text)
        w.field("balance_before", l.balanceBefore?.text)
        w.field("base", l.base)
        w.field("close_date", l.closeDate?.description)
        w.field("component", l.component)
        w.field("credited_to", l.creditedTo)
        w.field("deal_id", l.dealID)
        if let d = l.dispute {
            w.key("dispute")
            w.int(d)
        }
        w.field("for_period", l.refPeriod)
        w.field("fx_date", l.conversion?.date.description)
        w.field("fx_rate", l.conversion?.rate.normalized.description)
        w.field("kind", l.kind.rawValue)
        w.field("original_amount", l.conversion?.original.text)
        w.field("original_currency", l.conversion?.original.currency.code)
        w.field("rate", l.rate)
        w.field("reason", l.reason)
        w.field("role", l.role)
        if let segment = l.segment {
            w.key("segment")
            w.int(segment)
        }
        w.field("share", l.share)
        w.field("source", l.source)
        w.field("tier", l.tier)
        if !l.tiers.isEmpty {
            w.key("tiers")
            w.beginArray()
            for t in l.tiers {
                w.beginObject()
                w.field("amount", t.amount)
                w.field("band", t.band)
                w.field("base", t.base)
                w.field("rate", t.rate)
                w.field("source", t.source)
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
    }

    /// The run summary's JSON text: every payee's totals and the totals per currency, which reconcile with the
    /// statements. Written member by member in key order, like a statement.
    public static func summaryText(_ run: RunResult) -> String {
        summaryText(period: run.period, payees: run.statements.map(SummaryEntry.init), plans: run.plans, reconciliation: run.reconciliation, warnings: run.warnings)
    }

    /// What the summary says of one payee: their statement's totals.
    public struct SummaryEntry: Sendable, Codable {
        public let payeeID: String
        public let payeeName: String
        public let planName: String
        public let currency: Currency
        public let earned: Money
        public let adjustments: Money
        public let paid: Money
        /// The plans of the statement (its segments', or its own).
        public let plans: [String]

        public init(_ s: Statement) {
            payeeID = s.payeeID
            payeeName = s.payeeName
            planName = s.planName
            currency = s.currency
            earned = s.earned
            adjustments = s.adjustments
            paid = s.paid
            plans = s.segments.isEmpty ? [s.planName] : s.segments.map(\.planName)
        }
    }

    /// The summary of a run from its payees' totals, in payee id order.
    public static func summaryText(period: Period, payees: [SummaryEntry], plans: [CompiledPlan], reconciliation: Reconciliation?, warnings: Diagnostics) -> String {
        var byCurrency: [String: (earned: Money, adjustments: Money, paid: Money, count: Int)] = [:]
        for s in payees {
            let code = s.currency.code
            let t = byCurrency[code] ?? (.zero(s.currency), .zero(s.currency), .zero(s.currency), 0)
            byCurrency[code] = ((try? t.earned.adding(s.earned)) ?? t.earned, (try? t.adjustments.adding(s.adjustments)) ?? t.adjustments,
                                (try? t.paid.adding(s.paid)) ?? t.paid, t.count + 1)
        }
        var w = JSONWriter(capacity: 4096 + payees.count * 256)
        w.beginObject()
        w.field("format", "attain-summary/\(formatVersion)")
        w.key("payees")
        w.beginArray()
        for s in payees {
            w.beginObject()
            w.field("adjustments", s.adjustments.text)
            w.field("currency", s.currency.code)
            w.field("earned", s.earned.text)
            w.field("id", s.payeeID)
            w.field("name", s.payeeName)
            w.field("paid", s.paid.text)
            w.field("plan", s.planName)
            w.endObject()
        }
        w.endArray()
        w.field("period", period.label)
        w.key("plans")
        w.beginArray()
        for p in plans {
            w.beginObject()
            w.field("name", p.name)
            w.field("source", p.path)
            w.field("version", p.version)
            w.endObject()
        }
        w.endArray()
        if let r = reconciliation {
            w.key("reconciliation")
            r.write(into: &w)
        }
        w.key("totals")
        w.beginArray()
        for code in byCurrency.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let t = byCurrency[code]!
            w.beginObject()
            w.field("adjustments", t.adjustments.text)
            w.field("currency", code)
            w.field("earned", t.earned.text)
            w.field("paid", t.paid.text)
            w.key("payees")
            w.int(t.count)
            w.endObject()
        }
        w.endArray()
        w.key("warnings")
        w.beginArray()
        for d in warnings.items { w.string(DiagnosticRenderer.plain(d)) }
        w.endArray()
        w.endObject()
        return w.finishText()
    }
}
