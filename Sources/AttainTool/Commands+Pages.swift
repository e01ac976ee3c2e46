// The pages of a period as a whole, written by `attain run` and `attain close` when `html` is among the formats: the
// index of every statement, and a team page per manager whose reports' plans share attainment.
import Attain

extension Commands {
    /// `PERIOD/index.html` and `PERIOD/team/<manager>.html`, from the run's statements (kept, with their measures and
    /// totals, after their lines were collapsed) and the manager tree of the period (`tree`, nil when the inputs were
    /// never read). Nothing when `html` is not among the formats.
    static func pageFiles(_ result: RunResult, formats: [OutputFormat], pages: PageContext, data: DataSet?) -> [(path: String, text: String)] {
        guard formats.contains(.html) else { return [] }
        let tree = data.map { TeamTree(data: $0, period: result.period) } ?? TeamTree(reports: [:])
        let teams = TeamPage.files(result, tree: tree, context: pages)
        let index = IndexPage.render(result.statements, period: result.period, context: pages, teams: Set(teams.map(\.manager)))
        return [("\(result.period.label)/index.html", index)] + teams.map { ($0.path, $0.text) }
    }
}
