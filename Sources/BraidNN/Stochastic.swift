import BraidTensor

/// A module that draws from its own random generator (dropout masks), so a checkpoint can save
/// and restore the stream and a resumed run repeats the uninterrupted one.
public protocol Stochastic: AnyObject {
    /// The generator the module's next random draws come from.
    var generator: RandomGenerator { get set }
}

extension Dropout: Stochastic {}

extension Module {
    /// The generators of every `Stochastic` module in this tree (itself included), by dotted
    /// module path (`encoder.layer.0`; the root is ``).
    public func namedRandomGenerators() -> [String: RandomGenerator] {
        var result: [String: RandomGenerator] = [:]
        visitStochastic(prefix: "") { path, module in result[path] = module.generator }
        return result
    }

    /// Restores generators saved by `namedRandomGenerators()`; paths this tree lacks are ignored,
    /// and modules without a saved generator keep theirs.
    public func restoreRandomGenerators(_ generators: [String: RandomGenerator]) {
        visitStochastic(prefix: "") { path, module in
            if let saved = generators[path] { module.generator = saved }
        }
    }

    private func visitStochastic(prefix: String, _ body: (String, any Stochastic) -> Void) {
        if let stochastic = self as? any Stochastic { body(prefix, stochastic) }
        for child in children {
            child.module.visitStochastic(prefix: prefix.isEmpty ? child.name : "\(prefix).\(child.name)", body)
        }
    }
}
