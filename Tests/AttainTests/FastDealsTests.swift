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
        var offRoster: [Deal] = []
        let careful = loader.loadDeals(file, reps: reps, &d, offRoster: &offRoster)
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

    /// Split rows far apart are read in different chunks, whose texts are numbered apart: the first chunk numbers
    /// `Widget` first and the last numbers `Gadget` first, so the texts must be compared, not their numbers.
    @Test func splitRowsInDifferentChunksAreComparedByText() throws {
        let header = "deal_id,rep_id,close_date,amount,currency,product,type,split\n"
        var middle = ""
        var k = 0
        while middle.utf8.count < 1_300_000 {
            k += 1
            middle += "D\(k),\(k % 2 == 0 ? "A" : "B"),2026-01-\(10 + k % 20),\(k).50,USD,Gadget,renewal,\n"
        }
        func file(_ first: String, _ last: String) -> String { header + first + "\n" + middle + last + "\n" }
        let good = both(file("S1,A,2026-02-01,900.00,USD,Widget,new,60", "S1,B,2026-02-01,900.0,USD,Widget,new,40"))
        let fast = try #require(good.fast)
        #expect(describe(fast.0) == describe(good.careful))
        let bad = [
            file("S1,A,2026-02-01,900.00,USD,Widget,new,60", "S1,B,2026-02-01,900.00,USD,Gadget,new,40"),      // products differ
            file("S1,A,2026-02-01,900.00,USD,Widget,new,60", "S1,B,2026-02-01,900.00,USD,Widget,renewal,40"),  // types differ
            file("S1,A,2026-02-01,900.00,USD,Widget,new,60", "S1,B,2026-02-02,900.00,USD,Widget,new,40"),      // dates differ
            file("S1,A,2026-02-01,900.00,USD,Widget,new,60", "S2,B,2026-02-01,900.00,USD,Widget,new,40"),      // two ids, each partial
        ]
        for text in bad {
            let r = both(text)
            #expect(r.fast == nil)
            #expect(!r.errors.isEmpty)
        }
    }

    /// Rows of different ids whose hashes are the same are told apart, and a partial row alone with its id is caught.
    @Test func splitChecksTellIdsWithTheSameHashApart() {
        let reps = ["A", "B"].map { Rep(id: $0, name: $0, managerID: nil, hireDate: CivilDate(year: 2020, month: 1, day: 1)!, endDate: nil, line: 0) }
        func deal(_ id: String, _ rep: String, share: ExactDecimal = .one, product: String = "W", line: Int) -> Deal {
            Deal(dealID: id, repID: rep, closeDate: CivilDate(year: 2026, month: 1, day: 5)!, amount: .one, currency: Currency(code: "USD")!,
                 product: product, type: "new", share: share, status: .won, cancelDate: nil, extras: [:], line: line)
        }
        let sixty = ExactDecimal(coefficient: 6, scale: 1), forty = ExactDecimal(coefficient: 4, scale: 1)
        func agrees(_ deals: [Deal], hashes: [UInt64]) -> Bool {
            var h = hashes
            let partial = deals.filter { $0.share != .one }.count
            return DataLoader.splitsAgree(DealTable(deals, reps: reps), hashes: &h, partial: partial)
        }
        let split = [deal("X", "A", line: 2), deal("Y", "A", share: sixty, line: 3), deal("Z", "B", line: 4), deal("Y", "B", share: forty, line: 5)]
        #expect(agrees(split, hashes: [7, 7, 7, 7]))
        #expect(agrees(split, hashes: [1, 7, 2, 7]))
        // Two ids, each with a partial share, sharing a hash.
        #expect(!agrees([deal("X", "A", share: sixty, line: 2), deal("Y", "B", share: forty, line: 3)], hashes: [7, 7]))
        // A partial row alone with its hash.
        #expect(!agrees([deal("X", "A", share: sixty, line: 2), deal("Y", "B", share: forty, line: 3)], hashes: [1, 2]))
        // Rows of one id that disagree, among another id's rows with the same hash.
        #expect(!agrees(split.map { $0.dealID == "Y" && $0.repID == "B" ? deal("Y", "B", share: forty, product: "V", line: 5) : $0 }, hashes: [7, 7, 7, 7]))
        // Enough rows for many buckets and both cores: every id on two rows except a few alone.
        var many: [Deal] = []
        for k in 0..<40_000 {
            if k % 10 == 0 {
                many.append(deal("L\(k)", "A", line: many.count + 2))
            } else {
                many.append(deal("S\(k)", "A", share: sixty, line: many.count + 2))
                many.append(deal("S\(k)", "B", share: forty, line: many.count + 2))
            }
        }
        let hashes = many.map { d in Array(d.dealID.utf8).withUnsafeBufferPointer { DataLoader.idHash($0) } }
        #expect(agrees(many, hashes: hashes))
        many[12_345] = deal(many[12_345].dealID, many[12_345].repID, share: many[12_345].share, product: "V", line: many[12_345].line)
        #expect(!agrees(many, hashes: hashes))
    }

    @Test func bytesAreMarkedEightAtATimeAsOneByOne() {
        var state: UInt64 = 3
        for v in 0...255 {
            for at in 0..<8 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Other bytes random, and sometimes all the same as the one looked at.
                var bytes = (0..<8).map { UInt8(truncatingIfNeeded: state >> (8 * $0)) }
                if at % 3 == 0 { bytes = [UInt8](repeating: UInt8(v), count: 8) }
                bytes[at] = UInt8(v)
                let x = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
                for (k, b) in bytes.enumerated() {
                    let zero = ByteMask.zero(x) >> (8 * k) & 0xFF
                    let control = ByteMask.control(x) >> (8 * k) & 0xFF
                    let equal = ByteMask.equal(x, 0x5C) >> (8 * k) & 0xFF
                    let unplain = DataLoader.unplainBytes(x) >> (8 * k) & 0xFF
                    #expect(zero == (b == 0 ? 0x80 : 0), "\(bytes) byte \(k)")
                    #expect(control == (b < 0x20 ? 0x80 : 0), "\(bytes) byte \(k)")
                    #expect(equal == (b == 0x5C ? 0x80 : 0), "\(bytes) byte \(k)")
                    #expect(unplain == (b < 0x20 || b >= 0x7F || b == UInt8(ascii: "\"") ? 0x80 : 0), "\(bytes) byte \(k)")
                }
                let plain = bytes.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != 0x5C }
                #expect(JSONWriter.plainBytes(x) == plain, "\(bytes)")
            }
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
