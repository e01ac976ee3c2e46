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

    /// Regular files under `dir`, by path relative to it.
    func filesUnder(_ dir: String) -> [String] {
        let walker = FileManager.default.enumerator(atPath: dir)!
        var out: [String] = []
        while let path = walker.nextObject() as? String {
            var folder: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + path, isDirectory: &folder), !folder.boolValue { out.append(path) }
        }
        return out.sorted()
    }

    @Test func aStreamedRunWritesExactlyTheFilesARunReturns() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: repositoryRoot)
        let whole = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: reader)
        let streamed = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: reader, streamed: true)
        #expect(whole.exitCode == 0 && streamed.exitCode == 0)
        #expect(streamed.madeFiles != nil)
        #expect(streamed.files.map(\.path) == ["2026-Q1/payroll.csv", "2026-Q1/summary.json"])
        try OutputWriter.write(streamed.files, made: streamed.madeFiles, to: dir)
        #expect(filesUnder(dir) == whole.files.map(\.path).sorted())
        for f in whole.files {
            #expect(try String(contentsOfFile: dir + "/" + f.path, encoding: .utf8) == f.text, "\(f.path)")
        }
    }

    @Test func filesAlreadyInPlaceStayWhenOthersMoveInBesideThem() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OutputWriter.write([("2026-Q1/statements/A.json", "a1\n"), ("2026-Q1/statements/B.json", "b1\n")], to: dir)
        let made = OutputWriter.MadeFiles(count: 2) { i in [(i == 0 ? "2026-Q1/statements/B.json" : "2026-Q1/statements/C.json", "new\n")] }
        try OutputWriter.write([("2026-Q1/summary.json", "{}\n")], made: made, to: dir)
        #expect(filesUnder(dir) == ["2026-Q1/statements/A.json", "2026-Q1/statements/B.json", "2026-Q1/statements/C.json", "2026-Q1/summary.json"])
        #expect(try String(contentsOfFile: dir + "/2026-Q1/statements/A.json", encoding: .utf8) == "a1\n")
        #expect(try String(contentsOfFile: dir + "/2026-Q1/statements/B.json", encoding: .utf8) == "new\n")
    }

    @Test func aFileThatCannotBeMadeLeavesTheFolderAsItWas() throws {
        struct Broken: Error {}
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = OutputWriter.MadeFiles(count: 200) { i in
            if i == 150 { throw Broken() }
            return [("2026-Q1/statements/S\(i).json", "{}\n")]
        }
        #expect(throws: (any Error).self) { try OutputWriter.write([("2026-Q1/summary.json", "{}\n")], made: made, to: dir) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }
}
