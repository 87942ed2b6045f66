extension Tensor {
    /// A tensor of `shape` filled with `value` (`torch.full`).
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.elementCount))
    }

    /// A tensor of zeros (`torch.zeros`).
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

    /// A tensor of ones (`torch.ones`).
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// A tensor of `shape` filled with `value` (`torch.full`).
    public static func full(_ shape: [Int], _ value: Float) -> Tensor { Tensor(repeating: value, shape: shape) }

    /// The values `start, start+step, …` below `end` as a 1-D tensor (`torch.arange`).
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
        check(step != 0, "arange: step must not be 0")
        let count = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor((0..<count).map { start + Float($0) * step })
    }

    /// The `n`×`n` identity matrix (`torch.eye`).
    public static func eye(_ n: Int) -> Tensor {
        var result = zeros([n, n])
        for i in 0..<n { result.scalars[i * n + i] = 1 }
        return result
    }

    /// Samples from the normal distribution N(`mean`, `standardDeviation`²) (`torch.normal`).
    public static func randomNormal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, generator: inout RandomGenerator
    ) -> Tensor {
        let count = shape.elementCount
        var values = [Float](repeating: 0, count: count)
        for i in stride(from: 0, to: count, by: 2) {
            let (a, b) = generator.nextNormalPair()
            values[i] = mean + standardDeviation * a
            if i + 1 < count { values[i + 1] = mean + standardDeviation * b }
        }
        return Tensor(shape: shape, scalars: values)
    }

    /// Samples uniformly from [`lowerBound`, `upperBound`) (`torch.rand` scaled, `nn.init.uniform_`).
    public static func randomUniform(
        _ shape: [Int], lowerBound: Float = 0, upperBound: Float = 1, generator: inout RandomGenerator
    ) -> Tensor {
        let width = upperBound - lowerBound
        return Tensor(shape: shape, scalars: (0..<shape.elementCount).map { _ in
            lowerBound + width * generator.nextUniform()
        })
    }
}
