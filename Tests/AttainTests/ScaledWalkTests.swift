// Marginal tiers walked in whole numbers (a run without statement words) must pay every deal exactly what the walk over
// exact fractions pays, and must give way to it when a figure is not a short decimal.
import PropertyBased
import Testing
@testable import Attain

/// The graduated pay from zero to `x` over marginal bands: below zero, all of it at the first band's rate.
func graduatedPay(_ x: Ratio, _ bands: [(from: Ratio, to: Ratio?, rate: Ratio)]) throws -> Ratio {
    if x.signum < 0 { return try x.multiplied(by: bands[0].rate) }
    var sum = Ratio.zero
    for band in bands {
        let top = try band.to.map { try Ratio.compare(x, $0) < 0 ? x : $0 } ?? x
        if try Ratio.compare(top, band.from) > 0 { sum = try sum.adding(try top.subtracting(band.from).multiplied(by: band.rate)) }
    }
    return sum
}

@Suite struct ScaledWalkTests {
    /// Random deals (refunds among them), band edges with up to four decimal places and rates with up to three; each
    /// deal's pay rounded half up and half even to 0.01 and to whole units.
    @Test func wholeNumbersPayWhatExactFractionsPay() async {
        let input = Gen.int(in: -2_000_000...9_000_000).array(of: 1...30)
        await propertyCheck(count: 120, input: input, Gen.int(in: 1...99_999), Gen.int(in: 1...5_000_000), Gen.int(in: 1...12_999)) { cents, edge, width, rate in
            let values = cents.map { try! Ratio(Int128($0), 100) }
            let first = try Ratio(Int128(edge), 10_000)
            let second = try first.adding(try Ratio(Int128(width), 100))
            let rates = [try Ratio(Int128(rate), 100_000), try Ratio(Int128(rate % 997 + 3), 1_000), try Ratio(Int128(rate * 3 + 1), 3_000)]
            // The third rate keeps a factor 3 in its denominator: no decimal.
            let bands: [(from: Ratio, to: Ratio?, rate: Ratio)] = [(.zero, first, rates[0]), (first, second, rates[1]), (second, nil, rates[0])]
            let lowers: [Ratio?] = [nil, first, second], uppers: [Ratio?] = [first, second, nil]
            let steps = try #require(Evaluator.scaledWalk(values, lowers: lowers, uppers: uppers, rates: bands.map { .percent($0.rate) }))
            #expect(steps.count == values.count)
            var before = Ratio.zero
            for (value, step) in zip(values, steps) {
                let after = try before.adding(value)
                let exact = try graduatedPay(after, bands).subtracting(try graduatedPay(before, bands))
                for rule in [RoundingRule(mode: .halfUp, scale: 2), RoundingRule(mode: .halfEven, scale: 2), RoundingRule(mode: .down, scale: 0),
                             RoundingRule(mode: .up, scale: 3)] {
                    #expect(ScaledWalk.rounded(step.exact, rule: rule) == (try exact.rounded(scale: rule.scale, mode: rule.mode)), "\(cents) \(edge) \(width) \(rate)")
                }
                #expect(step.bands >= (value.isZero ? 0 : 1))
                before = after
            }
            // A rate that is no short decimal sends the walk back to exact fractions.
            #expect(Evaluator.scaledWalk(values, lowers: lowers, uppers: uppers, rates: [.percent(rates[0]), .percent(rates[2]), .percent(rates[1])]) == nil)
        }
    }

    @Test func figuresThatAreNoShortDecimalOrTooLargeAreLeftToFractions() throws {
        let rate: [RateSpec] = [.percent(try Ratio(2, 100))]
        #expect(Evaluator.scaledWalk([try Ratio(1, 3)], lowers: [nil], uppers: [nil], rates: rate) == nil)
        #expect(Evaluator.scaledWalk([try Ratio(1, 10_000_000)], lowers: [nil], uppers: [nil], rates: rate) == nil)
        #expect(Evaluator.scaledWalk([Ratio(ExactDecimal(coefficient: ExactDecimal.powerOfTen(19), scale: 0))], lowers: [nil], uppers: [nil], rates: rate) == nil)
        let steps = try #require(Evaluator.scaledWalk([try Ratio(12_345, 100)], lowers: [nil], uppers: [nil], rates: rate))
        // 123.45 at 2%: 2.469, times 10^12.
        #expect(steps[0].exact == 2_469_000_000_000)
        #expect(ScaledWalk.rounded(steps[0].exact, rule: RoundingRule(mode: .halfUp, scale: 2)) == dec("2.47"))
    }
}
