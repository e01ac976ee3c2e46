// A close's rows for a PostgreSQL ledger, kept and sent many to a statement (multi-row INSERTs with thousands of
// values) rather than one round trip per row: a close at 1M deals posts some 10k statements and a line per deal.
import Attain
import Foundation
import PostgresNIO

/// The rows of one posting not sent yet; used under the posting's lock only.
final class PostgresBatches: @unchecked Sendable {
    let store: PostgresStore
    private var nextStatement: Int64
    private var nextText: Int64
    private var texts = PostgresBindings(), textRows = 0
    private var statements = PostgresBindings(), statementRows = 0
    private var lines = PostgresBindings(), lineRows = 0
    private var draws = PostgresBindings(), drawRows = 0

    /// Rows per INSERT (PostgreSQL takes at most 65535 values in one statement).
    static let lineBatch = 6000
    static let statementBatch = 4000

    init(_ store: PostgresStore, nextStatement: Int64, nextText: Int64) {
        self.store = store
        self.nextStatement = nextStatement
        self.nextText = nextText
    }

    /// The id of a text met for the first time; it is sent before the lines that use it.
    func newText(_ text: String) -> Int64 {
        let id = nextText
        nextText += 1
        texts.append(id)
        texts.append(text)
        textRows += 1
        return id
    }

    /// Keeps a statement, its lines and draw balances, sending what is kept once a batch is full.
    func add(_ s: PostedStatement, run: Int64, period: String, periodEnd: String, hash: [UInt8], textID: (String) throws -> Int64) throws {
        let statementID = nextStatement
        nextStatement += 1
        statements.append(statementID)
        statements.append(run)
        statements.append(period)
        statements.append(s.payeeID)
        statements.append(s.payeeName)
        statements.append(s.planName)
        statements.append(s.planVersion)
        statements.append(s.currency)
        statements.append(s.earned)
        statements.append(s.adjustments)
        statements.append(s.paid)
        var buffer = ByteBufferAllocator().buffer(capacity: hash.count)
        buffer.writeBytes(hash)
        statements.append(buffer)
        statements.append(s.bytes)
        statementRows += 1
        for (seq, line) in s.lines.enumerated() {
            lines.append(statementID)
            lines.append(Int64(seq))
            lines.append(try textID(line.kind))
            lines.append(try textID(line.component))
            lines.append(line.dealID)
            lines.append(line.refPeriod)
            lines.append(line.amount)
            lines.append(try textID(line.source))
            lineRows += 1
            if let before = line.balanceBefore, let after = line.balanceAfter {
                draws.append(run)
                draws.append(s.payeeID)
                draws.append(line.component)
                draws.append(period)
                draws.append(periodEnd)
                draws.append(before)
                draws.append(after)
                drawRows += 1
            }
        }
        if lineRows >= PostgresBatches.lineBatch || statementRows >= PostgresBatches.statementBatch { try flush() }
    }

    /// Sends every row kept: texts, then statements, then their lines and draw balances (lines refer to statements).
    func flush() throws {
        if textRows > 0 {
            try send("INSERT INTO texts (id, text) VALUES ", &texts, rows: &textRows, columns: 2)
        }
        if statementRows > 0 {
            try send("""
                INSERT INTO statements (id, run_id, period, payee_id, payee_name, plan, plan_version, currency, earned, adjustments, paid,
                                        document_sha256, document_bytes) VALUES
                """ + " ", &statements, rows: &statementRows, columns: 13)
        }
        if lineRows > 0 {
            try send("INSERT INTO lines (statement_id, seq, kind_id, component_id, deal_id, for_period, amount, source_id) VALUES ",
                     &lines, rows: &lineRows, columns: 8)
        }
        if drawRows > 0 {
            try send("INSERT INTO draw_balances (run_id, payee_id, draw, period, period_end, balance_before, balance_after) VALUES ",
                     &draws, rows: &drawRows, columns: 7)
        }
    }

    private func send(_ head: String, _ binds: inout PostgresBindings, rows: inout Int, columns: Int) throws {
        let sql = head + Ledger.placeholders(rows: rows, columns: columns)
        let sent = binds
        binds = PostgresBindings()
        rows = 0
        try store.query(sql, binds: sent)
    }
}
