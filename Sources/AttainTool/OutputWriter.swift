// Writes output files safely: each goes to a temporary name first and is renamed into place when complete.
import Attain
import Foundation

public enum OutputWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes every file under `folder`. All are staged first; only when every file is staged are they renamed into place.
    public static func write(_ files: [(path: String, text: String)], to folder: String) throws {
        let fm = FileManager.default
        let staging = (folder as NSString).appendingPathComponent(".attain-staging-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for f in files {
                let p = (staging as NSString).appendingPathComponent(f.path)
                try fm.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard fm.createFile(atPath: p, contents: Data(f.text.utf8)) else {
                    throw WriteError(description: "cannot write \(p)")
                }
            }
            for f in files {
                let from = (staging as NSString).appendingPathComponent(f.path)
                let to = (folder as NSString).appendingPathComponent(f.path)
                try fm.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
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
