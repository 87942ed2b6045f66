import BraidAutograd
import BraidData
import BraidNN
import BraidTensor

/// Multi-head attention over batch-first sequences (`nn.MultiheadAttention(batch_first=True)`).
///
/// Queries `[B, Nq, E]`, keys `[B, Nk, kdim]` and values `[B, Nk, vdim]` are projected to E,
/// split into `headCount` heads of E/H, attended with `scaledDotProductAttention` (scale
/// 1/√(E/H)), merged and projected by `output`. Parameters are named as in Hugging Face BERT
/// (`query`, `key`, `value`, plus `output` for the output projection);
/// `loadPyTorchStateDict` also reads PyTorch's packed `in_proj_weight` layout.
/// Initialisation follows PyTorch: Xavier-uniform projections (the three as one packed matrix
/// when kdim = vdim = E), zero projection biases, and `nn.Linear`'s default for `output`'s weight.
public final class MultiHeadAttention: Module {
    /// Projects queries: `[E, E]`.
    public let query: Linear
    /// Projects keys: `[E, kdim]`.
    public let key: Linear
    /// Projects values: `[E, vdim]`.
    public let value: Linear
    /// Projects the merged heads: `[E, E]`.
    public let output: Linear
    /// The number of heads H.
    public let headCount: Int
    /// Dropout on the attention weights in training mode.
    public let dropout: Float
    /// Draws a fresh dropout seed for each training-mode call.
    public var generator: RandomGenerator
    /// The attention kernel; `.fused` unless attention weights are requested.
    public var kernel: AttentionKernel = .fused
    /// The three projections packed as one, for the short-sequence inference path.
    let packedProjections = PackedProjectionCache()

    /// An attention layer of width `embedDimension` (E, divisible by `headCount`).
    public init(
        embedDimension: Int, headCount: Int, keyDimension: Int? = nil, valueDimension: Int? = nil,
        bias: Bool = true, dropout: Float = 0, generator: inout RandomGenerator
    ) {
        check(
            headCount > 0 && embedDimension % headCount == 0,
            "MultiHeadAttention: embedding dimension \(embedDimension) is not divisible by \(headCount) heads")
        let (e, kdim, vdim) = (embedDimension, keyDimension ?? embedDimension, valueDimension ?? embedDimension)
        func projection(_ inputs: Int, _ weight: Tensor) -> Linear {
            let layer = Linear(inputFeatures: inputs, outputFeatures: e, bias: bias, generator: &generator)
            layer.weight.value = weight
            layer.bias?.value = Tensor.zeros([e])
            return layer
        }
        if kdim == e && vdim == e {
            let packed = Initialization.xavierUniform([3 * e, e], generator: &generator).split(sizes: [e, e, e])
            (query, key, value) = (projection(e, packed[0]), projection(e, packed[1]), projection(e, packed[2]))
        } else {
            query = projection(e, Initialization.xavierUniform([e, e], generator: &generator))
            key = projection(kdim, Initialization.xavierUniform([e, kdim], generator: &generator))
            value = projection(vdim, Initialization.xavierUniform([e, vdim], generator: &generator))
        }
        output = Linear(inputFeatures: e, outputFeatures: e, bias: bias, generator: &generator)
        output.bias?.value = Tensor.zeros([e])
        self.headCount = headCount
        self.dropout = dropout
        self.generator = RandomGenerator(seed: generator.next())
    }

    /// The embedding dimension E.
    public var embedDimension: Int { query.outputFeatures }

