// Each payee's cost center for the journal: roster.csv's optional `cost_center` column, else its `department`.

/// Cost centers by rep id, read from roster.csv only when a journal is written.
public struct CostCenters: Sendable {
    public let byRep: [String: String]
    /// The roster column they came from (`cost_center`, `department`), nil when it has neither.
    public let column: String?

    public init(byRep: [String: String], column: String?) {
        self.byRep = byRep
        self.column = column
    }

    public subscript(_ rep: String) -> String { byRep[rep] ?? "" }

    /// The column names read, in order: the first the roster has is used. Fixed.
    public static let columns = ["cost_center", "department"]

    /// Reads the cost-center column of roster.csv; the roster's own errors are the loader's to report.
    public static func read(_ file: InputFile) -> CostCenters {
        var ignored = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard let t = loader.table(file, required: ["rep_id"], diagnostics: &ignored),
              let column = columns.first(where: { t.header[$0] != nil }) else { return CostCenters(byRep: [:], column: nil) }
        var out: [String: String] = [:]
        for r in t.records {
            guard let id = t.value(r, "rep_id"), out[id] == nil else { continue }
            out[id] = (t.value(r, column) ?? "").trimmingSpaces()
        }
        return CostCenters(byRep: out, column: column)
    }
}
