// `attain hold`: holding a payee's or a deal's pay by hand in the ledger, releasing it, and listing the holds.
import Attain
import AttainLedger
import Foundation

extension Commands {
    /// `attain hold --payee R | --deal D --reason "…" [--by NAME]` records a hold; with `release`, releases the holds in
    /// force on the payee or deal; with neither a payee nor a deal, lists every hold. The next close holds (or
    /// releases) the money: holds never change a closed period.
    public static func hold(payee: String?, deal: String?, reason: String?, by: String?, release: Bool, ledgerPath: String, clock: String? = nil,
                            reader: InputReader, locale: ReportLocale = .english) -> CommandOutcome {
        var outcome = CommandOutcome()
        func trimmed(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
            return t
        }
        let payee = trimmed(payee), deal = trimmed(deal), reason = trimmed(reason), by = trimmed(by)
        if payee != nil && deal != nil { return usage("a hold is on `--payee` or on `--deal`, not both") }
        let listing = payee == nil && deal == nil
        if listing && (release || reason != nil) { return usage("name the payee (`--payee R`) or the deal (`--deal D`) to \(release ? "release" : "hold")") }
        if !listing && !release && reason == nil { return usage("`--reason` says why the pay is held; it is shown on the statement") }
        if release && reason != nil { return usage("`--release` takes no `--reason`") }
        let file = reader.absolute(ledgerPath)
        if listing || release, !reader.ledgerExists(ledgerPath) {
            outcome.stderr = "error: no ledger at \(ledgerPath); `attain close` creates it\n"
            outcome.exitCode = ExitCode.invalidInput
            return outcome
        }
        do {
            let ledger = try Ledger(path: file, busyTimeout: ledgerWait())
            let target = payee.map { "rep \($0)" } ?? deal.map { "deal \($0)" } ?? ""
            if listing {
                let holds = try ledger.holds()
                if holds.isEmpty {
                    outcome.stdout = locale.text("table.holds.none") + "\n"
                    return outcome
                }
                var rows: [[String]] = [["hold", "on", "reason", "by", "at", "released"].map { locale.text("table.holds.col." + $0) }]
                for h in holds {
                    let on = h.payeeID.map { locale.text("table.holds.payee", $0) } ?? locale.text("table.holds.deal", h.dealID ?? "")
                    let released = h.releasedAt.map { at in h.releasedBy.map { locale.text("table.holds.released_by", at, $0) } ?? at } ?? ""
                    rows.append([String(h.id), on, h.reason, h.heldBy ?? "", h.at, released])
                }
                outcome.stdout = TextTable.render(rows, numeric: [0], locale: locale)
            } else if release {
                let released = try ledger.releaseHolds(payee: payee, deal: deal, by: by, at: clock ?? now())
                if released.isEmpty {
                    outcome.stderr = "error: \(target) has no hold in force to release\n"
                    outcome.exitCode = ExitCode.refused
                    return outcome
                }
                for h in released {
                    outcome.stdout += "hold \(h.id) on \(target) is released\(by.map { " by \($0)" } ?? ""); the next close pays what it held\n"
                }
            } else {
                let h = try ledger.hold(payee: payee, deal: deal, reason: reason!, by: by, at: clock ?? now())
                outcome.stdout = "hold \(h.id): \(target) is held\(by.map { " by \($0)" } ?? ""): \(h.reason); closes hold its pay until `attain hold --release \(payee.map { "--payee \($0)" } ?? "--deal \(deal!)")`\n"
            }
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
        }
        return outcome
    }
}
