// Where every row of an import went: rows read, imported, skipped by a named rule, refused; as a table and as JSON.

/// The figures of one import. Every deal row read is in exactly one of won, cancelled, lost, open or refused.
public struct ImportReport: Sendable {
    /// Rows and their amounts per currency (code → sum, exact).
    public struct Bucket: Sendable {
        public var rows = 0
        public var amounts: [String: ExactDecimal] = [:]
        /// Rows whose amount was blank or not a number, counted but not summed.
        public var unsummed = 0

        mutating func add(_ amount: ExactDecimal?, _ currency: Currency?) -> Bool {
            rows += 1
            guard let amount, let currency else {
                unsummed += 1
                return true
            }
            guard let sum = try? (amounts[currency.code] ?? .zero).adding(amount) else { return false }
            amounts[currency.code] = sum
            return true
        }

        /// `120000.00 USD, 5000.00 EUR` (currencies sorted), and how many rows had no amount; or empty.
        public var amountText: String {
            let sums = amounts.keys.sorted().map { "\(amounts[$0]!) \($0)" }.joined(separator: ", ")
            guard unsummed > 0 else { return sums }
            let blank = "\(unsummed) row\(unsummed == 1 ? "" : "s") without an amount"
            return sums.isEmpty ? "(\(blank))" : "\(sums) (\(blank))"
        }

        var json: JSONValue {
            var o: [String: JSONValue] = ["rows": .int(rows), "amounts": .object(amounts.mapValues { .string($0.description) })]
            if unsummed > 0 { o["rows_without_amount"] = .int(unsummed) }
            return .object(o)
        }
    }

    /// A bucket broken down by a value (a stage, a reason), in the order first seen.
    public struct Breakdown: Sendable {
        public var total = Bucket()
        public var parts: [(value: String, bucket: Bucket)] = []

        mutating func add(_ value: String, _ amount: ExactDecimal?, _ currency: Currency?) -> Bool {
            if let i = parts.firstIndex(where: { $0.value == value }) {
                _ = parts[i].bucket.add(amount, currency)
            } else {
                var b = Bucket()
                _ = b.add(amount, currency)
                parts.append((value, b))
            }
            return total.add(amount, currency)
        }

        /// Counts a row whose amount could not be read at all (the export has no amount column): neither summed nor
        /// said to be without an amount.
        mutating func addUnread(_ value: String) {
            if let i = parts.firstIndex(where: { $0.value == value }) { parts[i].bucket.rows += 1 } else {
                var b = Bucket()
                b.rows = 1
                parts.append((value, b))
            }
            total.rows += 1
        }

        var json: JSONValue {
            var o: [String: JSONValue] = ["rows": .int(total.rows), "amounts": .object(total.amounts.mapValues { .string($0.description) })]
            if total.unsummed > 0 { o["rows_without_amount"] = .int(total.unsummed) }
            o["by"] = .array(parts.map { p in
                guard case .object(var members) = p.bucket.json else { return p.bucket.json }
                members["value"] = .string(p.value)
                return .object(members)
            })
            return .object(o)
        }
    }

    public var profile = ""
    /// Each export read: its path, what it holds (`deals` or `activities`) and its rows.
    public var files: [(path: String, kind: String, rows: Int)] = []
    public var dealRows = 0
    public var won = Bucket()
    public var cancelled = Bucket()
    public var lost = Breakdown()
    public var open = Breakdown()
    /// Rows left out, by reason (`owner not mapped`, `blank amount`, …).
    public var refused = Breakdown()
    /// Extra credit rows written per role.
    public var roles = Breakdown()
    /// Credit rows not written, by reason (the holder maps to no rep).
    public var rolesRefused = Breakdown()
    public var activityRows = 0
    public var counted = 0
    /// The sum of the `count` column of the activities counted (blank = 1).
    public var countTotal = ExactDecimal.zero
    public var notCounted: [(value: String, rows: Int)] = []
    public var activitiesRefused: [(value: String, rows: Int)] = []

    /// The table printed at the end of an import.
    public func text() -> String {
        var rows: [[String]] = []
        func line(_ label: String, _ n: Int, _ amounts: String = "") { rows.append([label, "\(n)", amounts]) }
        func part(_ prefix: String, _ b: Breakdown) {
            guard b.total.rows > 0 else { return }
            line(prefix, b.total.rows, b.total.amountText)
            for p in b.parts { line("    \(p.value)", p.bucket.rows, p.bucket.amountText) }
        }
        if dealRows > 0 || activityRows == 0 {
            line("deal rows read", dealRows)
            line("  imported as won", won.rows, won.amountText)
            if cancelled.rows > 0 { line("  imported as cancelled", cancelled.rows, cancelled.amountText) }
            part("  skipped as lost", lost)
            part("  skipped as open", open)
            part("  refused", refused)
            part("credit rows written (besides the owner's)", roles)
            part("credit rows not written", rolesRefused)
        }
        if activityRows > 0 {
            line("activity rows read", activityRows)
            line("  imported (count \(countTotal))", counted)
            for n in notCounted { line("  not counted: \(n.value)", n.rows) }
            for r in activitiesRefused { line("  refused: \(r.value)", r.rows) }
        }
        let head = "import through \(profile): " + files.map { "\($0.path) (\($0.kind), \($0.rows) row\($0.rows == 1 ? "" : "s"))" }.joined(separator: ", ") + "\n"
        return head + TextTable.render(rows, numeric: [1])
    }

    /// `import.json`: the same figures.
    public func json() -> String {
        var o: [String: JSONValue] = [
            "profile": .string(profile),
            "files": .array(files.map { .object(["path": .string($0.path), "kind": .string($0.kind), "rows": .int($0.rows)]) }),
        ]
        o["deals"] = .object([
            "rows_read": .int(dealRows), "won": won.json, "cancelled": cancelled.json, "lost": lost.json, "open": open.json,
            "refused": refused.json, "credit_roles": roles.json, "credit_roles_refused": rolesRefused.json,
        ])
        o["activities"] = .object([
            "rows_read": .int(activityRows), "imported": .int(counted), "count": .string(countTotal.description),
            "not_counted": .array(notCounted.map { .object(["value": .string($0.value), "rows": .int($0.rows)]) }),
            "refused": .array(activitiesRefused.map { .object(["value": .string($0.value), "rows": .int($0.rows)]) }),
        ])
        return JSONValue.object(o).serialized()
    }
}
