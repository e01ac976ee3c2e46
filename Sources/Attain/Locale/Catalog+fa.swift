// The Persian catalog (fa): the same keys as the English one. Pages in Persian run right to left.

extension Catalog {
    public static let persian: [String: String] = [
        // Statement
        "statement.title": "صورت‌حساب {0}، {1}",
        "statement.eyebrow": "صورت‌حساب پورسانت · {0}",
        "statement.payee_id": "شناسهٔ دریافت‌کننده {0}",
        "statement.total_paid": "جمع پرداختی",

        // Team page and index (keys `team.`, `index.`)
        "team.marker": "-",

        // Compare report (keys `compare.`)
        "compare.marker": "-",

        // Terminal tables (keys `table.`)
        "table.marker": "-",
    ]
}
