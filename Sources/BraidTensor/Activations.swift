#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Point-wise activation functions and their derivatives, as fused loops.
///
/// Each `…Backward` takes the upstream gradient `g` and the forward input `x` and returns g·f′(x).
extension Tensor {
    /// max(0, x) (`torch.relu`).
    public func relu() -> Tensor { map { Swift.max($0, 0) } }

    /// g·[x > 0].
    public static func reluBackward(_ g: Tensor, _ x: Tensor) -> Tensor {
        zip(g, x, op: "reluBackward") { g, x in x > 0 ? g : 0 }
    }

    /// Exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)) (`nn.GELU()`).
    public func gelu() -> Tensor { map { 0.5 * $0 * (1 + erff($0 * 0.707_106_77)) } }

    /// g·(Φ(x) + x·φ(x)), with φ the standard normal density.
    public static func geluBackward(_ g: Tensor, _ x: Tensor) -> Tensor {
        zip(g, x, op: "geluBackward") { g, x in
            let cdf = 0.5 * (1 + erff(x * 0.707_106_77))
            let pdf = 0.398_942_28 * FastMath.exp(-0.5 * x * x)
            return g * (cdf + x * pdf)
        }
    }

    /// GELU's tanh approximation, ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (`nn.GELU(approximate="tanh")`).
    public func geluTanh() -> Tensor {
        map { x in 0.5 * x * (1 + tanhf(0.797_884_56 * (x + 0.044_715 * x * x * x))) }
    }

    /// g times the derivative of the tanh approximation.
    public static func geluTanhBackward(_ g: Tensor, _ x: Tensor) -> Tensor {
        zip(g, x, op: "geluTanhBackward") { g, x in
            let t = tanhf(0.797_884_56 * (x + 0.044_715 * x * x * x))
            let inner = 0.797_884_56 * (1 + 3 * 0.044_715 * x * x)
            return g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * inner)
        }
    }

    /// x·σ(x) (`nn.SiLU`).
    public func silu() -> Tensor { map { $0 * FastMath.sigmoid($0) } }

    /// g·σ(x)(1 + x(1 − σ(x))).
    public static func siluBackward(_ g: Tensor, _ x: Tensor) -> Tensor {
        zip(g, x, op: "siluBackward") { g, x in
            let s = FastMath.sigmoid(x)
            return g * s * (1 + x * (1 - s))
        }
    }
}
