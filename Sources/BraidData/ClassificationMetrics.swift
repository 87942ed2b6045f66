import BraidTensor
/// Accuracy, per-class precision, recall and F1, their macro averages and the confusion matrix of
/// a classifier's predictions, as scikit-learn computes them.
///
/// A class with no predicted samples gets precision 0 and one with no true samples recall 0, as
/// scikit-learn's `zero_division=0`; F1 is 0 where precision and recall are both 0. The macro
/// averages are unweighted means over all `classCount` classes, including absent ones, so macro
/// F1 is the mean of the per-class F1 values, not the F1 of macro precision and recall. The
/// scikit-learn equivalents are `accuracy_score`, `precision_recall_fscore_support(y_true,
/// y_pred, labels=range(classCount), zero_division=0)` (with `average="macro"` for the means) and
/// `confusion_matrix(y_true, y_pred, labels=range(classCount))`.
public struct ClassificationMetrics: Sendable, Equatable {
    /// The number of classes; labels and predictions lie in `0..<classCount`.
    public let classCount: Int
    /// The number of samples.
    public let sampleCount: Int
    /// `confusionMatrix[t][p]` counts the samples of true class `t` predicted as class `p`.
    public let confusionMatrix: [[Int]]
    /// The fraction of samples predicted correctly; 0 when there are none.
    public let accuracy: Float
    /// For each class, the fraction of the samples predicted as it that truly are it.
    public let precision: [Float]
    /// For each class, the fraction of its true samples predicted as it.
    public let recall: [Float]
    /// For each class, the harmonic mean of its precision and recall.
    public let f1: [Float]
    /// The number of true samples of each class (scikit-learn's `support`).
    public let support: [Int]
    /// The mean of `precision` over all classes.
    public let macroPrecision: Float
    /// The mean of `recall` over all classes.
    public let macroRecall: Float
    /// The mean of `f1` over all classes.
    public let macroF1: Float

    /// The metrics of `predictions` against the true `labels`, which must have the same length and
    /// lie in `0..<classCount`.
    public init(predictions: [Int], labels: [Int], classCount: Int) {
        check(classCount > 0, "ClassificationMetrics: classCount must be positive, got \(classCount)")
        check(predictions.count == labels.count,
                     "ClassificationMetrics: \(predictions.count) predictions but \(labels.count) labels")
        var matrix = [Int](repeating: 0, count: classCount * classCount)
        for (predicted, label) in zip(predictions, labels) {
            check(predicted >= 0 && predicted < classCount,
                         "ClassificationMetrics: prediction \(predicted) is outside 0..<\(classCount)")
            check(label >= 0 && label < classCount,
                         "ClassificationMetrics: label \(label) is outside 0..<\(classCount)")
            matrix[label * classCount + predicted] += 1
        }
        var correct = 0
        var precision = [Double](repeating: 0, count: classCount)
        var recall = [Double](repeating: 0, count: classCount)
        var f1 = [Double](repeating: 0, count: classCount)
        var support = [Int](repeating: 0, count: classCount)
        for c in 0..<classCount {
            let truePositives = matrix[c * classCount + c]
            var predictedCount = 0
            for t in 0..<classCount { predictedCount += matrix[t * classCount + c] }
            for p in 0..<classCount { support[c] += matrix[c * classCount + p] }
            correct += truePositives
            let p = predictedCount > 0 ? Double(truePositives) / Double(predictedCount) : 0
            let r = support[c] > 0 ? Double(truePositives) / Double(support[c]) : 0
            precision[c] = p
            recall[c] = r
            f1[c] = p + r > 0 ? 2 * p * r / (p + r) : 0
        }
        self.classCount = classCount
        sampleCount = labels.count
        confusionMatrix = (0..<classCount).map { Array(matrix[($0 * classCount)..<(($0 + 1) * classCount)]) }
        accuracy = labels.isEmpty ? 0 : Float(Double(correct) / Double(labels.count))
        self.precision = precision.map(Float.init)
        self.recall = recall.map(Float.init)
        self.f1 = f1.map(Float.init)
        self.support = support
        macroPrecision = Self.mean(precision)
        macroRecall = Self.mean(recall)
        macroF1 = Self.mean(f1)
    }

    /// The mean of `values`, rounded to `Float`.
    private static func mean(_ values: [Double]) -> Float {
        var sum = 0.0
        for value in values { sum += value }
        return Float(sum / Double(values.count))
    }
}
