import BraidAutograd
import BraidTensor

/// A neural-network component that owns parameters, buffers and child modules (`torch.nn.Module`).
///
/// A subclass declares its parts as stored properties and nothing more. The first time anything
/// asks for them, reflection finds every stored `Variable`, module, array or string-keyed
/// dictionary of either, and optional of these, in declaration order, and names each after its
/// property in snake_case, as PyTorch names attributes: `runningMean` → `running_mean`, array
/// elements `layers.0`, dictionary entries (in sorted key order) `projections.audio`. Dotted
/// state-dict names follow the nesting (`encoder.layer.0.weight`), so one registration serves
/// optimisers, `saveStateDict` and `loadStateDict`. Override ``stateDictKeys`` where a
/// checkpoint's names differ from the properties' (Hugging Face's `LayerNorm`), and
/// ``bufferNames`` to mark saved, never-trained state (BatchNorm's running mean).
///
/// A part reachable through two properties (a tied weight) is registered once, under its first
/// name. Parts inside other containers (nested arrays, tuples, structs, property wrappers) are not
/// found. What reflection finds is kept for the module's lifetime, so `parameters()` costs no
/// reflection per step; properties that hold parameters or modules must therefore be `let`. A
/// subclass of a module that overrides ``stateDictKeys`` or ``bufferNames`` merges its parent's.
open class Module {
    /// Whether the module is in training mode (Dropout and BatchNorm behave differently); set by
    /// ``train(_:)`` and ``eval()`` on a module and all its descendants.
    public private(set) var isTraining = true
    private var cachedRegistry: ModuleRegistry?

    /// A module in training mode.
    public init() {}

    /// State-dict names that differ from the reflected ones: reflected name or dotted prefix of
    /// one (`attention_norm`, `attention.query`) → the name to use (`attention.output.LayerNorm`,
    /// `attention.self.query`). Each name takes the entry of its longest matching prefix, once.
    /// An empty replacement drops the prefix (`Sequential`'s `layers.0` → `0`). Empty by default.
    open var stateDictKeys: [String: String] { [:] }

    /// The reflected names of stored `Variable` properties that are buffers (`running_mean`):
    /// saved and loaded with the state dict, left out of `parameters()`. Empty by default.
    open var bufferNames: Set<String> { [] }

    /// This module's registration, reflected on first use.
    var registry: ModuleRegistry {
        if let cachedRegistry { return cachedRegistry }
        let registry = ModuleRegistry(reflecting: self)
        cachedRegistry = registry
        return registry
    }
}

/// A module that maps one variable to one variable, so it can sit in a `Sequential`.
public protocol Layer: Module {
    /// Applies the layer.
    func callAsFunction(_ input: Variable) -> Variable
}

extension Module {
    /// Every parameter of this module and its descendants with its dotted state-dict name
    /// (`named_parameters()`), own parameters first, then each child's in declaration order.
    public func namedParameters() -> [(name: String, variable: Variable)] { registry.parameters }

    /// Every buffer of this module and its descendants with its dotted name (`named_buffers()`).
    public func namedBuffers() -> [(name: String, variable: Variable)] { registry.buffers }

    /// This module, named "", then every descendant with its dotted name (`named_modules()`).
    public func namedModules() -> [(name: String, module: Module)] { [("", self)] + registry.modules }

    /// Every parameter, in `namedParameters()` order (`parameters()`).
    public func parameters() -> [Variable] { registry.parameterVariables }

    /// The total number of trainable scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.value.count } }

    /// Sets training mode on this module and every descendant (`train(mode)`).
    public func train(_ mode: Bool = true) {
        isTraining = mode
        for descendant in registry.modules { descendant.module.isTraining = mode }
    }

    /// Sets evaluation mode on this module and every descendant (`eval()`).
    public func eval() { train(false) }

    /// Forgets the gradients of every parameter (`zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        for parameter in parameters() { parameter.zeroGrad() }
    }
}
