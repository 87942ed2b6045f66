import BraidAutograd
import BraidNN
import BraidTensor
import Synchronization

/// A convolution with the batch norm that follows it folded in, for inference:
/// BN(conv_W(x)) = conv_{W·s}(x) + (β − μ·s) per output channel, with s = γ/√(σ² + ε).
struct FoldedConvolution: Sendable {
    /// W·s, the convolution's weight shape.
    let weight: Tensor
    /// β + (b − μ)·s, one per output channel (b the convolution's own bias, else 0).
    let bias: [Float]
    /// The convolution's stride, padding, dilation and groups.
    let geometry: Convolution2DGeometry

    /// `conv` then `bn`, from their current values.
    init(_ conv: Conv2d, _ bn: BatchNorm) {
        let mean = bn.runningMean.value.scalars, variance = bn.runningVariance.value.scalars
        let gamma = bn.weight.value.scalars, beta = bn.bias.value.scalars
        let outputs = conv.weight.shape[0], perOutput = conv.weight.value.count / outputs
        let scale = (0..<outputs).map { gamma[$0] / (variance[$0] + bn.epsilon).squareRoot() }
        let convBias = conv.bias?.value.scalars ?? [Float](repeating: 0, count: outputs)
        bias = (0..<outputs).map { beta[$0] + (convBias[$0] - mean[$0]) * scale[$0] }
        weight = conv.weight.value.withUnsafeBufferPointer { w in
            Tensor(shape: conv.weight.shape) { out in
                for o in 0..<outputs {
                    let s = scale[o]
                    for i in (o * perOutput)..<((o + 1) * perOutput) { out[i] = w[i] * s }
                }
            }
        }
        geometry = conv.geometry
    }
}

/// A convolution–batch-norm pair's folded form, kept while none of their values change (they are
/// recognised by their variables' versions), and its Winograd transform once a call wants it;
/// behind a lock so that concurrent inference prepares once. A class, so that module reflection
/// passes over it.
final class FoldedConvolutionCache: Sendable {
    private struct Entry {
        var versions: [UInt64]
        var folded: FoldedConvolution
        var winograd: WinogradWeight?
    }

    private let entry = Mutex<Entry?>(nil)

    init() {}

    /// The folded convolution of `conv` and `bn`'s current values, and its Winograd transform when
    /// `winograd` (it must be a 3×3, stride-1, padding-1 convolution).
    func prepared(_ conv: Conv2d, _ bn: BatchNorm, winograd: Bool) -> (FoldedConvolution, WinogradWeight?) {
        let versions = [conv.weight.version, conv.bias?.version ?? 0, bn.weight.version, bn.bias.version,
                        bn.runningMean.version, bn.runningVariance.version]
        return entry.withLock { entry in
            if entry?.versions != versions { entry = Entry(versions: versions, folded: FoldedConvolution(conv, bn)) }
            if winograd && entry!.winograd == nil { entry!.winograd = WinogradWeight(entry!.folded.weight) }
            return (entry!.folded, winograd ? entry!.winograd : nil)
        }
    }
}
