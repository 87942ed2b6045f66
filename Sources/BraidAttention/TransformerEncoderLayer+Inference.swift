import BraidAutograd
import BraidNN
@_spi(RawKernels) import BraidTensor
internal import CBraidKernels

/// The inference path of `TransformerEncoderLayer`: the same arithmetic on raw buffers, for
/// evaluation mode without gradients and sequences of at most ``shortSequenceLimit`` tokens.
///
/// Every product is a `WeightProduct` on the layer's packed weights (`Linear.packedWeight`, made
/// once and kept until the weights change), which adds the bias and the residual as it goes. The
/// query, key and value projections are one product (`PackedProjectionCache`) into one packed
/// `[B·N, 3E]` buffer, which `braid_attention_short` reads in place per (batch, head), writing its
/// head's columns of the merged `[B·N, E]` output: no head split or merge copies, and each score
/// row is whole, so its softmax is exact rather than online. What remains outside the products is
/// one pass for each layer norm and one for the activation.
extension TransformerEncoderLayer {
    /// The longest sequence the inference path attends: its per-worker scratch holds a whole
    /// `[N, N]` score matrix (1 MB at 512). Longer sequences take the tiled path of training.
    static let shortSequenceLimit = 512

    /// The layer applied to `x` on the inference path, or `nil` where it does not apply: with
    /// gradients recorded, in training mode (dropout), with an explicit `mask`, with the naive
    /// kernel requested, or for sequences longer than ``shortSequenceLimit``.
    ///
    /// With `rows` (indices into the flattened `[B·N]` positions, checked by the caller), only those
    /// rows of the output are computed, `[R, E]`: every position's keys and values, then the
    /// attention, the output projection and the feed-forward block of the rows alone.
    func inferenceOutput(
        _ x: Variable, keyPaddingMask: Tensor?, mask: AttentionMask?, isCausal: Bool, rows: [Int]? = nil
    ) -> Variable? {
        let e = attention.embedDimension
        guard !GradientMode.isEnabled, !isTraining, mask == nil, attention.kernel == .fused, x.rank == 3,
              x.shape[2] == e, attention.key.inputFeatures == e, attention.value.inputFeatures == e,
              x.shape[0] > 0, (1...Self.shortSequenceLimit).contains(x.shape[1])
        else { return nil }
        if let keyPaddingMask {
            check(keyPaddingMask.shape == [x.shape[0], x.shape[1]],
                  "TransformerEncoderLayer: key padding mask \(keyPaddingMask.shape) for input \(x.shape)")
        }
        let input = x.value
        let (batch, length) = (input.shape[0], input.shape[1])
        func attend(_ y: Tensor) -> Tensor {
            attendPacked(projectPacked(y), batch: batch, length: length, keyPaddingMask: keyPaddingMask, isCausal: isCausal,
                         rows: rows)
        }
        let residual = rows.map { input.reshaped(to: [batch * length, e]).indexSelect(axis: 0, indices: $0) } ?? input
        if normFirst {
            let h = Self.linear(attend(Self.normalize(input, attentionNorm)), attention.output, adding: residual)
            let hidden = activation.apply(Self.linear(Self.normalize(h, outputNorm), intermediate, adding: nil))
            return Variable(Self.linear(hidden, output, adding: h))
        }
        let h = Self.normalize(Self.linear(attend(input), attention.output, adding: residual), attentionNorm)
        let hidden = activation.apply(Self.linear(h, intermediate, adding: nil))
        return Variable(Self.normalize(Self.linear(hidden, output, adding: h), outputNorm))
    }

    /// `[B, N, 3E]`: the query, key and value projections of `x` side by side in each row, by one
    /// product with the packed `[3E, E]` weight.
    private func projectPacked(_ x: Tensor) -> Tensor {
        let (weight, bias) = attention.packedProjections.packed(attention)
        return Self.product(x, weight, bias: bias, adding: nil)
    }

