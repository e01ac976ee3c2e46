// adjustments.csv: manual adjustments finance posts at the next close, each with a reason, some answering a rep's
// dispute. Read and validated here like every other input; checked against the roster, the statements and the ledger's
// disputes when a close applies them (`ManualPosting`).

/// One row of adjustments.csv: an amount in the payee's statement currency, posted once as an `adjustment` line.
public struct ManualAdjustment: Sendable {
    /// The row's id: a row whose id a close already posted is not posted again.
    public let id: String
    public let payeeID: String
    /// Exact, in `currency`'s minor units at most; posted as it is (no rounding).
    public let amount: Money
    public let reason: String
    /// The line's component: the row's `component`, or "manual adjustment".
    public let component: String
    /// The dispute this row answers, by its id in the ledger.
    public let dispute: Int?
    /// "adjustments.csv:3": the line's trace.
    public let source: String
    /// Where the row's fields are, for messages a close gives about them.
    public let payeeSpan: SourceSpan
    public let currencySpan: SourceSpan
    public let disputeSpan: SourceSpan?
    public let line: Int
}

public enum ManualAdjustments {
    /// The columns every adjustments.csv has; `dispute` and `component` are optional.
    public static let columns = ["adjustment_id", "payee_id", "amount", "currency", "reason"]
    /// The component of a row that names none.
    public static let defaultComponent = "manual adjustment"

    /// Reads and validates adjustments.csv: every bad value is reported with file, line and column (D330–D349).
    public static func parse(_ file: InputFile) -> Result<[ManualAdjustment], Diagnostics> {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard var t = loader.table(file, required: columns, diagnostics: &diagnostics) else { return .failure(diagnostics) }
        var rows: [ManualAdjustment] = []
        var seen: [String: Int] = [:]
        var answered: [Int: Int] = [:]
        func span(_ r: CSVRecord, _ column: String, width: Int) -> SourceSpan {
            let i = t.header[column]
            let col = i.map { $0 < r.fields.count ? r.column($0) : r.lineText.count + 1 } ?? 1
            return .csv(path: file.path, line: r.line, column: col, width: width, lineText: r.lineText)
        }
        for r in t.records where r.fields.count == t.header.count {
            let id = (t.value(r, "adjustment_id") ?? "").trimmingSpaces()
            if id.isEmpty { t.fail("D330", "`adjustment_id` is empty; every adjustment has an id, so that a close posts it once", r, t.header["adjustment_id"]) }
            let payee = (t.value(r, "payee_id") ?? "").trimmingSpaces()
            if payee.isEmpty { t.fail("D331", "`payee_id` is empty", r, t.header["payee_id"]) }
            let code = t.value(r, "currency") ?? ""
            let currency = Currency(code: code)
            if currency == nil {
                t.fail("D332", code.isEmpty ? "`currency` is empty; expected the payee's statement currency, such as USD"
                                            : "`currency` is `\(Suggestion.cut(code))`: not a known ISO 4217 currency",
                       r, t.header["currency"], width: code.count, notes: Currency.help(for: code))
            }
            let amountText = t.value(r, "amount") ?? ""
            var amount: ExactDecimal?
            switch ExactDecimal.parse(Array(amountText.utf8)) {
            case .success(let d):
                if let c = currency, d.scale > c.minorUnits, d.normalized.scale > c.minorUnits {
                    t.fail("D333", "`amount` is `\(Suggestion.cut(amountText))`: \(c.code) amounts have at most \(c.minorUnits) decimal place\(c.minorUnits == 1 ? "" : "s")",
                           r, t.header["amount"], width: amountText.count)
                } else if d.isZero {
                    t.fail("D333", "`amount` is zero; an adjustment adds or takes back an amount", r, t.header["amount"], width: amountText.count)
                } else {
                    amount = d
                }
            case .failure(let e):
                t.fail("D333", amountText.isEmpty ? "`amount` is empty; expected a decimal amount such as 250.00 or -80.00"
                                                  : "`amount` is `\(Suggestion.cut(amountText))`: \(e.reason)",
                       r, t.header["amount"], width: max(1, amountText.count))
            }
            let reason = (t.value(r, "reason") ?? "").trimmingSpaces()
            if reason.isEmpty {
                t.fail("D334", "`reason` is empty; every manual adjustment says why it is made (the rep reads it on the statement)", r, t.header["reason"])
            }
            var dispute: Int?
            var disputeSpan: SourceSpan?
            if let text = t.value(r, "dispute")?.trimmingSpaces(), !text.isEmpty {
                disputeSpan = span(r, "dispute", width: text.count)
                if let n = Int(text), n > 0 {
                    dispute = n
                    if let first = answered[n] {
                        t.fail("D335", "dispute \(n) is answered by the row on line \(first) already; one adjustment answers a dispute", r, t.header["dispute"], width: text.count)
                    } else {
                        answered[n] = r.line
                    }
                } else {
                    t.fail("D336", "`dispute` is `\(Suggestion.cut(text))`; expected the number `attain dispute` printed (see `attain disputes`)", r, t.header["dispute"], width: text.count)
                }
            }
            let component = (t.value(r, "component") ?? "").trimmingSpaces()
            if !id.isEmpty {
                if let first = seen[id] {
                    t.fail("D337", "adjustment `\(Suggestion.cut(id))` appears twice; each row has its own id", r, t.header["adjustment_id"], width: id.count,
                           notes: [.note("first on line \(first)")])
                    continue
                }
                seen[id] = r.line
            }
            guard !id.isEmpty, !payee.isEmpty, let currency, let amount, !reason.isEmpty, t.value(r, "dispute").map({ $0.trimmingSpaces().isEmpty || dispute != nil }) ?? true
            else { continue }
            rows.append(ManualAdjustment(id: id, payeeID: payee, amount: Money(amount, currency), reason: reason,
                                         component: component.isEmpty ? defaultComponent : component, dispute: dispute,
                                         source: "\(file.path):\(r.line)", payeeSpan: span(r, "payee_id", width: payee.count),
                                         currencySpan: span(r, "currency", width: code.count), disputeSpan: disputeSpan, line: r.line))
        }
        diagnostics.append(contentsOf: t.finished)
        if diagnostics.hasErrors { return .failure(diagnostics) }
        return .success(rows)
    }
}