    /// Attention of `query` `[B, Nq, E]` over `key` `[B, Nk, kdim]` and `value` `[B, Nk, vdim]`,
    /// giving `[B, Nq, E]`. `keyPaddingMask` `[B, Nk]` is non-zero at padding keys.
    ///
    /// With `keyIndices`, query row b attends to key and value row `keyIndices[b]`: keys and
    /// values `[B', Nk, …]` (and `keyPaddingMask` `[B', Nk]`) shared by several query rows — one
    /// image's features for each of its captions — are projected once, not once per query row.
    public func callAsFunction(
        query: Variable, key: Variable, value: Variable, keyIndices: [Int]? = nil, keyPaddingMask: Tensor? = nil,
        mask: AttentionMask? = nil, isCausal: Bool = false
    ) -> Variable {
        attend(
            query, key, value, keyIndices: keyIndices, keyPaddingMask: keyPaddingMask, mask: mask, isCausal: isCausal,
            needWeights: false
        ).output
    }

    /// Self-attention of `x` `[B, N, E]`.
    public func callAsFunction(
        _ x: Variable, keyPaddingMask: Tensor? = nil, mask: AttentionMask? = nil, isCausal: Bool = false
    ) -> Variable {
        callAsFunction(query: x, key: x, value: x, keyPaddingMask: keyPaddingMask, mask: mask, isCausal: isCausal)
    }

    /// The attention output and the attention weights averaged over heads `[B, Nq, Nk]` (after
    /// dropout, as PyTorch returns them with `need_weights=True`). Uses the naive kernel.
    public func attendWithWeights(
        query: Variable, key: Variable, value: Variable, keyPaddingMask: Tensor? = nil, mask: AttentionMask? = nil,
        isCausal: Bool = false
    ) -> (output: Variable, weights: Tensor) {
        let result = attend(
            query, key, value, keyIndices: nil, keyPaddingMask: keyPaddingMask, mask: mask, isCausal: isCausal, needWeights: true)
        return (result.output, result.weights!)
    }

    private func attend(
        _ query: Variable, _ key: Variable, _ value: Variable, keyIndices: [Int]?, keyPaddingMask: Tensor?,
        mask: AttentionMask?, isCausal: Bool, needWeights: Bool
    ) -> (output: Variable, weights: Tensor?) {
        check(
            query.rank == 3 && key.rank == 3 && value.rank == 3 && key.shape[0] == value.shape[0] && key.shape[1] == value.shape[1]
                && (keyIndices != nil || query.shape[0] == key.shape[0]),
            "MultiHeadAttention: query \(query.shape), key \(key.shape) and value \(value.shape) must be [B, N, features] with matching B and Nk")
        let (batch, queries) = (query.shape[0], query.shape[1])
        var (k, v) = (splitHeads(self.key(key)), splitHeads(self.value(value)))
        var keyPaddingMask = keyPaddingMask
        if let keyIndices {
            check(
                keyIndices.count == batch && keyIndices.allSatisfy { (0..<key.shape[0]).contains($0) },
                "MultiHeadAttention: \(keyIndices.count) key indices for \(batch) query rows and \(key.shape[0]) key rows")
            // [B', H, Nk, E/H] -> [B, H, Nk, E/H]
            (k, v) = (k.indexSelect(axis: 0, indices: keyIndices), v.indexSelect(axis: 0, indices: keyIndices))
            keyPaddingMask = keyPaddingMask?.indexSelect(axis: 0, indices: keyIndices)
        }
        let q = splitHeads(self.query(query))
        let dropoutSettings = isTraining && dropout > 0 ? AttentionDropout(probability: dropout, seed: generator.next()) : nil
        let attended = scaledDotProductAttention(
            query: q, key: k, value: v, mask: mask, keyPaddingMask: keyPaddingMask, isCausal: isCausal,
            dropout: dropoutSettings, kernel: needWeights ? .naive : kernel)
        // [B, H, Nq, E/H] -> [B, Nq, H, E/H] -> [B, Nq, E]
        let merged = attended.permuted([0, 2, 1, 3]).reshaped(to: [batch, queries, embedDimension])
        let weights = needWeights
            ? attentionWeights(
                query: q.value, key: k.value, mask: mask, keyPaddingMask: keyPaddingMask, isCausal: isCausal,
                dropout: dropoutSettings).mean(alongAxes: [1])
            : nil
        return (output(merged), weights)
    }

