// Every currency of ISO 4217's current list is known with its minor units: the table is held to the list's file.
import Foundation
import Testing
@testable import Attain

@Suite struct CurrencyListTests {
    /// data/iso4217-list-one.csv: each code of the list with its minor units (`N.A.` for units without them).
    static func list() throws -> [(code: String, units: String)] {
        let text = try String(contentsOfFile: repositoryRoot + "/data/iso4217-list-one.csv", encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("code,") }.map { line in
            let parts = line.split(separator: ",").map(String.init)
            return (parts[0], parts[1])
        }
    }

    @Test func everyCodeOfTheListIsKnownWithItsMinorUnits() throws {
        let list = try Self.list()
        #expect(list.count == 179)
        for (code, units) in list {
            if units == "N.A." {
                #expect(Currency(code: code) == nil, "\(code) has no minor units: amounts in it cannot be rounded")
            } else {
                #expect(Currency(code: code)?.minorUnits == Int(units), "\(code)")
            }
        }
        // Nothing beyond the list but the amendment since: XCG, the Caribbean guilder.
        let listed = Set(list.map(\.code))
        #expect(Set(Currency.knownCodes).subtracting(listed) == ["XCG"])
        #expect(Currency.knownCodes.count == 167)
    }

    @Test(arguments: [("IRR", 2), ("KWD", 3), ("CLF", 4), ("JPY", 0), ("UYW", 4), ("XOF", 0), ("BHD", 3), ("ZWG", 2), ("VED", 2)])
    func theUnitsTheIssueNames(_ code: String, _ units: Int) {
        #expect(Currency(code: code)?.minorUnits == units)
    }

    @Test func amountsAreWrittenWithTheirCurrencysDigits() throws {
        func text(_ amount: String, _ code: String) throws -> String {
            Money(try ExactDecimal.parse(amount).get(), try #require(Currency(code: code))).text
        }
        #expect(try text("2500000", "IRR") == "2500000.00")
        #expect(try text("12.5", "KWD") == "12.500")
        #expect(try text("1.25", "CLF") == "1.2500")
        #expect(try text("1500", "JPY") == "1500")
        #expect(Currency(code: "HRK") == nil)   // withdrawn in 2023: Croatia pays in euros
    }

    @Test func aMisspeltCodeIsTakenForAnEverydayOneFirst() {
        #expect(Currency.help(for: "USX").map(\.message) == ["did you mean `USD`?"])   // not UGX, as close
        #expect(Currency.help(for: "IRX").map(\.message) == ["did you mean `IRR`?"])
        #expect(Currency.help(for: "ZWX").map(\.message) == ["did you mean `ZWG`?"])   // none everyday is close: all are looked at
    }
}
