// Invariants that must hold for every input, not only the brief's examples.
import PropertyBased
import Testing
@testable import Attain

/// deals.csv text for rep A from amounts in cents, one deal per day from 2026-01-01.
func dealsCSV(_ cents: [Int], shuffledBy seed: Int? = nil) -> String {
    var rows = cents.enumerated().map { i, c in
        let day = i % 89
        let date = CivilDate(year: 2026, month: 1, day: 1)!
        let d = CivilDate.fromDayNumber(date.dayNumber + day)
        return "D\(i),A,\(d),\(c / 100).\(String(format2: c % 100)),USD,Gadget,new"
    }
    if let seed {
        var rng = SplitMix(state: UInt64(seed))
        rows.shuffle(using: &rng)
    }
    return "deal_id,rep_id,close_date,amount,currency,product,type\n" + rows.joined(separator: "\n") + "\n"
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : "\(n)" }
}

extension CivilDate {
    static func fromDayNumber(_ n: Int) -> CivilDate {
        var d = CivilDate(year: 1970, month: 1, day: 1)!
        // Walk forward month by month; test dates are near 2026.
        var remaining = n - d.dayNumber
        while remaining > 0 {
            let left = CivilDate.daysIn(month: d.month, year: d.year) - d.day
            if remaining <= left {
                return CivilDate(year: d.year, month: d.month, day: d.day + remaining)!
            }
            remaining -= left + 1
            d = d.month == 12 ? CivilDate(year: d.year + 1, month: 1, day: 1)! : CivilDate(year: d.year, month: d.month + 1, day: 1)!
        }
        return d
    }
}

let propertyPlan = header + """
    measure bookings = sum of deal.amount
      quota from assignment
    commission "C" on bookings
      tiers marginal over attainment
      tier from 0% to 40% rate 1.5%
      tier from 40% to 100% rate 4.25%
      tier from 100% to 150% rate 7.777%
      tier from 150% rate 9%
      cap 9000.00 USD per period
      gate attainment >= 30%
    bonus "B" on bookings
      at 100% pay 1500.00 USD
    spif "S"
      where deal.amount >= 5000.00 USD
      pay 0.333% of deal.amount

    """

@Suite struct PropertyTests {
    let amounts = Gen.int(in: 1...8_000_000).array(of: 1...25)
    let quota = assignments([("A", "120000.00")])

    @Test func linesSumToTotals() async {
        await propertyCheck(count: 60, input: amounts) { cents in
            let s = try statements(plan: propertyPlan, deals: dealsCSV(cents), assignments: quota)[0]
            var earned = Money.zero(s.currency)
            var adjustments = Money.zero(s.currency)
            for line in s.lines {
                if line.kind == .adjustment { adjustments = try adjustments.adding(line.amount) } else { earned = try earned.adding(line.amount) }
                #expect(line.amount.amount.scale <= 2)
            }
            #expect(earned == s.earned)
            #expect(adjustments == s.adjustments)
            #expect(try earned.adding(adjustments) == s.paid)
        }
    }

    @Test func marginalLinesSumToTheAggregateFormula() async {
        let plan = header + tiers.replacingOccurrences("rate 5%", "rate 4.999%")
        await propertyCheck(count: 60, input: amounts, Gen.int(in: 1...30_000_000)) { cents, quotaCents in
            let q = "\(quotaCents / 100).\(String(format2: quotaCents % 100))"
            let s = try statements(plan: plan, deals: dealsCSV(cents), assignments: assignments([("A", q)]))[0]
            // Sum of every band portion's exact amount, across deals…
            var perDeal = Ratio.zero
            for line in s.lines {
                for t in line.tiers { perDeal = try perDeal.adding(Ratio(dec(t.amount))) }
            }
            // …equals the graduated formula applied once to the period total.
            let total = Ratio(dec(s.measures[0].value))
            let qr = Ratio(dec(q))
            let bands: [(Ratio, Ratio?, Ratio)] = [
                (.zero, try Ratio(1, 2).multiplied(by: qr), Ratio(dec("0.02"))),
                (try Ratio(1, 2).multiplied(by: qr), qr, Ratio(dec("0.04999"))),
                (qr, nil, Ratio(dec("0.08"))),
            ]
            var aggregate = Ratio.zero
            for (lo, hi, rate) in bands {
                let top = hi.map { try! Ratio.compare(total, $0) < 0 ? total : $0 } ?? total
                if try Ratio.compare(top, lo) > 0 { aggregate = try aggregate.adding(try top.subtracting(lo).multiplied(by: rate)) }
            }
            #expect(perDeal == aggregate)
            // And each line is that deal's exact amount rounded once.
            for line in s.lines {
                var exact = Ratio.zero
                for t in line.tiers { exact = try exact.adding(Ratio(dec(t.amount))) }
                #expect(try exact.rounded(scale: 2, mode: .halfUp) == line.amount.amount)
            }
        }
    }

