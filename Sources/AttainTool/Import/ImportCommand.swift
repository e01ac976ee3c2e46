// `attain import`: CRM exports through a profile into a data folder's deals.csv and activities.csv, with a report.
import Attain
import Foundation
internal import Crypto

extension Commands {
    /// `attain import --from PROFILE FILE… --out DIR [--roster roster.csv] [--strict]`. Writes `deals.csv` (when a deal
    /// export is given), `activities.csv` (when an activity export is) and `import.json`; on any error nothing, exit 1.
    /// stderr ends with the import table: where every row read went. With `plans`, every extra column they declare
    /// (`field …`) must be among the columns written (I435, at the plan's line).
    public static func importExports(profile: String, files: [String], roster: String?, plans: [String] = [], strict: Bool,
                                     reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        if files.isEmpty { return usage("name at least one export file to import") }
        let parsed: ImportProfile
        let exports: [InputFile]
        var rosterFile: InputFile?
        var compiled: [CompiledPlan] = []
        do {
            if !plans.isEmpty {
                let (c, d) = Engine.compile(try reader.planFiles(plans))
                if d.hasErrors {
                    outcome.stderr = DiagnosticRenderer.render(d, trailer: "; nothing was written")
                    outcome.exitCode = ExitCode.invalidInput
                    return outcome
                }
                compiled = c
            }
            let text = SourceFile(path: profile, bytes: try reader.bytes(profile))
            switch ProfileYAML.read(text) {
            case .success(let p): parsed = p
            case .failure(let d):
                outcome.stderr = DiagnosticRenderer.render(d, trailer: "; nothing was written")
                outcome.exitCode = ExitCode.invalidInput
                return outcome
            }
            exports = try files.map { InputFile(path: $0, bytes: try reader.bytes($0)) }
            if let roster { rosterFile = InputFile(path: roster, bytes: try reader.bytes(roster)) }
        } catch {
            outcome.stderr = "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        let result = ImportMapping.run(profile: parsed, exports: exports, roster: rosterFile, strict: strict, hash: sha256Hex)
        var diagnostics = result.diagnostics
        if !compiled.isEmpty {
            diagnostics.append(contentsOf: ImportMapping.missingPlanColumns(plans: compiled, deals: result.deals, activities: result.activities, profile: profile))
        }
        if !diagnostics.items.isEmpty {
            outcome.stderr = DiagnosticRenderer.render(diagnostics, trailer: "; nothing was written")
            if !outcome.stderr.hasSuffix("\n") { outcome.stderr += "\n" }
            outcome.stderr += "\n"
        }
        outcome.stderr += result.report.text()
        if diagnostics.hasErrors {
            outcome.exitCode = ExitCode.invalidInput
            return outcome
        }
        if let d = result.deals { outcome.files.append(("deals.csv", d)) }
        if let a = result.activities { outcome.files.append(("activities.csv", a)) }
        outcome.files.append(("import.json", result.report.json()))
        return outcome
    }

    /// The hex SHA-256 of a text's UTF-8: derived deal ids.
    @Sendable static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let h = String(byte, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined()
    }
}
