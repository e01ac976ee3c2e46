// The fast reader of activities.csv gives the same activities as the careful one, and gives up on anything unusual.
import Foundation
import Testing
@testable import Attain

@Suite struct FastActivitiesTests {
    static let reps = ["S1", "S2", "S3"].map { Rep(id: $0, name: $0, managerID: nil, hireDate: CivilDate(year: 2025, month: 1, day: 1)!, endDate: nil, line: 0) }

    /// Every field of every activity, in order, as text.
    static func described(_ t: ActivityTable?) -> [String] {
        (t?.activities ?? []).map { "\($0.line) \($0.activityID) \($0.repID) \($0.date) \($0.kind) \($0.count.text(minimumScale: 0)) \($0.extras.count)" }
            + ["by rep: " + ["S1", "S2", "S3"].map { r in t?.of(r).map(\.activityID).joined(separator: " ") ?? "" }.joined(separator: " | ")]
    }

    @Test(arguments: [
        "activity_id,rep_id,date,kind,count\nA1,S1,2026-01-05,meeting,\nA2,S2,2026-01-04,visit,2.5\nA3,S1,2026-01-05,call,0\n",
        "\u{FEFF}kind,date,rep_id,activity_id\r\nmeeting,2026-02-01,S3,X9\r\n拜访,2026-02-02,S3,X8\r\n\r\nmeeting,2026-01-31,S1,X7",
        "activity_id,rep_id,date,kind,count,outcome\nB1,S1,2026-03-01,demo,1,held\nB0,S1,2026-03-01,demo,3,no_show\n",
    ])
    func wellFormedFilesReadTheSameBothWays(_ text: String) throws {
        let file = InputFile(path: "activities.csv", bytes: Array(text.utf8))
        let fast = try #require(ActivityTable.fast(file, declared: [:], reps: Self.reps))
        let (careful, diagnostics) = ActivityTable.careful(file, declared: [:], reps: Self.reps)
        #expect(diagnostics.items.isEmpty)
        #expect(Self.described(fast) == Self.described(careful))
        #expect(fast.activities.count == careful?.activities.count)
    }

    @Test func aGeneratedFileReadsTheSameBothWays() throws {
        var text = "activity_id,rep_id,date,kind,count\n"
        var seed: UInt64 = 7
        func next(_ n: UInt64) -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return (seed >> 33) % n }
        for i in 0..<5000 {
            text += "00T8d00000C\(10000 + i),S\(next(3) + 1),2026-0\(next(3) + 1)-\(10 + next(18)),\(["meeting", "call", "visit", "demo"][Int(next(4))]),\(next(2) == 0 ? "" : String(next(5)))\n"
        }
        let file = InputFile(path: "activities.csv", bytes: Array(text.utf8))
        let fast = try #require(ActivityTable.fast(file, declared: [:], reps: Self.reps))
        #expect(Self.described(fast) == Self.described(ActivityTable.careful(file, declared: [:], reps: Self.reps).0))
        #expect(fast.activities.count == 5000)
    }

    @Test(arguments: [
        "activity_id,rep_id,date,kind\n\"A1\",S1,2026-01-05,meeting\n",        // a quote
        "activity_id,rep_id,date,kind\nA1, S1,2026-01-05,meeting\n",          // a space the careful reader trims
        "activity_id,rep_id,date,kind\nA1,S9,2026-01-05,meeting\n",           // a rep not in the roster (warning D269)
        "activity_id,rep_id,date,kind\nA1,S1,2026-01-05,meeting\nA1,S2,2026-01-06,call\n", // a repeated id (D268)
        "activity_id,rep_id,date,kind\nA1,S1,2026-1-5,meeting\n",             // a bad date (D265)
        "activity_id,rep_id,date,kind,count\nA1,S1,2026-01-05,meeting,-1\n",  // a negative count (D266)
        "activity_id,rep_id,date,kind\nA1,S1,2026-01-05\n",                   // a short row
        "activity_id,rep_id,date\nA1,S1,2026-01-05\n",                        // no kind column (D263)
        "activity_id,rep_id,date,kind,kind\nA1,S1,2026-01-05,a,b\n",          // a repeated column
        "activity_id,rep_id,date,kind\nA1,,2026-01-05,meeting\n",             // an empty rep (D264)
        "activity_id,rep_id,date,kind\nA1,S1,2026-01-05,meet\ring\n",         // a carriage return inside a cell
    ])
    func anythingUnusualGoesToTheCarefulReader(_ text: String) {
        let file = InputFile(path: "activities.csv", bytes: Array(text.utf8))
        #expect(ActivityTable.fast(file, declared: [:], reps: Self.reps) == nil)
    }

    @Test func declaredColumnsGoToTheCarefulReader() {
        let file = InputFile(path: "activities.csv", bytes: Array("activity_id,rep_id,date,kind,outcome\nA1,S1,2026-01-05,meeting,held\n".utf8))
        #expect(ActivityTable.fast(file, declared: ["outcome": .text], reps: Self.reps) == nil)
        #expect(ActivityTable.load(file, declared: ["outcome": .text], reps: Self.reps).0?.activities.first?.extras["outcome"] != nil)
    }
}
