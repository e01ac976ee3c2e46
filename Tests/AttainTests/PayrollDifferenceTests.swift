// Payroll after a reopen: closing a reopened period again writes payroll.csv of the new posting and
// payroll-difference.csv, what payroll adds or takes back, payee by payee, against the posting it was sent.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct PayrollDifferenceTests {
    func usd(_ text: String) -> Money { Money(try! ExactDecimal.parse(text).get(), Currency(code: "USD")!) }

    @Test func everyPayeeOfEitherPostingHasARowAndTheTotalsSayWhatPayrollAddsAndTakesBack() throws {
        let sent = [PayrollDifference.Paid(payeeID: "A", name: "Ana", amount: usd("7000.00")),
                    PayrollDifference.Paid(payeeID: "C", name: "Chen", amount: usd("500.00")),
                    PayrollDifference.Paid(payeeID: "E", name: "Emil", amount: usd("1000.00"))]
        let now = [PayrollDifference.Paid(payeeID: "E", name: "Emil", amount: usd("1000.00")),
                   PayrollDifference.Paid(payeeID: "D", name: "Dana", amount: usd("100.00")),
                   PayrollDifference.Paid(payeeID: "A", name: "Ana", amount: usd("7500.00"))]
        let rows = try PayrollDifference.rows(sent: sent, now: now)
        #expect(PayrollDifference.render(rows, period: "2026-Q1") == """
            payee_id,payee_name,period,currency,sent,now,difference
            A,Ana,2026-Q1,USD,7000.00,7500.00,500.00
            C,Chen,2026-Q1,USD,500.00,0.00,-500.00
            D,Dana,2026-Q1,USD,0.00,100.00,100.00
            E,Emil,2026-Q1,USD,1000.00,1000.00,0.00

            """)
        #expect(try PayrollDifference.totals(rows) == [PayrollDifference.Total(currency: Currency(code: "USD")!, adds: usd("600.00"), takesBack: usd("500.00"))])
    }

    @Test func aPayeeWhoseCurrencyChangedHasARowInEachAndNamesAreNeutralized() throws {
        let eur = Currency(code: "EUR")!
        let rows = try PayrollDifference.rows(sent: [PayrollDifference.Paid(payeeID: "@B", name: "=HYPERLINK(\"x\")", amount: usd("10.00"))],
                                              now: [PayrollDifference.Paid(payeeID: "@B", name: "+Ben", amount: Money(try ExactDecimal.parse("9.50").get(), eur))])
        #expect(PayrollDifference.render(rows, period: "2026-01") == """
            payee_id,payee_name,period,currency,sent,now,difference
            '@B,'+Ben,2026-01,EUR,0.00,9.50,9.50
            '@B,"'=HYPERLINK(""x"")",2026-01,USD,10.00,0.00,-10.00

            """)
        #expect(try PayrollDifference.totals(rows).map { "\($0.currency.code) +\($0.adds.text) -\($0.takesBack.text)" } == ["EUR +9.50 -0.00", "USD +0.00 -10.00"])
    }

    /// golden/reopen-payroll-difference in a scratch folder, closed once and reopened, with its corrected inputs in place.
    func reopened() throws -> (dir: String, reader: InputReader) {
        let dir = try scratchCopy(of: "reopen-payroll-difference")
        let r = InputReader(root: dir)
        #expect(close(r, commit: true, at: "2026-04-01T09:00:00Z").exitCode == 0)
        #expect(Commands.reopen(period: "2026-Q1", reason: "D2 was booked short", ledgerPath: "l.db", clock: "2026-04-02T09:00:00Z", reader: r).exitCode == 0)
        for name in ["deals.csv", "assignments.csv"] {
            try FileManager.default.removeItem(atPath: dir + "/" + name)
            try FileManager.default.copyItem(atPath: repositoryRoot + "/golden/reopen-payroll-difference/step3/" + name, toPath: dir + "/" + name)
        }
        return (dir, r)
    }

    func close(_ r: InputReader, commit: Bool, at: String, formats: [OutputFormat] = [.payroll]) -> CommandOutcome {
        Commands.close(plans: ["rep.plan"], data: ".", period: "2026-Q1", set: [], ledgerPath: "l.db", commit: commit, formats: formats, clock: at, reader: r)
    }

    static let expected = """
        payee_id,payee_name,period,currency,sent,now,difference
        A,Ana Ruiz,2026-Q1,USD,7000.00,7500.00,500.00
        B,Ben Okafor,2026-Q1,USD,2000.00,2500.00,500.00
        C,'=Chen Wei,2026-Q1,USD,500.00,0.00,-500.00
        D,Dana Lee,2026-Q1,USD,0.00,100.00,100.00
        E,Emil Berg,2026-Q1,USD,1000.00,1000.00,0.00

        """

    @Test func theDryRunAndTheCloseOfAReopenedPeriodWriteTheDifference() throws {
        let (dir, r) = try reopened()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dry = close(r, commit: false, at: "2026-04-03T09:00:00Z")
        #expect(dry.exitCode == 0)
        #expect(dry.files.first { $0.path == "2026-Q1/payroll-difference.csv" }?.text == Self.expected)
        #expect(dry.stdout.contains("\npayroll, against run 1 (voided by run 2): adds 1100.00 USD, takes back 500.00 USD\nevery payee's difference: 2026-Q1/payroll-difference.csv\n"))
        // The terminal's words are the catalog's.
        let fa = Commands.close(plans: ["rep.plan"], data: ".", period: "2026-Q1", set: [], ledgerPath: "l.db", commit: false, formats: [.payroll],
                                clock: "2026-04-03T09:30:00Z", reader: r, locale: .persian)
        #expect(fa.stdout.contains("حقوق، نسبت به اجرای 1 (باطل‌شده با اجرای 2): \u{2068}1100.00\u{2069} USD افزوده و \u{2068}500.00\u{2069} USD پس گرفته می‌شود\n"))
        let zh = Commands.close(plans: ["rep.plan"], data: ".", period: "2026-Q1", set: [], ledgerPath: "l.db", commit: false, formats: [.payroll],
                                clock: "2026-04-03T09:40:00Z", reader: r, locale: .simplifiedChinese)
        #expect(zh.stdout.contains("薪资：相对第 1 次运行（已被第 2 次运行作废），补发 1100.00 USD，扣回 500.00 USD\n"))
        let posted = close(r, commit: true, at: "2026-04-03T10:00:00Z")
        #expect(posted.exitCode == 0)
        #expect(posted.files.first { $0.path == "2026-Q1/payroll-difference.csv" }?.text == Self.expected)
        #expect(posted.files.first { $0.path == "2026-Q1/payroll.csv" }?.text == """
            payee_id,payee_name,period,earning_code,amount,currency
            A,Ana Ruiz,2026-Q1,COMM,7500.00,USD
            B,Ben Okafor,2026-Q1,COMM,2500.00,USD
            D,Dana Lee,2026-Q1,COMM,100.00,USD
            E,Emil Berg,2026-Q1,COMM,1000.00,USD

            """)
        #expect(posted.stdout.contains("payroll, against run 1 (voided by run 2): adds 1100.00 USD, takes back 500.00 USD\n"))
        // The outputs written again (same inputs) carry the same difference, against the same voided posting.
        let again = close(r, commit: true, at: "2026-04-04T09:00:00Z")
        #expect(again.exitCode == 0)
        #expect(again.files.first { $0.path == "2026-Q1/payroll-difference.csv" }?.text == Self.expected)
    }

    @Test func aPeriodNeverReopenedHasNoDifferenceFile() throws {
        let dir = try scratchCopy(of: "reopen-payroll-difference")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = InputReader(root: dir)
        let o = close(r, commit: true, at: "2026-04-01T09:00:00Z")
        #expect(o.exitCode == 0)
        #expect(!o.files.contains { $0.path.hasSuffix("payroll-difference.csv") })
        #expect(!o.stdout.contains("payroll, against"))
        // Without payroll among the formats there is no payroll file to differ from.
        #expect(Commands.reopen(period: "2026-Q1", reason: "check", ledgerPath: "l.db", clock: "2026-04-02T09:00:00Z", reader: r).exitCode == 0)
        #expect(!close(r, commit: false, at: "2026-04-03T09:00:00Z", formats: [.json]).files.contains { $0.path.hasSuffix("payroll-difference.csv") })
    }
}
