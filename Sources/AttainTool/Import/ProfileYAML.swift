// Reads an import profile's YAML into the engine's node tree: scalars kept as written, every node with its line and column.
import Attain
internal import Yams

/// The YAML side of import profiles. Yams composes the document; nothing is resolved to booleans or numbers.
enum ProfileYAML {
    /// The profile in `file`, or every error found (YAML syntax, unknown keys, bad values) with its position.
    static func read(_ file: SourceFile) -> Result<ImportProfile, Diagnostics> {
        let root: Node?
        do {
            root = try Yams.compose(yaml: file.text)
        } catch let e as YamlError {
            return .failure(Diagnostics([diagnostic(e, file)]))
        } catch {
            return .failure(Diagnostics([.error("I400", "the profile is not YAML: \(error)", at: SourceSpan(path: file.path, line: 1, column: 1, width: 1, lineText: file.lineText(1)))]))
        }
        var errors = Diagnostics()
        let tree = root.map { node($0, file, &errors) }
        if errors.hasErrors { return .failure(errors) }
        return ImportProfile.decode(tree, file: file)
    }

    static func node(_ n: Node, _ file: SourceFile, _ errors: inout Diagnostics) -> ProfileNode {
        let mark = n.mark
        let line = mark?.line ?? 1, column = mark?.column ?? 1
        switch n {
        case .scalar(let s):
            return ProfileNode(.scalar(s.string), line: line, column: column)
        case .mapping(let m):
            return ProfileNode(.mapping(m.map { ProfileNode.Entry(key: node($0.key, file, &errors), value: node($0.value, file, &errors)) }), line: line, column: column)
        case .sequence(let s):
            return ProfileNode(.sequence(s.map { node($0, file, &errors) }), line: line, column: column)
        case .alias:
            errors.append(.error("I400", "YAML aliases (`*name`) are not used in profiles; write the value out", at: span(file, line, column)))
            return ProfileNode(.scalar(""), line: line, column: column)
        }
    }

    static func span(_ file: SourceFile, _ line: Int, _ column: Int) -> SourceSpan {
        SourceSpan(path: file.path, line: line, column: column, width: 1, lineText: file.lineText(line))
    }

    static func diagnostic(_ e: YamlError, _ file: SourceFile) -> Diagnostic {
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            let notes: [Diagnostic.Note] = context.map { [.note("\($0.text) at line \($0.mark.line), column \($0.mark.column)")] } ?? []
            return .error("I400", "the profile is not valid YAML: \(problem)", at: span(file, mark.line, mark.column), notes: notes)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .error("I400", "a key appears twice in one mapping: \(duplicates.map { "`\($0)`" }.joined(separator: ", "))", at: span(file, context.mark.line, context.mark.column))
        case .reader(let problem, _, _, _):
            return .error("I400", "the profile cannot be read as text: \(problem)", at: span(file, 1, 1))
        default:
            return .error("I400", "the profile is not valid YAML: \(e)", at: span(file, 1, 1))
        }
    }
}
