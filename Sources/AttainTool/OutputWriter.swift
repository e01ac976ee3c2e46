// Writes output files safely: each goes into a staging folder first, is checked, and every folder written is then
// swapped into place whole, so an output folder shows one run's files and a failed write leaves it as it was.
import Attain
import Foundation

public enum OutputWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes every file under `folder`: all are staged first; only when every file is staged are they moved into place.
    public static func write(_ files: [(path: String, text: String)], to folder: String) throws {
        let stage = Stage(folder: folder)
        try stage.commit(files)
    }

    /// A staging folder inside the output folder. Files go into it as they are made, from any core (one at a time
    /// creates files: creating files in one folder from several cores only makes them wait for each other); `check`
    /// tells whether they can all move into place, `commit` moves them (each top-level folder replacing the one of its
    /// name whole), `discard` removes them. Until then the output folder shows nothing new.
    ///
    /// Each stage's folder has a name of its own (`.attain-staging-<process>-<random>`), made only if it does not exist,
    /// so a folder left by a run that was killed is never taken for this one's; such folders of processes no longer
    /// running are removed by the next stage in the same output folder. Files are not synced to disk one by one:
    /// statements can be made again from the same inputs, and what must survive a power cut is the ledger.
    public final class Stage: @unchecked Sendable {
        /// The output folder.
        public let folder: String
        let root: String
        let lock = NSLock()
        var folders: Set<String> = []
        var started = false
        /// The folders staging had to make for the output folder itself, deepest first: removed again on discard.
        var madeFolders: [String] = []
        var firstFailure: WriteError?
        /// The order of payees in `statements.jsonl`, and the streams open, by path in the stage.
        var payeeOrder: PayeeOrder?
        var streams: [String: LineStream] = [:]

        public init(folder: String) {
            self.folder = folder
            let tag = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            root = OutputWriter.joined(folder, "\(OutputWriter.stagePrefix)\(ProcessInfo.processInfo.processIdentifier)-\(tag)")
        }

        /// The first failure, if any.
        public var failure: WriteError? {
            lock.lock()
            defer { lock.unlock() }
            return firstFailure
        }

        /// Records that files could not be made (say, a statement could not be rendered); later writes do nothing.
        public func fail(_ error: any Error) {
            lock.lock()
            defer { lock.unlock() }
            if firstFailure == nil { firstFailure = error as? WriteError ?? WriteError(description: "\(error)") }
        }

        /// Stages files; a failure is also kept (`failure`), and later writes do nothing. Folders are made under the
        /// stage's lock; the files themselves are written outside it, so writers on several cores do not wait for each
        /// other's writes.
        public func write(_ files: [(path: String, text: String)]) throws {
            try write(contents: files.map { ($0.path, .text($0.text)) })
        }

        /// Stages files whose bytes are made already (a statement's JSON or XML), written as they are.
        public func write(contents files: [(path: String, contents: Contents)]) throws {
            let paths = try places(files.map(\.path))
            for (f, p) in zip(files, paths) where !create(p, f.contents) {
                let e = WriteError(description: "cannot write \(p)")
                fail(e)
                throw e
            }
        }

        /// Where each file goes in the stage, with its folder made; a failure is kept.
        private func places(_ files: [String]) throws -> [String] {
            lock.lock()
            defer { lock.unlock() }
            if let firstFailure { throw firstFailure }
            do {
                return try placesLocked(files)
            } catch let e as WriteError {
                firstFailure = e
                throw e
            } catch {
                let e = WriteError(description: "cannot write into \(folder): a file is in the way or permission is denied")
                firstFailure = e
                throw e
            }
        }

        /// The order `statements.jsonl` lists payees in, for streams opened from now on.
        public func expect(_ order: PayeeOrder) {
            lock.lock()
            defer { lock.unlock() }
            payeeOrder = order
        }

        /// The stream of statement lines at `path` (`PERIOD/statements.jsonl`), opened in the stage on first use.
        /// Needs the payees' order first (`expect`).
        public func lines(at path: String) throws -> LineStream {
            lock.lock()
            if let existing = streams[path] {
                lock.unlock()
                return existing
            }
            lock.unlock()
            let place = try places([path])[0]
            lock.lock()
            defer { lock.unlock() }
            if let existing = streams[path] { return existing }
            guard let payeeOrder else {
                let e = WriteError(description: "cannot write \(path): the payees' order is not known")
                firstFailure = firstFailure ?? e
                throw e
            }
            let fd = open(place, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 {
                let e = WriteError(description: "cannot write \(place)")
                firstFailure = firstFailure ?? e
                throw e
            }
            let stream = LineStream(fd: fd, path: place, order: payeeOrder)
            streams[path] = stream
            return stream
        }

        /// Writes what every stream still holds and closes it; the first failure is kept and thrown.
        func finishStreams() throws {
            lock.lock()
            let open = streams.keys.sorted().map { streams[$0]! }
            lock.unlock()
            for stream in open {
                do { try stream.finish() } catch {
                    fail(error)
                    throw error
                }
            }
        }

        /// Where each file goes in the stage, with its folder made.
        private func placesLocked(_ files: [String]) throws -> [String] {
            let fm = FileManager.default
            // Nothing to write touches nothing: the output folder is made only for a file.
            if !started && !files.isEmpty {
                if OutputWriter.isRoot(folder) {
                    throw WriteError(description: "cannot write into \(folder): the root folder is not an output folder; choose a folder for the outputs")
                }
                if let long = OutputWriter.overlongName(in: folder) {
                    throw WriteError(description: "cannot write into \(folder): \(long)")
                }
                OutputWriter.removeStale(in: folder)
                var missing = folder
                while !missing.isEmpty, missing != "/", !fm.fileExists(atPath: missing) {
                    madeFolders.append(missing)
                    missing = OutputWriter.parent(of: missing)
                }
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
                // Not "with intermediate folders": making the stage's own folder fails if it is already there.
                try fm.createDirectory(atPath: root, withIntermediateDirectories: false)
                started = true
                folders.insert(root)
            }
            var paths: [String] = []
            for f in files {
                if let long = OutputWriter.overlongName(in: f) {
                    throw WriteError(description: "cannot write \(OutputWriter.joined(folder, f)): \(long)")
                }
                let p = OutputWriter.joined(root, f)
                let parent = OutputWriter.parent(of: p)
                if folders.insert(parent).inserted {
                    try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
                }
                paths.append(p)
            }
            return paths
        }

        /// Checks that everything staged can move into place, before anything does: each top-level entry staged (a
        /// period's folder, `compare/`) replaces the entry of its name in the output folder whole, so that entry must be
        /// of the same kind (a folder for a folder, a file for a file) and removable (every folder in it writable).
        /// Throws, with nothing changed, when one is not. Run before anything irreversible (a ledger post) is done.
        public func check() throws {
            lock.lock()
            defer { lock.unlock() }
            if let firstFailure { throw firstFailure }
            guard started else { return }
            let fm = FileManager.default
            if access(folder, W_OK | X_OK) != 0 {
                throw WriteError(description: "cannot write into \(folder): permission is denied")
            }
            let names: [String]
            do { names = try fm.contentsOfDirectory(atPath: root).sorted() } catch {
                throw WriteError(description: "cannot read the staged files in \(root)")
            }
            for name in names {
                let to = OutputWriter.joined(folder, name)
                guard let placeIsFolder = OutputWriter.isFolder(to) else { continue }
                if OutputWriter.isFolder(OutputWriter.joined(root, name)) != placeIsFolder {
                    throw WriteError(description: "cannot write \(to): a \(placeIsFolder ? "folder" : "file") is in the way")
                }
                if placeIsFolder, let locked = OutputWriter.firstUnremovable(in: to) {
                    throw WriteError(description: "cannot replace \(to): \(locked) is read-only")
                }
            }
        }

        /// Stages the last files, checks every place (`check`), then moves everything staged into place: each
        /// top-level entry staged replaces the one of its name whole, so a period's folder shows this run's files
        /// only. The old entries are first renamed aside, then the new ones renamed in, then the old ones removed; a
        /// rename that fails puts back what was moved.
        public func commit(_ files: [(path: String, text: String)] = []) throws {
            do {
                try finishStreams()
                try write(files)
                if !started { return }
                try check()
                let fm = FileManager.default
                let names = try fm.contentsOfDirectory(atPath: root).sorted()
                var aside: [(place: String, old: String)] = []
                var movedIn: [String] = []
                do {
                    for (i, name) in names.enumerated() {
                        let place = OutputWriter.joined(folder, name)
                        if OutputWriter.isFolder(place) != nil {
                            let old = "\(root)-old-\(i)"
                            if rename(place, old) != 0 { throw WriteError(description: "cannot move \(place) aside: \(String(cString: strerror(errno)))") }
                            aside.append((place, old))
                        }
                    }
                    for name in names {
                        let from = OutputWriter.joined(root, name), to = OutputWriter.joined(folder, name)
                        if rename(from, to) != 0 { throw WriteError(description: "cannot move \(from) to \(to): \(String(cString: strerror(errno)))") }
                        movedIn.append(name)
                    }
                } catch {
                    // Back to how it was: the new entries back into the stage, the old ones into their places.
                    for name in movedIn { _ = rename(OutputWriter.joined(folder, name), OutputWriter.joined(root, name)) }
                    for a in aside { _ = rename(a.old, a.place) }
                    throw error
                }
                for a in aside { try? fm.removeItem(atPath: a.old) }
                try? fm.removeItem(atPath: root)
            } catch let e as WriteError {
                discard()
                throw e
            } catch {
                discard()
                throw WriteError(description: "cannot write into \(folder): a file is in the way or permission is denied")
            }
        }

        /// Removes everything staged, and the folders staging made for the output folder when they are empty.
        public func discard() {
            lock.lock()
            defer { lock.unlock() }
            guard started else { return }
            for stream in streams.values { stream.close() }
            try? FileManager.default.removeItem(atPath: root)
            for made in madeFolders {
                guard (try? FileManager.default.contentsOfDirectory(atPath: made))?.isEmpty == true else { break }
                try? FileManager.default.removeItem(atPath: made)
            }
        }
    }

    /// The longest name a file or folder can have, in bytes.
    static let nameLimit = 255

    /// Why a path cannot be made when one of its names is longer than the file system allows, or nil.
    static func overlongName(in path: String) -> String? {
        guard let long = path.split(separator: "/").first(where: { $0.utf8.count > nameLimit }) else { return nil }
        return "the name `\(long.prefix(24))…` is \(long.utf8.count) bytes long, and names are at most \(nameLimit) bytes"
    }

    /// Whether the entry at `path` is a folder (a link is not followed: it is a file here), or nil when there is none.
    static func isFolder(_ path: String) -> Bool? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The first folder under `path` (itself included) whose entries cannot be removed (not writable), if any.
    static func firstUnremovable(in path: String) -> String? {
        if access(path, W_OK | X_OK) != 0 { return path }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return path }
        for name in names.sorted() {
            let p = joined(path, name)
            if isFolder(p) == true, let locked = firstUnremovable(in: p) { return locked }
        }
        return nil
    }

    /// The prefix of every stage folder's name (and of the old entries a commit moves aside).
    static let stagePrefix = ".attain-staging-"

    /// Removes stage folders left in `folder` by processes that are no longer running (killed while writing).
    static func removeStale(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let own = ProcessInfo.processInfo.processIdentifier
        for name in names where name.hasPrefix(stagePrefix) {
            guard let pid = Int32(name.dropFirst(stagePrefix.count).prefix { $0 != "-" }), pid > 0, pid != own else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(atPath: joined(folder, name)) }
        }
    }

    /// What a file holds: text, or bytes made already (a statement's JSON in its writer's memory, or XML).
    public enum Contents: @unchecked Sendable {
        case text(String)
        case json(JSONWriter.Buffer)
        case bytes([UInt8])

        /// The contents as text (UTF-8).
        var text: String {
            if case .text(let s) = self { return s }
            return withBytes { String(decoding: $0, as: UTF8.self) }
        }

        func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            switch self {
            case .text(var s): return s.withUTF8(body)
            case .json(let b): return b.withBytes(body)
            case .bytes(let a): return a.withUnsafeBufferPointer(body)
            }
        }
    }

    /// Writes a new file with plain system calls; false when it cannot be created or written whole.
    static func create(_ path: String, _ contents: Contents) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { return false }
        let whole = contents.withBytes { writeAll(fd, $0) }
        return close(fd) == 0 && whole
    }

    static func create(_ path: String, _ text: String) -> Bool {
        create(path, .text(text))
    }

    /// Writes all of `bytes` at the file's offset; false when a write fails.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }
}

