// The chart of accounts a close's journal posts to: accounts.csv in the data folder, one row per kind of entry (and per
// component with an expense account of its own).

/// accounts.csv: `entry, account, name` and optional `component`. Errors D350–D356 name the file, line and column.
public struct ChartOfAccounts: Sendable {
    /// What an account is for in the journal.
    public enum Entry: String, Sendable, CaseIterable {
        /// Commission earned and expensed at once (the default for every component).
        case commissionExpense = "commission_expense"
        /// What the company owes its payees: credited with each statement's paid.
        case commissionsPayable = "commissions_payable"
        /// Commissions capitalized as a cost of obtaining a contract (terms over twelve months).
        case contractCostAsset = "contract_cost_asset"
        /// The monthly release of the capitalized costs into expense.
        case amortizationExpense = "amortization_expense"
        /// Optional: commission earned but held (pay on collection, holds by hand), a liability until released. With
        /// it, held pay is booked when earned (the whole line to expense or the asset, the held part here); without it,
        /// held pay is booked when it is released.
        case commissionsHeld = "commissions_held"
    }

    /// One account: its number (or code) and name as the general ledger knows them.
    public struct Account: Sendable, Equatable, Hashable {
        public let number: String
        public let name: String

        public init(number: String, name: String) {
            self.number = number
            self.name = name
        }
    }

    public let accounts: [Entry: Account]
    /// Components with an expense account of their own (`commission_expense` rows with a `component`), by name.
    public let components: [String: Account]

    public init(accounts: [Entry: Account], components: [String: Account] = [:]) {
        self.accounts = accounts
        self.components = components
    }

    /// The account of an entry; `commission_expense` and `commissions_payable` are always there once read.
    public subscript(_ entry: Entry) -> Account? { accounts[entry] }

    /// The expense account of a component's lines: its own, or `commission_expense`.
    public func expense(component: String) -> Account {
        components[component] ?? accounts[.commissionExpense]!
    }

    /// Reads accounts.csv. `components`: the component names of the plans, for warning D354 on a name no plan has
    /// (nil: not checked). Errors: D350 unknown entry, D351 a required entry missing (`commission_expense`,
    /// `commissions_payable`), D352 empty account, D353 a row repeated (entry, or entry and component), D355 a component
    /// on another entry than `commission_expense`; warning D354 a component no plan has.
    public static func read(_ file: InputFile, components: Set<String>? = nil) -> (ChartOfAccounts?, Diagnostics) {
        var diagnostics = Diagnostics()
        let loader = DataLoader(declaredFields: [:], planNames: [])
        guard var t = loader.table(file, required: ["entry", "account", "name"], diagnostics: &diagnostics) else { return (nil, diagnostics) }
        var accounts: [Entry: Account] = [:]
        var byComponent: [String: Account] = [:]
        var seen: [String: Int] = [:]
        let entries = Entry.allCases.map(\.rawValue)
        var warnings = Diagnostics()
        let header = String(decoding: file.bytes.prefix { $0 != 10 && $0 != 13 }, as: UTF8.self)
        for r in t.records where r.fields.count == t.header.count {
            let text = (t.value(r, "entry") ?? "").trimmingSpaces()
            guard let entry = Entry(rawValue: text) else {
                t.fail("D350", text.isEmpty ? "`entry` is empty; expected one of \(entries.map { "`\($0)`" }.joined(separator: ", "))"
                                             : "unknown entry `\(Suggestion.cut(text))`; expected one of \(entries.map { "`\($0)`" }.joined(separator: ", "))",
                       r, t.header["entry"], width: max(1, text.count), notes: Suggestion.help(for: text, in: entries))
                continue
            }
            let number = (t.value(r, "account") ?? "").trimmingSpaces()
            guard !number.isEmpty else {
                t.fail("D352", "`account` is empty; expected the general ledger's account number for `\(entry.rawValue)`", r, t.header["account"])
                continue
            }
            let component = (t.value(r, "component") ?? "").trimmingSpaces()
            if !component.isEmpty && entry != .commissionExpense {
                t.fail("D355", "`component` is set on `\(entry.rawValue)`; only `commission_expense` rows name a component (its own expense account)",
                       r, t.header["component"], width: component.count)
                continue
            }
            let key = entry.rawValue + "\u{1}" + component
            if let first = seen[key] {
                t.fail("D353", component.isEmpty ? "entry `\(entry.rawValue)` appears twice" : "entry `\(entry.rawValue)` of component `\(Suggestion.cut(component))` appears twice",
                       r, t.header["entry"], width: text.count, notes: [.note("first on line \(first)")])
                continue
            }
            seen[key] = r.line
            let account = Account(number: number, name: t.value(r, "name") ?? "")
            if component.isEmpty {
                accounts[entry] = account
            } else {
                if let known = components, !known.contains(component) {
                    let col = t.header["component"].map { r.column($0) } ?? 1
                    warnings.append(.warning("D354", "component `\(Suggestion.cut(component))` is in no plan; its account is not used",
                                             at: .csv(path: file.path, line: r.line, column: col, width: component.count, lineText: r.lineText),
                                             notes: Suggestion.help(for: component, in: known.sorted())))
                }
                byComponent[component] = account
            }
        }
        for entry in [Entry.commissionExpense, .commissionsPayable] where accounts[entry] == nil && !t.diagnostics.hasErrors {
            // Under the header: the file as a whole lacks the row.
            t.diagnostics.append(.error("D351", "accounts.csv has no `\(entry.rawValue)` row; the journal needs one",
                                        at: .csv(path: file.path, line: 1, column: 1, width: 1, lineText: header),
                                        notes: [.help("add a row `\(entry.rawValue),<account>,<name>`")]))
        }
        diagnostics.append(contentsOf: t.finished)
        diagnostics.append(contentsOf: warnings)
        if diagnostics.hasErrors { return (nil, diagnostics) }
        return (ChartOfAccounts(accounts: accounts, components: byComponent), diagnostics)
    }
}
