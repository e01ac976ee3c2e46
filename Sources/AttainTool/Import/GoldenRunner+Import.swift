// Golden import cases: an import through a profile, and optionally closes of the imported folder with shipped plans.
import Attain
import Foundation

extension GoldenRunner {
    /// Runs `attain import` with the case folder as the working folder. Its files are the expected `deals.csv`,
    /// `activities.csv` and `import.json`. With `close:`/`dry-run:` steps, the imported files, the case's other CSV
    /// files (roster, assignments, fx; not the exports) and the plans named by `plans:` make a folder the steps then
    /// run on, as in a close case.
    func importCase(_ dir: String, _ c: Config) throws -> CommandOutcome {
        guard !c.from.isEmpty, !c.files.isEmpty else {
            throw InputReader.ReadError(description: "\(dir)/case.conf: an import case needs `from: PROFILE` and at least one `file: EXPORT`")
        }
        let local = InputReader(root: reader.absolute(dir))
        // The plans the case closes with are also checked against the columns imported (`--plans`).
        let imported = Commands.importExports(profile: c.from, files: c.files, roster: c.roster, plans: c.planPaths, strict: c.strict, reader: local)
        var total = CommandOutcome()
        total.stdout = "$ attain import --from \(c.from) \(c.files.joined(separator: " "))\(c.roster.map { " --roster \($0)" } ?? "")"
            + (c.planPaths.isEmpty ? "" : " --plans \(c.planPaths.joined(separator: " "))") + " --out .\n" + imported.stdout
        total.stderr = imported.stderr
        total.files = imported.files
        total.exitCode = imported.exitCode
        guard !c.steps.isEmpty, imported.exitCode == ExitCode.ok else { return total }
        let fm = FileManager.default
        let work = OutputWriter.joined(NSTemporaryDirectory(), "attain-golden-import-\(UUID().uuidString)")
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: work) }
        let root = reader.absolute(dir)
        let exports = Set(c.files.map { OutputWriter.lastComponent(of: $0) })
        for name in ((try? fm.contentsOfDirectory(atPath: root)) ?? []) where name.hasSuffix(".csv") && !exports.contains(name) {
            try fm.copyItem(atPath: OutputWriter.joined(root, name), toPath: OutputWriter.joined(work, name))
        }
        for f in imported.files where f.path.hasSuffix(".csv") {
            try OutputWriter.write([(f.path, f.text)], to: work)
        }
        for plan in c.planPaths {
            try fm.copyItem(atPath: local.absolute(plan), toPath: OutputWriter.joined(work, OutputWriter.lastComponent(of: plan)))
        }
        let closed = try closeSteps(work, c)
        total.stdout += closed.stdout
        if !closed.stderr.isEmpty { total.stderr += (total.stderr.isEmpty ? "" : "\n") + closed.stderr }
        total.files += closed.files
        total.exitCode = closed.exitCode
        return total
    }
}
