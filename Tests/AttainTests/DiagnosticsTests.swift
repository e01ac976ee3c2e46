// Plan errors land on the right line and column, with a helpful message. Markers show where the caret must be.
import Testing
@testable import Attain

/// Asserts the plan's first error has `code`, sits at marker 1️⃣, and its message contains `message`.
func expectError(_ source: String, code: String, message: String, help: String? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let (text, markers) = marked(source)
    let errors = diagnose(text).filter { $0.severity == .error }
    guard let first = errors.first else {
        Issue.record("expected an error \(code), got none", sourceLocation: sourceLocation)
        return
    }
    #expect(first.code == code, "\(first.code): \(first.message)", sourceLocation: sourceLocation)
    #expect(first.message.contains(message), "\(first.message)", sourceLocation: sourceLocation)
    if let m = markers["1️⃣"] {
        #expect(first.span?.line == m.line, "line \(first.span?.line ?? 0) ≠ \(m.line)", sourceLocation: sourceLocation)
        #expect(first.span?.column == m.column, "column \(first.span?.column ?? 0) ≠ \(m.column)", sourceLocation: sourceLocation)
    }
    if let help {
        #expect(first.notes.contains { $0.message.contains(help) }, "notes: \(first.notes.map(\.message))", sourceLocation: sourceLocation)
    }
}

@Suite struct DiagnosticsTests {
    let measure = "measure bookings = sum of deal.amount\n  quota from assignment\n"

    @Test func addingMoneyToAPercent() {
        expectError(header + measure + "commission \"C\" on bookings\n  rate 5%\n  cap 1️⃣1000.00 USD + 5% per period\n",
                    code: "E168", message: "cannot add a percent to money (USD)")
    }

    @Test func multiplyingMoneyByMoney() {
        expectError(header + measure + "commission \"C\" on bookings\n  rate 5%\n  cap 1️⃣target_incentive * 2.00 USD per period\n",
                    code: "E170", message: "cannot multiply money by money")
    }

    @Test func comparingADateWithANumber() {
        expectError(header + "measure m = sum of deal.amount where 1️⃣deal.close_date > 5\n  quota from assignment\ncommission \"C\" on m\n  rate 1%\n",
                    code: "E166", message: "cannot compare a date with a number")
    }

    @Test func unknownDealFieldSuggestsTheClosest() {
        expectError(header + "measure m = sum of deal.amount where 1️⃣deal.prodct = \"Widget\"\n  quota from assignment\ncommission \"C\" on m\n  rate 1%\n",
                    code: "E173", message: "unknown deal field `prodct`", help: "did you mean `product`?")
    }

    @Test func percentWhereMoneyIsExpected() {
        expectError(header + measure + "bonus \"B\" on bookings\n  at 100% pay 1️⃣5%\n",
                    code: "E161", message: "expected money (USD), found a percent")
    }

    @Test func gateComparingAttainmentWithMoney() {
        expectError(header + measure + "commission \"C\" on bookings\n  rate 5%\n  gate 1️⃣attainment >= 5000.00 USD\n",
                    code: "E166", message: "cannot compare a percent with money (USD)")
    }

    @Test func syntaxErrorMissingRate() {
        expectError(header + measure + "commission \"C\" on bookings\n  tiers marginal over attainment\n  tier from 0% to 50% 1️⃣2%\n  tier from 50% rate 3%\n",
                    code: "E020", message: "expected `rate`")
    }

    @Test func unknownStatementSuggests() {
        expectError(header + "1️⃣mesure m = sum of deal.amount\n", code: "E011", message: "unknown statement `mesure`", help: "did you mean `measure`?")
    }

    @Test func thousandsSeparatorInAPlan() {
        expectError(header + measure + "commission \"C\" on bookings\n  rate 5%\n  cap 1️⃣4,000.00 USD per period\n",
                    code: "E004", message: "thousands separators")
    }

    @Test func gapBetweenTiers() {
        expectError(header + measure + "commission \"C\" on bookings\n  tiers marginal over attainment\n  tier from 0% to 50% rate 2%\n  tier from 1️⃣60% rate 3%\n",
                    code: "E154", message: "gap between tiers")
    }

    @Test func overlappingTiers() {
        expectError(header + measure + "commission \"C\" on bookings\n  tiers marginal over attainment\n  tier from 0% to 50% rate 2%\n  tier from 1️⃣40% rate 3%\n",
                    code: "E155", message: "overlapping tiers")
    }

    @Test func tiersMustStartAtZeroAndEndOpen() {
        expectError(header + measure + "commission \"C\" on bookings\n  tiers marginal over attainment\n  tier from 1️⃣10% to 50% rate 2%\n  tier from 50% rate 3%\n",
                    code: "E153", message: "must start at 0%")
        expectError(header + measure + "commission \"C\" on bookings\n  tiers marginal over attainment\n  tier from 0% to 50% rate 2%\n  1️⃣tier from 50% to 90% rate 3%\n",
                    code: "E156", message: "open-ended")
    }

    @Test func amountInAnotherCurrency() {
        expectError(header + measure + "commission \"C\" on bookings\n  rate 5%\n  cap 1️⃣100.00 EUR per period\n", code: "E163", message: "in EUR")
    }

    @Test func unknownCurrencySuggests() {
        expectError(header.replacingOccurrences("currency USD", "currency 1️⃣USX") + measure + "commission \"C\" on bookings\n  rate 5%\n",
                    code: "E101", message: "unknown currency `USX`", help: "did you mean `USD`?")
    }

    @Test func dealFieldInAPeriodRule() {
        expectError(header + measure + "commission \"C\" on bookings\n  rate 5%\n  gate 1️⃣deal.amount > 5.00 USD\n", code: "E172", message: "whole period")
    }

    @Test func rendersWithGutterAndCaret() {
        let text = header + "measure m = sum of deal.amount where deal.prodct = \"W\"\n  quota from assignment\ncommission \"C\" on m\n  rate 1%\n"
        let d = diagnose(text).first!
        #expect(DiagnosticRenderer.render(d) == """
            p.plan:6:38: error[E173]: unknown deal field `prodct`
              |
            6 | measure m = sum of deal.amount where deal.prodct = "W"
              |                                      ^~~~~~~~~~~
              = help: did you mean `product`?

            """)
    }

    @Test func reportsEveryErrorNotOnlyTheFirst() {
        let text = header + "measure m = sum of deal.amount\n  quota from assignment\ncommission \"C\" on m\n  rate 5% + 1.00 USD\nbonus \"B\" on nope\n  at 100% pay 1.00 USD\n"
        let codes = diagnose(text).map(\.code)
        #expect(codes.contains("E168"))
        #expect(codes.contains("E130"))
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: a) {
            out += rest[..<r.lowerBound] + b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

/// Wide characters take two terminal cells: the caret is placed and sized by cells.
@Suite struct WideCaretTests {
    @Test func theCaretStaysUnderChineseText() {
        let d = Diagnostic.warning("I415", "owner `陈静` maps to no rep", at: SourceSpan(path: "商机.csv", line: 7, column: 8, width: 2, lineText: "A,数据中台,陈静,100"))
        #expect(DiagnosticRenderer.render(d) == """
            商机.csv:7:8: warning[I415]: owner `陈静` maps to no rep
              |
            7 | A,数据中台,陈静,100
              |            ^~~~

            """)
        #expect(DiagnosticRenderer.cells("ａ数a") == 5)
    }
}
