// The shipped CRM example (sample/crm, plans/crm): its data is what `attain import` makes of its exports, and it runs
// to the amounts its golden case was checked by hand to.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct CRMSampleTests {
    static let reader = InputReader(root: repositoryRoot)

    @Test func theSampleDataIsWhatTheImportWritesFromItsExports() throws {
        let o = Commands.importExports(profile: "profiles/salesforce-api.yaml", files: ["sample/crm/export/Opportunity.csv", "sample/crm/export/Task.csv"],
                                       roster: "sample/crm/roster.csv", plans: ["plans/crm"], strict: false, reader: Self.reader)
        #expect(o.exitCode == 0, "\(o.stderr)")
        let written = Dictionary(o.files.map { ($0.path, $0.text) }, uniquingKeysWith: { a, _ in a })
        for name in ["deals.csv", "activities.csv", "import.json"] {
            let shipped = try String(contentsOfFile: repositoryRoot + "/sample/crm/" + name, encoding: .utf8)
            #expect(written[name] == shipped, "sample/crm/\(name) is not what the import writes: re-run the README's import command")
        }
        // The one warning: the integration user's opportunity, left out and said.
        #expect(o.stderr.contains("warning[I415]: owner `0058d000001AaZZAAK` maps to no rep (1 row, 9900.00 USD)"))
    }

    @Test func theGoldenCaseReadsTheSampleFiles() throws {
        for name in ["roster.csv", "assignments.csv", "targets.csv", "seasonality.csv"] {
            let sample = try String(contentsOfFile: repositoryRoot + "/sample/crm/" + name, encoding: .utf8)
            let golden = try String(contentsOfFile: repositoryRoot + "/golden/import-salesforce-crm-sample/" + name, encoding: .utf8)
            #expect(sample == golden, "golden/import-salesforce-crm-sample/\(name) differs from sample/crm/\(name)")
        }
    }

    @Test func theSampleRunsToTheCent() throws {
        let o = Commands.run(plans: ["plans/crm"], data: "sample/crm", period: "2026-Q1", set: [], formats: [.payroll], reader: Self.reader)
        #expect(o.exitCode == 0, "\(o.stderr)")
        let payroll = try #require(o.files.first { $0.path.hasSuffix("payroll.csv") }?.text)
        #expect(payroll == """
            payee_id,payee_name,period,earning_code,amount,currency
            AE1,Lin Wei,2026-Q1,COMM,8730.00,USD
            AE2,Omar Haddad,2026-Q1,COMM,11958.38,USD
            AE3,Sofia Reyes,2026-Q1,ADJ,-2024.76,USD
            AE3,Sofia Reyes,2026-Q1,COMM,7891.43,USD
            SDR1,Priya Nair,2026-Q1,BONUS,2400.00,USD
            SDR1,Priya Nair,2026-Q1,COMM,3140.00,USD
            SDR2,Jonas Berg,2026-Q1,BONUS,2400.00,USD
            SDR2,Jonas Berg,2026-Q1,COMM,4036.00,USD

            """)
        // No warning: every deal and meeting of the quarter is counted.
        #expect(!o.stderr.contains("warning"), "\(o.stderr)")
    }
}
