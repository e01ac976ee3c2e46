// The ledger's reads and writes on PostgreSQL: the same questions and the same refusals, in the same words, as on
// SQLite, each write one transaction under the ledger-wide write lock. `Ledger`'s public methods come here when the
// ledger is on a server.
import Attain
import Foundation

extension Ledger {
    /// The PostgreSQL store, for the methods below (called only when the ledger is on a server).
    var pg: PostgresStore { postgres! }

    /// One snapshot for every query of `body`.
    func pgRead<T>(_ body: (PostgresStore) throws -> T) throws -> T {
        let store = pg
        return try store.read { try body(store) }
    }

    /// One write transaction under the ledger's write lock, waited for up to `busyTimeout` (then `LedgerBusy`).
    func pgWrite<T>(_ body: (PostgresStore) throws -> T) throws -> T {
        let store = pg
        do {
            return try store.write(timeout: busyTimeout) { try body(store) }
        } catch is PostgresStoreBusy {
            throw LedgerBusy(waited: busyTimeout)
        }
    }

    // MARK: Reading

    func pgLockingRun(_ period: Period) throws -> Int64? {
        try pg.int("SELECT run_id FROM locks WHERE period = $1", [.text(period.label)])
    }

    func pgLockedPeriod(_ label: String) throws -> Period? {
        guard let row = try pg.query("SELECT period_start, period_end FROM locks WHERE period = $1", [.text(label)]).first,
              case .success(let start) = CivilDate.parse(Array(try row.string(0).utf8)),
              case .success(let end) = CivilDate.parse(Array(try row.string(1).utf8)) else { return nil }
        return Period.stored(label: label, start: start, end: end)
    }

    func pgLocksAfter(_ period: Period) throws -> [String] {
        try pg.query("SELECT period FROM locks WHERE kind = $1 AND period_end >= $2 AND period != $3 ORDER BY period_end DESC",
                     [.text(period.kind.rawValue), .text(period.start.description), .text(period.label)]).map { try $0.string(0) }
    }

    func pgHistory(before period: Period, roster: String?, lines filter: PostedLineFilter = .all) throws -> LedgerHistory {
        try pgRead { pg in
            let start = period.start.description
            let locked = try pg.query("""
                SELECT k.period, k.run_id, r.action FROM locks k JOIN runs r ON r.id = k.run_id WHERE k.kind = $1 AND k.period_end < $2 ORDER BY k.period_start
                """, [.text(period.kind.rawValue), .text(start)])
                .map { (period: try $0.string(0), run: try $0.int(1), action: try $0.string(2)) }
            let closed = locked.filter { $0.action != "import" }.map(\.period)
            let outside = locked.filter { $0.action == "import" }.map(\.period)
            let lines = try Ledger.pgPostedLines(ofRuns: filter == .none ? [] : locked.map(\.run), filter: filter, pg)
            var balances: [String: [String: ExactDecimal]] = [:]
            for row in try pg.query("""
                SELECT d.payee_id, d.draw, d.balance_after FROM draw_balances d JOIN locks k ON k.run_id = d.run_id
                WHERE k.kind = $1 AND k.period_end < $2 ORDER BY d.period_end, d.seq
                """, [.text(period.kind.rawValue), .text(start)]) {
                if case .success(let b) = ExactDecimal.parse(try row.string(2)) { balances[try row.string(0), default: [:]][try row.string(1)] = b }
            }
            var history = LedgerHistory(lines: lines, closedPeriods: closed, closedOutside: outside, drawBalances: balances)
            for row in try pg.query("""
                SELECT s.payee_id, s.paid FROM statements s WHERE s.run_id = (
                    SELECT id FROM runs WHERE action = 'close' AND period = $1 AND voided_by IS NOT NULL ORDER BY id DESC LIMIT 1)
                """, [.text(period.label)]) {
                if case .success(let paid) = ExactDecimal.parse(try row.string(1)) { history.reopenedPaid[try row.string(0)] = paid }
            }
            if let roster {
                for row in locked where row.action != "import" {
                    let read = try pg.string("SELECT sha256 FROM run_inputs WHERE run_id = $1 AND role = 'roster' ORDER BY seq LIMIT 1", [.int(row.run)])
                    if read == roster { history.sameRoster.insert(row.period) }
                }
            }
            return history
        }
    }

