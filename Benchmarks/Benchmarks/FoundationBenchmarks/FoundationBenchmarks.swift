// Foundation benchmarks: matrix products against raw sgemm, the weight products of inference
// (`WeightProduct`, y = x·Wᵀ + b) against sgemm on the same buffers at the shapes of CLIP's and
// MiniLM's layers, element-wise kernels, softmax, Linear forward+backward, and one training step
// of an MLP.
//
// Each benchmark reports wall-clock time and, as a custom metric, its throughput in stated units
// (MFLOP/s or M elements/s). The raw `cblas_sgemm` benchmarks are the baseline for the matmul
// and Linear figures in the same run.
import Benchmark
import BenchmarkSupport
import Braid
@_spi(RawKernels) import BraidTensor

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident], warmupIterations: 2, maxDuration: .seconds(2), maxIterations: 200)

    for n in [256, 512, 1024] {
        let flops = 2 * Double(n * n * n)
        let a = randomTensor([n, n], seed: 1), b = randomTensor([n, n], seed: 2)
        throughputBenchmark("sgemm raw \(n)³", unit: .mflops, work: flops) {
            blackHole(rawSquareSgemm(a, b, n: n))
        }
        throughputBenchmark("matmul Tensor \(n)³", unit: .mflops, work: flops) {
            blackHole(Tensor.matmul(a, b))
        }
    }

    // Tokens × outputs × inputs: CLIP ViT-B/32's MLP at batch 32 (50 tokens an image), CLIP's text
    // QKV and MLP output at batch 32 × 16 tokens, MiniLM's MLP at ~500 tokens.
    for (rows, outputs, inputs) in [(1600, 3072, 768), (512, 1536, 512), (512, 512, 2048), (512, 1536, 384)] {
        let product = WeightProductPair(rows: rows, outputs: outputs, inputs: inputs)
        let name = "\(rows)×\(inputs)→\(outputs)"
        throughputBenchmark("weight product \(name)", unit: .mflops, work: product.flops) { product.runPanels() }
        throughputBenchmark("sgemm raw weight product \(name)", unit: .mflops, work: product.flops) { product.runSgemm() }
    }

    let million = 1 << 20
    let x = randomTensor([million], seed: 3), y = randomTensor([million], seed: 4)
    throughputBenchmark("add 1M", unit: .melements, work: Double(million)) { blackHole(x + y) }
    throughputBenchmark("mul 1M", unit: .melements, work: Double(million)) { blackHole(x * y) }
    throughputBenchmark("GELU 1M", unit: .melements, work: Double(million)) { blackHole(x.gelu()) }
    throughputBenchmark("GELU tanh 1M", unit: .melements, work: Double(million)) { blackHole(x.geluTanh()) }
    throughputBenchmark("exp 1M", unit: .melements, work: Double(million)) { blackHole(x.exp()) }
    let rows = x.reshaped(to: [1024, 1024])
    throughputBenchmark("softmax rows 1024×1024", unit: .melements, work: Double(million)) { blackHole(rows.softmax()) }

    // Linear 1024 → 1024 at batch 64: forward 2·64·1024² flops, backward twice that.
    let linear = LinearStep(batch: 64, features: 1024)
    throughputBenchmark("Linear fwd+bwd 64×1024→1024", unit: .mflops, work: 6 * 64 * 1024 * 1024) {
        blackHole(linear.step())
    }
    let raw = RawLinearProducts(batch: 64, features: 1024)
    throughputBenchmark("sgemm raw Linear fwd+bwd products 64×1024→1024", unit: .mflops, work: 6 * 64 * 1024 * 1024) {
        raw.run()
    }

    // One Adam training step of an MLP 784-1024-1024-10 with ReLU and cross-entropy at batch 256.
    let mlp = MLPStep(batch: 256)
    throughputBenchmark("MLP 784-1024-1024-10 train step b256", unit: .mflops, work: mlp.flops) {
        blackHole(mlp.step())
    }
}

/// The three sgemm calls of a Linear forward and backward on preallocated buffers: the baseline
/// for `LinearStep` (y = x·Wᵀ, ∂x = g·W, ∂W = gᵀ·x).
final class RawLinearProducts: @unchecked Sendable {
    let (batch, features): (Int, Int)
    let x, w, g, y, gx, gw: UnsafeMutablePointer<Float>

