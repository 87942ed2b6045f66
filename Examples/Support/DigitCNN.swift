import Braid

/// A small CNN image encoder for 8×8 digits: 3×3 convolutions 1→32 and 32→64 (stride 2), each
/// with batch norm and ReLU; positions as the sequence `[B, 16, 64]`, their mean as pooled `[B, 64]`.
public final class DigitCNN: Module, FeatureEncoder {
    /// The convolutions and their batch norms.
    public let conv1: Conv2d, bn1: BatchNorm, conv2: Conv2d, bn2: BatchNorm

    /// A randomly initialised encoder.
    public init(generator: inout RandomGenerator) {
        conv1 = Conv2d(inputChannels: 1, outputChannels: 32, kernelSize: (3, 3), padding: (1, 1), bias: false, generator: &generator)
        bn1 = BatchNorm(channels: 32)
        conv2 = Conv2d(inputChannels: 32, outputChannels: 64, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1),
                       bias: false, generator: &generator)
        bn2 = BatchNorm(channels: 64)
    }

    /// 64.
    public var outputDimension: Int { 64 }

    /// Features of images `[B, 1, 8, 8]`.
    public func encode(_ images: Variable) -> EncodedFeatures {
        let map = bn2(conv2(bn1(conv1(images)).relu())).relu()  // [B, 64, 4, 4]
        let batch = map.shape[0]
        return EncodedFeatures(
            sequence: map.reshaped(to: [batch, 64, 16]).permuted([0, 2, 1]), paddingMask: nil,
            pooled: map.mean(alongAxes: [2, 3]))
    }
}
