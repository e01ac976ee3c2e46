// Who reported directly to whom during a period: the managers that get a team page, and the reports on it.

/// Each manager's direct reports over a period: with hierarchy.csv, every rep one of whose rows puts them under the
/// manager on some day of the period; without it (or for a rep hierarchy.csv has no rows for), roster.csv's
/// `manager_id`. The tree overrides and team measures read on the period's days.
public struct TeamTree: Sendable {
    /// Manager id → the ids of their direct reports in the period, sorted.
    public let reports: [String: [String]]

    public init(reports: [String: [String]]) {
        self.reports = reports.mapValues { $0.sorted() }
    }

    /// The tree of `data`'s roster and hierarchy over `period`.
    public init(data: DataSet, period: Period) {
        var out: [String: [String]] = [:]
        if let h = data.hierarchy {
            for (place, id) in h.ids.enumerated() {
                var managers: Set<Int> = []
                if let spans = h.spans[place] {
                    for s in spans where s.manager >= 0 && s.start <= period.end && (s.end.map { $0 >= period.start } ?? true) {
                        managers.insert(Int(s.manager))
                    }
                } else if h.rosterManager[place] >= 0 {
                    managers.insert(Int(h.rosterManager[place]))
                }
                for m in managers where h.ids[m] != id { out[h.ids[m], default: []].append(id) }
            }
        } else {
            for rep in data.reps { if let m = rep.managerID, m != rep.id { out[m, default: []].append(rep.id) } }
        }
        self.init(reports: out)
    }

    /// The managers with at least one report, sorted by id.
    public var managers: [String] { reports.keys.sorted() }
}
