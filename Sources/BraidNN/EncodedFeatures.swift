import BraidAutograd
import BraidTensor

/// What every encoder gives a fusion head: per-position features, which positions are padding,
/// and one pooled vector per example.
public struct EncodedFeatures {
    /// Sequence (tokens, image patches or positions, audio frames) features `[B, T, D]`.
    public var sequence: Variable
    /// `[B, T]`, non-zero at padding positions; `nil` when every position is real.
    public var paddingMask: Tensor?
    /// One vector per example `[B, D]`.
    public var pooled: Variable

    /// Bundles the three outputs.
    public init(sequence: Variable, paddingMask: Tensor?, pooled: Variable) {
        self.sequence = sequence
        self.paddingMask = paddingMask
        self.pooled = pooled
    }
}

/// A module that turns one modality into `EncodedFeatures` of width `outputDimension`, so any
/// fusion head can take any encoder.
public protocol FeatureEncoder: Module {
    /// What the encoder reads: images, token ids with masks, or audio.
    associatedtype Input
    /// D, the width of the sequence and pooled features.
    var outputDimension: Int { get }
    /// Encodes a batch.
    func encode(_ input: Input) -> EncodedFeatures
}
