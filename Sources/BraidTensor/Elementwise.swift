#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Kernels

extension Tensor {
    /// Applies `f` to every element. `f` is inlined into the loop, which the compiler vectorises.
    @inlinable @inline(__always)
    public func map(_ f: (Float) -> Float) -> Tensor {
        withUnsafeBufferPointer { source in
            Tensor(shape: shape) { out in
                for i in 0..<out.count { out[i] = f(source[i]) }
            }
        }
    }

    /// Combines `a` and `b` element by element with NumPy broadcasting; `op` names the operation in errors.
    @inlinable @inline(__always)
    public static func zip(_ a: Tensor, _ b: Tensor, op: String, _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape {
            return a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    Tensor(shape: a.shape) { out in
                        for i in 0..<out.count { out[i] = f(x[i], y[i]) }
                    }
                }
            }
        }
        let shape = Shape.broadcast(a.shape, b.shape, op: op)
        let layout = StridedLayout(
            shape: shape,
            strides: Shape.broadcastStrides(of: a.shape, to: shape),
            Shape.broadcastStrides(of: b.shape, to: shape))
        let n = layout.rowLength
        let (sa, sb) = layout.rowStrides
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                Tensor(shape: shape) { out in
                    guard out.count > 0 else { return }
                    let xp = x.baseAddress!, yp = y.baseAddress!, op = out.baseAddress!
                    layout.forEachRow { row, offsetA, offsetB in
                        let xr = xp + offsetA, yr = yp + offsetB, o = op + row * n
                        switch (sa, sb) {
                        case (1, 1): for i in 0..<n { o[i] = f(xr[i], yr[i]) }
                        case (1, 0): let v = yr[0]; for i in 0..<n { o[i] = f(xr[i], v) }
                        case (0, 1): let v = xr[0]; for i in 0..<n { o[i] = f(v, yr[i]) }
                        default: for i in 0..<n { o[i] = f(xr[i * sa], yr[i * sb]) }
                        }
                    }
                }
            }
        }
    }

    /// Materialises this tensor broadcast to `shape` (NumPy rules), like `torch.Tensor.expand(...).contiguous()`.
    public func broadcast(to shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        return gatherStrided(shape: shape, strides: Shape.broadcastStrides(of: self.shape, to: shape))
    }

    /// Sums this tensor over the axes that broadcasting added or stretched, giving a tensor of `shape`.
    /// This is the adjoint of `broadcast(to:)`, used by every broadcasting gradient rule.
    public func sum(toShape shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        let offset = rank - shape.count
        check(offset >= 0, "sum(toShape:): \(self.shape) cannot reduce to \(shape)")
        var axes = Array(0..<offset)
        for i in shape.indices where shape[i] == 1 && self.shape[i + offset] != 1 {
            axes.append(i + offset)
        }
        return sum(alongAxes: axes, keepDims: true).reshaped(to: shape)
    }
}

// MARK: - Arithmetic

