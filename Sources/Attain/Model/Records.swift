// The typed input records: deals, reps and plan assignments, each remembering its input line.

/// One row of deals.csv: a deal, or one payee's share of a split deal.
public struct Deal: Sendable {
    public enum Status: String, Sendable {
        case won, cancelled
    }

    public let dealID: String
    public let repID: String
    public let closeDate: CivilDate
    /// The whole deal's amount, in `currency`.
    public let amount: ExactDecimal
    public let currency: Currency
    public let product: String
    public let type: String
    /// This row's share of the deal as a fraction (1 when the deal is not split).
    public let share: ExactDecimal
    public let status: Status
    public let cancelDate: CivilDate?
    /// Values of the extra columns the plans declared with `field`.
    public let extras: [String: Value]
    /// The row's line in deals.csv.
    public internal(set) var line: Int
    /// The credit role the row credits its rep in (`role` column; `owner` when empty or absent).
    public var role: String = Deal.owner
}

/// One row of roster.csv.
public struct Rep: Sendable {
    public let id: String
    public let name: String
    public let managerID: String?
    public let hireDate: CivilDate
    public let endDate: CivilDate?
    public let line: Int
    /// The language the rep's statement is written in (roster.csv's optional `locale` column); nil for the run's default.
    public var locale: ReportLocale? = nil

    /// Each rep's place in the list by id (the first, should an id repeat).
    static func positions(_ reps: [Rep]) -> [String: Int] {
        var position: [String: Int] = [:]
        position.reserveCapacity(reps.count)
        for (i, rep) in reps.enumerated() where position[rep.id] == nil { position[rep.id] = i }
        return position
    }
}

/// One row of assignments.csv: which plan a rep is on, with which quota, from when to when.
public struct Assignment: Sendable {
    public let repID: String
    public let plan: String
    public let start: CivilDate
    public let end: CivilDate?
    /// Quota for one payout period, in the plan's currency.
    public let quota: ExactDecimal
    /// Target incentive for one payout period, in the plan's currency.
    public let targetIncentive: ExactDecimal
    /// Every other column by name, with its 1-based column number, for `quota from assignment.<column>`.
    public let extras: [String: (text: String, column: Int)]
    public let line: Int
    public let lineText: String
}

/// Everything the loader read, validated.
public struct DataSet: Sendable {
    public internal(set) var deals: DealTable
    public let reps: [Rep]
    public let assignments: [Assignment]
    public let assignmentsPath: String
    public let dealColumns: Set<String>
    /// Rows whose rep is not in the roster: read and checked, not paid, counted in the reconciliation.
    public var unrostered: [Deal] = []
    /// hierarchy.csv, when the data folder has one: the dated manager tree. Without it, roster.csv's `manager_id`
    /// holds for all time.
    public internal(set) var hierarchy: Hierarchy? = nil
    /// targets.csv (with seasonality.csv), when the data folder has one: each rep's targets broken down to months.
    public internal(set) var targets: TargetBook? = nil
    /// activities.csv, when the data folder has one.
    public internal(set) var activities: ActivityTable? = nil
    /// payments.csv, when the data folder has one: what customers paid, for components that pay on collection.
    public internal(set) var payments: Payments? = nil
    /// holds.csv's rows, when the data folder has one: payees and deals held by hand.
    public internal(set) var holds: [HandHold] = []
}
