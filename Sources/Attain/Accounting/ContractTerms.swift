// Contract terms of deals (deals.csv's optional `contract_months` and `contract_start`): which commissions are a cost of
// obtaining a contract to capitalize, over how many months, from when.

/// Each deal's contract term in whole months and the day it starts, read from deals.csv when it has a `contract_months`
/// column. Errors D360–D363 name the file, line and column.
public struct ContractTerms: Sendable {
    /// A deal's term: `months` whole months from `start` (deals.csv's `contract_start`, else its `close_date`).
    public struct Term: Sendable, Equatable {
        public let months: Int
        public let start: CivilDate

        public init(months: Int, start: CivilDate) {
            self.months = months
            self.start = start
        }
    }

    /// Terms longer than this many months are capitalized; shorter ones are expensed at once (the practical
    /// expedient, ASC 340-40-25-4 / IFRS 15.94). Fixed.
    public static let expedientMonths = 12

    /// Deals with a term, by deal id.
    public let terms: [String: Term]

    public init(terms: [String: Term]) {
        self.terms = terms
    }

    /// The deal's term when its commission is capitalized (over `expedientMonths`), nil when it is expensed.
    public func capitalized(_ dealID: String) -> Term? {
        guard let t = terms[dealID], t.months > ContractTerms.expedientMonths else { return nil }
        return t
    }

    /// Whether deals.csv's header has a `contract_months` column: read from its first line only, so a deals file
    /// without one costs nothing more.
    public static func present(in file: InputFile) -> Bool {
        let header = file.bytes.prefix { $0 != 10 && $0 != 13 }
        return String(decoding: header, as: UTF8.self).split(separator: ",").contains { field in
            var name = String(field).trimmingSpaces()
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            return name == "contract_months"
        }
    }

    /// Reads `deal_id`, `close_date`, `contract_months` and `contract_start` from deals.csv. An empty `contract_months` is a
    /// deal with no term (expensed). D360: not a whole number of months above 0; D361: `contract_start` not a date;
    /// D362: the rows of a split deal give it different terms; D363: `contract_start` on a deal with no `contract_months`.
    /// Other errors in the file are the loader's to report; rows it refuses are skipped here.
    public static func read(_ file: InputFile) -> (ContractTerms?, Diagnostics) {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard let t = loader.table(file, required: ["deal_id", "close_date", "contract_months"], diagnostics: &diagnostics) else { return (nil, diagnostics) }
        // The loader reports what the deal file itself gets wrong: only this reader's own errors are kept.
        var own = Diagnostics()
        var terms: [String: (term: Term, line: Int)] = [:]
        for r in t.records where r.fields.count == t.header.count {
            let id = t.value(r, "deal_id") ?? ""
            guard !id.trimmingSpaces().isEmpty, case .success(let close) = CivilDate.parse(Array((t.value(r, "close_date") ?? "").utf8)) else { continue }
            let monthsText = (t.value(r, "contract_months") ?? "").trimmingSpaces()
            let startText = (t.value(r, "contract_start") ?? "").trimmingSpaces()
            func fail(_ code: String, _ message: String, _ column: String, _ width: Int, notes: [Diagnostic.Note] = []) {
                let col = t.header[column].map { r.column($0) } ?? 1
                own.append(.error(code, message, at: .csv(path: file.path, line: r.line, column: col, width: max(1, width), lineText: r.lineText), notes: notes))
            }
            if monthsText.isEmpty {
                if !startText.isEmpty {
                    fail("D363", "`contract_start` is set, but `contract_months` is empty", "contract_start", startText.count,
                         notes: [.help("give the term in whole months, or clear `contract_start`")])
                }
                continue
            }
            guard monthsText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), monthsText.utf8.count <= 4, let months = Int(monthsText), months > 0 else {
                fail("D360", "`contract_months` is `\(Suggestion.cut(monthsText))`; expected a whole number of months above 0, such as 24", "contract_months", monthsText.count)
                continue
            }
            var start = close
            if !startText.isEmpty {
                switch CivilDate.parse(Array(startText.utf8)) {
                case .success(let d): start = d
                case .failure(let e):
                    fail("D361", "`contract_start` is `\(Suggestion.cut(startText))`: \(e.reason)", "contract_start", startText.count)
                    continue
                }
            }
            let term = Term(months: months, start: start)
            if let first = terms[id] {
                if first.term != term {
                    fail("D362", "deal `\(Suggestion.cut(id))` has a term of \(months) months from \(start) here and \(first.term.months) months from \(first.term.start) on line \(first.line); every row of a deal gives it the same term",
                         "contract_months", monthsText.count, notes: [.note("first on line \(first.line)")])
                }
                continue
            }
            terms[id] = (term, r.line)
        }
        if own.hasErrors { return (nil, own) }
        return (ContractTerms(terms: terms.mapValues(\.term)), own)
    }
}
