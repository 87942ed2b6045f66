import BraidTensor

/// Deterministic pseudo-random values from a counter hash (murmur3's 32-bit finaliser), computed
/// identically by `hashed_tensor` in `Scripts/make-fixtures.py`, so a test and its fixture build
/// the same large weights without committing them.
public enum HashedValues {
    /// `count` uniform values in [0, 1) for `stream`.
    public static func uniform(count: Int, stream: Int) -> [Float] {
        (0..<count).map { i in
            var x = UInt32(truncatingIfNeeded: UInt64(i) &* 0x9E37_79B1 &+ UInt64(stream) &* 0x85EB_CA77 &+ 0x1656_67B1)
            x ^= x >> 16
            x &*= 0x85EB_CA6B
            x ^= x >> 13
            x &*= 0xC2B2_AE35
            x ^= x >> 16
            return Float(x >> 8) * 0x1p-24
        }
    }

    /// The value of state-dict entry `name` of `shape`, by the fixture script's rules: BatchNorm
    /// statistics and affine parameters near their defaults, convolutions U(±√(6/fanIn)), linear
    /// layers U(±√(1/fanIn)).
    public static func tensor(name: String, shape: [Int], stream: Int) -> Tensor {
        let u = uniform(count: shape.elementCount, stream: stream)
        let centered = u.map { $0 * 2 - 1 }
        let values: [Float]
        if name.hasSuffix("num_batches_tracked") {
            values = u.map { _ in 0 }
        } else if name.hasSuffix("running_var") {
            values = u.map { 1 + 0.5 * $0 }
        } else if name.hasSuffix("running_mean") || (shape.count == 1 && name.hasSuffix(".bias") && !name.hasPrefix("fc.")) {
            values = centered.map { $0 * 0.1 }
        } else if shape.count == 1 && name.hasSuffix(".weight") {
            values = centered.map { 1 + $0 * 0.1 }
        } else {
            let fanIn = shape.count > 1 ? shape.dropFirst().reduce(1, *) : 512
            let scale = Float(((shape.count == 4 ? 6.0 : 1.0) / Double(fanIn)).squareRoot())
            values = centered.map { $0 * scale }
        }
        return Tensor(shape: shape, scalars: values)
    }
}
