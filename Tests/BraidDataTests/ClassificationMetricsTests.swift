import BraidData
import Testing

@Suite struct ClassificationMetricsTests {
    /// True labels and predictions: class 3 is never predicted, class 4 never occurs.
    static let labels = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 0]
    static let predictions = [0, 2, 2, 0, 0, 1, 1, 0, 1, 1, 2, 4]

    func expectClose(_ actual: [Float], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(abs(Double(a) - e) < 1e-6, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
        }
    }

    /// Reference values from scikit-learn 1.x:
    /// ```python
    /// from sklearn.metrics import accuracy_score, precision_recall_fscore_support, confusion_matrix
    /// L = [0, 1, 2, 3, 4]
    /// accuracy_score(y_true, y_pred)                                        # 0.5
    /// precision_recall_fscore_support(y_true, y_pred, labels=L, zero_division=0)
    /// precision_recall_fscore_support(y_true, y_pred, labels=L, average="macro", zero_division=0)
    /// confusion_matrix(y_true, y_pred, labels=L)
    /// ```
    @Test func matchesScikitLearn() {
        let metrics = ClassificationMetrics(predictions: Self.predictions, labels: Self.labels, classCount: 5)
        #expect(metrics.classCount == 5)
        #expect(metrics.sampleCount == 12)
        #expect(metrics.accuracy == 0.5)
        expectClose(metrics.precision, [0.5, 0.5, 0.6666666666666666, 0.0, 0.0])
        expectClose(metrics.recall, [0.5, 0.6666666666666666, 0.6666666666666666, 0.0, 0.0])
        expectClose(metrics.f1, [0.5, 0.5714285714285714, 0.6666666666666666, 0.0, 0.0])
        #expect(metrics.support == [4, 3, 3, 2, 0])
        expectClose([metrics.macroPrecision, metrics.macroRecall, metrics.macroF1],
                    [0.3333333333333333, 0.3666666666666666, 0.3476190476190476])
        #expect(metrics.confusionMatrix == [
            [2, 1, 0, 0, 1],
            [0, 2, 1, 0, 0],
            [0, 1, 2, 0, 0],
            [2, 0, 0, 0, 0],
            [0, 0, 0, 0, 0],
        ])
    }

    @Test func perfectPredictions() {
        let metrics = ClassificationMetrics(predictions: [2, 0, 1, 1], labels: [2, 0, 1, 1], classCount: 3)
        #expect(metrics.accuracy == 1)
        #expect(metrics.precision == [1, 1, 1] && metrics.recall == [1, 1, 1] && metrics.f1 == [1, 1, 1])
        #expect(metrics.macroF1 == 1)
        #expect(metrics.confusionMatrix == [[1, 0, 0], [0, 2, 0], [0, 0, 1]])
    }

    @Test func emptyInputIsAllZero() {
        let metrics = ClassificationMetrics(predictions: [], labels: [], classCount: 2)
        #expect(metrics.accuracy == 0 && metrics.macroF1 == 0)
        #expect(metrics.confusionMatrix == [[0, 0], [0, 0]])
        #expect(metrics == ClassificationMetrics(predictions: [], labels: [], classCount: 2))
    }
}
