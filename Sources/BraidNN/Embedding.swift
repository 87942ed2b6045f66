import BraidAutograd
import BraidTensor

/// A lookup table of vectors (`nn.Embedding`): ids of shape `S` give features of shape `S + [dimension]`.
///
/// Initialised N(0, 1) as in PyTorch; the row at `paddingIndex`, if any, starts at zero and
/// receives no gradient.
public final class Embedding: Module {
    /// The table, `[count, dimension]`.
    public let weight: Variable
    /// The id whose row stays zero and untrained, as `padding_idx`.
    public let paddingIndex: Int?

    /// A table of `count` vectors of `dimension` values.
    public init(count: Int, dimension: Int, paddingIndex: Int? = nil, generator: inout RandomGenerator) {
        var table = Tensor.randomNormal([count, dimension], generator: &generator)
        if let paddingIndex {
            check(paddingIndex >= 0 && paddingIndex < count, "Embedding: padding index \(paddingIndex) outside 0..<\(count)")
            for j in 0..<dimension { table[paddingIndex, j] = 0 }
        }
        weight = Variable(table, requiresGrad: true)
        self.paddingIndex = paddingIndex
    }

    /// The rows of `weight` for each id.
    public func callAsFunction(_ ids: IntTensor) -> Variable {
        let (count, dimension) = (weight.shape[0], weight.shape[1])
        let rows = weight.value.indexSelect(axis: 0, indices: ids.scalars).reshaped(to: ids.shape + [dimension])
        return Variable(rows, inputs: [weight]) { [paddingIndex] g in
            var grad = Tensor.indexAdd(g.reshaped(to: [ids.count, dimension]), shape: [count, dimension], axis: 0, indices: ids.scalars)
            if let paddingIndex { for j in 0..<dimension { grad[paddingIndex, j] = 0 } }
            return [grad]
        }
    }
}
