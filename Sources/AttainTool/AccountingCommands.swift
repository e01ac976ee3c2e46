// Accounting at close and after: the chart of accounts and contract terms a close reads, its journal.csv, and
// `attain amortization`, the schedule of capitalized commissions and its journal as of a date.
import Attain
import AttainLedger
import Foundation

extension Commands {
    /// What a close needs for its journal and capitalization, read only when the data folder has accounts.csv or
    /// deals.csv has a `contract_months` column (nothing is read or done otherwise).
    struct CloseAccounting {
        let journal: CloseJournal
        let warnings: Diagnostics
    }

    /// Reads the chart of accounts (accounts.csv, read with the data folder's other files), the deals' contract terms
    /// and the payees' cost centers for a close of `period`, with what earlier closes capitalized. Nil when the close has no accounting to do; a failure is the outcome to report
    /// (bad accounts.csv or contract terms: exit 1, nothing posted or written).
    static func closeAccounting(accounts: InputFile?, request: RunRequest, plans: [CompiledPlan], period: Period, ledger: Ledger,
                                trailer: String) -> Result<CloseAccounting?, CommandOutcome> {
        var outcome = CommandOutcome()
        let hasTerms = ContractTerms.present(in: request.deals)
        let history: [CapitalizedAmount]
        do {
            history = try ledger.capitalized(before: period)
        } catch {
            ledgerError(error, ledgerPath: "the ledger", into: &outcome)
            return .failure(outcome)
        }
        guard accounts != nil || hasTerms || !history.isEmpty else { return .success(nil) }
        var diagnostics = Diagnostics()
        var chart: ChartOfAccounts?
        if let accounts {
            let (c, d) = ChartOfAccounts.read(accounts, components: Set(plans.flatMap { $0.components.map(\.name) }))
            chart = c
            diagnostics.append(contentsOf: d)
        }
        var terms = ContractTerms(terms: [:])
        if hasTerms {
            let (t, d) = ContractTerms.read(request.deals)
            if let t { terms = t }
            diagnostics.append(contentsOf: d)
        }
        let journal = CloseJournal(chart: chart, terms: terms, costCenters: CostCenters.read(request.roster), history: history)
        if let missing = journal.missingCapitalizationAccounts(path: accounts?.path ?? "accounts.csv") { diagnostics.append(missing) }
        if diagnostics.hasErrors {
            outcome.stderr = DiagnosticRenderer.render(diagnostics, trailer: trailer)
            outcome.exitCode = ExitCode.invalidInput
            return .failure(outcome)
        }
        return .success(CloseAccounting(journal: journal, warnings: diagnostics))
    }

    /// Each statement's journal part, taken as the statement is made (from any thread, before its lines are collapsed).
    final class JournalParts: @unchecked Sendable {
        let journal: CloseJournal
        private let lock = NSLock()
        private var parts: [CloseJournal.Part] = []
        private var failure: (any Error)?

        init(_ journal: CloseJournal) { self.journal = journal }

        func take(_ statement: Statement) {
            do {
                let part = try journal.part(of: statement)
                lock.withLock { parts.append(part) }
            } catch {
                lock.withLock { if failure == nil { failure = error } }
            }
        }

        var all: [CloseJournal.Part] { lock.withLock { parts } }
        var firstFailure: (any Error)? { lock.withLock { failure } }
    }

    /// The close summary's line about its journal: where it is, how many rows, debits = credits per currency.
    static func journalNote(_ rows: [JournalRow], file: String, locale: ReportLocale) -> String {
        let totals = Journal.totalsText(rows)
        return locale.text("table.close.journal", locale.isRightToLeft ? isolated(file) : file, String(rows.count),
                           locale.isRightToLeft ? isolated(totals) : totals) + "\n"
    }

