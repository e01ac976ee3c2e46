// Settling a run chunk by chunk: each chunk of payees is settled against its own payees' posted lines on the core
// that made its statements, with its closed periods recomputed for its reps alone; the chunks' messages are then
// joined in the order one settlement of all payees says them. The statements are the same, to the byte.

/// What every chunk of a run settled chunk by chunk reads: the history, each payee's posted lines, and the deal
/// rows clawbacks read, made once for the run.
struct ChunkSettling: Sendable {
    let history: LedgerHistory
    /// The places of each payee's lines in `history.lines`, in ledger order.
    let linesOfPayee: [String: [Int32]]
    /// The places of the lines of payees not on the roster: settled with the last chunk, as warnings.
    let unrostered: [Int32]
    /// Each cancelled deal's row (the last one, when several rows share its id), and for each deal a clawback line
    /// names that has none, its first row: what `Settlement.clawbacks` reads of the deal table.
    let dealRows: [String: Deal]

    init(prepared: PreparedRun, history: LedgerHistory) {
        self.history = history
        var lines: [String: [Int32]] = [:]
        var unrostered: [Int32] = []
        var clawed: Set<String> = []
        for (i, line) in history.lines.enumerated() {
            if prepared.position[line.payeeID] == nil { unrostered.append(Int32(i)) } else { lines[line.payeeID, default: []].append(Int32(i)) }
            if line.kind == .clawback, let d = line.dealID { clawed.insert(d) }
        }
        linesOfPayee = lines
        self.unrostered = unrostered
        let table = prepared.data.deals
        var rows: [String: Deal] = [:]
        for i in 0..<table.count where table.rows[i].cancelled {
            let d = table[i]
            rows[d.dealID] = d
        }
        clawed.subtract(rows.keys)
        if !clawed.isEmpty {
            for i in 0..<table.count {
                let id = table.id(of: i)
                if clawed.remove(id) != nil { rows[id] = table[i] }
                if clawed.isEmpty { break }
            }
        }
        dealRows = rows
    }

    /// The history with only these reps' lines (and, for the last chunk, those of payees not on the roster).
    func history(of reps: ArraySlice<Rep>, last: Bool) -> LedgerHistory {
        var places = reps.flatMap { linesOfPayee[$0.id] ?? [] }
        if last { places += unrostered }
        places.sort()
        var h = history
        h.lines = places.map { history.lines[Int($0)] }
        return h
    }

    /// Settles one chunk's payees, as `Settlement.settle` settles all of a run's; what it said is kept, not the
    /// chunk's posted lines.
    func settle(_ payees: inout [PayeeResult], reps: ArraySlice<Rep>, last: Bool, prepared: PreparedRun, period: Period, detail: Bool = true) -> Settlement.Said {
        var settlement = Settlement(prepared: prepared, period: period, history: history(of: reps, last: last))
        settlement.detail = detail
        settlement.chunkReps = reps
        settlement.dealRows = dealRows
        settlement.settle(&payees)
        return Settlement.Said(diagnostics: settlement.diagnostics, tags: settlement.tags, recomputations: settlement.recomputations)
    }
}

extension Settlement {
    /// What one chunk's settlement said: its messages with their tags, and each closed period's recomputation.
    struct Said {
        let diagnostics: Diagnostics
        let tags: [Tag]
        let recomputations: [Int: (tally: ReconciliationTally?, diagnostics: Diagnostics)]
    }
}

extension Settlement {
    /// The messages of a run settled chunk by chunk, in the order one settlement of all payees says them: each
    /// recomputed closed period's reconciliation warnings and errors joined from every chunk's recomputation, the
    /// team warning once (for the earliest period it is said for), and each chunk's own messages.
    static func joined(_ chunks: [Said], history: LedgerHistory, dealsPath: String, calendar: PeriodCalendar = .gregorian) -> Diagnostics {
        var tagged: [(tag: Tag, diagnostic: Diagnostic)] = []
        var team: [(tag: Tag, diagnostic: Diagnostic)] = []
        for chunk in chunks {
            for (tag, d) in zip(chunk.tags, chunk.diagnostics.items) {
                if d.code == "R322" { team.append((tag, d)) } else { tagged.append((tag, d)) }
            }
        }
        // A closed period that cannot be recomputed makes no adjustments, so nothing is said of them.
        var failed: Set<Int> = []
        for (qi, label) in history.closedPeriods.enumerated() {
            let parts = chunks.compactMap { $0.recomputations[qi] }
            guard !parts.isEmpty, case .success(let q) = Period.parse(label, in: calendar) else { continue }
            var tally = ReconciliationTally()
            var found = Diagnostics()
            var said: Set<String> = []
            for part in parts {
                if let t = part.tally { tally.join(t) }
                for item in part.diagnostics.items {
                    if ["R304", "R305", "R306"].contains(item.code), !said.insert(item.code + item.message).inserted { continue }
                    found.append(item)
                }
            }
            for w in tally.finished(period: q, dealsPath: dealsPath, lastPlanEnd: nil).warnings() where w.code == "R340" || w.code == "R341" {
                tagged.append((Tag(period: qi, step: 0), Diagnostic(w.severity, code: w.code, "\(w.message) (recomputing closed period \(q))", at: w.span, notes: w.notes)))
            }
            if found.hasErrors {
                failed.insert(qi)
                tagged.append((Tag(period: qi, step: 1), .error("R321", "closed period \(q) cannot be recomputed with the current inputs, so its adjustments cannot be worked out", at: nil,
                                                                 notes: [.help("the errors below are from recomputing \(q)")])))
                for e in found.errors { tagged.append((Tag(period: qi, step: 1), e)) }
            }
        }
        tagged.removeAll { $0.tag.stage == 0 && $0.tag.step >= 2 && failed.contains($0.tag.period) }
        if let first = team.filter({ !failed.contains($0.tag.period) }).min(by: { $0.tag < $1.tag }) { tagged.append(first) }
        // In tag order; messages with the same tag keep the order they were said in.
        let order = tagged.indices.sorted { a, b in tagged[a].tag != tagged[b].tag ? tagged[a].tag < tagged[b].tag : a < b }
        return Diagnostics(order.map { tagged[$0].diagnostic })
    }
}
