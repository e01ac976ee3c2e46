// Disputes: `attain dispute` records a rep's query against a line of a posted statement, `attain disputes` lists
// them, `attain resolve` answers one in writing; a manual adjustment at a later close resolves one too.
import Attain
import AttainLedger
import Foundation

extension Commands {
    /// The ledger for a dispute command: it must exist (exit 2 otherwise); damaged or busy ledgers as every command says them.
    static func existingLedger(_ ledgerPath: String, reader: InputReader, outcome: inout CommandOutcome) -> Ledger? {
        guard reader.ledgerExists(ledgerPath) else {
            outcome.stderr = "error: no ledger at \(ledgerPath); disputes are about statements `attain close --commit` posted\n"
            outcome.exitCode = ExitCode.ioFailure
            return nil
        }
        return openLedger(ledgerPath, reader: reader, outcome: &outcome)
    }

    /// The usage error for a text a statement cannot carry (a control character or a noncharacter: XML cannot), or nil.
    static func unfitText(_ option: String, _ texts: String?...) -> CommandOutcome? {
        for t in texts {
            if let bad = t?.unicodeScalars.first(where: \.isUnfitForText) {
                return usage("\(option): \(bad.codePointName) is not allowed: statements show this text, and XML cannot carry \(bad.properties.isNoncharacterCodePoint ? "a noncharacter" : "a control character")")
            }
        }
        return nil
    }

    /// `attain dispute`: records `text` as a query against line `line` (1-based, as the statement page numbers them) of
    /// `payee`'s posted statement for `period`, and prints its id. Refused (exit 4) when the period is not closed, the
    /// payee has no statement in it or the line is not on it; an empty text or a line below 1 is a bad value (exit 64).
    public static func dispute(period: String, payee: String, line: Int, text: String, by: String?, ledgerPath: String, clock: String? = nil,
                               reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        let words = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !words.isEmpty else { return usage("a dispute says what is wrong: --text \"…\"") }
        guard line >= 1 else { return usage("--line \(line): lines are numbered from 1, as the statement page shows them") }
        if let bad = unfitText("--text or --by", text, by) { return bad }
        let who = by?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let ledger = existingLedger(ledgerPath, reader: reader, outcome: &outcome) else { return outcome }
        do {
            let id = try ledger.recordDispute(period: period, payee: payee, line: line, text: words, by: who?.isEmpty == false ? who : nil, at: clock ?? now())
            outcome.stdout = "dispute \(id) recorded: \(period), payee \(payee), line \(line)\n"
        } catch {
            ledgerRefusal(error, ledgerPath: ledgerPath, into: &outcome)
        }
        return outcome
    }

    /// `attain resolve`: resolves an open dispute with a written answer. Refused (exit 4) when there is no such
    /// dispute or it is not open.
    public static func resolve(dispute id: Int, answer: String, by: String?, ledgerPath: String, clock: String? = nil, reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        let words = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !words.isEmpty else { return usage("a written answer needs its text: --answer \"…\"") }
        if let bad = unfitText("--answer or --by", answer, by) { return bad }
        let who = by?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let ledger = existingLedger(ledgerPath, reader: reader, outcome: &outcome) else { return outcome }
        do {
            try ledger.answerDispute(Int64(id), answer: words, by: who?.isEmpty == false ? who : nil, at: clock ?? now())
            outcome.stdout = "dispute \(id) resolved with a written answer; the payee's next statement shows it\n"
        } catch {
            ledgerRefusal(error, ledgerPath: ledgerPath, into: &outcome)
        }
        return outcome
    }

    /// `attain disputes`: a table of the open disputes (every one with `all`), of one period or payee when given.
    public static func disputes(all: Bool, period: String?, payee: String?, ledgerPath: String, reader: InputReader,
                                locale: ReportLocale = .english) -> CommandOutcome {
        var outcome = CommandOutcome()
        guard let ledger = existingLedger(ledgerPath, reader: reader, outcome: &outcome) else { return outcome }
        do {
            let list = try ledger.disputes(all: all, period: period, payee: payee)
            outcome.stdout = disputesTable(list, all: all, locale: locale)
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
        }
        return outcome
    }

    static func disputesTable(_ list: [DisputeRecord], all: Bool, locale: ReportLocale) -> String {
        func t(_ key: String, _ args: String...) -> String { locale.text("table.disputes." + key, arguments: args) }
        guard !list.isEmpty else { return t(all ? "none_all" : "none") + "\n" }
        var rows: [[String]] = [["id", "period", "payee", "line", "what", "text", "by", "at", "status"].map { t("col." + $0) }]
        for r in list {
            let d = r.dispute
            let status: String
            switch r.state {
            case "answered": status = t("answered", d.answer ?? "")
            case "adjusted": status = t("adjusted", r.adjustmentID ?? "", r.adjustmentPeriod ?? "", r.adjustmentLine.map(String.init) ?? "")
            default: status = t("open")
            }
            // What the line is, in the table's language: "commission Commission, Deal D2, 2000.00".
            let kind = locale.catalog["statement.kind.\(d.lineKind)"] ?? d.lineKind
            let what = ([kind + " " + d.lineComponent] + (d.lineDealID.map { [locale.text("statement.deal", $0)] } ?? []) + [d.lineAmount])
                .joined(separator: locale.text("statement.list_separator"))
            rows.append([String(d.id), d.period, d.payeeID, String(d.line), what, d.text, d.by ?? "", d.at, status])
        }
        return TextTable.render(rows, numeric: { $0 == 0 || $0 == 3 }, locale: locale, isolate: { $0 != 8 })
    }

    /// The one note a close gives of adjustments.csv rows that earlier closes posted (they are not posted again), or "".
    static func alreadyPostedNote(_ manual: ManualInputs) -> String {
        let done = manual.alreadyPosted
        guard let first = done.first else { return "" }
        let path = first.row.source.split(separator: ":").dropLast().joined(separator: ":")
        let shown = done.prefix(10).map { "`\($0.row.id)` (\($0.period))" }.joined(separator: ", ") + (done.count > 10 ? ", and \(done.count - 10) more" : "")
        return "note: \(done.count) row\(done.count == 1 ? "" : "s") of \(path) \(done.count == 1 ? "was" : "were") posted by an earlier close and \(done.count == 1 ? "is" : "are") not posted again: \(shown)\n"
    }
}
