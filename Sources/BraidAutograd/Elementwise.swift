import BraidTensor

// Forward ops on variables with their gradient rules. Broadcasting rules reduce each input's
// gradient back to that input's shape with `sum(toShape:)`.

extension Variable {
    /// Element-wise sum with broadcasting. ∂/∂a = g, ∂/∂b = g.
    public static func + (a: Variable, b: Variable) -> Variable {
        Variable(a.value + b.value, inputs: [a, b]) { g in [g.sum(toShape: a.shape), g.sum(toShape: b.shape)] }
    }

    /// Element-wise difference with broadcasting. ∂/∂a = g, ∂/∂b = −g.
    public static func - (a: Variable, b: Variable) -> Variable {
        Variable(a.value - b.value, inputs: [a, b]) { g in [g.sum(toShape: a.shape), (-g).sum(toShape: b.shape)] }
    }

    /// Element-wise product with broadcasting. ∂/∂a = g·b, ∂/∂b = g·a.
    public static func * (a: Variable, b: Variable) -> Variable {
        Variable(a.value * b.value, inputs: [a, b]) { g in
            [a.requiresGrad ? (g * b.value).sum(toShape: a.shape) : nil,
             b.requiresGrad ? (g * a.value).sum(toShape: b.shape) : nil]
        }
    }

    /// Element-wise quotient with broadcasting. ∂/∂a = g/b, ∂/∂b = −g·a/b².
    public static func / (a: Variable, b: Variable) -> Variable {
        Variable(a.value / b.value, inputs: [a, b]) { g in
            [a.requiresGrad ? (g / b.value).sum(toShape: a.shape) : nil,
             b.requiresGrad ? (-g * a.value / (b.value * b.value)).sum(toShape: b.shape) : nil]
        }
    }

    /// Adds a constant to every element.
    public static func + (a: Variable, b: Float) -> Variable { Variable(a.value + b, inputs: [a]) { g in [g] } }
    /// Subtracts a constant from every element.
    public static func - (a: Variable, b: Float) -> Variable { Variable(a.value - b, inputs: [a]) { g in [g] } }
    /// Multiplies every element by a constant.
    public static func * (a: Variable, b: Float) -> Variable { Variable(a.value * b, inputs: [a]) { g in [g * b] } }
    /// Divides every element by a constant.
    public static func / (a: Variable, b: Float) -> Variable { Variable(a.value / b, inputs: [a]) { g in [g / b] } }
    /// Adds a constant to every element.
    public static func + (a: Float, b: Variable) -> Variable { b + a }
    /// Subtracts every element from a constant.
    public static func - (a: Float, b: Variable) -> Variable { Variable(a - b.value, inputs: [b]) { g in [-g] } }
    /// Multiplies every element by a constant.
    public static func * (a: Float, b: Variable) -> Variable { b * a }
    /// Negates every element.
    public static prefix func - (a: Variable) -> Variable { Variable(-a.value, inputs: [a]) { g in [-g] } }

    /// Element-wise `a^b` with broadcasting. ∂/∂a = g·b·a^(b−1), ∂/∂b = g·a^b·ln a (0 where a = 0, as in PyTorch).
    public static func pow(_ a: Variable, _ b: Variable) -> Variable {
        let y = Tensor.pow(a.value, b.value)
        return Variable(y, inputs: [a, b]) { g in
            let da = a.requiresGrad ? (g * b.value * Tensor.pow(a.value, b.value - 1)).sum(toShape: a.shape) : nil
            let logA = Tensor.zip(a.value, y, op: "pow") { x, _ in x == 0 ? 0 : logf(x) }
            let db = b.requiresGrad ? (g * y * logA).sum(toShape: b.shape) : nil
            return [da, db]
        }
    }

    /// Every element raised to a constant `exponent`. ∂/∂a = g·p·a^(p−1).
    public func pow(_ exponent: Float) -> Variable {
        Variable(value.pow(exponent), inputs: [self]) { [value] g in [g * value.pow(exponent - 1) * exponent] }
    }

