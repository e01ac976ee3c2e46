// The English catalog: every key of the pages, in English. The other catalogs have the same keys.

extension Catalog {
    public static let english: [String: String] = [
        // Statement
        "statement.title": "Statement for {0}, {1}",
        "statement.eyebrow": "Commission statement · {0}",
        "statement.payee_id": "Payee ID {0}",
        "statement.total_paid": "Total paid",

        // Team page and index (keys `team.`, `index.`)
        "team.marker": "-",

        // Compare report (keys `compare.`)
        "compare.marker": "-",

        // Terminal tables (keys `table.`)
        "table.marker": "-",
    ]
}