extension OutputWriter {
    /// `a` and `b` joined with one slash: `a/b`; `b` alone when `a` is empty or `b` is absolute, `a` when `b` is empty.
    public static func joined(_ a: String, _ b: String) -> String {
        if a.isEmpty || b.hasPrefix("/") { return b }
        if b.isEmpty { return a }
        return a.hasSuffix("/") ? a + b : a + "/" + b
    }

    /// The last part of a path: `x/yy` → `yy`, `a/b/` → `b`, `o` → `o`, `/` → `/`.
    public static func lastComponent(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard p != "/", let slash = p.lastIndex(of: "/") else { return String(p) }
        return String(p[p.index(after: slash)...])
    }

    /// Whether a path names the root folder (`/`, `//`, `/./`, `/..`).
    static func isRoot(_ path: String) -> Bool {
        path.hasPrefix("/") && path.split(separator: "/").allSatisfy { $0 == "." || $0 == ".." }
    }

    /// The folder a path is in: `x/yy` → `x`, `o` → `` (the working folder), `/a` → `/`, `a/b/` → `a`. Written out here:
    /// `NSString.deletingLastPathComponent` traps on some relative paths (a one-character name) in this Foundation.
    public static func parent(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        if slash == p.startIndex { return "/" }
        var head = p[..<slash]
        while head.count > 1, head.hasSuffix("/") { head = head.dropLast() }
        return String(head)
    }
}

