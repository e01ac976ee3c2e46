// Evaluating measures of activities: an activity's columns in conditions, commission lines that name the activity,
// and the list of activities a measure counted.

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

extension DealEnvironment {
    /// An activity's columns, read from the row it is credited as (`Crediting.credit(_:plan:)`): its id, rep, date and
    /// kind where a deal keeps its id, rep, close date and type, its count where a deal keeps its amount.
    func activityField(_ field: ActivityField) throws -> Value {
        let row = credit.deal
        switch field {
        case .activityID: return .text(row.dealID)
        case .repID: return .text(row.repID)
        case .date: return .date(row.closeDate)
        case .kind: return .text(row.type)
        case .count: return .number(Ratio(row.amount))
        case .extra(let name):
            guard let v = row.extras[name] else { throw UnexpectedValue(description: "missing activity field \(name)") }
            return v
        }
    }
}
