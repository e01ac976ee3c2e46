// Every golden case under golden/ must reproduce its expected files exactly; no golden file may be orphaned.
import Foundation
import Testing
@testable import AttainTool

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let golden = GoldenRunner(reader: InputReader(root: repositoryRoot))

@Suite struct GoldenTests {
    @Test(arguments: golden.cases(in: ["golden"]))
    func goldenCase(_ path: String) {
        let result = golden.check(path)
        #expect(result.passed, "\(path)\n\(result.detail)")
    }

    @Test func briefCasesExist() {
        let names = Set(golden.cases(in: ["golden"]).map { ($0 as NSString).lastPathComponent })
        for name in ["brief-01-marginal-tiers", "brief-02-retroactive-tiers", "brief-03-cap", "brief-04-gate", "brief-05-bonus",
                     "brief-06-spif", "brief-07-split", "brief-08-rounding", "brief-09-draw", "brief-10-ytd", "brief-11-clawback",
                     "brief-12-proration", "brief-13-fx", "brief-14-override", "brief-exact-attainment"] {
            #expect(names.contains(name), "missing golden/\(name)")
        }
    }

    @Test func noFolderUnderGoldenIsOrphaned() throws {
        let base = repositoryRoot + "/golden"
        let cases = Set(golden.cases(in: ["golden"]).map { repositoryRoot + "/" + $0 })
        for entry in try FileManager.default.contentsOfDirectory(atPath: base) {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: base + "/" + entry, isDirectory: &isDir)
            #expect(isDir.boolValue && cases.contains(base + "/" + entry), "golden/\(entry) is not a case (no case.conf)")
        }
    }

    @Test func runnerReportsADiffWhenOutputChanges() {
        let d = GoldenRunner.diff(expected: "a\nb\nc\n", actual: "a\nB\nc\n")
        #expect(d.contains("- b"))
        #expect(d.contains("+ B"))
    }
}
