// Exact money: strict parsing, the four rounding modes, overflow as an error.
import Testing
@testable import Attain

func dec(_ s: String) -> ExactDecimal { try! ExactDecimal.parse(s).get() }

@Suite struct MoneyTests {
    @Test func parsesPlainDecimals() {
        #expect(dec("1234.56").description == "1234.56")
        #expect(dec("-0.5").description == "-0.5")
        #expect(dec("7").description == "7")
        #expect(dec("1.50") == dec("1.5"))
    }

    @Test(arguments: [
        ("1,234.56", "thousands separators"), ("$12.00", "currency symbols"), ("1.5e6", "exponents"),
        ("", "empty"), (".5", "before the decimal point"), ("5.", "after the decimal point"),
        ("+5", "leading `+`"), ("1 000", "spaces"), ("1.2.3", "one decimal point"), ("12-3", "minus sign"),
    ])
    func rejectsWhatSpreadsheetsAdd(text: String, reason: String) {
        guard case .failure(let e) = ExactDecimal.parse(text) else {
            Issue.record("`\(text)` should not parse")
            return
        }
        #expect(e.reason.contains(reason), "\(e.reason)")
    }

    @Test func briefRoundingExamples() throws {
        // 3.333% of 1,234.56 = 41.147… → 41.15 half-up.
        let rate = try Rate(percent: dec("3.333"))
        let usd = Currency(code: "USD")!
        #expect(try Money(dec("1234.56"), usd).times(rate, rounding: RoundingRule(mode: .halfUp, scale: 2)).text == "41.15")
        // 0.5% of 1,001.00 = 5.005 → 5.01 half-up, 5.00 half-even.
        let half = try Rate(percent: dec("0.5"))
        #expect(try Money(dec("1001.00"), usd).times(half, rounding: RoundingRule(mode: .halfUp, scale: 2)).text == "5.01")
        #expect(try Money(dec("1001.00"), usd).times(half, rounding: RoundingRule(mode: .halfEven, scale: 2)).text == "5.00")
    }

    @Test(arguments: [
        ("5.005", RoundingMode.halfUp, "5.01"), ("5.005", .halfEven, "5.00"), ("5.015", .halfEven, "5.02"),
        ("5.009", .down, "5.00"), ("5.001", .up, "5.01"), ("-5.005", .halfUp, "-5.01"), ("-5.005", .halfEven, "-5.00"),
        ("-5.009", .down, "-5.00"), ("-5.001", .up, "-5.01"), ("2.5", .halfEven, "2.50"), ("0.004", .halfUp, "0.00"),
    ])
    func roundingModes(value: String, mode: RoundingMode, expected: String) throws {
        #expect(try dec(value).rounded(scale: 2, mode: mode).description == expected)
    }

    @Test func roundingToWholeUnits() throws {
        #expect(try dec("1234.5").rounded(scale: 0, mode: .halfEven).description == "1234")
        #expect(try dec("1235.5").rounded(scale: 0, mode: .halfEven).description == "1236")
    }

    @Test func overflowIsAnErrorNotAWrap() {
        let big = ExactDecimal(coefficient: Int128(10).power(37), scale: 0)
        #expect(throws: ArithmeticError.overflow) { try big.multiplied(by: ExactDecimal(100)) }
        #expect(throws: ArithmeticError.overflow) { try big.adding(big).adding(big).adding(big).adding(big).adding(big).adding(big).adding(big).adding(big).adding(big).adding(big).adding(big).adding(big).adding(big).adding(big).adding(big).adding(big).adding(big) }
        #expect(ExactDecimal.parse(String(repeating: "9", count: 40)).isFailure)
    }

    @Test func moneyInDifferentCurrenciesDoesNotAdd() {
        let a = Money(dec("1.00"), Currency(code: "USD")!)
        let b = Money(dec("1.00"), Currency(code: "EUR")!)
        #expect(throws: ArithmeticError.currencyMismatch("USD", "EUR")) { try a.adding(b) }
    }

    @Test func currenciesKnowTheirMinorUnits() {
        #expect(Currency(code: "JPY")?.minorUnits == 0)
        #expect(Currency(code: "KWD")?.minorUnits == 3)
        #expect(Currency(code: "USD")?.minorUnits == 2)
        #expect(Currency(code: "XXQ") == nil)
    }

    @Test func ratesPrintAsPercents() throws {
        #expect(try Rate(percent: dec("2")).text == "2%")
        #expect(try Rate(percent: dec("3.333")).fraction == dec("0.03333"))
        #expect(try Rate(percent: dec("0.5")).text == "0.5%")
    }

    @Test func ratiosAreExact() throws {
        let third = try Ratio(1, 3)
        let sum = try third.adding(third).adding(third)
        #expect(sum == (try Ratio(1, 1)))
        #expect(try Ratio(2, 3).rounded(scale: 2, mode: .halfUp).description == "0.67")
        #expect(try Ratio(2, 3).floored(scale: 2).description == "0.66")
        #expect(try Ratio(-1, 3).floored(scale: 2).description == "-0.34")
        #expect(Ratio(dec("0.125")).exactDecimal == dec("0.125"))
        #expect(try Ratio(1, 3).exactDecimal == nil)
    }

    @Test func dividesWithExplicitRounding() throws {
        #expect(try dec("1").divided(by: dec("3"), scale: 4, mode: .halfUp).description == "0.3333")
        #expect(try dec("2").divided(by: dec("3"), scale: 4, mode: .down).description == "0.6666")
        #expect(throws: ArithmeticError.divisionByZero) { try dec("1").divided(by: .zero, scale: 2, mode: .halfUp) }
    }
}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}

extension Int128 {
    func power(_ n: Int) -> Int128 {
        var r: Int128 = 1
        for _ in 0..<n { r *= self }
        return r
    }
}
