// The warning for a plan whose pay depends on what the ledger says was paid before, given by a command run without one.

extension Diagnostic {
    /// R330 when `plan` has year-to-date true-ups, recoverable draw balances or clawbacks, which a run without the ledger
    /// cannot settle; nil otherwise. `command` names what pays as if nothing had been paid before (`` `attain run` ``);
    /// `help` says how to settle against the ledger.
    public static func withoutLedger(_ plan: CompiledPlan, command: String, help: String) -> Diagnostic? {
        let what = [plan.yearToDate != nil ? "year-to-date true-ups" : nil, plan.draw?.recoverable == true ? "draw balances" : nil,
                    plan.clawback != nil ? "clawbacks" : nil].compactMap { $0 }
        if what.isEmpty { return nil }
        return .warning("R330", "plan \"\(plan.name)\" has \(what.joined(separator: ", ")), which need the ledger; \(command) pays as if nothing had been paid before",
                        at: nil, notes: [.help(help)])
    }
}