    /// Every line the runs posted, run by run, each run's in payee and line order, as `postedLines` reads them.
    static func pgPostedLines(ofRuns runs: [Int64], filter: PostedLineFilter = .all, _ pg: PostgresStore) throws -> [LedgerHistory.PostedLine] {
        guard !runs.isEmpty else { return [] }
        var texts: [Int64: String] = [:]
        for row in try pg.query("SELECT id, text FROM texts") { texts[try row.int(0)] = try row.string(1) }
        func text(_ id: Int64) throws -> String {
            guard let t = texts[id] else { throw LedgerError("the ledger holds a line whose text \(id) is missing") }
            return t
        }
        var kinds: [Int64: LineKind] = [:]
        var lines: [LedgerHistory.PostedLine] = []
        for run in runs {
            var statement: Int64 = -1
            var period = "", payee = "", plan = ""
            var kept = true
            for row in try pg.query("""
                SELECT s.id, s.period, s.payee_id, s.plan, l.kind_id, l.component_id, l.deal_id, l.for_period, l.amount, l.source_id
                FROM statements s JOIN lines l ON l.statement_id = s.id WHERE s.run_id = $1 ORDER BY s.payee_id, l.seq
                """, [.int(run)]) {
                let id = try row.int(0)
                if id != statement {
                    statement = id
                    period = try row.string(1)
                    payee = try row.string(2)
                    plan = try row.string(3)
                    kept = filter.keeps(payee: payee)
                }
                guard kept, filter.keeps(deal: { try? row.optionalString(6) }) else { continue }
                let kindID = try row.int(4)
                let kind: LineKind
                if let k = kinds[kindID] {
                    kind = k
                } else {
                    let name = try text(kindID)
                    guard let k = LineKind(rawValue: name) else { throw LedgerError("the ledger holds a line it cannot read (kind `\(name)`)") }
                    kinds[kindID] = k
                    kind = k
                }
                let amountText = try row.string(8)
                guard let amount = Array(amountText.utf8).withUnsafeBufferPointer({ Ledger.amount($0) }) else {
                    throw LedgerError("the ledger holds a line it cannot read (kind `\(kind.rawValue)`, amount `\(amountText)`)")
                }
                lines.append(LedgerHistory.PostedLine(period: period, payeeID: payee, plan: plan, kind: kind, component: try text(try row.int(5)),
                                                      dealID: try row.optionalString(6), refPeriod: try row.optionalString(7), amount: amount,
                                                      source: try text(try row.int(9))))
            }
        }
        return lines
    }

    func pgPreview(_ period: Period) throws -> [String: (currency: String, paid: String)] {
        var out: [String: (currency: String, paid: String)] = [:]
        for row in try pg.query("SELECT payee_id, currency, paid FROM previews WHERE period = $1", [.text(period.label)]) {
            out[try row.string(0)] = (try row.string(1), try row.string(2))
        }
        return out
    }

    static func pgInputs(ofRun run: Int64, _ pg: PostgresStore) throws -> [(role: String, path: String, sha256: String)] {
        try pg.query("SELECT role, path, sha256 FROM run_inputs WHERE run_id = $1 ORDER BY seq", [.int(run)])
            .map { (role: try $0.string(0), path: try $0.string(1), sha256: try $0.string(2)) }
    }

    func pgRuns() throws -> [RunRecord] {
        try pgRead { pg in
            try pg.query("SELECT id, action, period, at, engine_version, reason, voided_by, kind FROM runs ORDER BY id").map { row in
                let id = try row.int(0)
                var payees = 0
                var paid: [(currency: String, amount: String)] = []
                for t in try pg.query("""
                    SELECT currency, COUNT(*) AS n, string_agg(paid, ' ') AS amounts FROM statements WHERE run_id = $1 GROUP BY currency ORDER BY currency
                    """, [.int(id)]) {
                    payees += Int(try t.int(1))
                    var sum = ExactDecimal.zero
                    for a in (try t.optionalString(2) ?? "").split(separator: " ") {
                        if case .success(let d) = ExactDecimal.parse(String(a)), let s = try? sum.adding(d) { sum = s }
                    }
                    let code = try t.string(0)
                    paid.append((code, sum.text(minimumScale: Currency(code: code)?.minorUnits ?? 2)))
                }
                return RunRecord(id: id, action: try row.string(1), period: try row.string(2), at: try row.string(3), engineVersion: try row.string(4),
                                 reason: try row.optionalString(5), payees: payees, paid: paid, voidedBy: try row.optionalInt(6), kind: try row.string(7),
                                 inputs: try Ledger.pgInputs(ofRun: id, pg))
            }
        }
    }

    static func pgGap(before period: Period, _ pg: PostgresStore) throws -> String? {
        guard let text = try pg.string("SELECT period_end FROM locks WHERE kind = $1 AND period_end < $2 ORDER BY period_end DESC LIMIT 1",
                                       [.text(period.kind.rawValue), .text(period.start.description)]),
              case .success(let lastEnd) = CivilDate.parse(Array(text.utf8)) else { return nil }
        if lastEnd.dayNumber + 1 == period.start.dayNumber { return nil }
        guard let next = lastEnd.adding(days: 1) else { return nil }
        return Period.containing(next, kind: period.kind, in: period.calendar).label
    }

    static func pgImportRun(locking period: String, _ pg: PostgresStore) throws -> Int64? {
        try pg.int("SELECT k.run_id FROM locks k JOIN runs r ON r.id = k.run_id WHERE k.period = $1 AND r.action = 'import'", [.text(period)])
    }

    func pgImportedPeriods() throws -> [String] {
        try pg.query("SELECT k.period FROM locks k JOIN runs r ON r.id = k.run_id WHERE r.action = 'import' ORDER BY k.period_start").map { try $0.string(0) }
    }

