// Writes output files safely: each goes into a staging folder first, and all are moved into place when complete.
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
    /// creates files: creating files in one folder from several cores only makes them wait for each other); `commit`
    /// moves them all into place, `discard` removes them. Until then the output folder shows nothing new.
    ///
    /// Each stage's folder has a name of its own (`.attain-staging-<process>-<random>`), made only if it does not exist,
    /// so a folder left by a run that was killed is never taken for this one's. Files are not synced to disk one by one:
    /// statements can be made again from the same inputs, and what must survive a power cut is the ledger.
    public final class Stage: @unchecked Sendable {
        let folder: String
        let root: String
        let lock = NSLock()
        var folders: Set<String> = []
        var started = false
        /// The folders staging had to make for the output folder itself, deepest first: removed again on discard.
        var madeFolders: [String] = []
        var firstFailure: WriteError?

        public init(folder: String) {
            self.folder = folder
            let tag = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            root = (folder as NSString).appendingPathComponent(".attain-staging-\(ProcessInfo.processInfo.processIdentifier)-\(tag)")
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
            let paths: [String]
            do {
                lock.lock()
                defer { lock.unlock() }
                if let firstFailure { throw firstFailure }
                do {
                    paths = try placesLocked(files)
                } catch let e as WriteError {
                    firstFailure = e
                    throw e
                } catch {
                    let e = WriteError(description: "cannot write into \(folder): a file is in the way or permission is denied")
                    firstFailure = e
                    throw e
                }
            }
            for (f, p) in zip(files, paths) where !create(p, f.text) {
                let e = WriteError(description: "cannot write \(p)")
                fail(e)
                throw e
            }
        }

        /// Where each file goes in the stage, with its folder made.
        private func placesLocked(_ files: [(path: String, text: String)]) throws -> [String] {
            let fm = FileManager.default
            // Nothing to write touches nothing: the output folder is made only for a file.
            if !started && !files.isEmpty {
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
                let p = (root as NSString).appendingPathComponent(f.path)
                let parent = OutputWriter.parent(of: p)
                if folders.insert(parent).inserted {
                    try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
                }
                paths.append(p)
            }
            return paths
        }

        /// Stages the last files, then moves everything staged into place. Every place is checked before anything
        /// moves, so a file where a folder must go (or the reverse) fails the commit with the output folder unchanged.
        public func commit(_ files: [(path: String, text: String)] = []) throws {
            do {
                try write(files)
                let fm = FileManager.default
                if !started { return }
                let names = try fm.contentsOfDirectory(atPath: root).sorted()
                for name in names { try moveIntoPlace(name, from: root, to: folder, checkOnly: true) }
                for name in names { try moveIntoPlace(name, from: root, to: folder, checkOnly: false) }
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
            try? FileManager.default.removeItem(atPath: root)
            for made in madeFolders {
                guard (try? FileManager.default.contentsOfDirectory(atPath: made))?.isEmpty == true else { break }
                try? FileManager.default.removeItem(atPath: made)
            }
        }
    }

    /// Moves a staged file or folder into place. A folder whose place is free moves whole; one whose place is
    /// already a folder has its entries moved one by one, so files already there and not rewritten stay. With
    /// `checkOnly`, nothing moves: a place taken by the other kind of entry (a file for a folder, or the reverse) throws.
    static func moveIntoPlace(_ relative: String, from staging: String, to folder: String, checkOnly: Bool) throws {
        let from = (staging as NSString).appendingPathComponent(relative)
        let to = (folder as NSString).appendingPathComponent(relative)
        var stagedFolder: ObjCBool = false, placeIsFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: from, isDirectory: &stagedFolder)
        let taken = FileManager.default.fileExists(atPath: to, isDirectory: &placeIsFolder)
        if taken && stagedFolder.boolValue != placeIsFolder.boolValue {
            throw WriteError(description: "cannot write \(to): a \(placeIsFolder.boolValue ? "folder" : "file") is in the way")
        }
        if stagedFolder.boolValue && taken {
            for name in try FileManager.default.contentsOfDirectory(atPath: from).sorted() {
                try moveIntoPlace((relative as NSString).appendingPathComponent(name), from: staging, to: folder, checkOnly: checkOnly)
            }
            return
        }
        if checkOnly { return }
        if rename(from, to) != 0 {
            throw WriteError(description: "cannot move \(from) to \(to): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes a new file with plain system calls; false when it cannot be created or written whole.
    static func create(_ path: String, _ text: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { return false }
        var text = text
        let whole = text.withUTF8 { bytes -> Bool in
            var done = 0
            while done < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        return close(fd) == 0 && whole
    }

    /// Checks that files can be written under `folder` (creating it), before anything irreversible is done.
    public static func probe(_ folder: String) throws {
        let fm = FileManager.default
        let probe = (folder as NSString).appendingPathComponent(".attain-probe-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(description: "cannot write into \(folder): a file is in the way or permission is denied")
        }
        guard fm.createFile(atPath: probe, contents: Data()) else {
            throw WriteError(description: "cannot write into \(folder): permission is denied")
        }
        try? fm.removeItem(atPath: probe)
    }
}

extension OutputWriter {
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
