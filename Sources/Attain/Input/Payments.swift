// payments.csv: what customers paid on their deals, read and checked against deals.csv, for plans that pay on collection.

/// Payments by deal: `deal_id, date, amount, currency`. Several rows of one deal add up.
public struct Payments: Sendable {
    public struct Payment: Sendable {
        public let date: CivilDate
        public let amount: ExactDecimal
    }

    public let path: String
    /// Each deal's payments in date order.
    var byDeal: [String: [Payment]] = [:]

    public init(path: String) { self.path = path }

    /// What was paid on the deal up to and including `date`, in the deal's currency.
    public func collected(_ dealID: String, by date: CivilDate) -> ExactDecimal {
        var sum = ExactDecimal.zero
        for p in byDeal[dealID] ?? [] where p.date <= date { sum = (try? sum.adding(p.amount)) ?? sum }
        return sum
    }

    /// Reads payments.csv. Bad dates, amounts and currencies, and a currency that is not the deal's, are errors; a
    /// payment for a deal deals.csv does not have, and payments beyond a deal's amount, are warnings (the collected share
    /// is then capped at 100%).
    public static func load(_ file: InputFile, deals: DealTable) -> (Payments?, Diagnostics) {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard var t = loader.table(file, required: ["deal_id", "date", "amount", "currency"], diagnostics: &diagnostics) else { return (nil, diagnostics) }
        // Each deal's first row: its whole amount and currency (split rows all carry the deal's amount).
        var dealByID: [String: Deal] = [:]
        for d in deals where dealByID[d.dealID] == nil { dealByID[d.dealID] = d }
        var payments = Payments(path: file.path)
        var warnings: [Diagnostic] = []
        var totals: [String: ExactDecimal] = [:]
        var beyond: Set<String> = []
        func span(_ r: CSVRecord, _ column: String, width: Int) -> SourceSpan {
            let col = t.header[column].map { $0 < r.fieldStarts.count ? r.column($0) : r.lineText.count + 1 } ?? 1
            return .csv(path: file.path, line: r.line, column: col, width: width, lineText: r.lineText)
        }
        for r in t.records where r.fields.count >= 4 {
            let id = t.value(r, "deal_id") ?? ""
            if id.trimmingSpaces().isEmpty {
                t.fail("D300", "`deal_id` is empty; a payment names the deal it pays", r, t.header["deal_id"])
                continue
            }
            let dateText = t.value(r, "date") ?? ""
            var date: CivilDate?
            switch CivilDate.parse(Array(dateText.utf8)) {
            case .success(let d): date = d
            case .failure(let e):
                t.fail("D301", dateText.isEmpty ? "`date` is empty; expected the day the payment arrived as YYYY-MM-DD" : "`date` is `\(Suggestion.cut(dateText))`: \(e.reason)",
                       r, t.header["date"], width: max(1, dateText.count))
            }
            let amountText = t.value(r, "amount") ?? ""
            var amount: ExactDecimal?
            switch ExactDecimal.parse(Array(amountText.utf8)) {
            case .success(let a):
                if a <= .zero {
                    t.fail("D303", "`amount` is `\(Suggestion.cut(amountText))`: a payment is greater than zero", r, t.header["amount"], width: max(1, amountText.count))
                } else {
                    amount = a
                }
            case .failure(let e):
                t.fail("D302", "`amount` is `\(Suggestion.cut(amountText))`: \(e.reason)", r, t.header["amount"], width: max(1, amountText.count))
            }
            let code = t.value(r, "currency") ?? ""
            guard let currency = Currency(code: code) else {
                t.fail("D304", "`currency` is `\(Suggestion.cut(code))`: not a known ISO 4217 currency", r, t.header["currency"], width: max(1, code.count),
                       notes: Currency.help(for: code))
                continue
            }
            guard let date, let amount else { continue }
            guard let deal = dealByID[id] else {
                warnings.append(.warning("D306", "a payment of \(Money(amount, currency).text) \(currency.code) for deal `\(Suggestion.cut(id))`, which deals.csv does not have; it is not counted",
                                         at: span(r, "deal_id", width: id.count),
                                         notes: Suggestion.help(for: id, in: Array(dealByID.keys.prefix(10_000))) + [.help("check the deal id, or add the deal to deals.csv")]))
                continue
            }
            guard currency == deal.currency else {
                t.fail("D305", "a payment in \(currency.code) for deal `\(Suggestion.cut(id))`, which is in \(deal.currency.code); payments are in the deal's currency",
                       r, t.header["currency"], width: max(1, code.count), notes: [.note("deals.csv line \(deal.line)")])
                continue
            }
            payments.byDeal[id, default: []].append(Payment(date: date, amount: amount))
            let total = (try? (totals[id] ?? .zero).adding(amount)) ?? amount
            totals[id] = total
            if total > deal.amount, beyond.insert(id).inserted {
                warnings.append(.warning("D307", "payments for deal `\(Suggestion.cut(id))` come to \(Money(total, currency).text) \(currency.code), more than its amount of \(Money(deal.amount, currency).text); it counts as collected in full",
                                         at: span(r, "amount", width: amountText.count)))
            }
        }
        for id in payments.byDeal.keys {
            payments.byDeal[id]!.sort { $0.date < $1.date }
        }
        diagnostics.append(contentsOf: t.finished)
        diagnostics.append(contentsOf: Diagnostics(warnings))
        return (diagnostics.hasErrors ? nil : payments, diagnostics)
    }
}

