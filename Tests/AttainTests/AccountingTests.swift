// Accounting entries and commission cost capitalization: the chart of accounts, contract terms, straight-line
// amortization to the cent, the close's journal (debits = credits, payable = payroll) and clawback reversals.
import Foundation
import Testing
@testable import Attain
@testable import AttainLedger
@testable import AttainTool

@Suite struct AccountingTests {
    let usd = Currency(code: "USD")!

    func d(_ text: String) -> ExactDecimal { try! ExactDecimal.parse(text).get() }
    func date(_ text: String) -> CivilDate { try! CivilDate.parse(Array(text.utf8)).get() }

    func row(_ amount: String, months: Int, start: String, period: String = "2026-Q1", from: String = "2026-01-01", to: String = "2026-03-31") -> CapitalizedAmount {
        CapitalizedAmount(kind: .capitalized, payeeID: "R1", dealID: "D1", component: "Commission", period: period, periodStart: date(from), periodEnd: date(to),
                          amount: d(amount), currency: usd, termMonths: months, start: date(start), costCenter: "CC")
    }

    @Test func theLastMonthTakesTheRemainder() throws {
        let months = try Amortization.months(d("1000.00"), months: 36, currency: usd)
        #expect(months.count == 36)
        #expect(months.prefix(35).allSatisfy { $0.description == "27.78" })
        #expect(months[35].description == "27.70")
        #expect(ExactDecimal.total(months).description == "1000.00")
        // 2,400.00 over 24 divides exactly; 100.00 over 3 rounds half-up (33.33 × 2 + 33.34).
        #expect(try Amortization.months(d("2400.00"), months: 24, currency: usd).allSatisfy { $0.description == "100.00" })
        #expect(try Amortization.months(d("100.00"), months: 3, currency: usd).map(\.description) == ["33.33", "33.33", "33.34"])
        // Whatever the amount and term, the months add up to the amount exactly, and all but the last are equal.
        for (amount, n) in [("0.01", 13), ("999.99", 7), ("12345.67", 48), ("-250.00", 36), ("1.00", 36), ("100000.00", 60)] {
            let m = try Amortization.months(d(amount), months: n, currency: usd)
            #expect(m.count == n)
            #expect(ExactDecimal.total(m) == d(amount), "\(amount) over \(n)")
            #expect(Set(m.dropLast().map(\.description)).count <= 1)
        }
        // Half-up at the tie: 0.05 over 2 is 0.03 then 0.02.
        #expect(try Amortization.months(d("0.05"), months: 2, currency: usd).map(\.description) == ["0.03", "0.02"])
    }

    @Test func aMonthIsAmortizedOnceItsLastDayIsOnOrBeforeTheDate() throws {
        let r = row("1000.00", months: 36, start: "2026-04-01")
        #expect(try Amortization.amortized(r, asOf: date("2026-03-31")).description == "0.00")
        #expect(try Amortization.amortized(r, asOf: date("2026-04-29")).description == "0.00")
        #expect(try Amortization.amortized(r, asOf: date("2026-04-30")).description == "27.78")
        #expect(try Amortization.amortized(r, asOf: date("2026-05-15")).description == "27.78")
        #expect(try Amortization.amortized(r, asOf: date("2026-06-30")).description == "83.34")
        #expect(try Amortization.amortized(r, asOf: date("2029-03-31")).description == "1000.00")
        #expect(try Amortization.amortized(r, asOf: date("2031-01-01")).description == "1000.00")
    }

    @Test func monthsBeforeThePostingAreCaughtUpInItsFirstMonth() throws {
        // 24 months from 2025-12-01, posted in 2026-Q1: December is recognized in January.
        let r = row("2400.00", months: 24, start: "2025-12-01")
        let recognized = try Amortization.recognized(r)
        #expect(recognized.first.map { Amortization.label($0.month) } == "2026-01")
        #expect(recognized.first?.amount.description == "200.00")
        #expect(recognized.count == 23)
        #expect(try Amortization.amortized(r, asOf: date("2026-06-30")).description == "700.00")
        // A true-up posted in 2026-Q3 on a 12-month term that began in January: six months caught up in July.
        let late = row("120.00", months: 12, start: "2026-01-10", period: "2026-Q3", from: "2026-07-01", to: "2026-09-30")
        let lateMonths = try Amortization.recognized(late)
        #expect(lateMonths.first?.amount.description == "70.00")
        #expect(lateMonths.map(\.amount).map(\.description).dropFirst().allSatisfy { $0 == "10.00" })
    }