    func pgImportedFigures(before period: Period) throws -> ImportedFigures? {
        try pgRead { pg in
            let locked = try pg.query("""
                SELECT k.run_id, r.action, k.period_start FROM locks k JOIN runs r ON r.id = k.run_id WHERE k.period_end < $1 ORDER BY k.period_start
                """, [.text(period.start.description)]).map { (run: try $0.int(0), action: try $0.string(1), start: try $0.string(2)) }
            let imports = locked.filter { $0.action == "import" }
            guard let first = imports.first, first.start.hasPrefix("\(period.start.year)-") else { return nil }
            let runs = imports.map(\.run)
            let list = runs.map(String.init).joined(separator: ", ")
            let paid = try pg.query("SELECT DISTINCT payee_id, plan, currency FROM statements WHERE run_id IN (\(list)) ORDER BY payee_id, plan")
                .map { (payee: try $0.string(0), plan: try $0.string(1), currency: try $0.string(2)) }
            let draws = try pg.query("SELECT DISTINCT payee_id, draw FROM draw_balances WHERE run_id IN (\(list)) ORDER BY payee_id, draw")
                .map { (payee: try $0.string(0), draw: try $0.string(1)) }
            var figures = ImportedFigures(runs: runs, paid: paid, draws: draws)
            figures.firstClose = imports.count == locked.count
            return figures
        }
    }

    func pgVoidedPosting(of period: Period, before: Int64?) throws -> VoidedPosting? {
        try pgRead { pg in
            guard let run = try pg.query("""
                SELECT id, voided_by FROM runs WHERE action = 'close' AND period = $1 AND voided_by IS NOT NULL AND id < $2 ORDER BY id DESC LIMIT 1
                """, [.text(period.label), .int(before ?? Int64.max)]).first else { return nil }
            let id = try run.int(0)
            var posting = VoidedPosting(run: id, voidedBy: try run.int(1), paid: [])
            for row in try pg.query("SELECT payee_id, payee_name, currency, paid FROM statements WHERE run_id = $1 ORDER BY payee_id", [.int(id)]) {
                let code = try row.string(2), text = try row.string(3)
                guard let currency = Currency(code: code), case .success(let amount) = ExactDecimal.parse(text) else {
                    throw LedgerError("the ledger holds a statement of run \(id) it cannot read (paid `\(text)` \(code))")
                }
                posting.paid.append(PayrollDifference.Paid(payeeID: try row.string(0), name: try row.string(1), amount: Money(amount, currency)))
            }
            return posting
        }
    }

    func pgLocksByKind() throws -> [(kind: PeriodKind, periods: [String])] {
        var found: [String: [String]] = [:]
        for row in try pg.query("SELECT kind, period FROM locks ORDER BY period_start, period") { found[try row.string(0), default: []].append(try row.string(1)) }
        return PeriodKind.allCases.compactMap { k in found[k.rawValue].map { (k, $0) } }
    }

    func pgDocumentDigests(ofRun run: Int64) throws -> [String: (sha256: String, bytes: Int)] {
        var out: [String: (sha256: String, bytes: Int)] = [:]
        for row in try pg.query("SELECT payee_id, document_sha256, document_bytes FROM statements WHERE run_id = $1", [.int(run)]) {
            out[try row.string(0)] = (InputHash.hex(try row.bytes("document_sha256")), Int(try row.int(2)))
        }
        return out
    }

    func pgLastDryRun(period: String) throws -> DryRunRecord? {
        try pg.query("SELECT period, at, prepared_by, inputs_sha256, approvals_before FROM dry_runs WHERE period = $1", [.text(period)]).first.map {
            DryRunRecord(period: try $0.string(0), at: try $0.string(1), preparedBy: try $0.optionalString(2), inputs: try $0.string(3),
                         approvalsBefore: try $0.int(4))
        }
    }

    func pgApprovals(of dryRun: DryRunRecord?) throws -> [ApprovalRecord] {
        var sql = "SELECT id, period, approved_by, at, prepared_by, inputs_sha256 FROM approvals"
        var values: [SQLValue] = []
        if let d = dryRun {
            sql += " WHERE period = $1 AND id > $2 AND inputs_sha256 = $3 AND approved_by IS DISTINCT FROM $4"
            values = [.text(d.period), .int(d.approvalsBefore), .text(d.inputs), .text(d.preparedBy)]
        }
        return try pg.query(sql + " ORDER BY id", values).map {
            ApprovalRecord(id: try $0.int(0), period: try $0.string(1), approvedBy: try $0.string(2), at: try $0.string(3),
                           preparedBy: try $0.optionalString(4), inputs: try $0.string(5))
        }
    }

    func pgHolds(active: Bool) throws -> [HoldRecord] {
        try Ledger.pgHoldRecords(pg, where: active ? "released_at IS NULL" : "TRUE")
    }

    static func pgHoldRecords(_ pg: PostgresStore, where condition: String) throws -> [HoldRecord] {
        try pg.query("SELECT id, payee_id, deal_id, reason, held_by, at, released_at, released_by FROM holds WHERE \(condition) ORDER BY id").map {
            HoldRecord(id: try $0.int(0), payeeID: try $0.optionalString(1), dealID: try $0.optionalString(2), reason: try $0.string(3),
                       heldBy: try $0.optionalString(4), at: try $0.string(5), releasedAt: try $0.optionalString(6), releasedBy: try $0.optionalString(7))
        }
    }

