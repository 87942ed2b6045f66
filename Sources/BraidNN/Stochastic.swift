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
        for (path, module) in stochasticModules() { result[path] = module.generator }
        return result
    }

    /// Restores generators saved by `namedRandomGenerators()`; paths this tree lacks are ignored,
    /// and modules without a saved generator keep theirs.
    public func restoreRandomGenerators(_ generators: [String: RandomGenerator]) {
        for (path, module) in stochasticModules() {
            if let saved = generators[path] { module.generator = saved }
        }
    }

    private func stochasticModules() -> [(path: String, module: any Stochastic)] {
        namedModules().compactMap { entry in (entry.module as? any Stochastic).map { (entry.name, $0) } }
    }
}
