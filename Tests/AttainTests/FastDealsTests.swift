// The fast deals reader gives exactly the deals the careful reader gives, and steps aside for anything unusual.
import Foundation
import Testing
@testable import Attain

@Suite struct FastDealsTests {
    func describe(_ deals: [Deal]) -> [String] {
        deals.map { d in
            "\(d.dealID)|\(d.repID)|\(d.closeDate)|\(d.amount)|\(d.amount.scale)|\(d.currency.code)|\(d.product)|\(d.type)|\(d.share)|\(d.status)|"
                + "\(d.cancelDate.map(\.description) ?? "")|\(d.extras.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.text)" })|\(d.line)"
        }
    }

    func both(_ deals: String, roster: String = oneRep, fields: [String: ValueType] = [:]) -> (fast: ([Deal], Set<String>)?, careful: [Deal], errors: [String]) {
        let file = InputFile(path: "deals.csv", bytes: Array(deals.utf8))
        var loader = DataLoader(declaredFields: fields, planNames: ["P"])
        let reps = ["A", "B"].map { Rep(id: $0, name: $0, managerID: nil, hireDate: CivilDate(year: 2020, month: 1, day: 1)!, endDate: nil, line: 2) }
        let fast = loader.fastDeals(file, reps: reps)
        loader.useFastPath = false
        var d = Diagnostics()
        let careful = loader.loadDeals(file, reps: reps, &d)
        return (fast.map { (Array($0.0), $0.1) }, Array(careful.0), d.items.map(\.code))
    }

    @Test func wellFormedFilesGiveTheSameDeals() throws {
        let files = [
            briefDeals,
            "\u{FEFF}deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date,region\r\n"
                + "X1,A,2026-01-05,100.5,USD,Widget,new,60%,won,,EMEA\r\n\r\n"
                + "X1,B,2026-01-05,100.50,USD,Widget,new,40,won,,EMEA\r\n"
                + "X2,B,2026-02-01,7.25,USD,Gadget,renewal,,cancelled,2026-03-01,APAC\r\n"
                + "X3,A,2026-03-31,1000,JPY,Gadget,new,,,,AMER",
        ]
        for (n, text) in files.enumerated() {
            let r = both(text, fields: n == 1 ? ["region": .text] : [:])
            let fast = try #require(r.fast, "file \(n) should take the fast path")
            #expect(r.errors.isEmpty)
            #expect(describe(fast.0) == describe(r.careful), "file \(n)")
        }
    }

    @Test func aLargeFileSplitAcrossCoresGivesTheSameDeals() throws {
        var text = "deal_id,rep_id,close_date,amount,currency,product,type,split\n"
        var k = 0
        while text.utf8.count < 1_300_000 {
            k += 1
            if k % 20 == 0 {
                text += "S\(k),A,2026-02-\(10 + k % 18),\(k % 9000).\(k % 100 < 10 ? "0" : "")\(k % 100),USD,Widget,new,70\n"
                text += "S\(k),B,2026-02-\(10 + k % 18),\(k % 9000).\(k % 100 < 10 ? "0" : "")\(k % 100),USD,Widget,new,30\n"
            } else {
                text += "D\(k),\(k % 2 == 0 ? "A" : "B"),2026-01-\(10 + k % 20),\(k).\(k % 10)0,USD,\(k % 3 == 0 ? "Gadget" : "Widget"),new,\n"
            }
        }
        let r = both(text)
        let fast = try #require(r.fast)
        #expect(fast.0.count == r.careful.count)
        #expect(describe(fast.0) == describe(r.careful))
    }

    @Test func unusualFilesGoToTheCarefulReader() {
        let header = "deal_id,rep_id,close_date,amount,currency,product,type,split\n"
        let unusual = [
            header + "\"D1\",A,2026-01-10,1.00,USD,W,new,\n",          // a quoted field
            header + "D1,Z,2026-01-10,1.00,USD,W,new,\n",              // a rep not in the roster
            header + "D1,A,2026-01-10,1.001,USD,W,new,\n",             // too many decimals for USD
            header + "D1,A,2026-01-10,1.00,USD,W,new,60\n",            // a share that does not total 100
            header + "D1,A,2026-01-10,1.00,USD,W,new,60\nD1,A,2026-01-10,1.00,USD,W,new,40\n",  // the same payee twice
            header + "D1,A,2026-01-10,1.00,USD,W,new\n",               // a missing field
            header + "D1 ,A,2026-01-10,1.00,USD,W,new,\n",             // a space around an id
            header + "D1,A,2026-13-10,1.00,USD,W,new,\n",              // a bad date
        ]
        for text in unusual {
            let r = both(text)
            #expect(r.fast == nil, "\(text)")
        }
    }

    /// A large file (read in several chunks) whose split rows are far apart: rows that agree pass, and each kind of
    /// disagreement sends the file to the careful reader, which reports it.
    @Test func splitRowsFarApartAreCheckedTogether() throws {
        let header = "deal_id,rep_id,close_date,amount,currency,product,type,split\n"
        var middle = ""
        var k = 0
        while middle.utf8.count < 1_300_000 {
            k += 1
            middle += "D\(k),\(k % 2 == 0 ? "A" : "B"),2026-01-\(10 + k % 20),\(k).50,USD,Widget,new,\n"
        }
        func file(_ first: String, _ last: String) -> String { header + first + "\n" + middle + last + "\n" }
        let good = both(file("S1,A,2026-02-01,900.00,USD,Widget,new,60", "S1,B,2026-02-01,900.00,USD,Widget,new,40"))
        let fast = try #require(good.fast)
        #expect(describe(fast.0) == describe(good.careful))
        let bad = [
            file("S1,A,2026-02-01,900.00,USD,Widget,new,60", "S1,B,2026-02-01,901.00,USD,Widget,new,40"),  // amounts differ
            file("S1,A,2026-02-01,900.00,USD,Widget,new,60", "S1,B,2026-02-01,900.00,USD,Widget,new,30"),  // 90% in all
            file("S1,A,2026-02-01,900.00,USD,Widget,new,", "S1,B,2026-02-01,900.00,USD,Widget,new,"),      // the same id twice, unsplit
            file("S1,A,2026-02-01,900.00,USD,Widget,new,60", "S1,A,2026-02-01,900.00,USD,Widget,new,40"),  // one payee twice
        ]
        for text in bad {
            let r = both(text)
            #expect(r.fast == nil)
            #expect(!r.errors.isEmpty)
        }
    }

    @Test func smallNumbersReadLikeTheCarefulParser() {
        let texts = ["0", "-0", "007.50", "1.", ".5", "-", "", "-.5", "1..2", "123456789012345678", "1234567890123456789",
                     "12.345678901234567", "1.2345678901234567", "99999999999999999999", "1,000", "1e5", "-12.30", "+1", " 1",
                     "48782.83", "-0.01", "5.000"]
        for text in texts {
            let bytes = Array(text.utf8)
            let fast = bytes.withUnsafeBufferPointer { DataLoader.smallDecimal($0) }
            switch ExactDecimal.parse(bytes) {
            case .success(let careful):
                if let fast {
                    #expect(fast == careful && fast.scale == careful.scale, "\(text)")
                } else {
                    #expect(careful.coefficient.magnitude >= 1_000_000_000_000_000_000 || text.utf8.count > 20, "\(text) should be read fast")
                }
            case .failure:
                #expect(fast == nil, "\(text)")
            }
        }
    }
}
