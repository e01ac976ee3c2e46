// The libFuzzer entry point: fuzzed bytes as a plan (parsed, checked, run) or as one of the input CSVs beside sample/.
// Built by fuzz/run.sh with swiftc -sanitize=fuzzer,address; not part of the package.
import Attain
import Foundation

/// What the fuzzed bytes are. `ATTAIN_FUZZ_TARGET` names one; without it (or with `all`) the first byte picks one
/// and the rest of the input is that file.
enum FuzzKind: String, CaseIterable {
    /// A plan, parsed and checked alone; compiled plans are also described (`attain explain`).
    case plan
    /// A plan, checked and run over sample/ for 2026-Q1 in place of the sample plan of the same name.
    case run
    case deals, roster, assignments, hierarchy, fx
}

/// The sample company and its plans, read once from `ATTAIN_FUZZ_ROOT` (the repository; the current folder by default).
struct FuzzSample {
    let plans: [CompiledPlan]
    let files: [String: InputFile]
    let period: Period

    static let shared = FuzzSample()

    init() {
        let root = ProcessInfo.processInfo.environment["ATTAIN_FUZZ_ROOT"] ?? FileManager.default.currentDirectoryPath
        func read(_ path: String) -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: root + "/" + path) else { fatalError("fuzz: cannot read \(root)/\(path)") }
            return [UInt8](data)
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root + "/plans")) ?? []).filter { $0.hasSuffix(".plan") }.sorted()
        let sources = names.map { SourceFile(path: "plans/" + $0, text: String(decoding: read("plans/" + $0), as: UTF8.self)) }
        let (plans, diagnostics) = Engine.compile(sources)
        guard !plans.isEmpty, !diagnostics.hasErrors else { fatalError("fuzz: the sample plans do not compile") }
        self.plans = plans
        var files: [String: InputFile] = [:]
        for name in ["deals", "roster", "assignments"] {
            files[name] = InputFile(path: "sample/\(name).csv", bytes: read("sample/\(name).csv"))
        }
        self.files = files
        guard case .success(let p) = Period.parse("2026-Q1") else { fatalError("fuzz: bad period") }
        period = p
    }
}

/// The kind fixed for this process, or nil when the first byte picks it.
let fixedKind: FuzzKind? = {
    guard let name = ProcessInfo.processInfo.environment["ATTAIN_FUZZ_TARGET"], name != "all" else { return nil }
    guard let kind = FuzzKind(rawValue: name) else { fatalError("fuzz: unknown ATTAIN_FUZZ_TARGET \(name)") }
    return kind
}()

/// Runs one input through the engine the way `attain check` / `attain run` would, rendering every diagnostic and output.
func fuzzOne(_ bytes: [UInt8]) {
    let kind: FuzzKind
    var body = bytes[...]
    if let fixedKind {
        kind = fixedKind
    } else {
        guard let first = body.popFirst() else { return }
        kind = FuzzKind.allCases[Int(first) % FuzzKind.allCases.count]
    }
    let sample = FuzzSample.shared
    switch kind {
    case .plan:
        let file = SourceFile(path: "fuzz.plan", bytes: Array(body))
        let (plans, diagnostics) = Engine.compile([file])
        sink(DiagnosticRenderer.render(diagnostics))
        for plan in plans { sink(TreePrinter.describe(plan)) }
    case .run:
        let file = SourceFile(path: "fuzz.plan", bytes: Array(body))
        let (compiled, diagnostics) = Engine.compile([file])
        sink(DiagnosticRenderer.render(diagnostics))
        guard !diagnostics.hasErrors, let plan = compiled.first else { return }
        let plans = [plan] + sample.plans.filter { $0.name != plan.name }
        run(plans: plans, files: sample.files, sample: sample)
    case .deals, .roster, .assignments, .hierarchy, .fx:
        var files = sample.files
        files[kind.rawValue] = InputFile(path: "sample/\(kind.rawValue).csv", bytes: Array(body))
        run(plans: sample.plans, files: files, sample: sample)
    }
}

/// Loads the inputs for the plans and evaluates the sample period, as `Engine.run` does.
func run(plans: [CompiledPlan], files: [String: InputFile], sample: FuzzSample) {
    let request = RunRequest(plans: [], deals: files["deals"]!, roster: files["roster"]!, assignments: files["assignments"]!,
                             fx: files["fx"], hierarchy: files["hierarchy"], period: "2026-Q1")
    let prepared: PreparedRun
    switch Engine.loadData(request, for: plans) {
    case .failure(let d):
        sink(DiagnosticRenderer.render(d, trailer: "; nothing was written"))
        return
    case .success(let loaded):
        sink(DiagnosticRenderer.render(loaded.warnings))
        prepared = Engine.assemble(plans: plans, data: loaded.data, fx: loaded.fx, dealsPath: request.deals.path, warnings: loaded.warnings)
    }
    switch Engine.evaluate(prepared, period: sample.period) {
    case .failure(let d):
        sink(DiagnosticRenderer.render(d, trailer: "; nothing was written"))
    case .success(let result):
        sink(DiagnosticRenderer.render(result.warnings))
        for (_, text) in result.files() { sink(text) }
        for s in result.statements { sink(StatementHTML.render(s)) }
        if let payroll = try? PayrollCSV.render(result.statements) { sink(payroll) }
        if let r = result.reconciliation { sink(r.text()) }
    }
}

/// With `ATTAIN_FUZZ_VERBOSE` set, every diagnostic and output goes to stderr (to see what a replayed input does).
let verbose = ProcessInfo.processInfo.environment["ATTAIN_FUZZ_VERBOSE"] != nil

/// Keeps the optimizer from dropping work whose result is only looked at.
nonisolated(unsafe) var sunk = 0
@inline(never) func sink(_ text: String) {
    sunk &+= text.utf8.count
    if verbose { FileHandle.standardError.write(Data((text.hasSuffix("\n") || text.isEmpty ? text : text + "\n").utf8)) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    fuzzOne(bytes)
    return 0
}
