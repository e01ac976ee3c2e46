// What a statement shows of activities: each activity a measure counted, and commission lines that name one.

/// One activity a measure of activities counted, as a statement lists it under the measure.
public struct ActivityEntry: Sendable {
    public let activityID: String
    public let repID: String
    public let date: CivilDate
    public let kind: String
    /// The row's `count`, as written (normalized).
    public let count: String
    /// What the activity added to the measure: 1 for `count of activities`, its value of the summed expression otherwise.
    public let contribution: String
}

extension Evaluator {
    /// A commission line on a measure of activities: it names the activity, not a deal, and its rate is per activity.
    static func activityLine(_ line: StatementLine) -> StatementLine {
        var l = line
        l.activityID = l.dealID
        l.dealID = nil
        l.rate = l.rate.map(perActivity)
        l.tiers = l.tiers.map { TierPortion(band: $0.band, base: $0.base, rate: perActivity($0.rate), amount: $0.amount, source: $0.source) }
        return l
    }

    static func perActivity(_ rate: String) -> String {
        rate.hasSuffix(" per deal") ? String(rate.dropLast(" per deal".count)) + " per activity" : rate
    }

    /// The activities measure `i` counted, in the order it counted them, with what each added.
    func activityEntries(_ i: Int) -> [ActivityEntry] {
        let credits = input.credits(for: plan.measures[i])
        return contributions[i].map { c, value in
            let deal = credits.credit(c).deal
            return ActivityEntry(activityID: deal.dealID, repID: deal.repID, date: deal.closeDate, kind: deal.type,
                                 count: deal.amount.normalized.description, contribution: unitText(value, measure: i))
        }
    }
}

extension PayeeInput {
    /// The credits a measure reads: deals (the payee's own or their reports'), or for a measure of activities the
    /// activities.
    func credits(for m: CompiledMeasure) -> CreditList {
        guard m.readsActivities else { return credits(for: m.creditScope) }
        switch m.creditScope {
        case nil: return .values(activities)
        case .direct?: return .values(directReportActivities)
        case .all?: return .values(allReportActivities)
        }
    }
}

extension StatementJSON {
    /// `"activities"` on a measure of activities: each counted activity with what it added, in date order.
    static func activities(_ list: [ActivityEntry], into w: inout JSONWriter) {
        w.key("activities")
        w.beginArray()
        for a in list {
            w.beginObject()
            w.field("activity_id", a.activityID)
            w.field("contribution", a.contribution)
            w.field("count", a.count)
            w.field("date", a.date.description)
            w.field("kind", a.kind)
            w.field("rep_id", a.repID)
            w.endObject()
        }
        w.endArray()
    }
}
