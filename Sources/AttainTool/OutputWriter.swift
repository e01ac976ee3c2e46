// Writes output files safely: each goes to a temporary name first and is renamed into place when complete.
import Attain
import Foundation

public enum OutputWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Files made while they are written: group `i` of `count` is `make(i)` (say, one statement's files), so the
    /// whole set is never held at once.
    public struct MadeFiles: Sendable {
        public let count: Int
        public let make: @Sendable (Int) throws -> [(path: String, text: String)]

        public init(count: Int, make: @escaping @Sendable (Int) throws -> [(path: String, text: String)]) {
            self.count = count
            self.make = make
        }

        /// Every group's files, made on all cores, in group order.
        public func all() throws -> [(path: String, text: String)] {
            Array(try Parallel.each(Array(0..<count), make).joined())
        }
    }

    /// Writes every file under `folder`: `files`, and those `made` makes. All are staged first; only when every
    /// file is staged are they moved into place.
    ///
    /// Made files are made on all cores; one core at a time creates files, because creating files in one folder
    /// from several cores only makes them wait for each other.
    public static func write(_ files: [(path: String, text: String)], made: MadeFiles? = nil, to folder: String) throws {
        let fm = FileManager.default
        let staging = (folder as NSString).appendingPathComponent(".attain-staging-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
            let stage = Stage(root: staging)
            try stage.write(files)
            if let made {
                let pieces = made.count < 64 ? 1 : min(64, made.count / 16)
                let outcomes = Parallel.map(pieces) { c in
                    Result { for i in Parallel.piece(c, of: pieces, over: made.count) { try stage.write(try made.make(i)) } }
                }
                for outcome in outcomes { try outcome!.get() }
            }
            for name in try fm.contentsOfDirectory(atPath: staging).sorted() {
                try moveIntoPlace(name, from: staging, to: folder)
            }
            try? fm.removeItem(atPath: staging)
        } catch let e as WriteError {
            try? fm.removeItem(atPath: staging)
            throw e
        } catch {
            try? fm.removeItem(atPath: staging)
            throw WriteError(description: "cannot write into \(folder): a file is in the way or permission is denied")
        }
    }

    /// The staging folder: files are created in it one at a time, each folder once.
    final class Stage: @unchecked Sendable {
        let root: String
        let lock = NSLock()
        var folders: Set<String> = []

        init(root: String) {
            self.root = root
        }

        func write(_ files: [(path: String, text: String)]) throws {
            lock.lock()
            defer { lock.unlock() }
            for f in files {
                let p = (root as NSString).appendingPathComponent(f.path)
                let folder = (p as NSString).deletingLastPathComponent
                if folders.insert(folder).inserted {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
                if !create(p, f.text) { throw WriteError(description: "cannot write \(p)") }
            }
        }
    }

    /// Moves a staged file or folder into place. A folder whose place is free moves whole; one whose place is
    /// already a folder has its entries moved one by one, so files already there and not rewritten stay.
    static func moveIntoPlace(_ relative: String, from staging: String, to folder: String) throws {
        let from = (staging as NSString).appendingPathComponent(relative)
        let to = (folder as NSString).appendingPathComponent(relative)
        var stagedFolder: ObjCBool = false, placeIsFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: from, isDirectory: &stagedFolder)
        if stagedFolder.boolValue, FileManager.default.fileExists(atPath: to, isDirectory: &placeIsFolder), placeIsFolder.boolValue {
            for name in try FileManager.default.contentsOfDirectory(atPath: from).sorted() {
                try moveIntoPlace((relative as NSString).appendingPathComponent(name), from: staging, to: folder)
            }
            return
        }
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
