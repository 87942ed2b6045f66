import BraidAutograd

/// max(0, x) (`nn.ReLU`).
public final class ReLU: Module, Layer {
    /// Creates the layer.
    public override init() {}
    /// max(0, x).
    public func callAsFunction(_ input: Variable) -> Variable { input.relu() }
}

/// GELU, exact x·Φ(x) or its tanh approximation (`nn.GELU(approximate=...)`).
public final class GELU: Module, Layer {
    /// Whether the tanh approximation is used.
    public let approximate: Bool
    /// Creates the layer; `approximate: true` is PyTorch's `approximate="tanh"`.
    public init(approximate: Bool = false) { self.approximate = approximate }
    /// GELU of the input.
    public func callAsFunction(_ input: Variable) -> Variable { input.gelu(approximate: approximate) }
}

/// x·σ(x) (`nn.SiLU`).
public final class SiLU: Module, Layer {
    /// Creates the layer.
    public override init() {}
    /// x·σ(x).
    public func callAsFunction(_ input: Variable) -> Variable { input.silu() }
}

/// tanh x (`nn.Tanh`).
public final class Tanh: Module, Layer {
    /// Creates the layer.
    public override init() {}
    /// tanh x.
    public func callAsFunction(_ input: Variable) -> Variable { input.tanh() }
}

/// 1/(1+e^−x) (`nn.Sigmoid`).
public final class Sigmoid: Module, Layer {
    /// Creates the layer.
    public override init() {}
    /// σ(x).
    public func callAsFunction(_ input: Variable) -> Variable { input.sigmoid() }
}

/// Softmax along `axis` (`nn.Softmax(dim)`).
public final class Softmax: Module, Layer {
    /// The axis normalised over.
    public let axis: Int
    /// Creates the layer; the last axis by default.
    public init(axis: Int = -1) { self.axis = axis }
    /// Softmax of the input.
    public func callAsFunction(_ input: Variable) -> Variable { input.softmax(alongAxis: axis) }
}

/// Log-softmax along `axis` (`nn.LogSoftmax(dim)`).
public final class LogSoftmax: Module, Layer {
    /// The axis normalised over.
    public let axis: Int
    /// Creates the layer; the last axis by default.
    public init(axis: Int = -1) { self.axis = axis }
    /// Log-softmax of the input.
    public func callAsFunction(_ input: Variable) -> Variable { input.logSoftmax(alongAxis: axis) }
}
