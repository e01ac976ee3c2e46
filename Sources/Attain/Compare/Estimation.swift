// An estimate's runs: the period's statements for totals only, and the one payee's statement with every line, so an
// estimate for one rep does not make every payee's lines.

public enum Estimation {
    /// The run of the period, its statements evaluated for totals only (`Engine.evaluate(…, detail: false)`: its
    /// warnings and where its rows went are those of a full run), and `payee`'s statement with every line (nil when
    /// no assignment covers them in the period). Nothing is settled against a ledger: with one, use `Engine.run`.
    public static func run(_ request: RunRequest, payee: String) -> Result<(run: RunResult, statement: Statement?), Diagnostics> {
        let prepared: PreparedRun
        switch Engine.prepare(request) {
        case .failure(let d): return .failure(d)
        case .success(let p): prepared = p
        }
        let period: Period
        switch Engine.period(request.period, plans: prepared.plans) {
        case .success(let p): period = p
        case .failure(let d): return .failure(d)
        }
        // Pay held until collection or by hand is settled with every payee's lines: the payee's statement is then the
        // full run's, with its hold and release lines, as a close would make it.
        if Settlement.holding(prepared, .empty) {
            switch Engine.evaluate(prepared, period: period, detail: true) {
            case .failure(let d): return .failure(d)
            case .success(let r): return .success((r, r.statements.first { $0.payeeID == payee }))
            }
        }
        let run: RunResult
        switch Engine.evaluate(prepared, period: period, detail: false) {
        case .failure(let d): return .failure(d)
        case .success(let r): run = r
        }
        guard run.statements.contains(where: { $0.payeeID == payee }), let at = prepared.position[payee] else { return .success((run, nil)) }
        // The payee alone, on one core, settled alone as the run settled every payee (nothing was paid before).
        var crediting = Crediting(prepared: prepared, period: period, maxChunks: 1, detail: true, settleAlone: .empty)
        let made = crediting.statements(of: prepared.data.reps[at...at])
        if crediting.diagnostics.hasErrors { return .failure(crediting.diagnostics) }
        return .success((run, made.first?.statement))
    }
}
