import BraidTensor

/// A tensor that takes part in reverse-mode differentiation (`torch.Tensor` with `requires_grad`).
///
/// Operations on variables record, for each result, the inputs and a gradient rule; `backward()`
/// walks that graph from a result back to the leaves in reverse topological order and adds
/// ∂result/∂leaf into each leaf's `grad`. Gradients accumulate across calls until `zeroGrad()`.
public final class Variable {
    /// The current value.
    public var value: Tensor { didSet { version &+= 1 } }
    /// Counts every change of `value` (assignments and in-place updates alike), so caches derived
    /// from it (a `Linear`'s packed weight) know when they are stale.
    package private(set) var version: UInt64 = 0
    /// The accumulated gradient of a leaf that requires it; `nil` until `backward()` reaches it.
    public var grad: Tensor?
    /// Whether gradients flow to (a leaf) or through (a result) this variable.
    public let requiresGrad: Bool
    /// Called by `backward()` with this leaf once its `grad` holds every contribution of that
    /// pass, before the pass goes on to the rest of the graph
    /// (`register_post_accumulate_grad_hook`): where a data-parallel wrapper starts reducing the
    /// gradients that are final while the others are still being computed.
    public var gradientAccumulated: ((Variable) -> Void)?
    /// How this variable was computed; `nil` for leaves and for results computed without gradients.
    private(set) var creator: Operation?

    /// A leaf variable: a parameter when `requiresGrad`, a constant input otherwise.
    public init(_ value: Tensor, requiresGrad: Bool = false) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.creator = nil
    }

    /// The result of an operation on `inputs`. `backward` maps the gradient of the result to the
    /// gradient of each input (in order; `nil` where an input gets none) and must return tensors of
    /// the inputs' shapes. Nothing is recorded inside `withoutGradients` or when no input requires
    /// gradients.
    public init(_ value: Tensor, inputs: [Variable], backward: @escaping (Tensor) -> [Tensor?]) {
        self.value = value
        if GradientMode.isEnabled && inputs.contains(where: \.requiresGrad) {
            requiresGrad = true
            creator = Operation(inputs: inputs, backward: backward)
        } else {
            requiresGrad = false
            creator = nil
        }
    }

    /// Releases the graph behind this variable iteratively. Without this, freeing a long chain of
    /// results would recurse once per operation and overflow the stack.
    deinit {
        var pending = creator.map { [$0] } ?? []
        creator = nil
        while var operation = pending.popLast() {
            guard isKnownUniquelyReferenced(&operation) else { continue }
            operation.backward = nil
            while var input = operation.inputs.popLast() {
                if isKnownUniquelyReferenced(&input), let inner = input.creator {
                    input.creator = nil
                    pending.append(inner)
                }
            }
        }
    }

    /// The value's shape.
    public var shape: [Int] { value.shape }

    /// The value's number of dimensions.
    public var rank: Int { value.rank }

    /// Whether this is a leaf (not computed by a recorded operation).
    public var isLeaf: Bool { creator == nil }

    /// The same value cut off from the graph: gradients do not flow through it (`detach()`).
    public func detached() -> Variable { Variable(value) }

    /// Forgets the accumulated gradient.
    public func zeroGrad() { grad = nil }

    /// Back-propagates from this variable: a scalar by default (seed 1), or any shape with an explicit
    /// `seed` of that shape (`torch.Tensor.backward(gradient)`). Adds into the `grad` of every leaf
    /// that requires gradients.
    public func backward(seed: Tensor? = nil) {
        check(requiresGrad, "backward: the variable does not require gradients")
        if let seed {
            check(seed.shape == shape, "backward: seed of shape \(seed.shape) for a variable of shape \(shape)")
        } else {
            check(value.count == 1, "backward: a non-scalar variable of shape \(shape) needs a seed")
        }
        var gradients: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed ?? Tensor(repeating: 1, shape: shape)]
        for variable in topologicalOrder().reversed() {
            guard let gradient = gradients.removeValue(forKey: ObjectIdentifier(variable)) else { continue }
            guard let creator = variable.creator else {
                variable.grad = variable.grad.map { $0 + gradient } ?? gradient
                variable.gradientAccumulated?(variable)
                continue
            }
            let inputGradients = creator.backward?(gradient) ?? []
            for (input, inputGradient) in zip(creator.inputs, inputGradients) where input.requiresGrad {
                guard let inputGradient else { continue }
                check(
                    inputGradient.shape == input.shape,
                    "backward: gradient of shape \(inputGradient.shape) for an input of shape \(input.shape)")
                let key = ObjectIdentifier(input)
                gradients[key] = gradients[key].map { $0 + inputGradient } ?? inputGradient
            }
        }
    }

    /// Variables reachable from this one that require gradients, each after all of its inputs.
    private func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited: Set<ObjectIdentifier> = []
        var stack: [(Variable, expanded: Bool)] = [(self, false)]
        while let (variable, expanded) = stack.popLast() {
            if expanded {
                order.append(variable)
                continue
            }
            guard visited.insert(ObjectIdentifier(variable)).inserted else { continue }
            stack.append((variable, true))
            for input in variable.creator?.inputs ?? [] where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }
}

/// A recorded operation: its inputs and the rule that maps the result's gradient to theirs.
/// Both are variables only so that `Variable.deinit` can dismantle the graph iteratively.
final class Operation {
    var inputs: [Variable]
    var backward: ((Tensor) -> [Tensor?])?

    init(inputs: [Variable], backward: @escaping (Tensor) -> [Tensor?]) {
        self.inputs = inputs
        self.backward = backward
    }
}

extension Variable: CustomStringConvertible {
    /// The value's description, marked when the variable requires gradients.
    public var description: String { "Variable(\(value)\(requiresGrad ? ", requiresGrad" : ""))" }
}
