// `attain targets`: prints each rep's targets of a year broken down to quarters and months, and writes the breakdown
// as a CSV that reads back as targets.csv.
import Attain
import Foundation

extension Commands {
    /// `attain targets --data DIR --year 2026 [--out FILE] [--share-from DEALS.csv] [--strict]`. The outcome's file,
    /// when `out` is given, is the CSV at `out`'s last path component (the caller writes it into `out`'s folder).
    /// `fiscalYearStarts` (`2026-04-01`, as a plan's `fiscal year starts` line) makes the years fiscal: `--year FY2027`.
    public static func targets(data: String, year: String, out: String?, shareFrom: String?, fiscalYearStarts: String? = nil, strict: Bool = false,
                               reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        var calendar = PeriodCalendar.gregorian
        if let text = fiscalYearStarts {
            guard case .success(let day) = CivilDate.parse(Array(text.utf8)), day.day == 1 else {
                return usage("`--fiscal-year-starts` is `\(text)`: expected the first day of a month, such as 2026-04-01")
            }
            calendar = PeriodCalendar(fiscalStartMonth: day.month)
        }
        if fiscalYearStarts == nil, year.hasPrefix("FY") {
            return usage("`--year` is `\(year)`: a fiscal year needs --fiscal-year-starts, the first day of the plans' fiscal year (e.g. 2026-04-01)")
        }
        if TargetYear.period(of: year, in: calendar) == nil { return usage("`--year` is `\(year)`: \(TargetYear.expected(year, in: calendar))") }
        var request: TargetsRequest
        do {
            func path(_ name: String) -> String { data == "." ? name : (data.hasSuffix("/") ? data + name : data + "/" + name) }
            func file(_ name: String) throws -> InputFile { InputFile(path: path(name), bytes: try reader.bytes(path(name))) }
            func optional(_ name: String) throws -> InputFile? { FileManager.default.fileExists(atPath: reader.absolute(path(name))) ? try file(name) : nil }
            guard let t = try optional("targets.csv") else {
                outcome.stderr = "error: \(path("targets.csv")): no such file; `attain targets` breaks down the targets it holds\n"
                outcome.exitCode = ExitCode.ioFailure
                return outcome
            }
            let targets = TargetFiles(targets: t, seasonality: try optional("seasonality.csv"))
            let roster = try file("roster.csv"), hierarchy = try optional("hierarchy.csv")
            let share = try shareFrom.map { InputFile(path: $0, bytes: try reader.bytes($0)) }
            request = TargetsRequest(targets: targets, roster: roster, hierarchy: hierarchy, year: year, shareFrom: share)
            request.calendar = calendar
        } catch {
            outcome.stderr = "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        switch TargetsReport.make(request) {
        case .failure(let d):
            outcome.stderr = DiagnosticRenderer.render(d, trailer: "; nothing was written")
            outcome.exitCode = ExitCode.invalidInput
        case .success(let report):
            if refuse(report.warnings, reconciliation: nil, strict: strict, into: &outcome) { return outcome }
            outcome.stdout = report.text
            if let out {
                outcome.files = [(OutputWriter.lastComponent(of: out), report.csv)]
                outcome.stdout += "\nwrote \(out)\n"
            }
        }
        return outcome
    }
}