    func pgCapitalized(before period: Period?) throws -> [CapitalizedAmount] {
        var sql = """
            SELECT c.kind, c.payee_id, c.deal_id, c.component, c.period, c.period_start, c.period_end, c.amount, c.currency, c.term_months,
                   c.start_date, c.cost_center, c.released FROM capitalized_commissions c JOIN runs r ON r.id = c.run_id WHERE r.voided_by IS NULL
            """
        var values: [SQLValue] = []
        if let period {
            sql += " AND c.period_end < $1"
            values = [.text(period.start.description)]
        }
        sql += " ORDER BY c.period_end, c.payee_id, c.deal_id, c.id"
        return try pg.query(sql, values).compactMap { row in
            guard let kind = CapitalizedAmount.Kind(rawValue: try row.string(0)), let currency = Currency(code: try row.string(8)),
                  case .success(let amount) = ExactDecimal.parse(try row.string(7)),
                  case .success(let start) = CivilDate.parse(Array(try row.string(10).utf8)),
                  case .success(let from) = CivilDate.parse(Array(try row.string(5).utf8)),
                  case .success(let to) = CivilDate.parse(Array(try row.string(6).utf8)) else { return nil }
            let released = try row.optionalString(12).flatMap { try? ExactDecimal.parse($0).get() }
            return CapitalizedAmount(kind: kind, payeeID: try row.string(1), dealID: try row.string(2), component: try row.string(3),
                                     period: try row.string(4), periodStart: from, periodEnd: to, amount: amount, currency: currency,
                                     termMonths: Int(try row.int(9)), start: start, costCenter: try row.string(11), released: released)
        }
    }

    /// `manualInputs` on PostgreSQL: the disputes as of the latest close before `period`, the adjustments posted by then.
    func pgManualInputs(before period: Period) throws -> (disputes: [Dispute], posted: [String: String], lines: [ManualLineKey]) {
        try pgRead { pg in
            guard let last = try pg.int("SELECT MAX(run_id) FROM locks WHERE period_end < $1", [.text(period.start.description)]) else {
                return ([], [:], [])
            }
            var disputes: [Dispute] = []
            for row in try pg.query("""
                SELECT d.id, d.period, d.payee_id, d.line, d.line_kind, d.line_component, d.line_deal_id, d.line_amount, d.text, d."by", d.at,
                       d.answer, d.resolved_by, d.resolved_at, d.resolved_run, r.voided_by AS resolved_voided, d.answered_after_run
                FROM disputes d LEFT JOIN runs r ON r.id = d.resolved_run WHERE d.recorded_after_run <= $1 ORDER BY d.id
                """, [.int(last)]) {
                var d = try Ledger.pgDispute(row)
                Ledger.standing(&d, resolvedRun: try row.optionalInt(14), voided: try row.optionalInt(15), answeredAfter: try row.optionalInt(16), last: Int64(last))
                disputes.append(d)
            }
            var posted: [String: String] = [:]
            var lines: [ManualLineKey] = []
            for row in try pg.query("""
                SELECT m.adjustment_id, m.period, m.payee_id, m.amount, m.source FROM manual_adjustments m JOIN locks k ON k.run_id = m.run_id
                WHERE k.period_end < $1 ORDER BY m.run_id, m.payee_id, m.seq
                """, [.text(period.start.description)]) {
                posted[try row.string(0)] = try row.string(1)
                if case .success(let amount) = ExactDecimal.parse(try row.string(3)) {
                    lines.append(ManualLineKey(period: try row.string(1), payeeID: try row.string(2), source: try row.string(4), amount: amount))
                }
            }
            return (disputes, posted, lines)
        }
    }

    // MARK: Writing

    func pgSavePreview(_ period: Period, payees: [StatementJSON.SummaryEntry], at: String) throws {
        try pgWrite { pg in
            try pg.query("DELETE FROM previews WHERE period = $1", [.text(period.label)])
            for batch in stride(from: 0, to: payees.count, by: 2000) {
                let part = payees[batch..<min(batch + 2000, payees.count)]
                var values: [SQLValue] = []
                for s in part { values += [.text(period.label), .text(s.payeeID), .text(s.currency.code), .text(s.paid.text), .text(at)] }
                try pg.query("INSERT INTO previews (period, payee_id, currency, paid, at) VALUES " + Ledger.placeholders(rows: part.count, columns: 5), values)
            }
        }
    }

    /// `($1, $2, …), (…)`: `rows` groups of `columns` placeholders.
    static func placeholders(rows: Int, columns: Int) -> String {
        var out = ""
        out.reserveCapacity(rows * columns * 7)
        for r in 0..<rows {
            if r > 0 { out += ", " }
            out += "("
            for c in 0..<columns {
                if c > 0 { out += ", " }
                out += "$\(r * columns + c + 1)"
            }
            out += ")"
        }
        return out
    }

