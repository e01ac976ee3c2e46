// The columns plans read, checked against what an import writes: a `field` a plan declares that the import leaves out
// would stop the first run, so the import names it first, at the plan's line.

extension ImportMapping {
    /// Errors I435 for every extra column the plans declare (`field account`, `field activity.outcome`) that the written
    /// file does not have, at the plan's `field` line, with the closest column written. A file not written (no export
    /// of its kind given) is not checked. `profile` is the profile's path, for the help.
    public static func missingPlanColumns(plans: [CompiledPlan], deals: String?, activities: String?, profile: String) -> Diagnostics {
        var diagnostics = Diagnostics()
        func header(_ text: String?) -> [String]? {
            guard let text, let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first else { return nil }
            return CSVReader(path: "", bytes: Array(first.utf8)).read().0.first?.fields ?? []
        }
        let files: [(name: String, prefix: String, section: String, columns: [String]?, fields: (CompiledPlan) -> [ExtraField])] = [
            ("deals.csv", "deal", "deals", header(deals), { $0.fields }),
            ("activities.csv", "activity", "activities", header(activities), { $0.activityFields }),
        ]
        for file in files {
            guard let columns = file.columns else { continue }
            var said: Set<String> = []
            for plan in plans {
                for field in file.fields(plan) where !columns.contains(field.name) && said.insert(field.name).inserted {
                    diagnostics.append(.error("I435", "plan \"\(Diagnostics.visible(plan.name))\" reads `\(file.prefix).\(field.name)`, but the import writes no `\(field.name)` column to \(file.name)",
                                              at: field.trace,
                                              notes: Suggestion.help(for: field.name, in: columns)
                                                + [.help("name the export's column under `\(file.section).extras` in \(profile), e.g. `\(field.name): <export header>`")]))
                }
            }
        }
        return diagnostics
    }
}
