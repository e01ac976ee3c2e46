// Opening balances for a company that starts mid-year: the file is validated with positions, the import becomes what
// the ledger's history returns, the next period closes and earlier ones do not, and a bad import changes nothing.
import Foundation
import GRDB
import Testing
@testable import Attain
@testable import AttainLedger
@testable import AttainTool

@Suite struct OpeningBalancesTests {
    static let head = "payee_id,kind,plan,component,period,amount,currency\n"

    func parse(_ text: String) -> Result<OpeningBalances, Diagnostics> {
        OpeningBalances.parse(InputFile(path: "openings.csv", bytes: Array(text.utf8)))
    }

    func errors(_ text: String) -> [Diagnostic] {
        guard case .failure(let d) = parse(text) else { return [] }
        return d.errors
    }

    /// A fresh ledger in a scratch folder, with opening balances imported from `text`.
    func importedLedger(_ text: String) throws -> (dir: String, ledger: Ledger) {
        let dir = try scratchCopy(of: "opening-balances-mid-year")
        let balances = try parse(text).get()
        let ledger = try Ledger(path: dir + "/attain.db")
        try ledger.importOpenings(balances, inputs: [InputRecord(role: "opening-balances", path: "openings.csv", bytes: Array(text.utf8))],
                                  at: "2026-07-01T00:00:00Z", engineVersion: Engine.version)
        return (dir, ledger)
    }

    let openings = head + """
        A,paid,AE-Annual-2026,Bookings commission,2026-Q1,2950.00,USD
        A,paid,AE-Annual-2026,Bookings commission,2026-Q2,3400.00,USD
        A,paid,AE-Annual-2026,Spring SPIF,2026-Q2,200.00,USD
        B,draw_balance,Ramp-2026,New-hire draw,2026-Q2,4000.00,USD

        """

