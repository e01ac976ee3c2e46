// Output files are staged and renamed into place: a write that fails leaves the folder as it was.
import Foundation
import Testing
@testable import AttainTool

@Suite struct OutputWriterTests {
    func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "attain-writer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func writesEveryFile() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OutputWriter.write([("2026-Q1/statements/A.json", "{}\n"), ("2026-Q1/summary.json", "[]\n")], to: dir)
        #expect(try String(contentsOfFile: dir + "/2026-Q1/statements/A.json", encoding: .utf8) == "{}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["2026-Q1"])
    }

    @Test func aFailedWriteLeavesTheFolderAsItWas() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OutputWriter.write([("old.json", "old\n")], to: dir)
        // The second file cannot be staged: its name needs a folder where a file is in the way.
        let files = [("old.json", "new\n"), ("old.json/inner.json", "x\n")]
        #expect(throws: (any Error).self) { try OutputWriter.write(files, to: dir) }
        #expect(try String(contentsOfFile: dir + "/old.json", encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["old.json"])
    }
}
