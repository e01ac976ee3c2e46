// Checks a plan's `share … with team` lines: pay is shared only beside attainment (E210), and attainment only by a
// plan that has a measure (E211).

/// What a plan lets a team page show of its payees: their measures and attainment (`share attainment with team`),
/// and what they were paid (`share pay with team`). A plan without a `share` line shares nothing: its payees appear
/// on their manager's team page by name only.
public struct TeamSharing: Sendable {
    /// The `share` line that shares attainment, when the plan has one.
    public var attainment: SourceSpan? = nil
    /// The `share` line that shares pay, when the plan has one.
    public var pay: SourceSpan? = nil

    public init(attainment: SourceSpan? = nil, pay: SourceSpan? = nil) {
        self.attainment = attainment
        self.pay = pay
    }

    /// Whether team pages show the payee's measures and attainment.
    public var sharesAttainment: Bool { attainment != nil }
    /// Whether team pages show what the payee was paid (only with attainment).
    public var sharesPay: Bool { pay != nil && attainment != nil }
}

extension Checker {
    /// The plan's sharing, from its `share` lines.
    mutating func checkSharing() -> TeamSharing {
        var sharing = TeamSharing()
        for line in ast.sharing {
            for item in line.items {
                if item.value == "attainment" { sharing.attainment = span(line.start, line.end) } else { sharing.pay = span(line.start, line.end) }
            }
        }
        if let pay = sharing.pay, sharing.attainment == nil {
            error("E210", "the plan shares pay with the team but not attainment", at: pay,
                  notes: [.help("pay is shown beside the figures it was made from: write `share attainment and pay with team`")])
        }
        if let at = sharing.attainment, ast.measures.isEmpty, !ast.brokenHeaderLines.contains("measure") {
            error("E211", "the plan shares attainment with the team but has no measure", at: at,
                  notes: [.help("a team page shows each measure's value against its quota; add a `measure`, or leave the `share` line out")])
        }
        return sharing
    }
}
