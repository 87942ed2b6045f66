import BraidTensor

extension Variable {
    /// max(0, x). ∂ = g·[x > 0].
    public func relu() -> Variable {
        Variable(value.relu(), inputs: [self]) { [value] g in [Tensor.reluBackward(g, value)] }
    }

    /// Exact GELU x·Φ(x), or its tanh approximation when `approximate` (`nn.GELU`).
    public func gelu(approximate: Bool = false) -> Variable {
        approximate
            ? Variable(value.geluTanh(), inputs: [self]) { [value] g in [Tensor.geluTanhBackward(g, value)] }
            : Variable(value.gelu(), inputs: [self]) { [value] g in [Tensor.geluBackward(g, value)] }
    }

    /// x·σ(x) (`nn.SiLU`).
    public func silu() -> Variable {
        Variable(value.silu(), inputs: [self]) { [value] g in [Tensor.siluBackward(g, value)] }
    }

    /// x·σ(1.702·x), the sigmoid form of GELU that OpenAI's CLIP was trained with (`quick_gelu`
    /// in transformers). ∂ = g·(σ + 1.702·x·σ·(1 − σ)).
    public func quickGelu() -> Variable {
        Variable(value.quickGelu(), inputs: [self]) { [value] g in [Tensor.quickGeluBackward(g, value)] }
    }

    /// Softmax along `axis`. ∂ = y·(g − Σ g·y).
    public func softmax(alongAxis axis: Int = -1) -> Variable {
        let y = value.softmax(alongAxis: axis)
        return Variable(y, inputs: [self]) { g in [Tensor.softmaxBackward(g, output: y, alongAxis: axis)] }
    }

    /// Log-softmax along `axis`. ∂ = g − softmax·Σ g.
    public func logSoftmax(alongAxis axis: Int = -1) -> Variable {
        let y = value.logSoftmax(alongAxis: axis)
        return Variable(y, inputs: [self]) { g in [Tensor.logSoftmaxBackward(g, output: y, alongAxis: axis)] }
    }
}