    static func pgRefuseClose(of period: Period, _ pg: PostgresStore) throws {
        if let run = try pgImportRun(locking: period.label, pg) {
            throw LedgerError(Ledger.closedOutsideMessage(period, run: run))
        }
        if let run = try pg.int("SELECT run_id FROM locks WHERE period = $1", [.text(period.label)]) {
            throw LedgerError("\(period) is already closed (run \(run)); reopen it first with `attain reopen --period \(period) --reason \"…\"`")
        }
        if let last = try pg.string("SELECT period FROM locks WHERE kind = $1 AND period_end >= $2 ORDER BY period_end DESC LIMIT 1",
                                    [.text(period.kind.rawValue), .text(period.start.description)]) {
            throw LedgerError("\(last) is already closed, and periods close in order; \(period) cannot be closed after it")
        }
        if let gap = try pgGap(before: period, pg) {
            throw LedgerError("\(gap) is not closed yet, and periods close in order; close \(gap) before \(period)")
        }
    }

    func pgPost(period: Period, inputs: [InputRecord], at: String, engineVersion: String, pause: (() -> Void)?,
                capitalized: (() -> [CapitalizedAmount])?, _ body: (LedgerPosting) throws -> Void) throws -> Int64 {
        try pgWrite { pg in
            try Ledger.pgRefuseClose(of: period, pg)
            guard let run = try pg.int("""
                INSERT INTO runs (action, period, period_start, period_end, at, engine_version) VALUES ('close', $1, $2, $3, $4, $5) RETURNING id
                """, [.text(period.label), .text(period.start.description), .text(period.end.description), .text(at), .text(engineVersion)]) else {
                throw LedgerServerError("the ledger \(path) gave no id for the new run")
            }
            try Ledger.pgInsertInputs(inputs, run: run, pg)
            var texts: [String: Int64] = [:]
            for row in try pg.query("SELECT id, text FROM texts") { texts[try row.string(1)] = try row.int(0) }
            let posting = LedgerPosting(postgres: pg, run: run, period: period, texts: texts,
                                        nextStatement: (try pg.int("SELECT COALESCE(MAX(id), 0) + 1 FROM statements")) ?? 1,
                                        nextText: (try pg.int("SELECT COALESCE(MAX(id), 0) + 1 FROM texts")) ?? 1)
            do {
                try body(posting)
            } catch {
                posting.finish(sending: false)
                throw error
            }
            if let failure = posting.finish() { throw failure }
            if let rows = capitalized?(), !rows.isEmpty { try Ledger.pgInsertCapitalized(rows, run: run, pg) }
            pause?()
            try pg.query("INSERT INTO locks (period, period_start, period_end, run_id) VALUES ($1, $2, $3, $4)",
                         [.text(period.label), .text(period.start.description), .text(period.end.description), .int(run)])
            try pg.query("DELETE FROM previews WHERE period = $1", [.text(period.label)])
            return run
        }
    }

    static func pgInsertInputs(_ inputs: [InputRecord], run: Int64, _ pg: PostgresStore) throws {
        guard !inputs.isEmpty else { return }
        try pg.query("INSERT INTO run_inputs (run_id, role, path, sha256) VALUES " + placeholders(rows: inputs.count, columns: 4),
                     inputs.flatMap { [.int(run), .text($0.role), .text($0.path), .text($0.sha256)] as [SQLValue] })
    }

    static func pgInsertCapitalized(_ rows: [CapitalizedAmount], run: Int64, _ pg: PostgresStore) throws {
        for batch in stride(from: 0, to: rows.count, by: 2000) {
            let part = rows[batch..<min(batch + 2000, rows.count)]
            var values: [SQLValue] = []
            for r in part {
                values += [.int(run), .text(r.kind.rawValue), .text(r.period), .text(r.periodStart.description), .text(r.periodEnd.description),
                           .text(r.payeeID), .text(r.dealID), .text(r.component), .text(r.amount.description), .text(r.currency.code),
                           .int(Int64(r.termMonths)), .text(r.start.description), .text(r.costCenter), .text(r.released?.description)]
            }
            try pg.query("""
                INSERT INTO capitalized_commissions (run_id, kind, period, period_start, period_end, payee_id, deal_id, component, amount, currency,
                    term_months, start_date, cost_center, released) VALUES
                """ + " " + placeholders(rows: part.count, columns: 14), values)
        }
    }