    /// With refunds (negative amounts) among the deals, the running total moves down through the bands as well as up:
    /// each deal is still paid the graduated amount between the totals before and after it.
    @Test func marginalTiersWithRefundsPayTheDifferenceOfTheGraduatedFormula() async {
        let mixed = Gen.int(in: -3_000_000...8_000_000).array(of: 1...25)
        await propertyCheck(count: 80, input: mixed, Gen.int(in: 1...30_000_000)) { cents, quotaCents in
            func text(_ c: Int) -> String { (c < 0 ? "-" : "") + "\(abs(c) / 100).\(String(format2: abs(c) % 100))" }
            var rows = "deal_id,rep_id,close_date,amount,currency,product,type\n"
            for (i, c) in cents.enumerated() { rows += "D\(i + 10),A,2026-01-\(String(format2: i + 1)),\(text(c)),USD,Gadget,new\n" }
            let q = text(quotaCents)
            let s = try statements(plan: header + tiers, deals: rows, assignments: assignments([("A", q)]))[0]
            let qr = Ratio(dec(q))
            let half = try Ratio(1, 2).multiplied(by: qr)
            let bands: [(from: Ratio, to: Ratio?, rate: Ratio)] = [(.zero, half, Ratio(dec("0.02"))), (half, qr, Ratio(dec("0.05"))), (qr, nil, Ratio(dec("0.08")))]
            let lines = s.lines.filter { $0.kind == .commission }
            #expect(lines.count == cents.count)
            var before = Ratio.zero
            for (line, c) in zip(lines, cents) {
                let after = try before.adding(Ratio(dec(text(c))))
                let exact = try graduatedPay(after, bands).subtracting(try graduatedPay(before, bands))
                #expect(try exact.rounded(scale: 2, mode: .halfUp) == line.amount.amount, "\(cents) \(q)")
                before = after
            }
        }
    }

    @Test func rowOrderNeverChangesOutput() async {
        await propertyCheck(count: 40, input: amounts, Gen.int(in: 0...1_000_000)) { cents, seed in
            let a = runEngine(plan: propertyPlan, deals: dealsCSV(cents), assignments: quota)
            let b = runEngine(plan: propertyPlan, deals: dealsCSV(cents, shuffledBy: seed), assignments: quota)
            guard case .success(let x) = a, case .success(let y) = b else {
                Issue.record("run failed")
                return
            }
            #expect(x.files().map(\.text) == y.files().map(\.text))
        }
    }

    @Test func payoutNeverFallsWhenADealGrows() async {
        let plan = header + tiers + "bonus \"B\" on bookings\n  at 100% pay 1000.00 USD\n  at 130% pay 2500.00 USD\n"
        await propertyCheck(count: 60, input: amounts, Gen.int(in: 0...24), Gen.int(in: 1...5_000_000)) { cents, index, extra in
            var grown = cents
            let i = index % cents.count
            grown[i] += extra
            let before = try statements(plan: plan, deals: dealsCSV(cents), assignments: quota)[0].paid
            let after = try statements(plan: plan, deals: dealsCSV(grown), assignments: quota)[0].paid
            #expect(after >= before, "\(before.text) → \(after.text)")
        }
    }

    @Test func aDecimalBecomesTheSameFractionWithoutAGcd() async {
        await propertyCheck(count: 300, input: Gen.int(in: -5_000_000_000...5_000_000_000), Gen.int(in: 0...18)) { c, scale in
            let d = ExactDecimal(coefficient: Int128(c), scale: scale)
            let slow = try? Ratio(d.coefficient, ExactDecimal.powerOfTen(scale))
            #expect(Ratio(d) == slow, "\(c) scale \(scale)")
        }
        for (c, scale) in [(250, 3), (-1_000_000, 6), (3, 18), (Int(Int64.max), 18), (Int(Int64.min), 18), (0, 5), (5, 1)] {
            let d = ExactDecimal(coefficient: Int128(c), scale: scale)
            let slow = try? Ratio(d.coefficient, ExactDecimal.powerOfTen(scale))
            #expect(Ratio(d) == slow, "\(c) scale \(scale)")
        }
    }

