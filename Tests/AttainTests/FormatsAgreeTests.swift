// On the shipped example, every output format says the same thing to the cent.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool
@testable import AttainXML

@Suite struct FormatsAgreeTests {
    @Test func jsonXMLHTMLAndPayrollAgreeOnTheSample() throws {
        let outcome = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: InputReader(root: repositoryRoot))
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let files = Dictionary(uniqueKeysWithValues: outcome.files.map { ($0.path, $0.text) })
        let payroll = try #require(files["2026-Q1/payroll.csv"])
        let (records, problems) = CSVReader(path: "payroll.csv", bytes: Array(payroll.utf8)).read()
        #expect(problems.items.isEmpty)
        var payrollByPayee: [String: ExactDecimal] = [:]
        for r in records.dropFirst() {
            payrollByPayee[r.fields[0]] = try (payrollByPayee[r.fields[0]] ?? .zero).adding(dec(r.fields[4]))
        }
        let jsonPaths = files.keys.filter { $0.hasSuffix(".json") && $0.contains("/statements/") }.sorted()
        #expect(jsonPaths.count == 36)
        var total = ExactDecimal.zero
        for path in jsonPaths {
            let json = try #require(JSONSerialization.jsonObject(with: Data(files[path]!.utf8)) as? [String: Any])
            let id = try #require((json["payee"] as? [String: Any])?["id"] as? String)
            let paid = try #require((json["totals"] as? [String: Any])?["paid"] as? String)
            let base = String(path.dropLast(5))
            let xml = try #require(files[base + ".xml"])
            let html = try #require(files[base + ".html"])
            #expect(try XMLReader.attributeValues(in: xml, element: "totals", attribute: "paid") == [paid], "\(id)")
            // The page writes the amount in the payee's language (English here: thousands grouped).
            #expect(html.contains("<bdi>\(ReportLocale.english.number(paid))&nbsp;USD</bdi>"), "\(id): HTML lacks \(paid)")
            #expect(payrollByPayee[id].map { $0 == dec(paid) } ?? dec(paid).isZero, "\(id): payroll \(payrollByPayee[id]?.description ?? "none") ≠ \(paid)")
            total = try total.adding(dec(paid))
        }
        let summary = try #require(JSONSerialization.jsonObject(with: Data(files["2026-Q1/summary.json"]!.utf8)) as? [String: Any])
        let totals = try #require((summary["totals"] as? [[String: Any]])?.first)
        #expect(totals["paid"] as? String == total.description)
        #expect(total.description == "394898.01")
    }
}