extension Tensor {
    /// Element-wise sum with broadcasting (`torch.add`).
    public static func + (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "add") { $0 + $1 } }
    /// Element-wise difference with broadcasting (`torch.sub`).
    public static func - (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "sub") { $0 - $1 } }
    /// Element-wise product with broadcasting (`torch.mul`).
    public static func * (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "mul") { $0 * $1 } }
    /// Element-wise quotient with broadcasting (`torch.div`).
    public static func / (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "div") { $0 / $1 } }
    /// Adds a scalar to every element.
    public static func + (a: Tensor, b: Float) -> Tensor { a.map { $0 + b } }
    /// Subtracts a scalar from every element.
    public static func - (a: Tensor, b: Float) -> Tensor { a.map { $0 - b } }
    /// Multiplies every element by a scalar.
    public static func * (a: Tensor, b: Float) -> Tensor { a.map { $0 * b } }
    /// Divides every element by a scalar.
    public static func / (a: Tensor, b: Float) -> Tensor { a.map { $0 / b } }
    /// Adds every element to a scalar.
    public static func + (a: Float, b: Tensor) -> Tensor { b.map { a + $0 } }
    /// Subtracts every element from a scalar.
    public static func - (a: Float, b: Tensor) -> Tensor { b.map { a - $0 } }
    /// Multiplies a scalar by every element.
    public static func * (a: Float, b: Tensor) -> Tensor { b.map { a * $0 } }
    /// Divides a scalar by every element.
    public static func / (a: Float, b: Tensor) -> Tensor { b.map { a / $0 } }
    /// Negates every element.
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    /// Element-wise power `a^b` with broadcasting (`torch.pow`).
    public static func pow(_ a: Tensor, _ b: Tensor) -> Tensor { zip(a, b, op: "pow") { powf($0, $1) } }
    /// Element-wise larger value with broadcasting (`torch.maximum`).
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { zip(a, b, op: "maximum") { Swift.max($0, $1) } }
    /// Element-wise smaller value with broadcasting (`torch.minimum`).
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { zip(a, b, op: "minimum") { Swift.min($0, $1) } }

    /// Every element raised to `exponent`; squares and square roots use exact fast paths.
    public func pow(_ exponent: Float) -> Tensor {
        switch exponent {
        case 1: return self
        case 2: return map { $0 * $0 }
        case 0.5: return sqrt()
        default: return map { powf($0, exponent) }
        }
    }
}

// MARK: - Unary functions

extension Tensor {
    /// Natural logarithm of every element (`torch.log`).
    public func log() -> Tensor { map { logf($0) } }
    /// Square root of every element (`torch.sqrt`).
    public func sqrt() -> Tensor { map { $0.squareRoot() } }
    /// 1/√x for every element (`torch.rsqrt`).
    public func rsqrt() -> Tensor { map { 1 / $0.squareRoot() } }
    /// Absolute value of every element (`torch.abs`).
    public func abs() -> Tensor { map { Swift.abs($0) } }
    /// Every element limited to `[min, max]` (`torch.clamp`); either bound may be omitted.
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        check(lower <= upper, "clamp: min \(lower) is greater than max \(upper)")
        return map { Swift.min(Swift.max($0, lower), upper) }
    }
}

// MARK: - Comparisons and selection

infix operator .>: ComparisonPrecedence
infix operator .>=: ComparisonPrecedence
infix operator .<: ComparisonPrecedence
infix operator .<=: ComparisonPrecedence
infix operator .==: ComparisonPrecedence
infix operator .!=: ComparisonPrecedence

extension Tensor {
    /// 1 where `a > b`, else 0, with broadcasting (`torch.gt`).
    public static func .> (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "gt") { $0 > $1 ? 1 : 0 } }
    /// 1 where `a >= b`, else 0, with broadcasting (`torch.ge`).
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "ge") { $0 >= $1 ? 1 : 0 } }
    /// 1 where `a < b`, else 0, with broadcasting (`torch.lt`).
    public static func .< (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "lt") { $0 < $1 ? 1 : 0 } }
    /// 1 where `a <= b`, else 0, with broadcasting (`torch.le`).
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "le") { $0 <= $1 ? 1 : 0 } }
    /// 1 where `a == b`, else 0, with broadcasting (`torch.eq`).
    public static func .== (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "eq") { $0 == $1 ? 1 : 0 } }
    /// 1 where `a != b`, else 0, with broadcasting (`torch.ne`).
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { zip(a, b, op: "ne") { $0 != $1 ? 1 : 0 } }

    /// Elements of `a` where `condition` is non-zero and of `b` elsewhere, all three broadcast
    /// together (`torch.where`).
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = Shape.broadcast(Shape.broadcast(condition.shape, a.shape, op: "where"), b.shape, op: "where")
        let c = condition.broadcast(to: shape), x = a.broadcast(to: shape), y = b.broadcast(to: shape)
        return c.withUnsafeBufferPointer { c in
            x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    Tensor(shape: shape) { out in
                        for i in 0..<out.count { out[i] = c[i] != 0 ? x[i] : y[i] }
                    }
                }
            }
        }
    }
}