    func pgReopen(_ period: Period, reason: String, at: String, engineVersion: String) throws -> Int64 {
        try pgWrite { pg in
            guard let closeRun = try pg.int("SELECT run_id FROM locks WHERE period = $1", [.text(period.label)]) else {
                throw LedgerError("\(period) is not closed, so there is nothing to reopen")
            }
            if try Ledger.pgImportRun(locking: period.label, pg) != nil {
                if let later = try pg.string("""
                    SELECT k.period FROM locks k JOIN runs r ON r.id = k.run_id WHERE r.action != 'import' ORDER BY k.period_start DESC LIMIT 1
                    """) {
                    throw LedgerError("\(period) was closed outside Attain (opening balances), and \(later) has been closed after it; opening balances cannot be voided once a period is closed after them")
                }
                let run = try pgInsertReopen(period, reason: reason, at: at, engineVersion: engineVersion, pg)
                try pg.query("UPDATE runs SET voided_by = $1 WHERE action = 'import' AND voided_by IS NULL AND id IN (SELECT run_id FROM locks)", [.int(run)])
                try pg.query("DELETE FROM locks WHERE run_id IN (SELECT id FROM runs WHERE action = 'import')")
                return run
            }
            if let later = try pg.string("SELECT period FROM locks WHERE kind = $1 AND period_start > $2 ORDER BY period_start DESC LIMIT 1",
                                         [.text(period.kind.rawValue), .text(period.start.description)]) {
                throw LedgerError("\(later) is closed after \(period); reopen \(later) first")
            }
            let run = try pgInsertReopen(period, reason: reason, at: at, engineVersion: engineVersion, pg)
            try pg.query("UPDATE runs SET voided_by = $1 WHERE id = $2", [.int(run), .int(closeRun)])
            try pg.query("DELETE FROM locks WHERE period = $1", [.text(period.label)])
            return run
        }
    }

    private func pgInsertReopen(_ period: Period, reason: String, at: String, engineVersion: String, _ pg: PostgresStore) throws -> Int64 {
        guard let run = try pg.int("""
            INSERT INTO runs (action, period, period_start, period_end, at, engine_version, reason) VALUES ('reopen', $1, $2, $3, $4, $5, $6) RETURNING id
            """, [.text(period.label), .text(period.start.description), .text(period.end.description), .text(at), .text(engineVersion), .text(reason)]) else {
            throw LedgerServerError("the ledger \(path) gave no id for the new run")
        }
        return run
    }

    func pgSetRequireApproval(_ required: Bool) throws {
        try pgWrite { pg in
            try pg.query("INSERT INTO settings (key, value) VALUES ('require_approval', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         [.text(required ? "true" : "false")])
        }
    }

    func pgSaveDryRun(period: String, at: String, preparedBy: String?, inputs: String) throws {
        try pgWrite { pg in
            let last = try pg.int("SELECT COALESCE(MAX(id), 0) FROM approvals") ?? 0
            try pg.query("""
                INSERT INTO dry_runs (period, at, prepared_by, inputs_sha256, approvals_before) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (period) DO UPDATE SET at = excluded.at, prepared_by = excluded.prepared_by,
                    inputs_sha256 = excluded.inputs_sha256, approvals_before = excluded.approvals_before
                """, [.text(period), .text(at), .text(preparedBy), .text(inputs), .int(last)])
        }
    }

    func pgApprove(_ dryRun: DryRunRecord, by: String, at: String) throws -> ApprovalRecord {
        try pgWrite { pg in
            guard let id = try pg.int("INSERT INTO approvals (period, approved_by, at, prepared_by, inputs_sha256) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                      [.text(dryRun.period), .text(by), .text(at), .text(dryRun.preparedBy), .text(dryRun.inputs)]) else {
                throw LedgerServerError("the ledger \(path) gave no id for the approval")
            }
            return ApprovalRecord(id: id, period: dryRun.period, approvedBy: by, at: at, preparedBy: dryRun.preparedBy, inputs: dryRun.inputs)
        }
    }

    func pgHold(payee: String?, deal: String?, reason: String, by: String?, at: String) throws -> HoldRecord {
        try pgWrite { pg in
            guard let id = try pg.int("INSERT INTO holds (payee_id, deal_id, reason, held_by, at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                      [.text(payee), .text(deal), .text(reason), .text(by), .text(at)]) else {
                throw LedgerServerError("the ledger \(path) gave no id for the hold")
            }
            return HoldRecord(id: id, payeeID: payee, dealID: deal, reason: reason, heldBy: by, at: at, releasedAt: nil, releasedBy: nil)
        }
    }

    func pgReleaseHolds(payee: String?, deal: String?, by: String?, at: String) throws -> [HoldRecord] {
        try pgWrite { pg in
            let condition = payee != nil ? "payee_id = $1" : "deal_id = $1"
            let ids = try pg.query("SELECT id FROM holds WHERE \(condition) AND released_at IS NULL ORDER BY id", [.text(payee ?? deal ?? "")]).map { try $0.int(0) }
            for id in ids {
                try pg.query("UPDATE holds SET released_at = $1, released_by = $2 WHERE id = $3", [.text(at), .text(by), .int(id)])
            }
            guard !ids.isEmpty else { return [] }
            return try Ledger.pgHoldRecords(pg, where: "id IN (\(ids.map(String.init).joined(separator: ",")))")
        }
    }
}

extension LedgerPosting {
    /// `postManual` on PostgreSQL, in the posting's transaction.
    func postManual(_ lines: [PostedManualLine], at: String, by: String?, _ pg: PostgresStore) throws {
        for l in lines {
            try pg.query("""
                INSERT INTO manual_adjustments (adjustment_id, run_id, period, payee_id, seq, amount, currency, source, dispute_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """, [.text(l.adjustmentID), .int(run), .text(period), .text(l.payeeID), .int(Int64(l.seq)), .text(l.amount.text),
                      .text(l.amount.currency.code), .text(l.source), .int(l.dispute.map(Int64.init))])
            if let d = l.dispute {
                try pg.query("""
                    UPDATE disputes SET status = 'resolved', answer = NULL, answered_after_run = NULL, resolved_run = $1, resolved_payee = $2,
                        resolved_seq = $3, resolved_at = $4, resolved_by = $5 WHERE id = $6
                    """, [.int(run), .text(l.payeeID), .int(Int64(l.seq)), .text(at), .text(by), .int(Int64(d))])
            }
        }
    }
}

// MARK: Disputes and opening balances

extension Ledger {
    func pgRecordDispute(period: String, payee: String, line: Int, text: String, by: String?, at: String) throws -> Int64 {
        try pgWrite { pg in
            guard let run = try pg.int("SELECT run_id FROM locks WHERE period = $1", [.text(period)]) else {
                throw LedgerError("\(period) is not closed; a dispute is about a line of a posted statement (see `attain history`)")
            }
            guard let statement = try pg.int("SELECT id FROM statements WHERE run_id = $1 AND payee_id = $2", [.int(run), .text(payee)]) else {
                throw LedgerError("payee `\(payee)` has no posted statement for \(period) (run \(run))")
            }
            let count = Int(try pg.int("SELECT COUNT(*) FROM lines WHERE statement_id = $1", [.int(statement)]) ?? 0)
            guard line >= 1, line <= count else {
                throw LedgerError("the statement of `\(payee)` for \(period) has \(count) line\(count == 1 ? "" : "s"); there is no line \(line)")
            }
            guard let row = try pg.query("""
                SELECT k.text AS kind, c.text AS component, l.deal_id, l.amount FROM lines l
                JOIN texts k ON k.id = l.kind_id JOIN texts c ON c.id = l.component_id WHERE l.statement_id = $1 AND l.seq = $2
                """, [.int(statement), .int(Int64(line - 1))]).first else {
                throw LedgerError("the ledger holds no line \(line) on the statement of `\(payee)` for \(period)")
            }
            let latest = try pg.int("SELECT MAX(run_id) FROM locks") ?? run
            guard let id = try pg.int("""
                INSERT INTO disputes (period, payee_id, line, statement_id, line_kind, line_component, line_deal_id, line_amount, text, "by", at,
                                      recorded_after_run) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id
                """, [.text(period), .text(payee), .int(Int64(line)), .int(statement), .text(try row.string(0)), .text(try row.string(1)),
                      .text(try row.optionalString(2)), .text(try row.string(3)), .text(text), .text(by), .text(at), .int(latest)]) else {
                throw LedgerServerError("the ledger \(path) gave no id for the dispute")
            }
            return id
        }
    }

