import BraidData

/// One model's results in a `RunReport`: named figures (`accuracy`, `macroF1`, …), and where
/// measured, its per-class scores, its confusion matrix and its per-epoch history.
///
/// In JSON the figures are keys of the result's object beside `perClass`, `confusionMatrix` and
/// `epochs`, so a reader writes `report["fused"]["accuracy"]` and
/// `report["fused"]["confusionMatrix"][3][5]`.
public struct RunResult: Codable, Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// One class's precision, recall, F1 and number of true samples (scikit-learn's `support`).
    public struct ClassScores: Codable, Sendable, Equatable {
        /// The class index.
        public var label: Int
        /// The fraction of the samples predicted as this class that truly are it.
        public var precision: Double
        /// The fraction of this class's true samples predicted as it.
        public var recall: Double
        /// The harmonic mean of precision and recall.
        public var f1: Double
        /// The number of true samples of the class.
        public var support: Int

        /// Scores of class `label`.
        public init(label: Int, precision: Double, recall: Double, f1: Double, support: Int) {
            (self.label, self.precision, self.recall, self.f1, self.support) = (label, precision, recall, f1, support)
        }
    }

    /// Named figures, such as `accuracy` or `seconds`.
    public var figures: [String: Double]
    /// Per-class scores, in class order; `nil` when not measured.
    public var perClass: [ClassScores]?
    /// `confusionMatrix[t][p]` counts the samples of true class `t` predicted as `p`; `nil` when not measured.
    public var confusionMatrix: [[Int]]?
    /// The model's per-epoch figures; `nil` when not recorded.
    public var epochs: [EpochRecord]?

    /// The keys of the result's JSON object that are not figures.
    public static let reservedKeys: Set<String> = ["perClass", "confusionMatrix", "epochs"]

    /// A result of `figures` and, optionally, class scores, a confusion matrix and epochs.
    public init(
        figures: [String: Double], perClass: [ClassScores]? = nil, confusionMatrix: [[Int]]? = nil,
        epochs: [EpochRecord]? = nil
    ) {
        (self.figures, self.perClass, self.confusionMatrix, self.epochs) = (figures, perClass, confusionMatrix, epochs)
    }

    /// A result of figures only: `["accuracy": 0.93]`.
    public init(dictionaryLiteral elements: (String, Double)...) {
        self.init(figures: Dictionary(uniqueKeysWithValues: elements))
    }

    /// Accuracy and the macro averages as figures (`accuracy`, `macroPrecision`, `macroRecall`,
    /// `macroF1`), every class's scores and the confusion matrix of `metrics`, with `epochs`.
    public init(_ metrics: ClassificationMetrics, epochs: [EpochRecord]? = nil) {
        self.init(
            figures: [
                "accuracy": Double(metrics.accuracy), "macroPrecision": Double(metrics.macroPrecision),
                "macroRecall": Double(metrics.macroRecall), "macroF1": Double(metrics.macroF1),
            ],
            perClass: (0..<metrics.classCount).map {
                ClassScores(label: $0, precision: Double(metrics.precision[$0]), recall: Double(metrics.recall[$0]),
                            f1: Double(metrics.f1[$0]), support: metrics.support[$0])
            },
            confusionMatrix: metrics.confusionMatrix, epochs: epochs)
    }

    /// The figure named `name`.
    public subscript(name: String) -> Double? { figures[name] }

    /// Decodes a result whose figures are its keys other than ``reservedKeys``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONKey.self)
        perClass = try container.decodeIfPresent([ClassScores].self, forKey: JSONKey("perClass"))
        confusionMatrix = try container.decodeIfPresent([[Int]].self, forKey: JSONKey("confusionMatrix"))
        epochs = try container.decodeIfPresent([EpochRecord].self, forKey: JSONKey("epochs"))
        figures = try container.decodeEntries(Double.self, except: Self.reservedKeys)
    }

    /// Encodes the figures as keys beside the class scores, matrix and epochs; throws
    /// `EncodingError.invalidValue` when a figure is named like a reserved key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encodeIfPresent(perClass, forKey: JSONKey("perClass"))
        try container.encodeIfPresent(confusionMatrix, forKey: JSONKey("confusionMatrix"))
        try container.encodeIfPresent(epochs, forKey: JSONKey("epochs"))
        try container.encodeEntries(figures, except: Self.reservedKeys, owner: "RunResult")
    }
}
