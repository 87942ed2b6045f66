import Foundation

/// The MultiBench-style table of a comparison: one row per method with its modalities, parameter
/// count, test accuracy mean ± standard deviation over the seeds (in percent) and mean training
/// time per seed.
struct ResultsTable {
    let results: [FusionComparison.MethodResult]

    /// The table in Markdown.
    func markdown() -> String {
        var lines = ["| method | modalities | parameters | test accuracy (%) | training time (s) |",
                     "| --- | --- | ---: | ---: | ---: |"]
        for result in results {
            lines.append("| \(result.method) | \(result.modalities.map(\.rawValue).joined(separator: " + ")) | "
                         + "\(result.parameters.formatted(.number.grouping(.automatic))) | "
                         + String(format: "%.1f ± %.1f", 100 * Self.mean(result.accuracies), 100 * Self.standardDeviation(result.accuracies))
                         + String(format: " | %.1f |", Self.mean(result.seconds)))
        }
        return lines.joined(separator: "\n")
    }

    /// "best fusion … beats the best single modality … by N points", when both kinds were run.
    func fusionGain() -> String? {
        let byMean = { (a: FusionComparison.MethodResult, b: FusionComparison.MethodResult) in Self.mean(a.accuracies) < Self.mean(b.accuracies) }
        guard let fusion = results.filter({ $0.modalities.count > 1 }).max(by: byMean),
              let single = results.filter({ $0.modalities.count == 1 }).max(by: byMean) else { return nil }
        let gain = 100 * (Self.mean(fusion.accuracies) - Self.mean(single.accuracies))
        return String(format: "best fusion %@ (%.1f%%) vs best single modality %@ (%.1f%%): %+.1f accuracy points",
                      fusion.method, 100 * Self.mean(fusion.accuracies), single.method, 100 * Self.mean(single.accuracies), gain)
    }

    /// The mean of `values`.
    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }

    /// The sample standard deviation (n − 1 in the denominator) of `values`; 0 for one value.
    static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }
}
