// Writes output files safely: each goes to a temporary name first and is renamed into place when complete.
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
    public final class Stage: @unchecked Sendable {
        let folder: String
        let root: String
        let lock = NSLock()
        var folders: Set<String> = []
        var started = false
        var createdFolder = false
        var firstFailure: WriteError?

        public init(folder: String) {
            self.folder = folder
            root = (folder as NSString).appendingPathComponent(".attain-staging-\(ProcessInfo.processInfo.processIdentifier)")
        }

        /// The first write that failed, if any.
        public var failure: WriteError? {
            lock.lock()
            defer { lock.unlock() }
            return firstFailure
        }

        /// Stages files; a failure is also kept (`failure`), and later writes do nothing.
        public func write(_ files: [(path: String, text: String)]) throws {
            lock.lock()
            defer { lock.unlock() }
            if let firstFailure { throw firstFailure }
            do {
                try stageLocked(files)
            } catch let e as WriteError {
                firstFailure = e
                throw e
            } catch {
                let e = WriteError(description: "cannot write into \(folder): a file is in the way or permission is denied")
                firstFailure = e
                throw e
            }
        }

        private func stageLocked(_ files: [(path: String, text: String)]) throws {
            let fm = FileManager.default
            if !started {
                createdFolder = !fm.fileExists(atPath: folder)
                try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
                started = true
            }
            for f in files {
                let p = (root as NSString).appendingPathComponent(f.path)
                let parent = (p as NSString).deletingLastPathComponent
                if folders.insert(parent).inserted {
                    try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
                }
                if !create(p, f.text) { throw WriteError(description: "cannot write \(p)") }
            }
        }

        /// Stages the last files, then moves everything staged into place.
        public func commit(_ files: [(path: String, text: String)] = []) throws {
            do {
                try write(files)
                let fm = FileManager.default
                if !started { return }
                for name in try fm.contentsOfDirectory(atPath: root).sorted() {
                    try moveIntoPlace(name, from: root, to: folder)
                }
                try? fm.removeItem(atPath: root)
            } catch let e as WriteError {
                discard()
                throw e
            } catch {
                discard()
                throw WriteError(description: "cannot write into \(folder): a file is in the way or permission is denied")
            }
        }

        /// Removes everything staged, and the output folder if staging made it.
        public func discard() {
            lock.lock()
            defer { lock.unlock() }
            guard started else { return }
            try? FileManager.default.removeItem(atPath: root)
            if createdFolder, (try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty == true {
                try? FileManager.default.removeItem(atPath: folder)
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