    func pgAnswerDispute(_ id: Int64, answer: String, by: String?, at: String) throws {
        try pgWrite { pg in
            guard let record = try Ledger.pgDisputeRecords(where: "d.id = $1", [.int(id)], pg).first else {
                throw LedgerError("there is no dispute \(id) (see `attain disputes --all`)")
            }
            guard record.state == "open" else {
                throw LedgerError("dispute \(id) is not open: \(record.state == "answered" ? "it was answered" : "an adjustment resolved it")")
            }
            let latest = try pg.int("SELECT MAX(run_id) FROM locks")
            try pg.query("UPDATE disputes SET status = 'resolved', answer = $1, answered_after_run = $2, resolved_at = $3, resolved_by = $4 WHERE id = $5",
                         [.text(answer), .int(latest), .text(at), .text(by), .int(id)])
        }
    }

    func pgDisputes(period: String?, payee: String?) throws -> [DisputeRecord] {
        var conditions = ["TRUE"]
        var values: [SQLValue] = []
        if let period {
            values.append(.text(period))
            conditions.append("d.period = $\(values.count)")
        }
        if let payee {
            values.append(.text(payee))
            conditions.append("d.payee_id = $\(values.count)")
        }
        return try pgRead { pg in try Ledger.pgDisputeRecords(where: conditions.joined(separator: " AND "), values, pg) }
    }

    static func pgDisputeRecords(where condition: String, _ values: [SQLValue], _ pg: PostgresStore) throws -> [DisputeRecord] {
        try pg.query("""
            SELECT d.id, d.period, d.payee_id, d.line, d.line_kind, d.line_component, d.line_deal_id, d.line_amount, d.text, d."by", d.at,
                   d.answer, d.resolved_by, d.resolved_at, d.resolved_run, r.voided_by AS resolved_voided, m.adjustment_id,
                   m.period AS adjustment_period, d.resolved_seq
            FROM disputes d LEFT JOIN runs r ON r.id = d.resolved_run
            LEFT JOIN manual_adjustments m ON m.run_id = d.resolved_run AND m.dispute_id = d.id
            WHERE \(condition) ORDER BY d.id
            """, values).map { row in
            var d = try pgDispute(row)
            let resolvedRun = try row.optionalInt(14), voided = try row.optionalInt(15)
            let adjustmentID = try row.optionalString(16), adjustmentPeriod = try row.optionalString(17), seq = try row.optionalInt(18)
            let adjusted = resolvedRun != nil && voided == nil
            let answered = d.answer != nil
            d.status = adjusted || answered ? .settled : .open
            return DisputeRecord(dispute: d, state: answered ? "answered" : adjusted ? "adjusted" : "open",
                                 adjustmentID: adjusted ? adjustmentID : nil, adjustmentPeriod: adjusted ? adjustmentPeriod : nil,
                                 adjustmentLine: adjusted ? seq.map { Int($0) + 1 } : nil)
        }
    }