    /// Sums and products agree with the schoolbook fraction reduced by a full gcd, and a fraction's decimal (when it has
    /// one) is the one the first power of ten that its denominator divides gives.
    @Test func fractionArithmeticIsTheSchoolbookOneInLowestTerms() async throws {
        let part = Gen.int(in: -2_000_000...2_000_000)
        let denominators = Gen.int(in: 1...20_000)
        await propertyCheck(count: 400, input: part, denominators, part, denominators) { n1, d1, n2, d2 in
            let a = try Ratio(Int128(n1), Int128(d1)), b = try Ratio(Int128(n2), Int128(d2))
            let sum = try Ratio(Int128(n1) * Int128(d2) + Int128(n2) * Int128(d1), Int128(d1) * Int128(d2))
            let product = try Ratio(Int128(n1) * Int128(n2), Int128(d1) * Int128(d2))
            #expect(try a.adding(b) == sum, "\(n1)/\(d1) + \(n2)/\(d2)")
            #expect(try a.subtracting(b) == (try Ratio(Int128(n1) * Int128(d2) - Int128(n2) * Int128(d1), Int128(d1) * Int128(d2))))
            #expect(try a.multiplied(by: b) == product, "\(n1)/\(d1) × \(n2)/\(d2)")
            #expect(a.exactDecimal == Self.decimalByPowers(a), "\(n1)/\(d1)")
            // Equal denominators, the common case for amounts in cents.
            let c = try Ratio(Int128(n2), Int128(d1))
            #expect(try a.adding(c) == (try Ratio(Int128(n1) + Int128(n2), Int128(d1))))
        }
        for (n, d) in [(1, 3), (7, 1024), (-3, 625), (1, 1 << 40), (5, 2 * 3 * 5), (0, 1)] {
            let r = try? Ratio(Int128(n), Int128(d))
            #expect(r?.exactDecimal == r.flatMap(Self.decimalByPowers), "\(n)/\(d)")
        }
        #expect(try Ratio(1, 8).exactDecimal?.description == "0.125")
        #expect(try Ratio(1, 3).exactDecimal == nil)
        #expect(try Ratio(1, 4).adding(Ratio(-1, 4)) == .zero)
        #expect(try Ratio(1, 6).adding(Ratio(1, 3)) == (try Ratio(1, 2)))
    }

    static func decimalByPowers(_ r: Ratio) -> ExactDecimal? {
        for scale in 0...ExactDecimal.maxScale {
            let p = ExactDecimal.powerOfTen(scale)
            if p % r.denominator == 0 {
                guard let n = try? Ratio.checkedMultiply(r.numerator, p / r.denominator) else { return nil }
                return ExactDecimal(coefficient: n, scale: scale)
            }
        }
        return nil
    }

    @Test func dateTextIsTheYearMonthAndDayPadded() async {
        await propertyCheck(count: 300, input: Gen.int(in: 1...9999), Gen.int(in: 1...12), Gen.int(in: 1...28)) { y, m, d in
            let date = CivilDate(year: y, month: m, day: d)!
            let padded = String(repeating: "0", count: 4 - String(y).count) + "\(y)-" + String(format2: m) + "-" + String(format2: d)
            #expect(date.description == padded)
            #expect((try? CivilDate.parse(Array(date.description.utf8)).get()) == date)
        }
        #expect(CivilDate(year: 7, month: 2, day: 9)!.description == "0007-02-09")
    }

    /// Decimal text the plain way: the digits, padded with zeros and cut `scale` from the end.
    static func plainText(_ d: ExactDecimal) -> String {
        let digits = String(d.coefficient.magnitude)
        let sign = d.coefficient < 0 ? "-" : ""
        if d.scale == 0 { return sign + digits }
        let padded = String(repeating: "0", count: max(0, d.scale - digits.count + 1)) + digits
        let cut = padded.index(padded.endIndex, offsetBy: -d.scale)
        return sign + padded[..<cut] + "." + padded[cut...]
    }

    @Test func decimalTextIsTheDigitsWithThePointPlaced() async {
        await propertyCheck(count: 300, input: Gen.int(in: -5_000_000_000...5_000_000_000), Gen.int(in: 0...18)) { c, scale in
            let d = ExactDecimal(coefficient: Int128(c), scale: scale)
            #expect(d.description == Self.plainText(d), "\(c) scale \(scale)")
            #expect(d.normalized.description == d.normalizedSlowly.description, "\(c) scale \(scale)")
        }
        let big = Int128(Int64.max) * 1_000_003
        for (c, scale) in [(Int128(0), 0), (0, 2), (5, 2), (-5, 2), (100, 2), (-123_456, 3), (big, 0), (big, 30), (-big, 4), (Int128.max, 3), (Int128.min + 1, 36)] {
            let d = ExactDecimal(coefficient: c, scale: scale)
            #expect(d.description == Self.plainText(d), "\(c) scale \(scale)")
            #expect(d.normalized.description == d.normalizedSlowly.description, "\(c) scale \(scale)")
        }
        #expect(ExactDecimal(coefficient: 5, scale: 2).description == "0.05")
        #expect(ExactDecimal(coefficient: -1_234_500, scale: 2).normalized.description == "-12345")
    }
}

extension ExactDecimal {
    /// Trailing zeros stripped one Int128 division at a time.
    var normalizedSlowly: ExactDecimal {
        var c = coefficient, s = scale
        while s > 0 && c % 10 == 0 {
            c /= 10
            s -= 1
        }
        return ExactDecimal(coefficient: c, scale: s)
    }
}
