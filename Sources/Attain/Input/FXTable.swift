// fx.csv: exchange rates by date and currency pair, validated like every other input.

/// Exchange rates: `date, from, to, rate`, meaning 1 unit of `from` is `rate` units of `to` on `date`.
public struct FXTable: Sendable {
    struct Key: Hashable {
        let date: CivilDate
        let from: String
        let to: String
    }

    var rates: [Key: ExactDecimal] = [:]
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The rate for converting `from` into `to` on `date`, if fx.csv has one.
    public func rate(on date: CivilDate, from: Currency, to: Currency) -> ExactDecimal? {
        rates[Key(date: date, from: from.code, to: to.code)]
    }

    /// Reads fx.csv; every bad row is reported with file, line and column.
    public static func load(_ file: InputFile) -> (FXTable?, Diagnostics) {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard var t = loader.table(file, required: ["date", "from", "to", "rate"], diagnostics: &diagnostics) else { return (nil, diagnostics) }
        var table = FXTable(path: file.path)
        var lines: [Key: Int] = [:]
        for r in t.records {
            guard let d = loader.date(&t, r, "date"), let date = d else { continue }
            var pair: [Currency] = []
            for column in ["from", "to"] {
                let code = t.value(r, column) ?? ""
                if let c = Currency(code: code) { pair.append(c) } else {
                    t.fail("D260", "`\(column)` is `\(Suggestion.cut(code))`: not a known ISO 4217 currency", r, t.header[column], width: max(1, code.count),
                           notes: Currency.help(for: code))
                }
            }
            guard pair.count == 2, let rate = loader.decimal(&t, r, "rate", maxScale: nil, what: "rates") else { continue }
            if rate <= .zero {
                t.fail("D261", "`rate` must be greater than zero", r, t.header["rate"], width: (t.value(r, "rate") ?? "").count)
                continue
            }
            let key = Key(date: date, from: pair[0].code, to: pair[1].code)
            if let first = lines[key] {
                t.fail("D262", "a second \(key.from)→\(key.to) rate for \(date)", r, t.header["date"], width: 10, notes: [.note("first on line \(first)")])
                continue
            }
            lines[key] = r.line
            table.rates[key] = rate
        }
        diagnostics.append(contentsOf: t.finished)
        return (diagnostics.hasErrors ? nil : table, diagnostics)
    }
}
