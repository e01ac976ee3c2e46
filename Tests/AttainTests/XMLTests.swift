// XML statements: every golden XML validates against the published XSD through libxml2, and text round-trips.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool
@testable import AttainXML

let publishedSchema = try! String(contentsOfFile: repositoryRoot + "/schemas/statement.xsd", encoding: .utf8)
let schemaValidator = try! SchemaValidator(xsd: publishedSchema)

/// Every expected XML statement under golden/.
let goldenXML: [String] = {
    let base = repositoryRoot + "/golden"
    let walker = FileManager.default.enumerator(atPath: base)
    var found: [String] = []
    while let rel = walker?.nextObject() as? String {
        if rel.hasSuffix(".xml") && rel.contains("/expected/") { found.append("golden/" + rel) }
    }
    return found.sorted()
}()

@Suite struct XMLTests {
    @Test func goldenCasesCarryXML() {
        #expect(goldenXML.count >= 9)
    }

    @Test(arguments: goldenXML)
    func goldenXMLValidatesAgainstThePublishedSchema(_ path: String) throws {
        let xml = try String(contentsOfFile: repositoryRoot + "/" + path, encoding: .utf8)
        #expect(schemaValidator.validate(xml: xml, path: path) == [])
    }

    @Test func version1StatementsStayValid() throws {
        // A frozen statement of format version 1: a schema change that rejects it breaks readers' files.
        let xml = try String(contentsOfFile: repositoryRoot + "/schemas/examples/statement-v1.xml", encoding: .utf8)
        #expect(schemaValidator.validate(xml: xml, path: "statement-v1.xml") == [])
    }

    @Test func theEmbeddedSchemaIsThePublishedOne() {
        #expect(StatementXML.schema + "\n" == publishedSchema, "run scripts/embed-schemas.sh after changing schemas/statement.xsd")
    }

