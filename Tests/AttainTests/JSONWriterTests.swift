// Statement JSON is written member by member; it must be the same text a sorted JSON tree gives.
import Foundation
import Testing
@testable import Attain

@Suite struct JSONWriterTests {
    /// Foundation's parse of our text, back into a tree whose serializer sorts every object's keys itself.
    static func tree(_ any: Any) -> JSONValue {
        switch any {
        case let s as String: return .string(s)
        case let n as NSNumber: return .int(n.intValue)
        case let a as [Any]: return .array(a.map(tree))
        case let o as [String: Any]: return .object(o.mapValues(tree))
        default: return .null
        }
    }

    static func everyField() throws -> Statement {
        let usd = Currency(code: "USD")!, eur = Currency(code: "EUR")!
        let period = try Period.parse("2026-Q1").get()
        let date = try CivilDate.parse(Array("2026-02-03".utf8)).get()
        let m = MeasureResult(name: "bookings", value: "1200.5", quota: "1000.00", attainment: "120.05%", weight: "60%")
        var full = StatementLine(kind: .commission, component: "Quote \"Desk\"\\Team", dealID: "D-1\t2", closeDate: date, base: "1000.00",
                                 share: "50%", rate: "8%", tier: "100% and above",
                                 tiers: [TierPortion(band: "100% and above", base: "1000.00", rate: "8%", amount: "80.0000", source: "a.plan:3")],
                                 amount: Money(ExactDecimal(coefficient: 8000, scale: 2), usd), reason: "line\nbreak \u{1}", source: "a.plan:3")
        full.conversion = Conversion(original: Money(ExactDecimal(coefficient: 92166, scale: 2), eur), rate: ExactDecimal(coefficient: 1085, scale: 3), date: date)
        full.creditedTo = "R2"
        full.refPeriod = "2025-Q4"
        full.balanceBefore = Money(ExactDecimal(coefficient: 50000, scale: 2), usd)
        full.balanceAfter = Money(ExactDecimal(coefficient: 0, scale: 2), usd)
        full.segment = 2
        full.role = "sdr"
        let bare = StatementLine(kind: .adjustment, component: "Adjustments", amount: Money(ExactDecimal(coefficient: -1250, scale: 2), usd), source: "adjustments")
        var s = try Statement(payeeID: "R1", payeeName: "Zoë Ångström", planName: "AE", planVersion: "2", planPath: "plans/ae.plan", period: period,
                              currency: usd, measures: [m], totalAttainment: "120.05%", targetIncentive: "10000.00", proration: "45/90",
                              lines: [full, bare])
        s.measuredOver = "2026-01-01 to 2026-03-31"
        s.segments = [Segment(planName: "AE", planVersion: "1", planPath: "plans/ae.plan", from: period.start, to: date, measures: [m],
                              totalAttainment: "80%", targetIncentive: "5000.00", proration: "34/90"),
                      Segment(planName: "AE", planVersion: "2", planPath: "plans/ae.plan", from: date, to: period.end, measures: [],
                              totalAttainment: nil, targetIncentive: "5000.00", proration: nil)]
        return s
    }

    @Test func aStatementWithEveryFieldIsTheTextOfItsSortedTree() throws {
        let text = StatementJSON.text(try Self.everyField())
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        #expect(Self.tree(parsed).serialized() == text)
        // Every optional member is there, escapes included.
        for member in ["\"balance_after\": \"0.00\"", "\"credited_to\": \"R2\"", "\"fx_rate\": \"1.085\"", "\"original_currency\": \"EUR\"",
                       "\"segment\": 2", "\"role\": \"sdr\"", "\"weight\": \"60%\"", "\"total_attainment\": \"120.05%\"", "\"measured_over\"", "\"segments\": [",
                       "\"measures\": []", "\"component\": \"Quote \\\"Desk\\\"\\\\Team\"", "\"deal_id\": \"D-1\\t2\"",
                       "\"reason\": \"line\\nbreak \\u0001\"", "\"name\": \"Zoë Ångström\""] {
            #expect(text.contains(member), "missing \(member)")
        }
        #expect(text.hasSuffix("}\n"))
    }

    /// Texts are looked at eight bytes at a time: a character that needs escaping at any place, in texts of every length
    /// around a multiple of eight, must still be escaped (the text read back is the text written).
    @Test func everyPlaceInATextIsLookedAtForEscapes() throws {
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1F}", "\t"] {
            for length in 1...19 {
                for place in 0..<length {
                    var chars = Array(repeating: "a", count: length)
                    chars[place] = special
                    let value = chars.joined() + "é"
                    var w = JSONWriter()
                    w.beginObject()
                    w.field("k", value)
                    w.endObject()
                    let text = w.finishText()
                    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
                    #expect(parsed?["k"] == value, "\(length) \(place) \(special.unicodeScalars.first!.value)")
                }
            }
        }
    }

    @Test func theWriterLaysOutEmptyAndNestedContainersLikeTheTree() {
        let value = JSONValue.object(["a": .array([]), "b": .object([:]), "c": .array([.int(-3), .bool(true), .null, .object(["x": .string("y")])])])
        #expect(value.serialized() == """
            {
              "a": [],
              "b": {},
              "c": [
                -3,
                true,
                null,
                {
                  "x": "y"
                }
              ]
            }

            """)
    }
}