    @Test func aClawbackStopsTheScheduleAndReleasesTheRest() throws {
        let r = row("1000.00", months: 36, start: "2026-04-01")
        let (capitalized, unamortized) = try Amortization.balance(of: [r], through: date("2026-06-30"))
        #expect(capitalized.description == "1000.00")
        #expect(unamortized.description == "916.66")
        let reversal = CapitalizedAmount(kind: .reversal, payeeID: "R1", dealID: "D1", component: "Commission", period: "2026-Q2",
                                         periodStart: date("2026-04-01"), periodEnd: date("2026-06-30"), amount: d("-1000.00"), currency: usd,
                                         termMonths: 36, start: date("2026-04-01"), costCenter: "CC", released: d("916.66"))
        let schedule = try Amortization.schedule([r, reversal], asOf: date("2026-12-31"))
        #expect(schedule.count == 1)
        #expect(schedule[0].amortized.description == "83.34")
        #expect(schedule[0].unamortized.description == "0")
        #expect(schedule[0].reversedIn == "2026-Q2")
        // Before the clawback's period ends, the row still amortizes and holds its balance.
        let before = try Amortization.schedule([r, reversal], asOf: date("2026-05-31"))
        #expect(before[0].amortized.description == "55.56")
        #expect(before[0].unamortized.description == "944.44")
        #expect(before[0].reversedIn == nil)
        let journal = try Amortization.journal([r, reversal], asOf: date("2026-12-31"), expense: .init(number: "6200", name: "Amortization"),
                                               asset: .init(number: "1450", name: "Asset"))
        #expect(journal.count == 6)
        #expect(Journal.balances(journal))
        #expect(journal.map(\.entry) == ["2026-04-0001", "2026-04-0001", "2026-05-0001", "2026-05-0001", "2026-06-0001", "2026-06-0001"])
    }

    // MARK: accounts.csv and contract terms

    func render(_ d: Diagnostics) -> String { d.items.map(DiagnosticRenderer.render).joined(separator: "\n") }

    @Test func accountsErrorsSayWhere() throws {
        let text = """
            entry,account,name,component
            commission_expense,6100,Sales commissions,
            commisions_payable,2100,Commissions payable,
            contract_cost_asset,,Capitalized,
            commission_expense,6101,Again,
            amortization_expense,6200,Amortization,Commission
            commission_expense,6120,SPIF,Unknown SPIF

            """
        let (chart, d) = ChartOfAccounts.read(InputFile(path: "accounts.csv", bytes: Array(text.utf8)), components: ["Commission", "Widget SPIF"])
        #expect(chart == nil)
        let codes = d.items.map { "\($0.code) \($0.span!.line):\($0.span!.column)" }
        #expect(codes == ["D350 3:1", "D352 4:21", "D353 5:1", "D355 6:40", "D354 7:30"])
        let shown = render(d)
        #expect(shown.contains("accounts.csv:3:1: error[D350]: unknown entry `commisions_payable`"))
        #expect(shown.contains("did you mean `commissions_payable`?"))
        #expect(shown.contains("accounts.csv:5:1: error[D353]: entry `commission_expense` appears twice"))
        #expect(shown.contains("first on line 2"))
        #expect(shown.contains("accounts.csv:7:30: warning[D354]: component `Unknown SPIF` is in no plan"))
        // A chart without the payable: D351.
        let (none, missing) = ChartOfAccounts.read(InputFile(path: "accounts.csv", bytes: Array("entry,account,name\ncommission_expense,6100,Sales\n".utf8)))
        #expect(none == nil)
        #expect(missing.items.map(\.code) == ["D351"])
        #expect(render(missing).contains("accounts.csv:1:1: error[D351]: accounts.csv has no `commissions_payable` row"))
    }