    /// `[B, N, E]`: every head's attention over the packed projections, merged; with `rows`, the
    /// queries at those rows of the flattened positions only, `[R, E]`.
    private func attendPacked(
        _ packed: Tensor, batch: Int, length: Int, keyPaddingMask: Tensor?, isCausal: Bool, rows: [Int]?
    ) -> Tensor {
        let (e, heads) = (attention.embedDimension, attention.headCount)
        let depth = e / heads
        let scale = 1 / Float(depth).squareRoot()
        let bias = keyPaddingMask?.map { $0 != 0 ? -.infinity : 0 }
        // A task is a head of a whole sequence, or of one row: that row's query over the keys it
        // sees (the first position + 1 of them when causal).
        let queryCount = rows == nil ? length : 1
        let shape = rows.map { [$0.count, e] } ?? [batch, length, e]
        return packed.withUnsafeBufferPointer { pp in
            let source = ReadPointer(pp)
            return withOptionalBuffer(bias) { biasBuffer in
                let bias = biasBuffer.map { ReadPointer($0) }
                return Tensor(shape: shape) { out in
                    let out = SharedPointer(out.baseAddress!)
                    // Below 2¹⁸ multiply-adds (a 12-token sentence: 1.1·10⁵), waking a second core costs more than it saves.
                    let work = shape[0] * heads * queryCount * length * depth * 2
                    Parallel.distribute(shape[0] * heads, inParallel: work >= 1 << 18) { _, tasks in
                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: (depth + queryCount) * length)
                        defer { scratch.deallocate() }
                        for task in tasks {
                            let (unit, h) = task.quotientAndRemainder(dividingBy: heads)
                            let (b, first) = rows.map { $0[unit].quotientAndRemainder(dividingBy: length) } ?? (unit, 0)
                            let keys = source.address + b * length * 3 * e + h * depth
                            let causalRow = rows != nil && isCausal
                            braid_attention_short(
                                keys + first * 3 * e, 3 * e, keys + e, 3 * e, keys + 2 * e, 3 * e, queryCount,
                                causalRow ? first + 1 : length, depth, depth, bias.map { $0.address + b * length },
                                isCausal && !causalRow ? 1 : 0, scale, scratch,
                                out.address + unit * queryCount * e + h * depth, e)
                        }
                    }
                }
            }
        }
    }

    /// `layer(x) + residual` (`WeightProduct`), with `residual` of the result's shape when given.
    private static func linear(_ x: Tensor, _ layer: Linear, adding residual: Tensor?) -> Tensor {
        product(x, layer.packedWeight, bias: layer.bias?.value, adding: residual)
    }

    /// x·Wᵀ + bias + residual over the last axis of `x`, for a packed W.
    private static func product(_ x: Tensor, _ weight: PackedWeight, bias: Tensor?, adding residual: Tensor?) -> Tensor {
        Tensor(shape: Array(x.shape.dropLast()) + [weight.outputs]) { out in
            x.withUnsafeBufferPointer { px in
                withOptionalBuffer(bias) { pb in
                    withOptionalBuffer(residual) { pr in
                        WeightProduct.multiply(
                            a: px.baseAddress!, rows: x.count / weight.inputs, lda: weight.inputs, weight: weight,
                            bias: pb?.baseAddress, residual: pr?.baseAddress, ldr: weight.outputs, c: out.baseAddress!,
                            ldc: weight.outputs)
                    }
                }
            }
        }
    }

    private static func normalize(_ x: Tensor, _ norm: LayerNorm) -> Tensor {
        x.layerNorm(weight: norm.weight?.value, bias: norm.bias?.value, normalizedCount: norm.normalizedShape.reduce(1, *),
                    epsilon: norm.epsilon).output
    }
}

/// `body` with a buffer of `tensor`'s elements, or with `nil` when there is no tensor.
private func withOptionalBuffer<R>(_ tensor: Tensor?, _ body: (UnsafeBufferPointer<Float>?) -> R) -> R {
    guard let tensor else { return body(nil) }
    return tensor.withUnsafeBufferPointer { body($0) }
}

extension TransformerActivation {
    /// The activation applied to a tensor, as `callAsFunction` applies it to a variable.
    func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .relu: x.relu()
        case .gelu: x.gelu()
        case .geluTanh: x.geluTanh()
        case .quickGelu: x.quickGelu()
        }
    }
}
