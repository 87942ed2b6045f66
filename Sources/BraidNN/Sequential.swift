import BraidAutograd

/// Layers applied in order (`nn.Sequential`); children are named `0`, `1`, … as in PyTorch.
public final class Sequential: Module, Layer {
    /// The layers, first applied first.
    public let layers: [any Layer]

    /// A sequence of `layers`.
    public init(_ layers: [any Layer]) { self.layers = layers }

    /// A sequence of `layers`.
    public convenience init(_ layers: any Layer...) { self.init(layers) }

    /// The layers named by position alone (`0.weight`), as in PyTorch.
    public override var stateDictKeys: [String: String] { ["layers": ""] }

    /// The input passed through every layer.
    public func callAsFunction(_ input: Variable) -> Variable {
        layers.reduce(input) { $1($0) }
    }
}