    @Test func contractTermErrorsSayWhere() throws {
        let text = """
            deal_id,rep_id,close_date,amount,currency,product,type,contract_months,contract_start
            A,R1,2026-01-10,100.00,USD,W,new,24,
            B,R1,2026-01-10,100.00,USD,W,new,two years,
            C,R1,2026-01-10,100.00,USD,W,new,36,2026-13-01
            E,R1,2026-01-10,100.00,USD,W,new,,2026-02-01
            A,R2,2026-01-10,100.00,USD,W,new,36,

            """
        let file = InputFile(path: "deals.csv", bytes: Array(text.utf8))
        #expect(ContractTerms.present(in: file))
        let (terms, d) = ContractTerms.read(file)
        #expect(terms == nil)
        #expect(d.items.map { "\($0.code) \($0.span!.line):\($0.span!.column)" } == ["D360 3:34", "D361 4:37", "D363 5:35", "D362 6:34"])
        #expect(render(d).contains("deals.csv:3:34: error[D360]: `contract_months` is `two years`; expected a whole number of months above 0"))
        let fine = InputFile(path: "deals.csv", bytes: Array("deal_id,rep_id,close_date,contract_months\nA,R1,2026-01-10,24\nB,R1,2026-01-10,12\n".utf8))
        let (ok, none) = ContractTerms.read(fine)
        #expect(none.items.isEmpty)
        #expect(ok?.capitalized("A") == ContractTerms.Term(months: 24, start: date("2026-01-10")))
        #expect(ok?.capitalized("B") == nil)
        #expect(!ContractTerms.present(in: InputFile(path: "deals.csv", bytes: Array("deal_id,rep_id,close_date\n".utf8))))
    }

    // MARK: The close's journal, end to end

    /// The golden case's company in a scratch folder: Q1's files, and Q2's deals beside them.
    func scratch() throws -> (dir: String, reader: InputReader) {
        let dir = NSTemporaryDirectory() + "attain-accounting-\(UUID().uuidString)"
        let fm = FileManager.default
        let source = repositoryRoot + "/golden/accounting-journal-amortization"
        for q in ["q1", "q2"] { try fm.createDirectory(atPath: "\(dir)/\(q)", withIntermediateDirectories: true) }
        for name in ["plan.plan", "roster.csv", "assignments.csv", "deals.csv", "accounts.csv"] {
            try fm.copyItem(atPath: "\(source)/\(name)", toPath: "\(dir)/q1/\(name)")
            try fm.copyItem(atPath: "\(source)/\(name)", toPath: "\(dir)/q2/\(name)")
        }
        try fm.removeItem(atPath: "\(dir)/q2/deals.csv")
        try fm.copyItem(atPath: "\(source)/2026-Q2/deals.csv", toPath: "\(dir)/q2/deals.csv")
        return (dir, InputReader(root: dir))
    }

    func close(_ r: InputReader, _ folder: String, _ period: String, commit: Bool = true) -> CommandOutcome {
        Commands.close(plans: ["\(folder)/plan.plan"], data: folder, period: period, set: [], ledgerPath: "l.db", commit: commit,
                       clock: "2026-07-01T00:00:00Z", reader: r)
    }

    /// The journal's rows as (account, cost center, debit, credit) and the CSV's debits and credits per currency.
    func journal(_ o: CommandOutcome, _ period: String) -> [[String]] {
        let text = o.files.first { $0.path == "\(period)/journal.csv" }?.text ?? ""
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func sum(_ cells: [String]) -> ExactDecimal { ExactDecimal.total(cells.filter { !$0.isEmpty }.map(d)) }

    @Test func journalBalancesAndItsPayableIsThePayroll() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (folder, period) in [("q1", "2026-Q1"), ("q2", "2026-Q2")] {
            let o = close(r, folder, period)
            #expect(o.exitCode == 0, "\(o.stderr)")
            let rows = journal(o, period)
            #expect(!rows.isEmpty)
            // Debits = credits (all in USD).
            #expect(rows.allSatisfy { $0[8] == "USD" })
            #expect(sum(rows.map { $0[6] }) == sum(rows.map { $0[7] }))
            // The payable's credits less its debits are payroll.csv's total.
            let payable = rows.filter { $0[3] == "2100" }
            let net = try sum(payable.map { $0[7] }).subtracting(sum(payable.map { $0[6] }))
            let payroll = o.files.first { $0.path == "\(period)/payroll.csv" }!.text.split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(net == sum(payroll.map { $0[4] }))
            #expect(o.stdout.contains("journal written to \(period)/journal.csv"))
        }
    }