    init(batch: Int, features: Int) {
        (self.batch, self.features) = (batch, features)
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            for i in 0..<count { p[i] = Float(i % 7) - 3 }
            return p
        }
        (x, w, g) = (buffer(batch * features), buffer(features * features), buffer(batch * features))
        (y, gx, gw) = (buffer(batch * features), buffer(batch * features), buffer(features * features))
    }

    func run() {
        let (b, f) = (batch, features)
        BLAS.gemm(transposeA: false, transposeB: true, m: b, n: f, k: f, a: x, lda: f, b: w, ldb: f, c: y, ldc: f)
        BLAS.gemm(transposeA: false, transposeB: false, m: b, n: f, k: f, a: g, lda: f, b: w, ldb: f, c: gx, ldc: f)
        BLAS.gemm(transposeA: true, transposeB: false, m: f, n: f, k: b, a: g, lda: f, b: x, ldb: f, c: gw, ldc: f)
    }
}

/// y = x·Wᵀ + b on preallocated buffers, by `WeightProduct` on W packed once (bias in its
/// register blocks) or by sgemm on W after writing the bias rows, as `Tensor.linear` does.
final class WeightProductPair: @unchecked Sendable {
    let (rows, outputs, inputs): (Int, Int, Int)
    let x, w, b, y: UnsafeMutablePointer<Float>
    let packed: PackedWeight

    init(rows: Int, outputs: Int, inputs: Int) {
        (self.rows, self.outputs, self.inputs) = (rows, outputs, inputs)
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            for i in 0..<count { p[i] = Float(i % 7) - 3 }
            return p
        }
        (x, w, b, y) = (buffer(rows * inputs), buffer(outputs * inputs), buffer(outputs), buffer(rows * outputs))
        packed = PackedWeight(Tensor(shape: [outputs, inputs], scalars: Array(UnsafeBufferPointer(start: w, count: outputs * inputs))))
    }

    var flops: Double { 2 * Double(rows * outputs * inputs) }

    func runPanels() {
        WeightProduct.multiply(a: x, rows: rows, lda: inputs, weight: packed, bias: b, residual: nil, ldr: 0, c: y, ldc: outputs)
    }

    func runSgemm() {
        for r in 0..<rows { (y + r * outputs).update(from: b, count: outputs) }
        BLAS.gemm(transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: w, ldb: inputs,
                  beta: 1, c: y, ldc: outputs)
    }
}

/// Linear forward and backward (input, weight and bias gradients) for a fixed batch.
final class LinearStep: @unchecked Sendable {
    let linear: Linear
    let input: Variable
    let upstream: Tensor

    init(batch: Int, features: Int) {
        var generator = RandomGenerator(seed: 5)
        linear = Linear(inputFeatures: features, outputFeatures: features, generator: &generator)
        input = Variable(Tensor.randomNormal([batch, features], generator: &generator), requiresGrad: true)
        upstream = Tensor.randomNormal([batch, features], generator: &generator)
    }

    func step() -> Tensor? {
        linear.zeroGrad()
        input.zeroGrad()
        linear(input).backward(seed: upstream)
        return linear.weight.grad
    }
}

/// The MLP training step: forward, cross-entropy, backward, Adam update.
final class MLPStep: @unchecked Sendable {
    let model: Sequential
    let optimizer: Adam
    let input: Variable
    let labels: IntTensor
    /// 6·B·Σ(in·out): forward 2·B·Σ(in·out) and backward twice that (~2.9 GFLOP at batch 256).
    let flops: Double

    init(batch: Int) {
        var generator = RandomGenerator(seed: 10)
        model = Sequential(
            Linear(inputFeatures: 784, outputFeatures: 1024, generator: &generator), ReLU(),
            Linear(inputFeatures: 1024, outputFeatures: 1024, generator: &generator), ReLU(),
            Linear(inputFeatures: 1024, outputFeatures: 10, generator: &generator))
        optimizer = Adam(parameters: model.parameters(), learningRate: 1e-3)
        input = Variable(Tensor.randomNormal([batch, 784], generator: &generator))
        labels = IntTensor((0..<batch).map { $0 % 10 })
        flops = 6 * Double(batch) * Double(784 * 1024 + 1024 * 1024 + 1024 * 10)
    }

    func step() -> Float {
        optimizer.zeroGrad()
        let loss = crossEntropy(logits: model(input), targets: labels)
        loss.backward()
        optimizer.step()
        return loss.value.scalar
    }
}