    /// Element-wise larger value; on ties the gradient is split evenly, as in PyTorch.
    public static func maximum(_ a: Variable, _ b: Variable) -> Variable {
        Variable(Tensor.maximum(a.value, b.value), inputs: [a, b]) { g in
            let share = Tensor.zip(a.value, b.value, op: "maximum") { x, y in x > y ? 1 : x == y ? 0.5 : 0 }
            return [(g * share).sum(toShape: a.shape), (g * (1 - share)).sum(toShape: b.shape)]
        }
    }

    /// Element-wise smaller value; on ties the gradient is split evenly, as in PyTorch.
    public static func minimum(_ a: Variable, _ b: Variable) -> Variable {
        Variable(Tensor.minimum(a.value, b.value), inputs: [a, b]) { g in
            let share = Tensor.zip(a.value, b.value, op: "minimum") { x, y in x < y ? 1 : x == y ? 0.5 : 0 }
            return [(g * share).sum(toShape: a.shape), (g * (1 - share)).sum(toShape: b.shape)]
        }
    }

    /// e^x. ∂ = g·e^x.
    public func exp() -> Variable {
        let y = value.exp()
        return Variable(y, inputs: [self]) { g in [g * y] }
    }

    /// ln x. ∂ = g/x.
    public func log() -> Variable {
        Variable(value.log(), inputs: [self]) { [value] g in [g / value] }
    }

    /// √x. ∂ = g/(2√x).
    public func sqrt() -> Variable {
        let y = value.sqrt()
        return Variable(y, inputs: [self]) { g in [g / y * 0.5] }
    }

    /// 1/√x. ∂ = −g·y³/2.
    public func rsqrt() -> Variable {
        let y = value.rsqrt()
        return Variable(y, inputs: [self]) { g in [Tensor.zip(g, y, op: "rsqrt") { g, y in -0.5 * g * y * y * y }] }
    }

    /// tanh x. ∂ = g·(1 − y²).
    public func tanh() -> Variable {
        let y = value.tanh()
        return Variable(y, inputs: [self]) { g in [Tensor.zip(g, y, op: "tanh") { g, y in g * (1 - y * y) }] }
    }

    /// 1/(1+e^−x). ∂ = g·y·(1 − y).
    public func sigmoid() -> Variable {
        let y = value.sigmoid()
        return Variable(y, inputs: [self]) { g in [Tensor.zip(g, y, op: "sigmoid") { g, y in g * y * (1 - y) }] }
    }

    /// erf x. ∂ = g·(2/√π)·e^(−x²).
    public func erf() -> Variable {
        Variable(value.erf(), inputs: [self]) { [value] g in
            [Tensor.erfBackward(g, value)]
        }
    }

    /// |x|. ∂ = g·sign(x), 0 at 0.
    public func abs() -> Variable {
        Variable(value.abs(), inputs: [self]) { [value] g in
            [Tensor.zip(g, value, op: "abs") { g, x in x > 0 ? g : x < 0 ? -g : 0 }]
        }
    }

    /// x limited to [min, max]. The gradient passes where min ≤ x ≤ max, as in PyTorch.
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Variable {
        Variable(value.clamped(min: lower, max: upper), inputs: [self]) { [value] g in
            [Tensor.zip(g, value, op: "clamp") { g, x in x >= lower && x <= upper ? g : 0 }]
        }
    }

    /// `a` where `condition` is non-zero, `b` elsewhere, with broadcasting (`torch.where`).
    /// The condition is data, not differentiated.
    public static func `where`(_ condition: Tensor, _ a: Variable, _ b: Variable) -> Variable {
        Variable(Tensor.where(condition, a.value, b.value), inputs: [a, b]) { g in
            let zero = Tensor(0)
            return [Tensor.where(condition, g, zero).sum(toShape: a.shape),
                    Tensor.where(condition, zero, g).sum(toShape: b.shape)]
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
