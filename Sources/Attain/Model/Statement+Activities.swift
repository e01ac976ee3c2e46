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

extension StatementHTML {
    /// Under a measure of activities, what it counted: each activity's id, date, kind, count and what it added.
    static func activityTable(_ m: MeasureResult) -> [String] {
        guard let list = m.activities, !list.isEmpty else { return [] }
        var h = ["<table class=\"from\">", "<caption>\(escape(m.name)) counted</caption>",
                 "<thead><tr><th>Activity</th><th>Date</th><th>Kind</th><th class=\"num\">Count</th><th class=\"num\">Counted</th></tr></thead>", "<tbody>"]
        for a in list {
            h.append("<tr><td>\(escape(a.activityID))</td><td>\(a.date)</td><td>\(escape(a.kind))</td><td class=\"num\">\(escape(a.count))</td><td class=\"num\">\(escape(a.contribution))</td></tr>")
        }
        h += ["</tbody>", "</table>"]
        return h
    }
}
