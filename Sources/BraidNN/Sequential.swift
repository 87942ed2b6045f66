import BraidAutograd

/// Layers applied in order (`nn.Sequential`); children are named `0`, `1`, … as in PyTorch.
public final class Sequential: Layer {
    /// The layers, first applied first.
    public let layers: [any Layer]
    /// Whether the layers are in training mode.
    public var isTraining = true

    /// A sequence of `layers`.
    public init(_ layers: [any Layer]) { self.layers = layers }

    /// A sequence of `layers`.
    public convenience init(_ layers: any Layer...) { self.init(layers) }

    /// The layers named by position.
    public var children: [(name: String, module: any Module)] {
        layers.enumerated().map { (String($0.offset), $0.element as any Module) }
    }

    /// The input passed through every layer.
    public func callAsFunction(_ input: Variable) -> Variable {
        layers.reduce(input) { $1($0) }
    }
}