    /// [B, N, E] -> [B, N, H, E/H] -> [B, H, N, E/H]
    func splitHeads(_ x: Variable) -> Variable {
        x.reshaped(to: [x.shape[0], x.shape[1], headCount, embedDimension / headCount]).permuted([0, 2, 1, 3])
    }

    /// Loads PyTorch `nn.MultiheadAttention` parameters named `prefix + name`: the packed
    /// `in_proj_weight` `[3E, E]` or the separate `q_proj_weight`, `k_proj_weight`, `v_proj_weight`,
    /// plus `in_proj_bias` `[3E]` and `out_proj.weight`/`out_proj.bias`. Every problem is reported
    /// as a `StateDictError` in this layer's own names, and nothing changes on error.
    public func loadPyTorchStateDict(from file: SafeTensors, prefix: String = "") throws {
        let e = embedDimension
        let names = Set(file.names)
        var values: [String: Tensor] = [:]
        /// Splits packed tensor `name` of `shape` into thirds along its first axis, stored as `ours`.
        func unpack(_ name: String, shape: [Int], into ours: [String]) throws {
            let packed = try file.tensor(prefix + name)
            guard packed.shape == shape else {
                throw StateDictError(
                    path: file.path, shapeMismatches: [.init(key: prefix + name, expected: shape, found: packed.shape)])
            }
            for (key, part) in zip(ours, packed.split(sizes: [e, e, e])) { values[key] = part }
        }
        if names.contains(prefix + "in_proj_weight") {
            try unpack("in_proj_weight", shape: [3 * e, e], into: ["query.weight", "key.weight", "value.weight"])
        }
        for (ours, theirs) in [("query", "q"), ("key", "k"), ("value", "v")] where names.contains("\(prefix)\(theirs)_proj_weight") {
            values["\(ours).weight"] = try file.tensor("\(prefix)\(theirs)_proj_weight")
        }
        if names.contains(prefix + "in_proj_bias") {
            try unpack("in_proj_bias", shape: [3 * e], into: ["query.bias", "key.bias", "value.bias"])
        }
        for field in ["weight", "bias"] where names.contains("\(prefix)out_proj.\(field)") {
            values["output.\(field)"] = try file.tensor("\(prefix)out_proj.\(field)")
        }
        try loadStateDict(values, source: file.path)
    }
}

extension MultiHeadAttention: Stochastic {}

extension MultiHeadAttention {
    /// `values` with every PyTorch packed projection split into this layer's names:
    /// `<prefix>in_proj_weight` `[3E, E]` becomes `<prefix>query.weight`, `<prefix>key.weight` and
    /// `<prefix>value.weight`, and `<prefix>in_proj_bias` `[3E]` the three biases. Lets a module
    /// built from these layers load a PyTorch state dict (`nn.TransformerDecoderLayer`'s
    /// `self_attn.in_proj_weight`, …); a packed tensor whose first axis is not a multiple of 3
    /// throws a `StateDictError` naming it.
    public static func unpackingInputProjections(_ values: [String: Tensor], source: String) throws -> [String: Tensor] {
        var result = values
        for (name, packed) in values {
            let field = name.hasSuffix("in_proj_weight") ? "weight" : name.hasSuffix("in_proj_bias") ? "bias" : nil
            guard let field else { continue }
            let prefix = String(name.dropLast("in_proj_".count + field.count))
            guard packed.rank >= 1, packed.shape[0] % 3 == 0, packed.shape[0] > 0 else {
                throw StateDictError(
                    path: source,
                    invalidValues: [.init(key: name, reason: "shape \(packed.shape) does not split into three projections")])
            }
            let third = packed.shape[0] / 3
            result[name] = nil
            for (projection, part) in zip(["query", "key", "value"], packed.split(sizes: [third, third, third])) {
                result["\(prefix)\(projection).\(field)"] = part
            }
        }
        return result
    }
}