    /// `attain amortization --as-of DATE`: the schedule of every capitalized commission in the ledger (closes in force)
    /// as of the date, printed and written as `amortization-<date>.csv`; with `accounts`, its journal
    /// `amortization-journal-<date>.csv` (per month ended by the date, per currency and cost center: debit
    /// `amortization_expense`, credit `contract_cost_asset`). Files are relative to the output folder; `out` only names
    /// it in the summary line.
    public static func amortization(ledgerPath: String, asOf: String, accounts: String?, out: String? = nil, reader: InputReader,
                                    locale: ReportLocale = .english) -> CommandOutcome {
        var outcome = CommandOutcome()
        guard case .success(let date) = CivilDate.parse(Array(asOf.utf8)) else {
            return usage("--as-of is `\(asOf)`: expected a date as YYYY-MM-DD")
        }
        guard reader.ledgerExists(ledgerPath) else {
            outcome.stderr = "error: no ledger at \(ledgerPath); `attain close --commit` creates it\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        var chart: ChartOfAccounts?
        if let accounts {
            do {
                let (c, d) = ChartOfAccounts.read(InputFile(path: accounts, bytes: try reader.bytes(accounts)))
                var found = d
                if let c {
                    for entry in [ChartOfAccounts.Entry.contractCostAsset, .amortizationExpense] where c[entry] == nil {
                        found.append(.error("D356", "\(accounts) has no `\(entry.rawValue)` row; the amortization journal needs one",
                                            at: SourceSpan(path: accounts, line: 1, column: 1, width: 1, lineText: ""),
                                            notes: [.help("add a row `\(entry.rawValue),<account>,<name>`")]))
                    }
                }
                if found.hasErrors {
                    outcome.stderr = DiagnosticRenderer.render(found, trailer: "; nothing was written")
                    outcome.exitCode = ExitCode.invalidInput
                    return outcome
                }
                if !found.items.isEmpty { outcome.stderr += found.items.map(DiagnosticRenderer.render).joined(separator: "\n") + "\n" }
                chart = c
            } catch {
                outcome.stderr = "error: \(error)\n"
                outcome.exitCode = ExitCode.ioFailure
                return outcome
            }
        }
        guard let ledger = openLedger(ledgerPath, reader: reader, outcome: &outcome) else { return outcome }
        do {
            let rows = try ledger.capitalized()
            let lines = try Amortization.schedule(rows, asOf: date)
            outcome.stdout = amortizationTable(lines, asOf: date, locale: locale)
            outcome.files.append(("amortization-\(date).csv", amortizationCSV(lines)))
            if let chart, let expense = chart[.amortizationExpense], let asset = chart[.contractCostAsset] {
                let journal = try Amortization.journal(rows, asOf: date, expense: expense, asset: asset)
                outcome.files.append(("amortization-journal-\(date).csv", Journal.csv(journal)))
                let file = out.map { OutputWriter.joined($0, "amortization-journal-\(date).csv") } ?? "amortization-journal-\(date).csv"
                let totals = Journal.totalsText(journal)
                outcome.stdout += locale.text("table.amortization.journal", locale.isRightToLeft ? isolated(file) : file, String(journal.count),
                                              locale.isRightToLeft ? isolated(totals) : totals) + "\n"
            } else {
                outcome.stdout += locale.text("table.amortization.no_journal") + "\n"
            }
        } catch let e as ArithmeticError {
            outcome.stderr += "error: the amortization schedule does not add up exactly: \(e)\n"
            outcome.exitCode = ExitCode.invalidInput
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
        }
        return outcome
    }

    static let amortizationHeader = ["payee", "deal", "component", "period", "amount", "currency", "term", "start", "monthly", "amortized",
                                     "unamortized", "clawed_back", "cost_center"]

    /// The schedule as CSV, one row per capitalized amount, sorted by payee, deal, period and component.
    static func amortizationCSV(_ lines: [Amortization.Line]) -> String {
        var out = "payee_id,deal_id,component,posted_period,amount,currency,term_months,contract_start,monthly,amortized,unamortized,clawed_back_in,cost_center\n"
        for l in lines {
            let u = l.row.currency.minorUnits
            let cells = [PayrollCSV.cell(l.row.payeeID, numeric: false), PayrollCSV.cell(l.row.dealID, numeric: false),
                         PayrollCSV.cell(l.row.component, numeric: false), l.row.period, l.row.amount.text(minimumScale: u), l.row.currency.code,
                         String(l.row.termMonths), l.row.start.description, l.monthly.text(minimumScale: u), l.amortized.text(minimumScale: u),
                         l.unamortized.text(minimumScale: u), l.reversedIn ?? "", PayrollCSV.cell(l.row.costCenter, numeric: false)]
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The schedule as a terminal table in `locale`, with totals per currency.
    static func amortizationTable(_ lines: [Amortization.Line], asOf: CivilDate, locale: ReportLocale) -> String {
        func t(_ key: String, _ args: String...) -> String { locale.text("table.amortization." + key, arguments: args) }
        var out = t("heading", asOf.description) + "\n"
        guard !lines.isEmpty else { return out + t("none") + "\n" }
        let header = ["payee", "deal", "period", "amount", "currency", "term", "start", "monthly", "amortized", "unamortized", "clawed_back"].map { t("col." + $0) }
        var rows = [header]
        var totals: [String: (Currency, ExactDecimal, ExactDecimal, ExactDecimal)] = [:]
        for l in lines {
            let u = l.row.currency.minorUnits
            rows.append([l.row.payeeID, l.row.dealID, l.row.period, l.row.amount.text(minimumScale: u), l.row.currency.code, String(l.row.termMonths),
                         l.row.start.description, l.monthly.text(minimumScale: u), l.amortized.text(minimumScale: u), l.unamortized.text(minimumScale: u),
                         l.reversedIn ?? ""])
            var s = totals[l.row.currency.code] ?? (l.row.currency, .zero, .zero, .zero)
            s.1 = (try? s.1.adding(l.row.amount)) ?? s.1
            s.2 = (try? s.2.adding(l.amortized)) ?? s.2
            s.3 = (try? s.3.adding(l.unamortized)) ?? s.3
            totals[l.row.currency.code] = s
        }
        for code in totals.keys.sorted() {
            let (c, a, d, u) = totals[code]!
            let m = c.minorUnits
            rows.append([t("total"), "", "", a.text(minimumScale: m), code, "", "", "", d.text(minimumScale: m), u.text(minimumScale: m), ""])
        }
        out += TextTable.render(rows, numeric: { [3, 5, 7, 8, 9].contains($0) }, locale: locale, isolate: { _ in true })
        return out
    }
}
