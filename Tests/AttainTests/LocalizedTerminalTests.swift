// The terminal's words in the reader's language: estimate's lines worded as the statement page words them, history's
// actions and notes.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct LocalizedTerminalTests {
    @Test func estimateWordsItsLinesInChinese() {
        let o = Commands.estimate(plans: ["plans"], data: "sample", period: "2026-Q1", payee: "AE03", deals: ["amount=50000,product=Widget"], set: [],
                                  reader: InputReader(root: repositoryRoot), locale: .simplifiedChinese)
        #expect(o.exitCode == 0)
        #expect(o.stdout.contains("Bookings commission · WHATIF-1 (提成)"))
        #expect(o.stdout.contains("      交易 WHATIF-1，50,000.00 × 5%（50% 至 100%） = 2,500.00\n"))
        let en = Commands.estimate(plans: ["plans"], data: "sample", period: "2026-Q1", payee: "AE03", deals: ["amount=50000,product=Widget"], set: [],
                                   reader: InputReader(root: repositoryRoot))
        #expect(en.stdout.contains("Bookings commission · WHATIF-1 (commission)"))
        #expect(en.stdout.contains("      Deal WHATIF-1, 50000.00 at 5% (50% to 100%) = 2500.00\n"))
    }

    @Test func historySaysItsActionsInPersian() throws {
        let dir = NSTemporaryDirectory() + "attain-history-fa-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        let closed = Commands.close(plans: [repositoryRoot + "/plans"], data: repositoryRoot + "/sample", period: "2026-Q1", set: [], ledgerPath: "l.db",
                                    commit: true, formats: [.payroll], clock: "2026-04-02T09:00:00Z", reader: reader)
        #expect(closed.exitCode == 0)
        #expect(Commands.reopen(period: "2026-Q1", reason: "deal fix", ledgerPath: "l.db", clock: "2026-04-03T09:00:00Z", reader: reader).exitCode == 0)
        let fa = Commands.history(ledgerPath: "l.db", inputs: false, reader: reader, locale: .persian).stdout
        #expect(fa.contains("بستن"))
        #expect(fa.contains("باطل‌شده با اجرای 2"))
        #expect(fa.contains("بازگشایی"))
        #expect(fa.contains("دلیل: deal fix"))
        let en = Commands.history(ledgerPath: "l.db", inputs: false, reader: reader).stdout
        #expect(en.contains("voided by run 2") && en.contains("reason: deal fix") && en.contains(" reopen "))
    }
}
