// The Spark job is the same engine: spark/check runs `attain run` and the Spark job (local[2], CSV and Parquet
// input) on a generated company, then closes three quarters with `attain close` and through the job into two ledgers,
// and exits 0 only if every output file, stdout and ledger row are the same.
import Foundation
import Testing

@Suite struct SparkJobTests {
    @Test func theSparkJobWritesTheBytesAttainRunWrites() throws {
        let exe = try #require(attainExecutable(), "the attain executable was not built beside the tests")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [repositoryRoot + "/spark/check", exe]
        p.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
        // Output to a file: a pipe read after the end could fill and stop the check.
        let outPath = NSTemporaryDirectory() + "spark-check-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        p.standardOutput = FileHandle(forWritingAtPath: outPath)
        p.standardError = p.standardOutput
        try p.run()
        p.waitUntilExit()
        let output = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        if p.terminationStatus == 2 {
            let help = "install PySpark: python3 -m pip install pyspark==4.3.0; Java 17: apt-get install openjdk-17-jre-headless"
            Issue.record("spark/check could not run (\(help)):\n\(output)")
            return
        }
        #expect(p.terminationStatus == 0, "spark/check failed:\n\(output)")
        // Both inputs were compared, and the bad row was refused.
        #expect(output.contains("ok: Spark job (csv input)"), "\(output)")
        #expect(output.contains("ok: Spark job (parquet input)"), "\(output)")
        #expect(output.contains("ok: a bad deal row fails the job"), "\(output)")
        // The close through Spark: three quarters, dry run and commit each, the same files and ledger rows.
        for line in ["ok: 2026-Q3 --commit: exit 0", "ok: commit/: 288 files byte-identical", "ok: committing 2026-Q2 again through the job is refused",
                     "ok: attain history --inputs the same on both ledgers", "ok: ledger table statements:", "ok: ledger table lines:",
                     "ok: ledger table draw_balances:"] {
            #expect(output.contains(line), "\(line)\n\(output)")
        }
    }
}
