// Writes output files safely: each goes to a temporary name first and is renamed into place when complete.
import Attain
import Foundation

public enum OutputWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes every file under `folder`. All are staged first; only when every file is staged are they renamed into place.
    /// Files are staged on all cores.
    public static func write(_ files: [(path: String, text: String)], to folder: String) throws {
        let fm = FileManager.default
        let staging = (folder as NSString).appendingPathComponent(".attain-staging-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
            try makeFolders(for: files.map(\.path), under: staging)
            // Each piece gives the first file it could not write, or "" when it wrote them all.
            let failed = Parallel.map(writers(files.count)) { c -> String in
                for f in files[Parallel.piece(c, of: writers(files.count), over: files.count)] {
                    let p = (staging as NSString).appendingPathComponent(f.path)
                    if !create(p, f.text) { return p }
                }
                return ""
            }
            if let p = failed.first(where: { $0 != "" }) ?? nil {
                throw WriteError(description: "cannot write \(p)")
            }
            try makeFolders(for: files.map(\.path), under: folder)
            for f in files {
                let from = (staging as NSString).appendingPathComponent(f.path)
                let to = (folder as NSString).appendingPathComponent(f.path)
                if rename(from, to) != 0 {
                    throw WriteError(description: "cannot move \(from) to \(to): \(String(cString: strerror(errno)))")
                }
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

    /// How many pieces the staging is cut into: one per few hundred files, so the cores share it evenly.
    static func writers(_ count: Int) -> Int { max(1, min(64, count / 256)) }

    /// Creates, once each, the folders the files go into.
    static func makeFolders(for paths: [String], under root: String) throws {
        var made = Set<String>()
        for path in paths {
            let folder = ((root as NSString).appendingPathComponent(path) as NSString).deletingLastPathComponent
            if made.insert(folder).inserted {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
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