/// The payees of a run in the order their statements come in the run's result (the roster's, by id), and which of
/// them get a statement: a rep with an assignment in the period while employed. `statements.jsonl` follows it.
public struct PayeeOrder: Sendable {
    /// Each payee's place in the order, by id.
    let place: [String: Int]
    /// By place: whether that payee is expected to get a statement. One that does not is passed over.
    let expected: [Bool]

    public init(ids: [String], expected: [Bool]) {
        var place: [String: Int] = [:]
        place.reserveCapacity(ids.count)
        for (i, id) in ids.enumerated() { place[id] = i }
        self.place = place
        self.expected = expected
    }

    /// The reps of a prepared run, each expected when one of its assignments falls in the period while it is employed.
    public init(_ prepared: PreparedRun, period: Period) {
        let reps = prepared.data.reps
        var byRep: [String: [Assignment]] = [:]
        for a in prepared.data.assignments where a.start <= period.end && (a.end ?? period.end) >= period.start {
            byRep[a.repID, default: []].append(a)
        }
        self.init(ids: reps.map(\.id), expected: reps.map { rep in
            (byRep[rep.id] ?? []).contains { Evaluator.activeWindow(rep: rep, assignment: $0, period: period) != nil }
        })
    }
}

/// A JSON Lines file written as statements are made, from any core and in any order, with the lines in payee order:
/// a line that comes before its turn waits in memory until every payee before it is written or passed over, so what
/// waits is what the cores have made ahead of the slowest one. When that passes `waitLimit` bytes, a core with a line
/// ahead of its turn is held back until the lines before it come (the core making the next line is never held), so
/// memory stays bounded however unevenly the cores go; if they do not come within `patience` seconds, cores are no
/// longer held back. Everything still waiting is written, in order, when the stream is finished.
public final class LineStream: @unchecked Sendable {
    let fd: Int32
    let path: String
    let order: PayeeOrder
    let lock = NSCondition()
    /// The bytes that may wait before a core with a line ahead of its turn is held back.
    var waitLimit = 64 << 20
    /// How long a core is held back at most; after one such wait runs out, none is held back again.
    var patience: Double = 2
    var patient = true
    /// Lines that came before their turn, by place.
    var waiting: [Int: JSONWriter.Buffer] = [:]
    /// The first place not yet written or passed over.
    var next = 0
    /// The bytes waiting now, and the most that ever waited (for the tests of the bound).
    var waitingBytes = 0
    var mostWaiting = 0
    var failure: OutputWriter.WriteError?
    var closed = false

