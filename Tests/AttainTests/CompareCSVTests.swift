// compare's CSV files give percents as plain numbers, the unit in the header, so a spreadsheet reads them as numbers.
import Testing
@testable import Attain

@Suite struct CompareCSVTests {
    @Test func percentColumnsArePlainNumbersWithTheUnitInTheHeader() {
        let rows = [
            ["payee_id", "attainment", "change_pct_a10", "cost_of_sales", "losers_over_10.00%", "band"],
            ["A", "120.00%", "+88.24%", "3.50%", "0", "0–50%"],
            ["B", "", "-6.09%", "12.00%", "2", "50–80%"],
        ]
        #expect(ComparisonOutput.csv(rows) == """
            payee_id,attainment_pct,change_pct_a10,cost_of_sales_pct,losers_over_10.00_pct,band
            A,120.00,+88.24,3.50,0,0–50%
            B,,-6.09,12.00,2,50–80%

            """)
    }
}
