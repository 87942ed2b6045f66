import BraidAutograd
import BraidNN
import BraidTensor

/// Late (decision-level) fusion: a `Linear` classifier per modality, z_m = W_m·h_m + b_m
/// `[B, classCount]`, whose logits are then combined (Baltrušaitis et al. 2019; the
/// product-of-experts form follows Hinton 2002, "Training Products of Experts by Minimizing
/// Contrastive Divergence").
///
/// Output `[B, classCount]`, usable as logits for `crossEntropy`.
public final class LateFusion: Module, FusionHead {
    /// How the per-modality logits z_m are combined.
    public enum Combination: Sendable, Equatable {
        /// (1/M)·Σ_m z_m.
        case mean
        /// Σ_m softmax(w)_m·z_m with learnable logits w `[M]` (parameter `weights`, initialised to
        /// 0, i.e. the mean).
        case learnedWeights
        /// Σ_m log_softmax(z_m): the log of the product of the experts' distributions, up to a
        /// per-row constant, so softmax of the output is the normalised product Π_m p_m / Z.
        case productOfExperts
    }

    /// The modality names, sorted.
    public let modalityNames: [String]
    /// Feature width D_m per modality.
    public let modalityWidths: [String: Int]
    /// Per-modality classifiers `Linear(D_m → classCount)` in sorted order.
    public let classifiers: [Linear]
    /// The combination rule.
    public let combination: Combination
    /// Learnable combination logits `[M]` for `.learnedWeights`; `nil` otherwise.
    public let weights: Variable?

    /// A head over `modalities` (name → D_m) predicting `classCount` classes, combining by
    /// `combination` (default `.mean`); classifiers use `Linear`'s default initialisation.
    public init(
        modalities: [String: Int], classCount: Int, combination: Combination = .mean, generator: inout RandomGenerator
    ) {
        modalityNames = checkedWidths(modalities, head: "LateFusion")
        check(classCount > 0, "LateFusion: class count \(classCount) must be positive")
        modalityWidths = modalities
        classifiers = perModalityLinears(modalityNames, widths: modalities, outputWidth: classCount, generator: &generator)
        self.combination = combination
        weights = combination == .learnedWeights
            ? Variable(Tensor.zeros([modalityNames.count]), requiresGrad: true) : nil
    }

    /// The number of classes C.
    public var classCount: Int { classifiers[0].outputFeatures }
    /// C.
    public var outputDimension: Int { classCount }
    /// The combined per-modality classifiers' logits.
    public var producesLogits: Bool { true }

    /// `classifiers.<modality>`.
    public override var stateDictKeys: [String: String] { keysNaming("classifiers", by: modalityNames) }

    /// The combined logits `[B, classCount]`.
    public func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable {
        let inputs = try pooledInputs(features)
        let logits = zip(classifiers, inputs).map { $0.0($0.1) }
        switch combination {
        case .mean:
            return Variable.stack(logits, axis: 0).mean(alongAxes: [0])
        case .learnedWeights:
            let w = weights!.softmax().reshaped(to: [logits.count, 1, 1])
            return (Variable.stack(logits, axis: 0) * w).sum(alongAxes: [0])
        case .productOfExperts:
            return Variable.stack(logits.map { $0.logSoftmax() }, axis: 0).sum(alongAxes: [0])
        }
    }
}
