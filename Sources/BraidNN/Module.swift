import BraidAutograd
import BraidTensor

/// A neural-network component that owns parameters and child modules (`torch.nn.Module`).
///
/// Conformers list their own parameters, buffers and children under their PyTorch names; the
/// extension methods build dotted state-dict names from them (`encoder.layer.0.weight`), so one
/// list serves optimisers, `saveStateDict` and `loadStateDict`.
public protocol Module: AnyObject {
    /// Trainable parameters held directly by this module, by local name (`weight`, `bias`).
    var ownParameters: [(name: String, variable: Variable)] { get }
    /// Non-trainable state held directly by this module and saved with it (BatchNorm's running mean).
    var ownBuffers: [(name: String, variable: Variable)] { get }
    /// Child modules by local name (`0`, `encoder`).
    var children: [(name: String, module: any Module)] { get }
    /// Whether the module is in training mode (Dropout and BatchNorm behave differently).
    var isTraining: Bool { get set }
}

/// A module that maps one variable to one variable, so it can sit in a `Sequential`.
public protocol Layer: Module {
    /// Applies the layer.
    func callAsFunction(_ input: Variable) -> Variable
}

extension Module {
    /// No parameters of its own by default.
    public var ownParameters: [(name: String, variable: Variable)] { [] }
    /// No buffers of its own by default.
    public var ownBuffers: [(name: String, variable: Variable)] { [] }
    /// No children by default.
    public var children: [(name: String, module: any Module)] { [] }

    /// Every parameter of this module and its descendants with its dotted state-dict name
    /// (`named_parameters()`), own parameters first, then children in order.
    public func namedParameters() -> [(name: String, variable: Variable)] {
        ownParameters + children.flatMap { child in
            child.module.namedParameters().map { ("\(child.name).\($0.name)", $0.variable) }
        }
    }

    /// Every buffer of this module and its descendants with its dotted name (`named_buffers()`).
    public func namedBuffers() -> [(name: String, variable: Variable)] {
        ownBuffers + children.flatMap { child in
            child.module.namedBuffers().map { ("\(child.name).\($0.name)", $0.variable) }
        }
    }

    /// Every parameter, in `namedParameters()` order (`parameters()`).
    public func parameters() -> [Variable] { namedParameters().map(\.variable) }

    /// The total number of trainable scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.value.count } }

    /// Sets training mode on this module and every descendant (`train(mode)`).
    public func train(_ mode: Bool = true) {
        isTraining = mode
        for child in children { child.module.train(mode) }
    }

    /// Sets evaluation mode on this module and every descendant (`eval()`).
    public func eval() { train(false) }

    /// Forgets the gradients of every parameter (`zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        for parameter in parameters() { parameter.zeroGrad() }
    }
}