    /// A dispute from the first 14 columns of a disputes query (id … resolved_at, in `pgDisputeRecords`' order).
    static func pgDispute(_ row: SQLRow) throws -> Dispute {
        var d = Dispute(id: Int(try row.int(0)), period: try row.string(1), payeeID: try row.string(2), line: Int(try row.int(3)),
                        lineKind: try row.string(4), lineComponent: try row.string(5), lineDealID: try row.optionalString(6),
                        lineAmount: try row.string(7), text: try row.string(8), by: try row.optionalString(9), at: try row.string(10), status: .open)
        d.answer = try row.optionalString(11)
        d.resolvedBy = try row.optionalString(12)
        d.resolvedAt = try row.optionalString(13)
        return d
    }

    /// The id of an interned text on PostgreSQL, interning it when new.
    static func pgTextID(_ text: String, _ pg: PostgresStore) throws -> Int64 {
        if let id = try pg.int("SELECT id FROM texts WHERE text = $1", [.text(text)]) { return id }
        guard let id = try pg.int("INSERT INTO texts (id, text) SELECT COALESCE(MAX(id), 0) + 1, $1 FROM texts RETURNING id", [.text(text)]) else {
            throw LedgerError("the ledger could not record the text `\(text)`")
        }
        return id
    }

    func pgImportOpenings(_ balances: OpeningBalances, inputs: [InputRecord], at: String, engineVersion: String) throws -> [(period: Period, run: Int64)] {
        try pgWrite { pg in
            if let last = try pg.query("""
                SELECT k.period, k.run_id, r.action FROM locks k JOIN runs r ON r.id = k.run_id ORDER BY k.period_end DESC LIMIT 1
                """).first {
                throw Ledger.openingsRefused(period: try last.string(0), run: try last.int(1), action: try last.string(2))
            }
            var runs: [(period: Period, run: Int64)] = []
            let empty = Data(InputHash.sha256Bytes(""))
            for period in balances.periods {
                guard let run = try pg.int("""
                    INSERT INTO runs (action, period, period_start, period_end, at, engine_version, reason) VALUES ('import', $1, $2, $3, $4, $5, $6) RETURNING id
                    """, [.text(period.label), .text(period.start.description), .text(period.end.description), .text(at), .text(engineVersion),
                          .text(Ledger.closedOutsideNote)]) else { throw LedgerServerError("the ledger \(path) gave no id for the new run") }
                try Ledger.pgInsertInputs(inputs, run: run, pg)
                for (payee, rows, currency, total) in try Ledger.importedPay(balances, period: period) {
                    guard let statement = try pg.int("""
                        INSERT INTO statements (id, run_id, period, payee_id, payee_name, plan, plan_version, currency, earned, adjustments, paid,
                                                document_sha256, document_bytes)
                        SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3, '', $4, '', $5, $6, $7, $8, $9, 0 FROM statements RETURNING id
                        """, [.int(run), .text(period.label), .text(payee), .text(rows[0].plan), .text(currency.code), .text(Money(total, currency).text),
                              .text(Money(.zero, currency).text), .text(Money(total, currency).text), .bytes(empty)]) else {
                        throw LedgerServerError("the ledger \(path) gave no id for the statement")
                    }
                    let kind = try Ledger.pgTextID(Ledger.importedLineKind.rawValue, pg)
                    for (seq, row) in rows.enumerated() {
                        try pg.query("""
                            INSERT INTO lines (statement_id, seq, kind_id, component_id, deal_id, for_period, amount, source_id) VALUES ($1, $2, $3, $4, NULL, NULL, $5, $6)
                            """, [.int(statement), .int(Int64(seq)), .int(kind), .int(try Ledger.pgTextID(row.component, pg)), .text(row.amount.text),
                                  .int(try Ledger.pgTextID("\(balances.path):\(row.line)", pg))])
                    }
                }
                for d in balances.draws where d.period == period {
                    try pg.query("""
                        INSERT INTO draw_balances (run_id, payee_id, draw, period, period_end, balance_before, balance_after) VALUES ($1, $2, $3, $4, $5, $6, $7)
                        """, [.int(run), .text(d.payeeID), .text(d.draw), .text(period.label), .text(period.end.description), .text(d.balance.text),
                              .text(d.balance.text)])
                }
                try pg.query("INSERT INTO locks (period, period_start, period_end, run_id) VALUES ($1, $2, $3, $4)",
                             [.text(period.label), .text(period.start.description), .text(period.end.description), .int(run)])
                runs.append((period, run))
            }
            return runs
        }
    }
}
