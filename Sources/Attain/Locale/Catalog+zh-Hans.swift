// The Simplified Chinese catalog (zh-Hans): the same keys as the English one.

extension Catalog {
    public static let simplifiedChinese: [String: String] = [
        // Statement
        "statement.title": "{0} 的提成结算单，{1}",
        "statement.eyebrow": "提成结算单 · {0}",
        "statement.payee_id": "收款人编号 {0}",
        "statement.total_paid": "实发合计",

        // Team page and index (keys `team.`, `index.`)
        "team.marker": "-",

        // Compare report (keys `compare.`)
        "compare.marker": "-",

        // Terminal tables (keys `table.`)
        "table.marker": "-",
    ]
}