    @Test func aFileReadsIntoPaidRowsDrawBalancesAndThePeriodsItCloses() throws {
        let b = try parse(openings).get()
        #expect(b.paid.map { "\($0.payeeID) \($0.plan) \($0.component) \($0.period) \($0.amount.text) \($0.amount.currency) line \($0.line)" } == [
            "A AE-Annual-2026 Bookings commission 2026-Q1 2950.00 USD line 2",
            "A AE-Annual-2026 Bookings commission 2026-Q2 3400.00 USD line 3",
            "A AE-Annual-2026 Spring SPIF 2026-Q2 200.00 USD line 4",
        ])
        #expect(b.draws.map { "\($0.payeeID) \($0.draw) \($0.period) \($0.balance.text)" } == ["B New-hire draw 2026-Q2 4000.00"])
        #expect(b.periods.map(\.label) == ["2026-Q1", "2026-Q2"])
        #expect(b.nextPeriod?.label == "2026-Q3")
        // A currency without minor units takes whole amounts only; months follow one another across the file's order.
        let yen = try parse(Self.head + "X,paid,P,C,2026-02,1200,JPY\nX,paid,P,C,2026-01,1000,JPY\n").get()
        #expect(yen.periods.map(\.label) == ["2026-01", "2026-02"])
        #expect(yen.nextPeriod?.label == "2026-03")
        #expect(errors(Self.head + "X,paid,P,C,2026-01,1000.5,JPY\n").map(\.message) == ["`amount` is `1000.5`: JPY amounts have at most 0 decimal places"])
    }

    @Test func badValuesAreReportedWhereTheyStand() {
        let (text, at) = marked(Self.head + """
            A,1️⃣paied,P,C,2026-Q1,10.00,USD
            A,paid,P,C,2️⃣2026-Q0,10.00,USD
            A,paid,P,C,2026-Q1,3️⃣10.001,USD
            A,paid,P,C,2026-Q1,10.00,4️⃣usd
            A,paid,P,,2026-Q1,10.00,USD

            """)
        let found = errors(text)
        #expect(found.map(\.code) == ["D270", "D271", "D211", "D272", "D212"])
        #expect(found.map(\.message) == [
            "`kind` is `paied`; expected `paid` or `draw_balance`",
            "`period` is `2026-Q0`: expected a period such as 2026-01, 2026-Q1, 2026-H1, 2026 or 2026-01-S1",
            "`amount` is `10.001`: USD amounts have at most 2 decimal places",
            "`currency` is `usd`: not a known ISO 4217 currency",
            "`component` is empty",
        ])
        for (marker, d) in zip(["1️⃣", "2️⃣", "3️⃣", "4️⃣"], found) {
            #expect(d.span?.path == "openings.csv")
            #expect(d.span.map { "\($0.line):\($0.column)" } == at[marker].map { "\($0.line):\($0.column)" }, "\(d.code)")
        }
        #expect(found[0].notes.map(\.message) == ["did you mean `paid`?"])
        #expect(found[4].span.map { "\($0.line):\($0.column)" } == "6:10")
    }

    @Test func theFileAsAWholeIsChecked() {
        #expect(errors(Self.head).map(\.message) == ["the file has a header but no rows; expected `paid` or `draw_balance` rows"])
        #expect(errors("payee_id,kind,plan,component,period,amount\n").map(\.message) == ["missing column `currency`"])
        // The same figure twice, a draw balance twice (whatever its period), a second plan for a payee and period.
        let twice = errors(Self.head + """
            A,paid,P,C,2026-Q1,10.00,USD
            A,paid,P,C,2026-Q1,10.00,USD
            A,draw_balance,P,Draw,2026-Q1,10.00,USD
            A,draw_balance,P,Draw,2026-Q2,5.00,USD
            A,paid,Q,C,2026-Q2,1.00,USD
            A,paid,P,C,2026-Q2,1.00,USD

            """)
        #expect(twice.map(\.message) == [
            "payee `A` has pay for 2026-Q1 under \"P\", component \"C\", twice",
            "payee `A` has a draw balance for draw \"Draw\" twice",
            "payee `A` has pay for 2026-Q2 under \"Q\" and \"P\"; a payee is paid under one plan a period",
        ])
        #expect(twice.map { $0.notes.map(\.message) } == [["first on line 2"], ["first on line 4"], ["\"Q\" on line 6"]])
        // Periods are of one kind, in one year, with no gap between them.
        let gap = errors(Self.head + "A,paid,P,C,2026-Q1,1.00,USD\nA,paid,P,C,2026-Q4,1.00,USD\nB,paid,P,C,2026-Q2,1.00,USD\n")
        #expect(gap.map(\.code) == ["D276"])
        #expect(gap.first?.message == "2026-Q3 is missing between 2026-Q2 and 2026-Q4; periods closed outside Attain follow one another")
        #expect(gap.first?.span?.line == 3)
        #expect(gap.first?.notes.map(\.message) == ["add a `paid` row for 2026-Q3, with an amount of 0.00 if nothing was paid"])
        #expect(errors(Self.head + "A,paid,P,C,2026-H1,1.00,USD\nA,paid,P,C,2026-Q3,1.00,USD\n").map(\.message) == [
            "`period` is 2026-Q3, a quarter, but the file's first period 2026-H1 is a half; periods closed outside Attain are of one kind, in one year",
        ])
        // A negative draw balance is refused; negative pay (a clawback the old system made) is not.
        #expect(errors(Self.head + "A,draw_balance,P,Draw,2026-Q1,-1.00,USD\n").map(\.code) == ["D274"])
        #expect(errors(Self.head + "A,paid,P,C,2026-Q1,-1.00,USD\n").isEmpty)
    }

    @Test func importedFiguresAreWhatTheLedgerSaysWasPaid() throws {
        let (dir, ledger) = try importedLedger(openings)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let history = try ledger.history(before: try Period.parse("2026-Q3").get())
        #expect(history.closedPeriods.isEmpty, "periods closed outside Attain are not recomputed for adjustments")
        #expect(history.closedOutside == ["2026-Q1", "2026-Q2"])
        #expect(history.lines.map { "\($0.period) \($0.payeeID) \($0.plan) \($0.kind.rawValue) \($0.component) \($0.dealID ?? "-") \($0.amount) \($0.source)" } == [
            "2026-Q1 A AE-Annual-2026 commission Bookings commission - 2950.00 openings.csv:2",
            "2026-Q2 A AE-Annual-2026 commission Bookings commission - 3400.00 openings.csv:3",
            "2026-Q2 A AE-Annual-2026 commission Spring SPIF - 200.00 openings.csv:4",
        ])
        #expect(history.drawBalances == ["B": ["New-hire draw": ExactDecimal(coefficient: 400000, scale: 2)]])
        // Before 2026-Q2 the ledger knows only Q1.
        let earlier = try ledger.history(before: try Period.parse("2026-Q2").get())
        #expect(earlier.lines.map(\.amount.description) == ["2950.00"])
        #expect(earlier.drawBalances.isEmpty)
        // `history` lists one import run per period, with the file's SHA-256 and the note.
        let runs = try ledger.runs()
        #expect(runs.map { "\($0.id) \($0.action) \($0.period) \($0.payees) \($0.paid.map { "\($0.amount) \($0.currency)" })" } == [
            "1 import 2026-Q1 1 [\"2950.00 USD\"]", "2 import 2026-Q2 1 [\"3600.00 USD\"]",
        ])
        #expect(runs.allSatisfy { $0.inputs.map(\.sha256) == [InputHash.sha256(Array(openings.utf8))] })
        #expect(Commands.history(ledgerPath: "attain.db", inputs: false, reader: InputReader(root: dir)).stdout.contains(
            "import  2026-Q2       1  3600.00 USD  \(Engine.version)   closed outside Attain"))
        let listed = Commands.history(ledgerPath: "attain.db", inputs: true, reader: InputReader(root: dir)).stdout
        #expect(listed.contains("opening-balances openings.csv sha256:\(InputHash.sha256(Array(openings.utf8)))"))
    }

    @Test func aSecondImportIsRefused() throws {
        let (dir, ledger) = try importedLedger(openings)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try openings.write(toFile: dir + "/openings.csv", atomically: true, encoding: .utf8)
        let again = Commands.ledgerImport(file: "openings.csv", ledgerPath: "attain.db", reader: InputReader(root: dir))
        #expect(again.exitCode == ExitCode.refused)
        #expect(again.stderr == "error: opening balances were already imported (run 2 closed 2026-Q2 outside Attain); they are imported once, before the first close: to replace them, void them with `attain reopen --period 2026-Q2 --reason \"…\"` and import again; nothing was imported\n")
        #expect(try ledger.runs().count == 2)
    }

    @Test func theNextPeriodClosesAndAnEarlierOneIsRefused() throws {
        let (dir, ledger) = try importedLedger(openings)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        let plans = try planNames(dir)
        func close(_ p: String) -> CommandOutcome {
            Commands.close(plans: plans, data: ".", period: p, set: [], ledgerPath: "attain.db", commit: true, clock: "2026-10-01T00:00:00Z", reader: reader)
        }
        /// A payee's row of the close table: earned, adjustments, paid.
        func row(_ o: CommandOutcome, _ payee: String) -> [String] {
            let cells = o.stdout.split(separator: "\n").first { $0.hasPrefix(payee + " ") }?.split(separator: " ").map(String.init) ?? []
            return cells.count >= 8 ? Array(cells[4...6]) : cells
        }
        #expect(try ledger.missing(before: try Period.parse("2026-Q3").get()) == nil)
        let q1 = close("2026-Q1")
        #expect(q1.exitCode == ExitCode.refused)
        #expect(q1.stderr == "error: 2026-Q1 was closed outside Attain (opening balances imported by run 1); it cannot be closed here\n")
        #expect(q1.files.isEmpty)
        // Skipping 2026-Q3 is refused as with any close: periods close in order after the import too.
        #expect(close("2026-Q4").stderr == "error: 2026-Q3 is not closed yet, and periods close in order; close 2026-Q3 before 2026-Q4\n")
        let q3 = close("2026-Q3")
        #expect(q3.exitCode == 0)
        #expect(row(q3, "A") == ["18000.00", "-6550.00", "11450.00"])
        #expect(row(q3, "B") == ["12000.00", "-3000.00", "9000.00"])
        // The ledger refuses the same directly: an imported period is never posted over.
        let q1Again = close("2026-Q1")
        #expect(q1Again.exitCode == ExitCode.refused)
        // After the first close, only a payee's currency is checked again (a payee who joins later), and not in another year.
        #expect(try ledger.importedFigures(before: try Period.parse("2026-Q4").get())?.firstClose == false)
        #expect(try ledger.importedFigures(before: try Period.parse("2027-Q1").get()) == nil)
        // Q4's true-up takes off both the imported pay and Q3's.
        let q4 = close("2026-Q4")
        #expect(q4.exitCode == 0)
        #expect(row(q4, "A") == ["18000.00", "-18000.00", "0.00"])
        // B earns nothing in Q4: the draw tops pay up to 9000.00 again, on top of the 1000.00 still to recover.
        #expect(row(q4, "B") == ["0.00", "9000.00", "9000.00"])
    }

    @Test func theFirstCloseChecksTheImportAgainstThePlans() throws {
        let text = Self.head + """
            A,paid,AE-Anual-2026,Bookings commission,2026-Q1,2950.00,USD
            B,draw_balance,Ramp-2026,New hire draw,2026-Q2,4000.00,USD
            B,paid,Ramp-2026,Commission,2026-Q2,1.00,EUR

            """
        let (dir, _) = try importedLedger(text)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = Commands.close(plans: try planNames(dir), data: ".", period: "2026-Q3", set: [], ledgerPath: "attain.db", commit: true,
                               clock: "2026-10-01T00:00:00Z", reader: InputReader(root: dir))
        #expect(o.exitCode == ExitCode.invalidInput)
        #expect(o.files.isEmpty)
        #expect(o.stderr == """
            warning[R351]: pay imported for payee `A` (runs 1–2) is under plan "AE-Anual-2026", which no plan given is named; a year-to-date true-up does not take it off
              = help: did you mean `AE-Annual-2026`?

            error[R353]: pay imported for payee `B` (runs 1–2) is in EUR, but plan "Ramp-2026" pays in USD
              = help: import it again in USD: reopen an imported period to void the import

            warning[R352]: the draw balance imported for payee `B` (runs 1–2) is for draw "New hire draw", which no plan given has; it is not recovered
              = help: did you mean `New-hire draw`?

            1 error; nothing was posted or written

            """)
        #expect(try Ledger(path: dir + "/attain.db").runs().count == 2)
    }

    @Test func aBadImportLeavesTheLedgerUnchanged() throws {
        let dir = try scratchCopy(of: "opening-balances-mid-year")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        // No ledger yet: a bad file does not even create one.
        try (Self.head + "A,paid,P,C,2026-Q1,12.345,USD\n").write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let first = Commands.ledgerImport(file: "bad.csv", ledgerPath: "attain.db", reader: reader)
        #expect(first.exitCode == ExitCode.invalidInput)
        #expect(first.stderr.hasSuffix("1 error; nothing was imported\n"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/attain.db"))
        // With a ledger (a dry run made it), its bytes are the same after a bad import.
        _ = Commands.close(plans: try planNames(dir), data: ".", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: false, clock: "2026-04-01T00:00:00Z", reader: reader)
        let before = try reader.bytes("attain.db")
        #expect(Commands.ledgerImport(file: "bad.csv", ledgerPath: "attain.db", reader: reader).exitCode == ExitCode.invalidInput)
        #expect(try reader.bytes("attain.db") == before)
        // And a refused import (the ledger has a close) changes nothing either.
        _ = Commands.close(plans: try planNames(dir), data: ".", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: true, clock: "2026-04-01T00:00:00Z", reader: reader)
        let closed = try reader.bytes("attain.db")
        let refused = Commands.ledgerImport(file: "openings.csv", ledgerPath: "attain.db", reader: reader)
        #expect(refused.exitCode == ExitCode.refused)
        #expect(refused.stderr == "error: 2026-Q1 is already closed (run 1); opening balances are imported once, into a ledger with no closed period, before the first close; nothing was imported\n")
        #expect(try reader.bytes("attain.db") == closed)
    }

    @Test func reopeningAnImportedPeriodVoidsTheWholeImportUntilAPeriodClosesAfterIt() throws {
        let (dir, ledger) = try importedLedger(openings)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        let voided = Commands.reopen(period: "2026-Q1", reason: "Q2 figures were wrong", ledgerPath: "attain.db", clock: "2026-07-02T00:00:00Z", reader: reader)
        #expect(voided.exitCode == 0)
        #expect(voided.stdout == "opening balances voided (run 3): 2026-Q1, 2026-Q2 no longer closed outside Attain; import them again with `attain ledger import`; reason recorded: Q2 figures were wrong\n")
        #expect(try ledger.runs().map { "\($0.action) \($0.voidedBy.map(String.init) ?? "-")" } == ["import 3", "import 3", "reopen -"])
        let history = try ledger.history(before: try Period.parse("2026-Q3").get())
        #expect(history.lines.isEmpty && history.drawBalances.isEmpty && history.closedOutside.isEmpty)
        // Imported again, then closed after: the import can no longer be voided.
        try ledger.importOpenings(try parse(openings).get(), inputs: [], at: "2026-07-03T00:00:00Z", engineVersion: Engine.version)
        #expect(try ledger.importedPeriods() == ["2026-Q1", "2026-Q2"])
        let q3 = Commands.close(plans: try planNames(dir), data: ".", period: "2026-Q3", set: [], ledgerPath: "attain.db", commit: true, clock: "2026-10-01T00:00:00Z", reader: reader)
        #expect(q3.exitCode == 0)
        let late = Commands.reopen(period: "2026-Q2", reason: "too late", ledgerPath: "attain.db", reader: reader)
        #expect(late.exitCode == ExitCode.refused)
        #expect(late.stderr == "error: 2026-Q2 was closed outside Attain (opening balances), and 2026-Q3 has been closed after it; opening balances cannot be voided once a period is closed after them\n")
    }

    @Test func aLedgerOfTheFirstVersionIsUpgradedWithItsRuns() throws {
        let dir = try scratchCopy(of: "brief-10-ytd")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A ledger as the first version left it: two closes, the second voided by a reopen.
        try olderLedger(at: dir + "/attain.db", upTo: "1: runs, inputs, statements, lines, draw balances, locks, previews") { db in
            try db.execute(sql: "INSERT INTO run_inputs (run_id, role, path, sha256) VALUES (1, 'deals', 'deals.csv', 'abc')")
        }
        let ledger = try Ledger(path: dir + "/attain.db")
        #expect(try ledger.runs().map { "\($0.id) \($0.action) \($0.period) \($0.voidedBy.map(String.init) ?? "-") \($0.inputs.map(\.path))" } == [
            "1 close 2026-Q1 - [\"deals.csv\"]", "2 close 2026-Q2 3 []", "3 reopen 2026-Q2 - []",
        ])
        let (broken, tables) = try ledger.queue.read { db in
            (try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count,
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'runs%' ORDER BY name"))
        }
        #expect(broken == 0)
        #expect(tables == ["runs"])
        // Ids go on from the old ones, and an import is now a run like the others (refused here: 2026-Q1 is closed).
        let q2 = Commands.close(plans: try planNames(dir), data: ".", period: "2026-Q2", set: [], ledgerPath: "attain.db", commit: true, clock: "t4", reader: InputReader(root: dir))
        #expect(q2.stdout.hasPrefix("2026-Q2 closed: run 4 posted"))
        #expect(throws: LedgerError.self) { try ledger.importOpenings(try parse(openings).get(), inputs: [], at: "t5", engineVersion: Engine.version) }
    }

    /// A payee imported in another currency than their plan's, who joins only after the first close: the close they first
    /// have a statement in refuses, as the first close would have.
    @Test func aPayeeWhoJoinsAfterTheFirstCloseHasTheirImportedCurrencyChecked() throws {
        let text = try String(contentsOfFile: repositoryRoot + "/golden/opening-balances-mid-year/openings.csv", encoding: .utf8)
            .replacingOccurrences(of: "C,paid,AE-Annual-2026,Bookings commission,2026-Q1,1200.00,USD", with: "C,paid,AE-Annual-2026,Bookings commission,2026-Q1,1200.00,EUR")
        let (dir, _) = try importedLedger(text)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        let plans = try planNames(dir)
        let q3 = Commands.close(plans: plans, data: ".", period: "2026-Q3", set: [], ledgerPath: "attain.db", commit: true, clock: "2026-10-01T00:00:00Z", reader: reader)
        #expect(q3.exitCode == 0, "\(q3.stderr)")
        #expect(q3.stderr.contains("warning[R350]: opening balances were imported for payee `C`"))
        // C joins in Q4.
        for (file, row) in [("roster.csv", "C,Rep C,,2025-01-01,\n"), ("assignments.csv", "C,AE-Annual-2026,2026-01-01,2026-12-31,400000.00,40000.00\n"),
                            ("deals.csv", "F1,C,2026-10-05,100000.00,USD,Widget,new\n")] {
            let handle = try #require(FileHandle(forWritingAtPath: dir + "/" + file))
            handle.seekToEndOfFile()
            handle.write(Data(row.utf8))
            try handle.close()
        }
        let q4 = Commands.close(plans: plans, data: ".", period: "2026-Q4", set: [], ledgerPath: "attain.db", commit: false, clock: "2026-10-02T00:00:00Z", reader: reader)
        #expect(q4.exitCode == 1)
        #expect(q4.stderr.contains("error[R353]: pay imported for payee `C` (runs 1–2) is in EUR, but plan \"AE-Annual-2026\" pays in USD"))
        #expect(!q4.stderr.contains("R350"))
    }
}
