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
