// `attain import`: dates and amounts as CRM exports write them, profile errors at their place, owners to reps,
// nothing written on error, and Zoho's derived ids the same on every run.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct ImportTests {
    // MARK: Dates

    @Test(arguments: [
        ("2026-01-14", DateFormat.iso, "2026-01-14"),
        ("1/4/2026", .monthDayYear, "2026-01-04"),
        ("12/31/2026", .monthDayYear, "2026-12-31"),
        ("04/01/2026", .dayMonthYear, "2026-01-04"),
        ("14.03.2026", .dotted, "2026-03-14"),
        ("2026/3/5", .yearSlash, "2026-03-05"),
        ("2026年03月15日", .chinese, "2026-03-15"),
        // A date-time is the date written, whatever its offset: never moved to another day.
        ("2026-03-31T23:30:00.000Z", .iso, "2026-03-31"),
        ("2026-03-31T22:15:00-05:00", .iso, "2026-03-31"),
        ("2026-04-01T00:10:00+14:00", .iso, "2026-04-01"),
        ("2026-01-14 16:32:10", .iso, "2026-01-14"),
        ("3/31/2026 11:45 PM", .monthDayYear, "2026-03-31"),
        ("31.03.2026 23:59 UTC+02:00", .dotted, "2026-03-31"),
    ])
    func datesAreReadAsWritten(text: String, format: DateFormat, expected: String) {
        #expect(format.parse(text)?.description == expected)
    }

    @Test(arguments: [
        ("2026-02-30", DateFormat.iso),
        ("2026-1-14", .iso),
        ("14/03/2026", .monthDayYear),
        ("2026-01-14x", .iso),
        ("2026-01-14T25", .iso),
        ("2026-01-14T10:00+5", .iso),
        ("01/14/26", .monthDayYear),
        ("", .iso),
    ])
    func badDatesAreRefused(text: String, format: DateFormat) {
        #expect(format.parse(text) == nil)
    }

    // MARK: Amounts

    static func locale(decimal: Character = ".", thousands: Set<Character> = [","], symbols: [String: String] = [:]) -> AmountLocale {
        var l = AmountLocale()
        l.decimal = decimal
        l.thousands = thousands
        l.symbols = symbols.mapValues { Currency(code: $0)! }
        return l
    }

    @Test(arguments: [
        ("1,234.50", ".", ",", "1234.50", nil as String?),
        ("12500.5", ".", ",", "12500.5", nil),
        ("45000", ".", ",", "45000", nil),
        ("1,250,000.00", ".", ",", "1250000.00", nil),
        ("$45,000.00", ".", ",", "45000.00", "USD"),
        ("USD 1,200", ".", ",", "1200", "USD"),
        ("1.200,00 EUR", ",", ".", "1200.00", "EUR"),
        ("1.234,56", ",", ".", "1234.56", nil),
        ("1 234,56", ",", " ", "1234.56", nil),
        ("1\u{202F}234,56", ",", " ", "1234.56", nil),
        ("¥350,000", ".", ",", "350000", "CNY"),
        ("￥280,000.00", ".", ",", "280000.00", "CNY"),
        ("€99.90", ".", ",", "99.90", "EUR"),
        ("-2,500.00", ".", ",", "-2500.00", nil),
        ("$-75.25", ".", ",", "-75.25", "USD"),
        ("1'000.05", ".", "'", "1000.05", nil),
    ])
    func amountsAreExact(text: String, decimal: String, thousands: String, value: String, currency: String?) throws {
        let l = ImportTests.locale(decimal: Character(decimal), thousands: [Character(thousands)], symbols: ["$": "USD", "¥": "CNY", "￥": "CNY"])
        let amount = try #require(l.parse(text)).get()
        #expect(amount.value.description == value)
        #expect(amount.currency?.code == currency)
    }

    @Test(arguments: [
        ("1,5", "thousands separators stand every three digits (decimal separator `.`)"),
        ("12,34,567", "thousands separators stand every three digits (decimal separator `.`)"),
        ("1.234,56", "`,` after the decimal separator `.`"),
        ("12.5.3", "`.` after the decimal separator `.`"),
        ("1 200", "unexpected character ` ` in an amount"),
        ("TBD", "unexpected character `T` in an amount"),
        (".5", "expected digits before the decimal separator"),
        ("5.", "expected digits after the decimal separator"),
        ("€5 USD", "`€` is EUR but the amount also says USD"),
    ])
    func badAmountsSayWhy(text: String, reason: String) {
        guard case .failure(let e)? = ImportTests.locale().parse(text) else {
            Issue.record("`\(text)` was read as an amount")
            return
        }
        #expect(e.reason == reason)
    }

    @Test func blankAmountIsNoAmount() {
        #expect(ImportTests.locale().parse("") == nil)
        #expect(ImportTests.locale().parse(" \u{00A0}") == nil)
    }

    // MARK: Names passed through

    @Test(arguments: [
        ("Deal - Title", "deal_title"), ("IsWon", "iswon"), ("Probability (%)", "probability"), ("Lead Source", "lead_source"),
        ("1st Contact", "c_1st_contact"), ("SDR__c", "sdr_c"),
    ])
    func passedThroughNames(header: String, name: String) {
        #expect(ImportMapping.planName(header) == name)
    }

    @Test func headersWithoutLatinLettersAreNotPassedThrough() {
        #expect(ImportMapping.planName("商机名称") == nil)
        #expect(ImportMapping.planName("(%)") == nil)
    }

    // MARK: Profiles

    static func profile(_ text: String) -> Result<ImportProfile, Diagnostics> {
        ProfileYAML.read(SourceFile(path: "profile.yaml", text: text))
    }

    static let minimal = """
        deals:
          columns: {deal_id: Id, owner: Owner, close_date: Closed, amount: Amount, stage: Stage}
          stages:
            won: [Won]
            lost: [Lost]
        currency: USD

        """

    /// Every error at its line and column, all at once; `no` and `1.0` are the texts written.
    @Test func profileErrorsHaveTheirPositions() {
        let text = """
            dates: [ISO, MM-DD-YYYY]
            deals:
              columns: {deal_id: Id, owner: Owner, close_date: Closed, amount: Amount, stage: Stage}
              stage:
                won: [Won]
              pass_through: no
              types: {New: 1.0}
            owners:
              by: [rep_id]
              unmapped: maybe

            """
        guard case .failure(let d) = ImportTests.profile(text) else {
            Issue.record("the profile was accepted")
            return
        }
        let found = d.items.map { "\($0.span!.line):\($0.span!.column) \($0.code) \($0.message)" }
        #expect(found == [
            "1:14 I404 unknown date format `MM-DD-YYYY`",
            "4:3 I401 unknown key `stage` in `deals`",
            "2:1 I403 `deals` has no `stages:`; say which stage values are won, lost, cancelled and open",
            "10:13 I404 `owners.unmapped` is `maybe`; expected `error` or `skip`",
        ])
        #expect(d.items[0].notes.first?.message == "did you mean `MM/DD/YYYY`?")
        #expect(d.items[1].notes.first?.message == "did you mean `stages`?")
    }

    @Test func scalarsStayText() throws {
        let p = try ImportTests.profile("currency: USD\n" + ImportTests.minimal.replacingOccurrences(of: "currency: USD\n", with: "") + "  types: {New: 1.0, Renewal: no, Upsell: on}\n  pass_through: yes\n").get()
        #expect(p.deals.passThrough)
        #expect(p.deals.types == ["New": "1.0", "Renewal": "no", "Upsell": "on"])
    }

    @Test func yamlSyntaxErrorsHaveTheirPosition() {
        guard case .failure(let d) = ImportTests.profile("deals:\n  columns: [a, b\n") else {
            Issue.record("the profile was accepted")
            return
        }
        #expect(d.items.count == 1)
        #expect(d.items[0].code == "I400")
        #expect(d.items[0].span?.path == "profile.yaml")
        #expect(d.items[0].span?.line == 3)
    }

    @Test func shippedProfilesAreValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        for name in ["salesforce-api", "salesforce-report", "hubspot", "zoho", "pipedrive", "fxiaoke"] {
            let path = "\(root)/profiles/\(name).yaml"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard case .success(let p) = ProfileYAML.read(SourceFile(path: path, text: text)) else {
                Issue.record("profiles/\(name).yaml has errors")
                continue
            }
            #expect(p.deals.stages.values.contains { $0.rule == .won })
        }
    }

    // MARK: Imports, end to end

    /// Runs an import in a fresh folder holding the given files.
    static func run(_ profile: String, _ files: [(String, String)], roster: String? = nil, strict: Bool = false) throws -> CommandOutcome {
        let dir = NSTemporaryDirectory() + "attain-import-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try profile.write(toFile: dir + "/profile.yaml", atomically: true, encoding: .utf8)
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        if let roster { try roster.write(toFile: dir + "/roster.csv", atomically: true, encoding: .utf8) }
        return Commands.importExports(profile: "profile.yaml", files: files.map(\.0), roster: roster == nil ? nil : "roster.csv", strict: strict,
                                      reader: InputReader(root: dir))
    }

    static func file(_ o: CommandOutcome, _ name: String) -> String? { o.files.first { $0.path == name }?.text }

    static let roster = """
        rep_id,name,manager_id,hire_date,end_date,email,crm_owner_id
        AE01,Dana Kim,,2024-01-01,,dana.kim@example.com,005A
        AE02,Eli Park,,2024-01-01,,eli.park@example.com,005B
        AE03,Eli Park,,2024-01-01,,eli.p@example.com,005C

        """

    static let ownersProfile = """
        deals:
          columns: {deal_id: Id, owner: Owner, close_date: Closed, amount: Amount, stage: Stage}
          stages: {won: [Won], lost: [Lost], open: [Open]}
          pass_through: false
        currency: USD
        owners:
          by: [crm_owner_id, email, name]
          table: {"Integration User": AE01}
          unmapped: skip

        """

    /// By id, by e-mail (any case), by name, through the table; a name two reps have is a warning; an owner nobody
    /// has is left out with a warning, and both are errors under --strict.
    @Test func ownersMapToReps() throws {
        let export = """
            Id,Owner,Closed,Amount,Stage
            D1,005B,2026-01-10,100.00,Won
            D2,DANA.KIM@example.com,2026-01-11,200.00,Won
            D3,  dana   kim ,2026-01-12,300.00,Won
            D4,Integration User,2026-01-13,400.00,Won
            D5,Eli Park,2026-01-14,500.00,Won
            D6,Zed Quinn,2026-01-15,600.00,Won
            D7,Zed Quinn,2026-01-16,700.00,Lost

            """
        let o = try ImportTests.run(ImportTests.ownersProfile, [("export.csv", export)], roster: ImportTests.roster)
        #expect(o.exitCode == 0)
        #expect(ImportTests.file(o, "deals.csv") == """
            deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date
            D1,AE02,2026-01-10,100.00,USD,,,,won,
            D2,AE01,2026-01-11,200.00,USD,,,,won,
            D3,AE01,2026-01-12,300.00,USD,,,,won,
            D4,AE01,2026-01-13,400.00,USD,,,,won,
            D5,AE02,2026-01-14,500.00,USD,,,,won,

            """)
        #expect(o.stderr.contains("export.csv:6:4: warning[I416]: owner `Eli Park` matches 2 reps by `name` (1 row, 500.00 USD)"))
        #expect(o.stderr.contains("export.csv:7:4: warning[I415]: owner `Zed Quinn` maps to no rep (1 row, 600.00 USD)"))
        #expect(o.stderr.contains("  imported as won     5  1500.00 USD\n"))
        #expect(o.stderr.contains("    owner not mapped  1  600.00 USD\n"))
        let strict = try ImportTests.run(ImportTests.ownersProfile, [("export.csv", export)], roster: ImportTests.roster, strict: true)
        #expect(strict.exitCode == 1)
        #expect(strict.files.isEmpty)
        #expect(strict.stderr.contains("error[I416]") && strict.stderr.contains("error[I415]") && strict.stderr.contains("2 errors; nothing was written"))
    }

    /// Every problem at once, each unmapped value once with its rows and amount; no file at all.
    @Test func nothingIsWrittenOnError() throws {
        let export = """
            Id,Owner,Closed,Amount,Stage
            D1,AE01,2026-01-10,100.00,Won
            D2,AE01,2026-01-11,200.00,Verbal
            D3,AE01,01/12/2026,300.00,Won
            D4,AE01,2026-01-13,"1,000.005",Won
            D5,AE01,2026-01-14,50.00,Verbal

            """
        let o = try ImportTests.run(ImportTests.minimal, [("export.csv", export)])
        #expect(o.exitCode == 1)
        #expect(o.files.isEmpty)
        let lines = o.stderr.split(separator: "\n").filter { $0.contains("error[") }
        #expect(lines == [
            "export.csv:3:27: error[I411]: stage `Verbal` has no mapping (2 rows, 250.00 USD)",
            "export.csv:4:9: error[I420]: `close_date` is `01/12/2026`: not a date in the profile's formats",
            "export.csv:5:21: error[I422]: `amount` 1000.005 has more decimals than USD has (2)",
        ])
        #expect(o.stderr.contains("3 errors; nothing was written"))
        #expect(o.stderr.hasSuffix("""
            deal rows read         5
              imported as won      1  100.00 USD
              refused              4  1550.005 USD
                stage not mapped   2  250.00 USD
                errors in the row  2  1300.005 USD

            """))
    }

    @Test func missingColumnsAreNamedWithTheClosestHeader() throws {
        let o = try ImportTests.run(ImportTests.minimal, [("export.csv", "Id,Owner,Close,Amount,Stage\nD1,AE01,2026-01-10,1.00,Won\n")])
        #expect(o.exitCode == 1)
        #expect(o.files.isEmpty)
        #expect(o.stderr.hasPrefix("export.csv:1:10: error[I410]: the export has no column `Closed` (the profile's `close_date`)\n"))
        #expect(o.stderr.contains("= help: the header has `Close`: did you mean `Closed`?"))
        #expect(o.stderr.contains("profile.yaml:2:52: note: the profile names it here"))
    }

    @Test func blankAmountsAreSkippedWithAWarningOrRefused() throws {
        let export = "Id,Owner,Closed,Amount,Stage\nD1,AE01,2026-01-10,,Won\nD2,AE01,2026-01-11,5.00,Won\nD3,AE01,2026-01-12,,Lost\n"
        let refused = try ImportTests.run(ImportTests.minimal, [("export.csv", export)])
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("export.csv:2:20: error[I424]: a won deal has a blank amount"))
        let skipped = try ImportTests.run(ImportTests.minimal + "blank_amount: skip\n", [("export.csv", export)])
        #expect(skipped.exitCode == 0)
        #expect(skipped.stderr.contains("export.csv:2:20: warning[I425]: won deals with a blank amount are left out (1 row)"))
        #expect(ImportTests.file(skipped, "deals.csv")?.split(separator: "\n").count == 2)
        #expect(ImportTests.file(skipped, "import.json")?.contains("\"rows_without_amount\": 1") == true)
        let zero = try ImportTests.run(ImportTests.minimal + "blank_amount: zero\n", [("export.csv", export)])
        #expect(ImportTests.file(zero, "deals.csv")?.contains("D1,AE01,2026-01-10,0,USD") == true)
    }

    static let zohoProfile = """
        deals:
          columns: {deal_id: Record Id, owner: Deal Owner, close_date: Closing Date, amount: Amount, stage: Stage}
          derive_id:
            prefix: ZOHO-
            from: [Deal Owner, Deal Name, Account Name, Closing Date, Amount]
          stages: {won: [Closed Won]}
          pass_through: false
        currency: USD

        """

    static let zohoExport = """
        Deal Owner,Deal Name,Account Name,Amount,Closing Date,Stage
        Dana Kim,Northwind platform,Northwind Traders,45000,2026-01-14,Closed Won
        Eli Park,Support hours,Tailspin Toys,1500,2026-03-02,Closed Won
        Eli Park,Support hours,Tailspin Toys,1500,2026-03-02,Closed Won

        """

    /// The id is the SHA-256 of the named columns: the same on every run; rows alike get -2 in export order; a
    /// `Record Id` column, when the export has one, is used instead.
    @Test func zohoIdsAreStableAcrossRuns() throws {
        let first = try ImportTests.run(ImportTests.zohoProfile, [("Deals.csv", ImportTests.zohoExport)])
        let second = try ImportTests.run(ImportTests.zohoProfile, [("Deals.csv", ImportTests.zohoExport)])
        let deals = try #require(ImportTests.file(first, "deals.csv"))
        #expect(deals == ImportTests.file(second, "deals.csv"))
        let ids = deals.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        // sha256("Dana Kim␟Northwind platform␟Northwind Traders␟2026-01-14␟45000"), first 16 hex digits.
        #expect(ids[0] == "ZOHO-556de3249a40f1e2")
        #expect(ids[1] == "ZOHO-b9f681aeec3c793e")
        #expect(ids[2] == "ZOHO-b9f681aeec3c793e-2")
        let withID = "Record Id,Deal Owner,Deal Name,Account Name,Amount,Closing Date,Stage\n4876876000001234567,AE01,X,Y,10,2026-01-14,Closed Won\n"
        let o = try ImportTests.run(ImportTests.zohoProfile, [("Deals.csv", withID)])
        #expect(ImportTests.file(o, "deals.csv")?.contains("\n4876876000001234567,AE01,") == true)
    }

    /// A deal export and an activity export given together are told apart by their headers.
    @Test func activitiesAreToldApartByTheirHeader() throws {
        let profile = ImportTests.minimal + """
            activities:
              columns: {activity_id: Id, owner: Owner, date: Due, kind: Type}
              kinds: {Call: call, Meeting: meeting}
              count_only: {column: Status, values: [Completed]}

            """
        let deals = "Id,Owner,Closed,Amount,Stage\nD1,AE01,2026-01-10,100.00,Won\n"
        let tasks = "Id,Owner,Due,Type,Status\nT1,AE01,2026-01-05,Call,Completed\nT2,AE01,2026-01-06,Meeting,Not Started\nT3,AE02,2026-01-07,Meeting,Completed\n"
        let o = try ImportTests.run(profile, [("tasks.csv", tasks), ("deals.csv", deals)])
        #expect(o.exitCode == 0)
        #expect(ImportTests.file(o, "activities.csv") == "activity_id,rep_id,date,kind,count\nT1,AE01,2026-01-05,call,\nT3,AE02,2026-01-07,meeting,\n")
        #expect(ImportTests.file(o, "deals.csv")?.hasSuffix("D1,AE01,2026-01-10,100.00,USD,,,,won,\n") == true)
        #expect(o.stderr.contains("  not counted: `Status` is `Not Started`  1\n"))
    }

    /// A cancelled stage writes `status` `cancelled` with its cancel date, or is left out with a warning without one;
    /// a credit role adds a row at 100%; a passed-through header that would take a standard name gets `_2`.
    @Test func cancelledDealsRolesAndPassedThroughNames() throws {
        let profile = """
            deals:
              columns: {deal_id: Id, owner: Owner, close_date: Closed, amount: Amount, stage: Stage, cancel_date: Cancelled On}
              stages: {won: [Won], cancelled: [Cancelled]}
              roles: {sdr: Sourced By}
            currency: EUR

            """
        let export = """
            Id,Owner,Closed,Amount,Stage,Cancelled On,Sourced By,Status,Region
            D1,AE01,2026-01-10,"1,000.00",Won,,SDR01,signed,EMEA
            D2,AE02,2026-01-11,200.00,Cancelled,2026-02-01,,void,EMEA
            D3,AE02,2026-01-12,300.00,Cancelled,,,void,APAC

            """
        let o = try ImportTests.run(profile, [("export.csv", export)])
        #expect(o.exitCode == 0)
        #expect(ImportTests.file(o, "deals.csv") == """
            deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date,role,status_2,region
            D1,AE01,2026-01-10,1000.00,EUR,,,,won,,,signed,EMEA
            D1,SDR01,2026-01-10,1000.00,EUR,,,,won,,sdr,signed,EMEA
            D2,AE02,2026-01-11,200.00,EUR,,,,cancelled,2026-02-01,,void,EMEA

            """)
        #expect(o.stderr.contains("export.csv:4:27: warning[I426]: cancelled deals without a cancel date are left out (1 row, 300.00 EUR)"))
        #expect(o.stderr.contains("  imported as cancelled                    1  200.00 EUR\n"))
        #expect(o.stderr.contains("    cancelled without a cancel date        1  300.00 EUR\n"))
        #expect(o.stderr.contains("    sdr                                    1  1000.00 EUR\n"))
    }

    // MARK: Review fixes: ids, splits, dates, separators, alternatives, headers, the owners table

    /// The errors and warnings of an outcome, one line each (`file:line:col: severity[code]: message`).
    static func problems(_ o: CommandOutcome) -> [String] {
        o.stderr.split(separator: "\n").map(String.init).filter { $0.contains("error[") || $0.contains("warning[") }
    }

    /// A deal id on two rows without a split column is refused at the second row's id cell, naming the first line.
    @Test func repeatedDealIDsAreRefusedAtTheExport() throws {
        let export = """
            Id,Owner,Closed,Amount,Stage
            D1,AE01,2026-01-10,100.00,Won
            D2,AE01,2026-01-11,200.00,Won
            D1,AE02,2026-01-12,300.00,Won
            D1,AE03,2026-01-13,400.00,Lost

            """
        let o = try ImportTests.run(ImportTests.minimal, [("export.csv", export)])
        #expect(o.exitCode == 1)
        #expect(o.files.isEmpty)
        #expect(ImportTests.problems(o) == ["export.csv:4:1: error[I436]: deal `D1` appears twice"])
        #expect(o.stderr.contains("  = note: first on line 2\n"))
        #expect(o.stderr.contains("    errors in the row  1  300.00 USD\n"))
    }

    /// With a split column, rows of one id are the splits of one deal: their shares must total 100% per role, and no
    /// rep is credited twice; a bad share is refused at its cell.
    @Test func splitSharesAreCheckedAtTheExport() throws {
        let profile = ImportTests.minimal.replacingOccurrences(of: "stage: Stage}", with: "stage: Stage, split: Share}\n  roles: {sdr: SDR}")
        let good = """
            Id,Owner,Closed,Amount,Stage,Share,SDR
            D3,AE01,2026-01-12,50.00,Won,40,SDR01
            D3,AE02,2026-01-12,50.00,Won,60%,SDR01

            """
        let ok = try ImportTests.run(profile, [("export.csv", good)])
        #expect(ok.exitCode == 0)
        #expect(ImportTests.file(ok, "deals.csv") == """
            deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date,role
            D3,AE01,2026-01-12,50.00,USD,,,40,won,,
            D3,SDR01,2026-01-12,50.00,USD,,,,won,,sdr
            D3,AE02,2026-01-12,50.00,USD,,,60%,won,,

            """)
        let bad = """
            Id,Owner,Closed,Amount,Stage,Share,SDR
            D1,AE01,2026-01-10,100.00,Won,60,SDR01
            D1,AE02,2026-01-10,100.00,Won,50%,SDR02
            D2,AE01,2026-01-11,200.00,Won,,
            D4,AE01,2026-01-12,10.00,Won,50,
            D4,AE01,2026-01-12,10.00,Won,50,
            D5,AE01,2026-01-13,10.00,Won,half,

            """
        let o = try ImportTests.run(profile, [("export.csv", bad)])
        #expect(o.exitCode == 1)
        #expect(ImportTests.problems(o) == [
            "export.csv:2:31: error[I439]: split shares of deal `D1` total 110%; they must total 100%",
            "export.csv:2:34: error[I439]: split shares of deal `D1` in role `sdr` total 200%; they must total 100%",
            "export.csv:6:4: error[I436]: deal `D4` is credited to rep `AE01` twice",
            "export.csv:7:30: error[I438]: `split` is `half`: a share is a percent above 0 and at most 100",
        ])
        #expect(o.stderr.contains("  = note: also on line 3\n"))
        // A split row refused for its own error leaves its deal's shares untotalled: one error, not two.
        let refused = try ImportTests.run(profile, [("export.csv", good.replacingOccurrences(of: "D3,AE02,2026-01-12", with: "D3,AE02,2026-13-12"))])
        #expect(ImportTests.problems(refused) == ["export.csv:3:9: error[I420]: `close_date` is `2026-13-12`: not a date in the profile's formats"])
        #expect(o.stderr.contains("  = note: first on line 5\n"))
    }

    /// Two formats that read one text as two dates are a profile error at the `dates:` line, with the text.
    @Test func ambiguousDateFormatsAreRefused() throws {
        guard case .failure(let d) = ImportTests.profile("dates: [MM/DD/YYYY, ISO, DD/MM/YYYY]\n" + ImportTests.minimal) else {
            Issue.record("the profile was accepted")
            return
        }
        #expect(d.items.map { "\($0.span!.line):\($0.span!.column) \($0.code) \($0.message)" } == [
            "1:1 I406 `dates:` lists `MM/DD/YYYY` and `DD/MM/YYYY`, which read the same text as different dates: `01/04/2026` is 2026-01-04 or 2026-04-01",
        ])
        let swapped = try #require(DateFormat.dayMonthYear.ambiguity(with: .monthDayYear))
        #expect("\(swapped.text) \(swapped.this) \(swapped.other)" == "04/01/2026 2026-01-04 2026-04-01")
        #expect(DateFormat.dotted.ambiguity(with: .monthDayYear) == nil)
        #expect(DateFormat.iso.ambiguity(with: .yearSlash) == nil)
        _ = try ImportTests.profile("dates: [DD.MM.YYYY, MM/DD/YYYY, YYYY/MM/DD, ISO]\n" + ImportTests.minimal).get()
    }

    /// `delimiter:` reads `;` and tab exports; without it, one error says the header looks separated by `;`.
    @Test func semicolonAndTabExports() throws {
        let export = "Id;Owner;Closed;Amount;Stage\nD1;AE01;2026-01-10;1,5;Won\nD2;AE01;2026-01-11;7;Won\n"
        let o = try ImportTests.run(ImportTests.minimal.replacingOccurrences(of: "currency: USD", with: "currency: EUR"), [("export.csv", export)])
        #expect(o.exitCode == 1)
        #expect(ImportTests.problems(o) == [
            "export.csv:1:1: error[I410]: the export has no column `Id` (the profile's `deal_id`) nor 4 others it names: the header looks separated by `;`",
        ])
        #expect(o.stderr.contains("  = help: add `delimiter: \";\"` to the profile\n"))
        #expect(o.stderr.contains("    the export lacks columns  2\n"))
        let semicolon = ImportTests.minimal.replacingOccurrences(of: "currency: USD", with: "currency: EUR\ndelimiter: \";\"\namounts: {decimal: \",\"}")
        let read = try ImportTests.run(semicolon, [("export.csv", export)])
        #expect(read.exitCode == 0)
        #expect(ImportTests.file(read, "deals.csv") == """
            deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date
            D1,AE01,2026-01-10,1.5,EUR,,,,won,
            D2,AE01,2026-01-11,7,EUR,,,,won,

            """)
        let tab = try ImportTests.run(ImportTests.minimal + "delimiter: \"\\t\"\n", [("export.csv", "Id\tOwner\tClosed\tAmount\tStage\nD1\tAE01\t2026-01-10\t2.50\tWon\n")])
        #expect(ImportTests.file(tab, "deals.csv")?.hasSuffix("\nD1,AE01,2026-01-10,2.50,USD,,,,won,\n") == true)
        // A profile for `;` given a comma export says so the other way.
        let comma = try ImportTests.run(semicolon, [("export.csv", "Id,Owner,Closed,Amount,Stage\nD1,AE01,2026-01-10,1,Won\n")])
        #expect(ImportTests.problems(comma) == [
            "export.csv:1:1: error[I410]: the export has no column `Id` (the profile's `deal_id`) nor 4 others it names: the header looks separated by `,`",
        ])
        #expect(comma.stderr.contains("  = help: set `delimiter: \",\"` in the profile\n"))
        let wrong = try ImportTests.run(ImportTests.minimal + "delimiter: \"|\"\n", [("export.csv", "Id\n")])
        #expect(wrong.stderr.hasPrefix("profile.yaml:7:12: error[I404]: `delimiter` is `|`; expected `,`, `;` or a tab (written `\"\\t\"`)\n"))
    }

    @Test func csvReaderTakesASeparator() {
        let (records, errors) = CSVReader(path: "x.csv", bytes: Array("a;\"b;c\";d\n1;2,5;3\n".utf8), separator: UInt8(ascii: ";")).read()
        #expect(errors.items.isEmpty)
        #expect(records.map(\.fields) == [["a", "b;c", "d"], ["1", "2,5", "3"]])
        #expect(records[1].column(2) == 7)
        #expect(CSVReader(path: "x.csv", bytes: Array("a;b,c\n".utf8)).read().0[0].fields == ["a;b", "c"])
    }

    /// A column given as alternatives reads the first the export has; the shipped Fxiaoke profile takes 销售金额.
    @Test func columnAlternatives() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let fxiaoke = try String(contentsOfFile: "\(root)/profiles/fxiaoke.yaml", encoding: .utf8)
        let export = "商机编号,商机名称,客户名称,负责人,销售金额,结单日期,阶段,商机类型,所属部门\nFX-1,平台,华东客户,AE01,\"¥1,200\",2026/1/14,赢单,新签,销售一部\n"
        let o = try ImportTests.run(fxiaoke, [("商机.csv", export)])
        #expect(o.exitCode == 0)
        #expect(ImportTests.file(o, "deals.csv") == """
            deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date,account,deal_name,department
            FX-1,AE01,2026-01-14,1200,CNY,,new,,won,,华东客户,平台,销售一部

            """)
        // Neither: both named, and no header is near either.
        let neither = try ImportTests.run(fxiaoke, [("商机.csv", export.replacingOccurrences(of: "销售金额", with: "合计"))])
        #expect(ImportTests.problems(neither) == ["商机.csv:1:1: error[I410]: the export has no column `商机金额` or `销售金额` (the profile's `amount`)"])
        #expect(!neither.stderr.contains("did you mean"))
        #expect(neither.stderr.contains("    the export lacks columns  1\n"))
        // One name only: the closest header is never one the profile maps to another field (商机名称 is `deal_name`).
        let one = try ImportTests.run(fxiaoke.replacingOccurrences(of: "amount: [商机金额, 销售金额]", with: "amount: 商机金额"), [("商机.csv", export)])
        #expect(ImportTests.problems(one) == ["商机.csv:1:20: error[I410]: the export has no column `商机金额` (the profile's `amount`)"])
        #expect(one.stderr.contains("  = help: the header has `销售金额`: did you mean `商机金额`?\n"))
        // Without its amount column a row's amount cannot be read: the table says no more than the rows.
        #expect(one.stderr.contains("    the export lacks columns  1\n"))
    }

    /// For a missing amount or date, headers whose values read as one are suggested first.
    @Test func missingColumnsPreferHeadersOfTheSameKind() throws {
        let o = try ImportTests.run(ImportTests.minimal, [("export.csv", "Id,Owner,Closed,Account,Amt,Stage\nD1,AE01,2026-01-10,Contoso,\"1,200.00\",Won\n")])
        #expect(ImportTests.problems(o) == ["export.csv:1:25: error[I410]: the export has no column `Amount` (the profile's `amount`)"])
        #expect(o.stderr.contains("  = help: the header has `Amt`: did you mean `Amount`?\n"))
        let text = try ImportTests.run(ImportTests.minimal, [("export.csv", "Id,Owner,Closed,Account,Amt,Stage\nD1,AE01,2026-01-10,Contoso,n/a,Won\n")])
        #expect(text.stderr.contains("  = help: the header has `Account`: did you mean `Amount`?\n"))
    }

    /// The import table counts the amounts of rows refused for a missing column where the amount column is there.
    @Test func refusedRowsKeepTheirAmounts() throws {
        let export = "Id,Owner,Close,Amount,Stage\nD1,AE01,2026-01-10,1.00,Won\nD2,AE01,2026-01-10,2.00,Won\nD3,AE01,2026-01-10,,Won\nD4,AE01,2026-01-10,3.00,Lost\nD5,AE01,2026-01-10,4.00,Won\n"
        let o = try ImportTests.run(ImportTests.minimal, [("export.csv", export)])
        #expect(o.stderr.hasSuffix("""
              refused                     5  10.00 USD (1 row without an amount)
                the export lacks columns  5  10.00 USD (1 row without an amount)

            """))
    }

    /// A header written twice: a warning at the second when the profile does not read it (an error under --strict),
    /// an error when it does.
    @Test func repeatedHeadersAreReported() throws {
        let export = "Id,Owner,Closed,Amount,Stage,Type,Type\nD1,AE01,2026-01-10,1.00,Won,New,Upsell\n"
        let o = try ImportTests.run(ImportTests.minimal, [("export.csv", export)])
        #expect(o.exitCode == 0)
        #expect(ImportTests.problems(o) == ["export.csv:1:35: warning[I437]: column `Type` is in the header twice; this one is not read"])
        #expect(o.stderr.contains("export.csv:1:30: note: first at column 30\n"))
        #expect(ImportTests.file(o, "deals.csv")?.hasSuffix(",type_2\nD1,AE01,2026-01-10,1.00,USD,,,,won,,New\n") == true)
        let strict = try ImportTests.run(ImportTests.minimal, [("export.csv", export)], strict: true)
        #expect(strict.exitCode == 1)
        #expect(ImportTests.problems(strict) == ["export.csv:1:35: error[I437]: column `Type` is in the header twice; this one is not read"])
        let mapped = try ImportTests.run(ImportTests.minimal.replacingOccurrences(of: "stage: Stage}", with: "stage: Stage, type: Type}"), [("export.csv", export)])
        #expect(mapped.exitCode == 1)
        #expect(ImportTests.problems(mapped) == ["export.csv:1:35: error[I437]: column `Type` is in the header twice, and the profile maps it"])
    }

    /// An `owners.table` rep not on the roster is a warning at the table's line when a roster is given.
    @Test func ownersTableRepsMustBeOnTheRoster() throws {
        let profile = ImportTests.ownersProfile.replacingOccurrences(of: "{\"Integration User\": AE01}", with: "{\"Integration User\": AE01, Ops: AE09}")
        let export = "Id,Owner,Closed,Amount,Stage\nD1,005A,2026-01-10,1.00,Won\n"
        let o = try ImportTests.run(profile, [("export.csv", export)], roster: ImportTests.roster)
        #expect(o.exitCode == 0)
        #expect(ImportTests.problems(o) == ["profile.yaml:8:37: warning[I440]: `owners.table` maps `Ops` to `AE09`, who is not on the roster"])
        #expect(o.stderr.contains("= help: did you mean `AE01`?"))
        let strict = try ImportTests.run(profile, [("export.csv", export)], roster: ImportTests.roster, strict: true)
        #expect(strict.exitCode == 1)
        #expect(strict.stderr.contains("profile.yaml:8:37: error[I440]"))
        let noRoster = try ImportTests.run(profile, [("export.csv", "Id,Owner,Closed,Amount,Stage\nD1,Ops,2026-01-10,1.00,Won\n")])
        #expect(noRoster.exitCode == 0)
        #expect(ImportTests.problems(noRoster).isEmpty)
    }
}
