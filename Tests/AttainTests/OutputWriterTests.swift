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

    @Test func aStagedRunWritesExactlyTheFilesARunReturns() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: repositoryRoot)
        let whole = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: reader)
        let stage = OutputWriter.Stage(folder: dir + "/out")
        let staged = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: reader, stage: stage)
        #expect(whole.exitCode == 0 && staged.exitCode == 0)
        #expect(whole.stdout == staged.stdout && whole.stderr == staged.stderr)
        // The statements went to the stage as they were made; the outcome keeps the run's own files (the index is made
        // from every statement at the end).
        #expect(staged.files.map(\.path) == ["2026-Q1/payroll.csv", "2026-Q1/summary.json", "2026-Q1/index.html"])
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/2026-Q1"))
        try stage.commit(staged.files)
        #expect(filesUnder(dir + "/out") == whole.files.map(\.path).sorted())
        for f in whole.files {
            #expect(try String(contentsOfFile: dir + "/out/" + f.path, encoding: .utf8) == f.text, "\(f.path)")
        }
    }

    @Test func aStagedRunThatFailsLeavesNothing() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: repositoryRoot)
        // A period the sample's plans do not pay by: an error after nothing, or some, was staged.
        let stage = OutputWriter.Stage(folder: dir + "/out")
        let outcome = Commands.run(plans: ["plans"], data: "sample", period: "2026-01", set: [], reader: reader, stage: stage)
        #expect(outcome.exitCode == ExitCode.invalidInput)
        stage.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }

    @Test func aStageThatCannotWriteFailsTheRunWithAnIOError() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The output folder's place is taken by a file, so nothing can be staged in it.
        FileManager.default.createFile(atPath: dir + "/out", contents: Data("x".utf8))
        let stage = OutputWriter.Stage(folder: dir + "/out")
        let outcome = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: InputReader(root: repositoryRoot), stage: stage)
        #expect(outcome.exitCode == ExitCode.ioFailure)
        #expect(outcome.stderr.contains("cannot write into"))
        stage.discard()
        #expect(try String(contentsOfFile: dir + "/out", encoding: .utf8) == "x")
    }

    @Test func aCommitReplacesEachFolderItWritesWhole() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OutputWriter.write([("2026-Q1/statements/A.json", "a1\n"), ("2026-Q1/statements/B.json", "b1\n"), ("2025-Q4/summary.json", "{}\n")], to: dir)
        let stage = OutputWriter.Stage(folder: dir)
        try stage.write([("2026-Q1/statements/B.json", "new\n")])
        try stage.write([("2026-Q1/statements/C.json", "new\n")])
        try stage.commit([("2026-Q1/summary.json", "{}\n")])
        // 2026-Q1 shows this commit's files only (A is gone); 2025-Q4, not written, stays.
        #expect(filesUnder(dir) == ["2025-Q4/summary.json", "2026-Q1/statements/B.json", "2026-Q1/statements/C.json", "2026-Q1/summary.json"])
        #expect(try String(contentsOfFile: dir + "/2026-Q1/statements/B.json", encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["2025-Q4", "2026-Q1"])
    }

    @Test func aDiscardedStageLeavesTheFolderAsItWasAndRemovesAFolderItMade() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OutputWriter.write([("old.json", "old\n")], to: dir)
        let kept = OutputWriter.Stage(folder: dir)
        try kept.write([("old.json", "new\n"), ("2026-Q1/statements/S1.json", "{}\n")])
        kept.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["old.json"])
        #expect(try String(contentsOfFile: dir + "/old.json", encoding: .utf8) == "old\n")
        let made = OutputWriter.Stage(folder: dir + "/new")
        try made.write([("a.json", "{}\n")])
        made.discard()
        #expect(!FileManager.default.fileExists(atPath: dir + "/new"))
    }

    @Test func aStageThatFailedFailsTheRun() throws {
        struct RenderFailed: Error, CustomStringConvertible { var description: String { "libxml2 could not write a line" } }
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stage = OutputWriter.Stage(folder: dir + "/out")
        stage.fail(RenderFailed())
        let outcome = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: InputReader(root: repositoryRoot), stage: stage)
        #expect(outcome.exitCode == ExitCode.ioFailure)
        #expect(outcome.stderr.contains("libxml2 could not write a line"))
        stage.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }

    @Test func aFolderLeftByAKilledRunIsNeverCommitted() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stale = dir + "/.attain-staging-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: stale + "/2026-Q1", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: stale + "/2026-Q1/old.json", contents: Data("old\n".utf8))
        let stage = OutputWriter.Stage(folder: dir)
        try stage.commit([("2026-Q1/new.json", "new\n")])
        #expect(filesUnder(dir).filter { !$0.hasPrefix(".attain-staging") } == ["2026-Q1/new.json"])
        #expect(OutputWriter.Stage(folder: dir).root != OutputWriter.Stage(folder: dir).root)
    }

    @Test func aPlaceTakenByTheWrongKindOfEntryFailsBeforeAnythingMoves() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/b", contents: Data("a file where a folder must go\n".utf8))
        // `a` would move first (names are taken in order); the check finds `b` before anything moves.
        #expect(throws: (any Error).self) { try OutputWriter.write([("a/1.json", "{}\n"), ("b/2.json", "{}\n")], to: dir) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["b"])
    }

    @Test func discardingRemovesTheFoldersStagingMade() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stage = OutputWriter.Stage(folder: dir + "/x/y/z")
        try stage.write([("a.json", "{}\n")])
        stage.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }

    @Test func committingNothingMakesNoFolder() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OutputWriter.Stage(folder: dir + "/out").commit([])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }

    @Test func aFoldersParentIsFoundForOddPaths() {
        let cases = ["o": "", "é": "", "x/yy": "x", "./o": ".", "/": "/", "/a": "/", "a/b/": "a", "a//b": "a", "out dir/x": "out dir"]
        for (path, parent) in cases { #expect(OutputWriter.parent(of: path) == parent, "\(path)") }
    }

    @Test func aRunWritesIntoAOneCharacterFolder() throws {
        let dir = try scratchCopy(of: "brief-03-cap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for out in ["o", "x/yy"] {
            #expect(try attain(["run", "plan.plan", "--data", ".", "--period", "2026-Q1", "--out", out], in: dir).status == 0, "--out \(out)")
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(out)/2026-Q1/statements/A.json"), "--out \(out)")
        }
    }
}