/// A hold put on a payee or a deal by hand (holds.csv, or `attain hold` in the ledger): their pay is held until it is lifted.
public struct HandHold: Sendable, Equatable {
    /// The payee held, or nil when a deal is.
    public let payeeID: String?
    /// The deal held, or nil when a payee is.
    public let dealID: String?
    public let reason: String
    /// Who held it (`attain hold --by`); nil in holds.csv.
    public let by: String?
    /// The day after which the hold lifts (holds.csv's `until`); nil: until it is released.
    public let until: CivilDate?
    /// Where it was written: `holds.csv line 3`, or `ledger hold 2`.
    public let source: String

    public init(payeeID: String?, dealID: String?, reason: String, by: String?, until: CivilDate?, source: String) {
        self.payeeID = payeeID
        self.dealID = dealID
        self.reason = reason
        self.by = by
        self.until = until
        self.source = source
    }

    /// Whether the hold still holds at the end of `period`: it lifts after its `until` day.
    public func holds(at period: Period) -> Bool { until.map { $0 >= period.end } ?? true }

    /// "deal D7" or "rep R1".
    public var what: String { dealID.map { "deal \($0)" } ?? "rep \(payeeID ?? "")" }

    /// Reads holds.csv: `payee_id, deal_id, reason` and optional `until`. Unknown payees and deals, a row naming both or
    /// neither, a missing reason and a bad date are errors.
    public static func load(_ file: InputFile, reps: [Rep], deals: DealTable) -> ([HandHold], Diagnostics) {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard var t = loader.table(file, required: ["payee_id", "deal_id", "reason"], diagnostics: &diagnostics) else { return ([], diagnostics) }
        let repIDs = Set(reps.map(\.id))
        var dealIDs: Set<String> = []
        for d in deals { dealIDs.insert(d.dealID) }
        var out: [HandHold] = []
        for r in t.records where r.fields.count >= 3 {
            let payee = (t.value(r, "payee_id") ?? "").trimmingSpaces(), deal = (t.value(r, "deal_id") ?? "").trimmingSpaces()
            if payee.isEmpty == deal.isEmpty {
                t.fail("D320", payee.isEmpty ? "a hold names a payee (`payee_id`) or a deal (`deal_id`); this row names neither" : "a hold names a payee or a deal, not both; put each on its own row",
                       r, t.header[payee.isEmpty ? "payee_id" : "deal_id"])
                continue
            }
            if !payee.isEmpty && !repIDs.contains(payee) {
                t.fail("D321", "no rep `\(Suggestion.cut(payee))` in roster.csv to hold", r, t.header["payee_id"], width: payee.count,
                       notes: Suggestion.help(for: payee, in: Array(repIDs)))
                continue
            }
            if !deal.isEmpty && !dealIDs.contains(deal) {
                t.fail("D322", "no deal `\(Suggestion.cut(deal))` in deals.csv to hold", r, t.header["deal_id"], width: deal.count)
                continue
            }
            let reason = (t.value(r, "reason") ?? "").trimmingSpaces()
            if reason.isEmpty {
                t.fail("D323", "`reason` is empty; a hold says why, for the statement", r, t.header["reason"])
                continue
            }
            var until: CivilDate?
            if t.header["until"] != nil, let text = t.value(r, "until"), !text.isEmpty {
                switch CivilDate.parse(Array(text.utf8)) {
                case .success(let d): until = d
                case .failure(let e):
                    t.fail("D324", "`until` is `\(Suggestion.cut(text))`: \(e.reason)", r, t.header["until"], width: text.count)
                    continue
                }
            }
            out.append(HandHold(payeeID: payee.isEmpty ? nil : payee, dealID: deal.isEmpty ? nil : deal, reason: reason, by: nil, until: until,
                                source: "\(file.path) line \(r.line)"))
        }
        diagnostics.append(contentsOf: t.finished)
        return (diagnostics.hasErrors ? [] : out, diagnostics)
    }
}