    @Test func theJournalPostsEachPayeesAccounts() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let q1 = close(r, "q1", "2026-Q1")
        #expect(q1.exitCode == 0, "\(q1.stderr)")
        #expect(journal(q1, "2026-Q1").map { [$0[0], $0[1], $0[3], $0[5], $0[6], $0[7], $0[9]] } == [
            ["2026-Q1-0001", "2026-03-31", "6100", "CC-EAST", "1200.00", "", "2026-Q1/R1"],
            ["2026-Q1-0001", "2026-03-31", "6120", "CC-EAST", "250.00", "", "2026-Q1/R1"],
            ["2026-Q1-0001", "2026-03-31", "1450", "CC-EAST", "2400.00", "", "2026-Q1/R1"],
            ["2026-Q1-0001", "2026-03-31", "2100", "CC-EAST", "", "3850.00", "2026-Q1/R1"],
            ["2026-Q1-0002", "2026-03-31", "1450", "CC-WEST", "1000.00", "", "2026-Q1/R2"],
            ["2026-Q1-0002", "2026-03-31", "2100", "CC-WEST", "", "1000.00", "2026-Q1/R2"],
        ])
        // The clawback of D3 in Q2: 916.66 unamortized off the asset, 83.34 of amortized expense reversed.
        let q2 = close(r, "q2", "2026-Q2")
        #expect(q2.exitCode == 0, "\(q2.stderr)")
        #expect(journal(q2, "2026-Q2").filter { $0[9] == "2026-Q2/R2" }.map { [$0[3], $0[6], $0[7]] } == [
            ["1450", "900.00", ""], ["1450", "", "916.66"], ["6200", "", "83.34"], ["2100", "100.00", ""],
        ])
        let ledger = try Ledger(path: dir + "/l.db")
        let rows = try ledger.capitalized()
        #expect(rows.map { "\($0.kind.rawValue) \($0.payeeID) \($0.dealID) \($0.amount) \($0.released?.description ?? "-")" } == [
            "capitalized R1 D2 2400.00 -", "capitalized R2 D3 1000.00 -", "reversal R2 D3 -1000.00 916.66", "capitalized R2 D5 900.00 -",
        ])
        // Reopening Q2 voids its capitalized amounts with its run.
        #expect(Commands.reopen(period: "2026-Q2", reason: "recheck", ledgerPath: "l.db", clock: "2026-07-02T00:00:00Z", reader: r).exitCode == 0)
        #expect(try ledger.capitalized().map(\.dealID) == ["D2", "D3"])
    }

    @Test func amortizationCommandWritesTheScheduleAndItsJournal() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(close(r, "q1", "2026-Q1").exitCode == 0)
        #expect(close(r, "q2", "2026-Q2").exitCode == 0)
        let o = Commands.amortization(ledgerPath: "l.db", asOf: "2026-06-30", accounts: "q1/accounts.csv", reader: r)
        #expect(o.exitCode == 0, "\(o.stderr)")
        let schedule = o.files.first { $0.path == "amortization-2026-06-30.csv" }!.text
        #expect(schedule == """
            payee_id,deal_id,component,posted_period,amount,currency,term_months,contract_start,monthly,amortized,unamortized,clawed_back_in,cost_center
            R1,D2,Commission,2026-Q1,2400.00,USD,24,2025-12-01,100.00,700.00,1700.00,,CC-EAST
            R2,D3,Commission,2026-Q1,1000.00,USD,36,2026-04-01,27.78,83.34,0.00,2026-Q2,CC-WEST
            R2,D5,Commission,2026-Q2,900.00,USD,18,2026-05-05,50.00,100.00,800.00,,CC-WEST

            """)
        let rows = o.files.first { $0.path == "amortization-journal-2026-06-30.csv" }!.text.split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(sum(rows.map { $0[6] }).description == "883.34")
        #expect(sum(rows.map { $0[7] }).description == "883.34")
        #expect(rows.filter { $0[2] == "2026-05" && $0[5] == "CC-WEST" && $0[3] == "6200" }.map { $0[6] } == ["77.78"])
        // Without the chart of accounts: the schedule only. A bad date: a usage error.
        let bare = Commands.amortization(ledgerPath: "l.db", asOf: "2026-06-30", accounts: nil, reader: r)
        #expect(bare.files.map(\.path) == ["amortization-2026-06-30.csv"])
        #expect(Commands.amortization(ledgerPath: "l.db", asOf: "2026-06-31", accounts: nil, reader: r).exitCode == ExitCode.usage)
    }

    @Test func badTermsFailTheCloseWithNothingPosted() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let deals = dir + "/q1/deals.csv"
        let text = try String(contentsOfFile: deals, encoding: .utf8)
        try text.replacingOccurrences(of: ",24,2025-12-01", with: ",24.5,2025-12-01").write(toFile: deals, atomically: true, encoding: .utf8)
        let o = close(r, "q1", "2026-Q1")
        #expect(o.exitCode == ExitCode.invalidInput)
        #expect(o.stderr.contains("q1/deals.csv:3:"))
        #expect(o.stderr.contains("error[D360]"))
        #expect(o.stderr.contains("nothing was posted or written"))
        #expect(o.files.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/l.db"))
    }

    @Test func aCloseWithoutAccountingReadsNothingMore() throws {
        // No accounts.csv, no contract_months: no journal, no capitalization (the sample company).
        let dir = NSTemporaryDirectory() + "attain-accounting-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: repositoryRoot + "/sample", toPath: dir + "/sample")
        let r = InputReader(root: dir)
        let o = Commands.close(plans: [repositoryRoot + "/plans"], data: "sample", period: "2026-Q1", set: [], ledgerPath: "l.db", commit: true,
                               formats: [.payroll], clock: "2026-04-01T00:00:00Z", reader: r)
        #expect(o.exitCode == 0)
        #expect(!o.files.contains { $0.path.hasSuffix("journal.csv") })
        #expect(!o.stdout.contains("journal"))
        #expect(try Ledger(path: dir + "/l.db").capitalized().isEmpty)
    }

    @Test func aDryRunAndARewriteWriteTheSameJournal() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dry = close(r, "q1", "2026-Q1", commit: false)
        #expect(dry.exitCode == 0, "\(dry.stderr)")
        let committed = close(r, "q1", "2026-Q1")
        // The close's outputs written again with the same inputs: the same journal, nothing posted twice.
        let again = close(r, "q1", "2026-Q1")
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("2026-Q1 is already closed by run 1 with these same inputs"))
        let text = { (o: CommandOutcome) in o.files.first { $0.path == "2026-Q1/journal.csv" }?.text }
        #expect(text(dry) != nil)
        #expect(text(dry) == text(committed))
        #expect(text(again) == text(committed))
        #expect(try Ledger(path: dir + "/l.db").capitalized().count == 2)
        // accounts.csv is an input of the close: changed, the rerun is refused.
        try "entry,account,name\ncommission_expense,6100,Sales\ncommissions_payable,2100,Payable\ncontract_cost_asset,1450,Asset\namortization_expense,6200,Amortization\n"
            .write(toFile: dir + "/q1/accounts.csv", atomically: true, encoding: .utf8)
        let changed = close(r, "q1", "2026-Q1")
        #expect(changed.exitCode == ExitCode.refused)
        #expect(changed.stderr.contains("accounts file q1/accounts.csv has changed"))
    }

    @Test func theCommandLineSaysHowItWent() throws {
        let (dir, _) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try attain(["close", "q1/plan.plan", "--data", "q1", "--period", "2026-Q1", "--ledger", "l.db", "--commit"], in: dir).status == 0)
        let ok = try attain(["amortization", "--ledger", "l.db", "--as-of", "2026-03-31", "--accounts", "q1/accounts.csv", "--out", "books"], in: dir)
        #expect(ok.status == 0)
        #expect(ok.stdout.hasSuffix("amortization journal written to books/amortization-journal-2026-03-31.csv: 6 rows, debits = credits = 400.00 USD\n"))
        #expect(FileManager.default.fileExists(atPath: dir + "/books/amortization-2026-03-31.csv"))
        #expect(try attain(["amortization", "--ledger", "l.db", "--as-of", "31/03/2026"], in: dir).status == 64)
        #expect(try attain(["amortization", "--ledger", "missing.db", "--as-of", "2026-03-31"], in: dir).status == 2)
        #expect(try attain(["amortization", "--ledger", "l.db", "--as-of", "2026-03-31", "--accounts", "missing.csv"], in: dir).status == 2)
        try "entry,account,name\ncommission_expense,6100,Sales\ncommissions_payable,2100,Payable\n".write(toFile: dir + "/short.csv", atomically: true, encoding: .utf8)
        let short = try attain(["amortization", "--ledger", "l.db", "--as-of", "2026-03-31", "--accounts", "short.csv"], in: dir)
        #expect(short.status == 1)
        #expect(short.stderr.contains("error[D356]: short.csv has no `contract_cost_asset` row"))
    }

    /// A statement of R1 for 2026-Q2 with these lines (kind, component, deal, amount).
    func statement(_ lines: [(LineKind, String, String?, String)]) throws -> Statement {
        try Statement(payeeID: "R1", payeeName: "Rep One", planName: "P", planVersion: "1", planPath: "p.plan", period: try Period.parse("2026-Q2").get(),
                      currency: usd, measures: [], totalAttainment: nil, targetIncentive: "0", proration: nil,
                      lines: lines.map { StatementLine(kind: $0.0, component: $0.1, dealID: $0.2, amount: Money(d($0.3), usd), source: "p.plan:1") })
    }

    let chart = ChartOfAccounts(accounts: [.commissionExpense: .init(number: "6100", name: "Commissions"), .commissionsPayable: .init(number: "2100", name: "Payable"),
                                           .contractCostAsset: .init(number: "1450", name: "Asset"), .amortizationExpense: .init(number: "6200", name: "Amortization")],
                                components: ["Bonus": .init(number: "6150", name: "Bonuses")])

    @Test func aPartialClawbackReleasesTheWholeBalanceAndExpensesTheRest() throws {
        // 1,000.00 capitalized in Q1 on D3 (36 months from April): 83.34 amortized through June, 916.66 unamortized.
        let earlier = row("1000.00", months: 36, start: "2026-04-01")
        let journal = CloseJournal(chart: chart, terms: ContractTerms(terms: ["D9": .init(months: 24, start: date("2026-05-01"))]),
                                   costCenters: CostCenters(byRep: ["R1": "CC"], column: "cost_center"),
                                   history: [CapitalizedAmount(kind: .capitalized, payeeID: "R1", dealID: "D3", component: "Commission", period: "2026-Q1",
                                                               periodStart: date("2026-01-01"), periodEnd: date("2026-03-31"), amount: earlier.amount, currency: usd,
                                                               termMonths: 36, start: earlier.start, costCenter: "CC")])
        // The clawback takes back 600.00 only (a gate cut what was paid): the whole 916.66 leaves the asset, and the
        // expense is debited 316.66 (600.00 − 916.66 credited to amortization_expense is a debit).
        let s = try statement([(.commission, "Commission", "D9", "480.00"), (.adjustment, "Commission", "D9", "20.00"), (.bonus, "Bonus", nil, "100.00"),
                               (.clawback, "Commission", "D3", "-600.00"), (.commission, "Commission", "D1", "50.00")])
        let part = try journal.part(of: s)
        #expect(part.rows.map { "\($0.account.number) \($0.amount)" } == ["6100 50.00", "6150 100.00", "1450 500.00", "1450 -916.66", "6200 316.66", "2100 -50.00"])
        #expect(Journal.balances(part.rows))
        #expect(part.capitalized.map { "\($0.kind.rawValue) \($0.dealID) \($0.amount) \($0.termMonths) \($0.start) \($0.released?.description ?? "-")" } == [
            "capitalized D9 500.00 24 2026-05-01 -", "reversal D3 -600.00 36 2026-04-01 916.66",
        ])
        // Without a chart: no rows, the same capitalized amounts.
        let bare = try CloseJournal(chart: nil, terms: journal.terms, costCenters: journal.costCenters, history: [journal.history["R1\u{1}D3"]![0]]).part(of: s)
        #expect(bare.rows.isEmpty)
        #expect(bare.capitalized == part.capitalized)
        // A clawback of a deal expensed at once credits its expense account.
        let plain = try journal.part(of: try statement([(.clawback, "Commission", "D1", "-50.00")]))
        #expect(plain.rows.map { "\($0.account.number) \($0.amount)" } == ["6100 -50.00", "2100 50.00"])
        #expect(plain.capitalized.isEmpty)
    }
}