    @Test func aBrokenStatementIsRejectedWithItsLine() {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <statement xmlns="urn:attain:statement:1" format="attain-statement/1">
              <payee id="A"/>
            </statement>
            """
        let problems = schemaValidator.validate(xml: xml, path: "s.xml")
        #expect(problems.first?.hasPrefix("s.xml:3:") == true, "\(problems)")
        #expect(problems.contains { $0.contains("'name' is required") })
    }

    @Test func notWellFormedXMLIsReported() {
        #expect(!schemaValidator.validate(xml: "<statement", path: "s.xml").isEmpty)
    }

    @Test func xmlSaysWhatJSONSays() throws {
        let s = try statements(plan: header + tiers + "  cap 4000.00 USD per period\n", deals: briefDeals, assignments: assignments([("A", "100000.00")]))[0]
        let xml = StatementXML.render(s)
        #expect(try XMLReader.attributeValues(in: xml, element: "line", attribute: "amount") == ["600.00", "1400.00", "3100.00", "-1100.00"])
        #expect(try XMLReader.attributeValues(in: xml, element: "band", attribute: "base") == ["30000.00", "20000.00", "20000.00", "30000.00", "20000.00"])
        #expect(try XMLReader.attributeValues(in: xml, element: "totals", attribute: "paid") == ["4000.00"])
        #expect(schemaValidator.validate(xml: xml, path: "A.xml") == [])
    }

    @Test func hostileTextRoundTrips() throws {
        let names = ["<b>Zoë & \"Ann\"</b>", "=HYPERLINK(\"http://x\")", "O'Brien 😀", "a\tb"]
        var roster = "rep_id,name,manager_id,hire_date,end_date\n"
        var a = "rep_id,plan,start_date,end_date,quota,target_incentive\n"
        for (i, n) in names.enumerated() {
            roster += "R\(i),\"\(n.replacingOccurrences(of: "\"", with: "\"\""))\",,2025-01-01,\n"
            a += "R\(i),P,2026-01-01,2026-12-31,1000.00,0\n"
        }
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\n\"<D&1>\",R0,2026-01-10,100.00,USD,G,new\n"
        let plan = header + "measure m = sum of deal.amount\ncommission \"C <&>\" on m\n  rate 1%\n"
        let all = try statements(plan: plan, deals: deals, assignments: a, roster: roster)
        for (s, name) in zip(all, names) {
            let xml = StatementXML.render(s)
            #expect(try XMLReader.attributeValues(in: xml, element: "payee", attribute: "name") == [name])
            #expect(schemaValidator.validate(xml: xml, path: "x.xml") == [])
        }
        let first = StatementXML.render(all[0])
        #expect(try XMLReader.attributeValues(in: first, element: "line", attribute: "deal-id") == ["<D&1>"])
        #expect(try XMLReader.attributeValues(in: first, element: "line", attribute: "component") == ["C <&>"])
    }

    @Test func theDirectWriterGivesLibXMLsBytes() throws {
        // Every field, with quotes, a backslash, a tab, a line break and a control character in its texts.
        var s = try JSONWriterTests.everyField()
        #expect(StatementXML.render(s) == (try StatementXML.renderThroughLibXML(s)))
        #expect(StatementXML.bytes(s) == Array((try StatementXML.renderThroughLibXML(s)).utf8))
        // Random texts over every byte that is escaped, in attributes and in text, with non-ASCII and a NUL (where
        // libxml2's C strings end).
        let pieces = ["<", ">", "&", "\"", "'", "\t", "\n", "\r", "\u{1}", "\u{0}", "é", "😀", "a", "bc", " ", "&amp;", "]]>"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            s.planName = text
            s.measuredOver = text
            s.proration = text
            s.measures = [MeasureResult(name: text, value: "1", quota: nil, attainment: nil, weight: nil)]
            #expect(StatementXML.render(s) == (try StatementXML.renderThroughLibXML(s)), "\(Array(text.utf8))")
        }
    }

    @Test func theDirectWriterGivesLibXMLsBytesOnTheSample() throws {
        let outcome = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], formats: [.xml], reader: InputReader(root: repositoryRoot))
        let result = try #require(outcome.retained.compactMap { $0 as? RunResult }.first)
        #expect(result.statements.count == 36)
        for s in result.statements {
            #expect(StatementXML.render(s) == (try StatementXML.renderThroughLibXML(s)), "\(s.payeeID)")
        }
    }
}

let publishedJSONSchema = try! String(contentsOfFile: repositoryRoot + "/schemas/statement.schema.json", encoding: .utf8)

@Suite struct JSONSchemaTests {
    let validator = try! JSONSchemaValidator(schema: publishedJSONSchema)

    static let goldenJSON: [String] = goldenXML.map { String($0.dropLast(4)) + ".json" }

    @Test(arguments: goldenJSON)
    func goldenJSONValidatesAgainstThePublishedSchema(_ path: String) throws {
        let json = try String(contentsOfFile: repositoryRoot + "/" + path, encoding: .utf8)
        #expect(validator.validate(json: json, path: path) == [])
    }

    @Test func version1StatementsStayValid() throws {
        let json = try String(contentsOfFile: repositoryRoot + "/schemas/examples/statement-v1.json", encoding: .utf8)
        #expect(validator.validate(json: json, path: "statement-v1.json") == [])
    }

    @Test func theEmbeddedSchemaIsThePublishedOne() {
        #expect(JSONSchemaValidator.statementSchema + "\n" == publishedJSONSchema, "run scripts/embed-schemas.sh after changing the schema")
    }

    @Test func problemsNameTheirPlace() {
        let bad = #"{"format": "attain-statement/1", "payee": {"id": "A"}, "lines": [{"kind": "bogus", "component": "C", "amount": "1,00", "source": "p:1"}], "extra": 1}"#
        let problems = validator.validate(json: bad, path: "s.json")
        #expect(problems.contains("s.json: /payee: missing `name`"))
        #expect(problems.contains("s.json: /: unexpected key `extra`"))
        #expect(problems.contains { $0.hasPrefix("s.json: /lines/0/kind: must be one of") })
        #expect(problems.contains { $0.hasPrefix("s.json: /lines/0/amount: `1,00` does not match") })
    }
}