    init(fd: Int32, path: String, order: PayeeOrder) {
        self.fd = fd
        self.path = path
        self.order = order
    }

    /// Adds the line of one payee's statement (compact JSON ending in a newline).
    public func add(payee id: String, _ line: JSONWriter.Buffer) throws {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        guard let place = order.place[id], place >= next, waiting[place] == nil else {
            throw failed("cannot write \(path): the statement of `\(id)` came out of the payees' order")
        }
        // Held back while too much waits and this line is not the next to go (an expected payee's place stays ahead
        // of `next` until its line comes).
        if patient && order.expected[place] {
            let deadline = Date(timeIntervalSinceNow: patience)
            while place != next && waitingBytes + line.byteCount > waitLimit && failure == nil && !closed {
                if !lock.wait(until: deadline) {
                    patient = false
                    break
                }
            }
            if let failure { throw failure }
        }
        if closed { throw failed("cannot write \(path): the stream was closed") }
        waiting[place] = line
        waitingBytes += line.byteCount
        mostWaiting = max(mostWaiting, waitingBytes)
        let before = next
        while next < order.expected.count {
            if let ready = waiting.removeValue(forKey: next) {
                waitingBytes -= ready.byteCount
                try put(ready)
            } else if order.expected[next] {
                break
            }
            next += 1
        }
        if next != before { lock.broadcast() }
    }

    /// Writes every line still waiting, in order, and closes the file.
    func finish() throws {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        if closed { return }
        for place in waiting.keys.sorted() { try put(waiting[place]!) }
        waiting = [:]
        waitingBytes = 0
        closed = true
        lock.broadcast()
        if Foundation.close(fd) != 0 { throw failed("cannot write \(path)") }
    }

    /// Closes the file without writing what waits (the stage is being discarded).
    func close() {
        lock.lock()
        defer { lock.unlock() }
        if !closed { _ = Foundation.close(fd) }
        closed = true
        waiting = [:]
        lock.broadcast()
    }

    private func put(_ line: JSONWriter.Buffer) throws {
        if !line.withBytes({ OutputWriter.writeAll(fd, $0) }) { throw failed("cannot write \(path)") }
    }

    private func failed(_ message: String) -> OutputWriter.WriteError {
        let e = OutputWriter.WriteError(description: message)
        failure = failure ?? e
        lock.broadcast()
        return e
    }
}
