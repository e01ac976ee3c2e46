// Reading plans and data folders from disk, with paths shown as the user gave them.
import Attain
import Foundation

/// How many times each file was read.
public final class ReadLog: @unchecked Sendable {
    let lock = NSLock()
    var counts: [String: Int] = [:]

    public init() {}

    func record(_ path: String) {
        lock.lock()
        counts[path, default: 0] += 1
        lock.unlock()
    }

    public func count(_ path: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return counts[path] ?? 0
    }
}

/// Reads files relative to a root folder; the paths in messages stay relative.
public struct InputReader: Sendable {
    /// The folder relative paths are resolved against.
    public let root: String
    /// When set, counts every file read (to show a comparison reads its inputs once).
    public let log: ReadLog?

    public init(root: String = FileManager.default.currentDirectoryPath, log: ReadLog? = nil) {
        self.root = root
        self.log = log
    }

    /// A path from the folder the command runs in; a ledger's postgres:// URL as it is.
    func absolute(_ path: String) -> String {
        path.hasPrefix("/") || path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") ? path : OutputWriter.joined(root, path)
    }

    /// Whether the ledger named by `--ledger` is there: its SQLite file (or .conf file) exists, or it is on a server
    /// (which is asked when it is opened).
    func ledgerExists(_ path: String) -> Bool {
        path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") || FileManager.default.fileExists(atPath: absolute(path))
    }

    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    public func bytes(_ path: String) throws -> [UInt8] {
        log?.record(path)
        if let bytes = InputReader.regularFile(absolute(path)) { return bytes }
        guard let data = FileManager.default.contents(atPath: absolute(path)) else {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: absolute(path), isDirectory: &isDir) {
                throw ReadError(description: isDir.boolValue ? "\(path) is a folder, not a file" : "cannot read \(path)")
            }
            throw ReadError(description: "no such file: \(path)")
        }
        return [UInt8](data)
    }

    /// A regular file's bytes read straight into the array, with no copy in between; nil for anything else (the caller
    /// then says what is wrong). A large file is read in pieces on all cores: most of the time goes to the kernel
    /// copying pages and to the array's fresh pages being mapped, and both go as fast again on two cores.
    static func regularFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        let pieces = size < 1 << 24 ? 1 : 8
        var complete = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            let target = Shared(buffer)
            // Each piece is read until it is whole; a piece that cannot be (an error, or the file got shorter) fails all.
            complete = Parallel.map(pieces) { c -> Bool in
                let range = Parallel.piece(c, of: pieces, over: size)
                var at = range.lowerBound
                while at < range.upperBound {
                    let n = pread(fd, target.value.baseAddress! + at, range.upperBound - at, off_t(at))
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { return false }
                    at += n
                }
                return true
            }.allSatisfy { $0 == true }
            count = complete ? size : 0
        }
        return complete ? bytes : nil
    }

    public func text(_ path: String) throws -> String {
        let b = try bytes(path)
        guard let s = String(validating: b, as: UTF8.self) else {
            throw ReadError(description: "\(path) is not UTF-8 text")
        }
        return s
    }

    public func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: absolute(path), isDirectory: &isDir) && isDir.boolValue
    }

    /// Plan files named directly, or every `*.plan` file inside a named folder, sorted. Lines that are not UTF-8 are
    /// kept for the lexer to report with their position (E007), as a CSV file's are (D208).
    public func planFiles(_ paths: [String]) throws -> [SourceFile] {
        var files: [SourceFile] = []
        for path in paths {
            if isDirectory(path) {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: absolute(path))) ?? []
                let plans = names.filter { $0.hasSuffix(".plan") }.sorted()
                if plans.isEmpty { throw ReadError(description: "no .plan files in \(path)") }
                for name in plans {
                    let p = path.hasSuffix("/") ? path + name : path + "/" + name
                    files.append(SourceFile(path: p, bytes: try bytes(p)))
                }
            } else {
                files.append(SourceFile(path: path, bytes: try bytes(path)))
            }
        }
        return files
    }

    /// `deals.csv`, `roster.csv` and `assignments.csv` from a data folder, and `fx.csv` and `hierarchy.csv` when it has them.
    /// `deals`: the deal rows to use instead of the folder's deals.csv (a shard's, from its input), with that file's path.
    /// The path a file of a data folder has in messages.
    public func dataPath(_ folder: String, _ name: String) -> String {
        folder == "." ? name : (folder.hasSuffix("/") ? folder + name : folder + "/" + name)
    }

    /// The path deals.csv of a data folder has in messages.
    public func dealsPath(_ folder: String) -> String { dataPath(folder, "deals.csv") }

    public func dataFiles(_ folder: String, deals given: InputFile? = nil) throws -> DataFiles {
        func path(_ name: String) -> String { dataPath(folder, name) }
        func file(_ name: String) throws -> InputFile { InputFile(path: path(name), bytes: try bytes(path(name))) }
        // fx.csv is optional: needed only when deals come in another currency than their plan's. hierarchy.csv is
        // optional: without it, roster.csv's manager_id holds for all time.
        func optional(_ name: String) throws -> InputFile? { FileManager.default.fileExists(atPath: absolute(path(name))) ? try file(name) : nil }
        let fx = try optional("fx.csv"), hierarchy = try optional("hierarchy.csv")
        // targets.csv is optional: plans with `quota from target` need it; seasonality.csv is read only beside it.
        let targets = try optional("targets.csv").map { TargetFiles(targets: $0, seasonality: try optional("seasonality.csv")) }
        var files = DataFiles(deals: try given ?? file("deals.csv"), roster: try file("roster.csv"), assignments: try file("assignments.csv"), fx: fx, hierarchy: hierarchy,
                              targets: targets)
        // activities.csv is optional: what plans measure that is not a deal.
        files.activities = try optional("activities.csv")
        // adjustments.csv is optional: manual adjustments a close posts.
        files.adjustments = try optional("adjustments.csv")
        // payments.csv and holds.csv are optional: what customers paid (for pay on collection), and holds by hand.
        files.payments = try optional("payments.csv")
        files.holds = try optional("holds.csv")
        // accounts.csv is optional: the chart of accounts a close's journal posts to.
        files.accounts = try optional("accounts.csv")
        return files
    }
}

/// The files of a data folder.
public struct DataFiles: Sendable {
    public let deals: InputFile
    public let roster: InputFile
    public let assignments: InputFile
    public let fx: InputFile?
    public let hierarchy: InputFile?
    public var targets: TargetFiles? = nil
    public var activities: InputFile? = nil
    public var adjustments: InputFile? = nil
    public var payments: InputFile? = nil
    public var holds: InputFile? = nil
    public var accounts: InputFile? = nil
}
