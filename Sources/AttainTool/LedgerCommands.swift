// `attain ledger import`: opening balances for a company that starts mid-year, read, validated and recorded in the
// ledger before its first close; the periods they cover are marked closed outside Attain.
import Attain
import AttainLedger
import Foundation

extension Commands {
    /// `attain ledger import FILE`: reads the opening balances (nothing is written on any error, exit 1), then records
    /// them in the ledger in one transaction (exit 4 when the ledger refuses: it already has a closed period).
    public static func ledgerImport(file: String, ledgerPath: String, clock: String? = nil, reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        let bytes: [UInt8]
        do {
            bytes = try reader.bytes(file)
        } catch {
            outcome.stderr = "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        let balances: OpeningBalances
        switch OpeningBalances.parse(InputFile(path: file, bytes: bytes)) {
        case .failure(let diagnostics):
            outcome.stderr = DiagnosticRenderer.render(diagnostics, trailer: "; nothing was imported")
            outcome.exitCode = ExitCode.invalidInput
            return outcome
        case .success(let b): balances = b
        }
        guard let ledger = openLedger(ledgerPath, reader: reader, outcome: &outcome) else { return outcome }
        let runs: [(period: Period, run: Int64)]
        do {
            runs = try ledger.importOpenings(balances, inputs: [InputRecord(role: "opening-balances", path: file, bytes: bytes)],
                                             at: clock ?? now(), engineVersion: Engine.version)
        } catch let e as LedgerError {
            outcome.stderr = "error: \(e); nothing was imported\n"
            outcome.exitCode = ExitCode.refused
            return outcome
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
            return outcome
        }
        var rows: [[String]] = [["period", "run", "payees", "paid", "draw balances"]]
        for (period, run) in runs {
            let paid = balances.paid.filter { $0.period == period }
            var byCurrency: [String: ExactDecimal] = [:]
            for p in paid { byCurrency[p.amount.currency.code] = (try? (byCurrency[p.amount.currency.code] ?? .zero).adding(p.amount.amount)) ?? byCurrency[p.amount.currency.code] }
            let totals = byCurrency.sorted { $0.key < $1.key }.map { "\(Money($0.value, Currency(code: $0.key)!).text) \($0.key)" }.joined(separator: ", ")
            let draws = balances.draws.filter { $0.period == period }.count
            rows.append([period.label, String(run), String(Set(paid.map(\.payeeID)).count), totals, String(draws)])
        }
        let labels = runs.map(\.period.label)
        let marked = labels.count == 1 ? "\(labels[0]) is" : labels.dropLast().joined(separator: ", ") + " and \(labels.last!) are"
        outcome.stdout = "opening balances imported from \(file) into \(ledgerPath)\n" + TextTable.render(rows, numeric: [1, 2, 3, 4])
        outcome.stdout += "\(marked) closed outside Attain" + (balances.nextPeriod.map { "; the next period to close is \($0)" } ?? "") + "\n"
        return outcome
    }
}
