/// Stride, padding, dilation and groups of a 2-D convolution (`nn.Conv2d`'s arguments).
public struct Convolution2DGeometry: Sendable, Equatable {
    /// Steps between output positions, (height, width).
    public var stride: (Int, Int)
    /// Zeros added on each side, (height, width).
    public var padding: (Int, Int)
    /// Spacing between kernel taps, (height, width).
    public var dilation: (Int, Int)
    /// Channel groups; input and output channels must both be divisible by it.
    public var groups: Int

    /// Creates the geometry; defaults are PyTorch's.
    public init(stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1) {
        check(stride.0 > 0 && stride.1 > 0 && dilation.0 > 0 && dilation.1 > 0 && groups > 0,
                     "Convolution2DGeometry: stride \(stride), dilation \(dilation) and groups \(groups) must be positive")
        check(padding.0 >= 0 && padding.1 >= 0, "Convolution2DGeometry: negative padding \(padding)")
        (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
    }

    /// The output size along one axis: ⌊(in + 2·pad − dil·(k − 1) − 1)/stride⌋ + 1.
    public static func outputLength(_ input: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        (input + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.stride == b.stride && a.padding == b.padding && a.dilation == b.dilation && a.groups == b.groups
    }
}

/// Sizes of one convolution call, checked once.
struct ConvolutionShape {
    let batch, channels, height, width: Int
    let outputs, kernelHeight, kernelWidth, outputHeight, outputWidth: Int
    let geometry: Convolution2DGeometry

    var groupChannels: Int { channels / geometry.groups }
    var groupOutputs: Int { outputs / geometry.groups }
    /// Rows of the unfolded input of one group: (channel, tap row, tap column).
    var patchLength: Int { groupChannels * kernelHeight * kernelWidth }
    var outputPlane: Int { outputHeight * outputWidth }
    /// Output rows unfolded at once in the forward pass: about 1024 output positions, so the
    /// unfolded block stays in cache between im2col and the sgemm that reads it.
    var chunkRows: Int { Swift.max(1, Swift.min(outputHeight, 1024 / Swift.max(outputWidth, 1))) }

    init(input: [Int], weight: [Int], geometry g: Convolution2DGeometry) {
        check(
            input.count == 4 && weight.count == 4,
            "conv2d: input \(input) must be [N, C, H, W] and weight \(weight) [O, C/groups, kH, kW]")
        check(
            input[1] % g.groups == 0 && weight[0] % g.groups == 0 && weight[1] * g.groups == input[1],
            "conv2d: input \(input) and weight \(weight) do not fit \(g.groups) groups")
        (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
        (outputs, kernelHeight, kernelWidth) = (weight[0], weight[2], weight[3])
        outputHeight = Convolution2DGeometry.outputLength(
            height, kernel: kernelHeight, stride: g.stride.0, padding: g.padding.0, dilation: g.dilation.0)
        outputWidth = Convolution2DGeometry.outputLength(
            width, kernel: kernelWidth, stride: g.stride.1, padding: g.padding.1, dilation: g.dilation.1)
        check(
            outputHeight > 0 && outputWidth > 0,
            "conv2d: kernel \(weight) with \(g) does not fit input \(input)")
        geometry = g
    }

    /// Visits every (patch row, output row in `outputRows`) pair of one group's unfolding:
    /// `body(row, channel, outputRow, inputRow, firstColumn)`, with `inputRow` nil outside the
    /// image; `firstColumn` is the input column of output column 0 for this tap (it may be negative).
    @inline(__always)
    func forEachTapRow(
        _ outputRows: Range<Int>,
        _ body: (_ patchRow: Int, _ channel: Int, _ outputRow: Int, _ inputRow: Int?, _ firstColumn: Int) -> Void
    ) {
        let g = geometry
        for c in 0..<groupChannels {
            for ki in 0..<kernelHeight {
                for kj in 0..<kernelWidth {
                    let row = (c * kernelHeight + ki) * kernelWidth + kj
                    for oh in outputRows {
                        let ih = oh * g.stride.0 - g.padding.0 + ki * g.dilation.0
                        body(row, c, oh, ih >= 0 && ih < height ? ih : nil, kj * g.dilation.1 - g.padding.1)
                    }
                }
            }
        }
    }

    /// The output columns `lower..<upper` whose input column `firstColumn + j·stride` lies inside the image.
    @inline(__always)
    func validColumns(firstColumn: Int) -> Range<Int> {
        let sw = geometry.stride.1
        let lower = firstColumn >= 0 ? 0 : (-firstColumn + sw - 1) / sw
        let upper = Swift.min(outputWidth, firstColumn >= width ? 0 : (width - 1 - firstColumn) / sw + 1)
        return lower..<Swift.max(lower, upper)
    }

    /// Unfolds output rows `outputRows` of one image's group `[Cg, H, W]` into `columns`
    /// `[patchLength, rows·Wo]` (im2col).
    func unfold(_ image: UnsafePointer<Float>, rows outputRows: Range<Int>, into columns: UnsafeMutablePointer<Float>) {
        let (ow, sw) = (outputWidth, geometry.stride.1)
        let block = outputRows.count * ow
        forEachTapRow(outputRows) { row, c, oh, ih, firstColumn in
            let out = columns + row * block + (oh - outputRows.lowerBound) * ow
            guard let ih else {
                out.initialize(repeating: 0, count: ow)
                return
            }
            let source = image + (c * height + ih) * width + firstColumn
            let valid = validColumns(firstColumn: firstColumn)
            out.initialize(repeating: 0, count: valid.lowerBound)
            (out + valid.upperBound).initialize(repeating: 0, count: ow - valid.upperBound)
            if sw == 1 {
                (out + valid.lowerBound).update(from: source + valid.lowerBound, count: valid.count)
            } else {
                for j in valid { out[j] = source[j * sw] }
            }
        }
    }

    /// Adds `columns` `[patchLength, Ho·Wo]` back into one image's group `[Cg, H, W]` (col2im), the
    /// adjoint of `unfold`.
    func fold(_ columns: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>) {
        let (ow, sw) = (outputWidth, geometry.stride.1)
        forEachTapRow(0..<outputHeight) { row, c, oh, ih, firstColumn in
            guard let ih else { return }
            let source = columns + row * outputPlane + oh * ow
            let target = image + (c * height + ih) * width + firstColumn
            for j in validColumns(firstColumn: firstColumn) { target[j * sw] += source[j] }
        }
    }
}

extension Tensor {
    /// 2-D cross-correlation (`F.conv2d`): input `[N, C, H, W]`, weight `[O, C/groups, kH, kW]`,
    /// bias `[O]` → `[N, O, Ho, Wo]`. Each image's output rows are unfolded (im2col) a chunk at a
    /// time and multiplied by the weight with one sgemm per group; the (image, chunk) tasks run in
    /// parallel, so that one image also spreads over the cores.
    public static func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, geometry: Convolution2DGeometry = .init()) -> Tensor {
        conv2d(input, weight: weight, bias: bias, geometry: geometry, residual: nil, relu: false)
    }

    /// relu?(conv2d(input, weight, bias) + residual), with the residual (the output's shape) and
    /// the ReLU applied to each chunk of output rows while the product has left it in cache.
    package static func conv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor?, geometry: Convolution2DGeometry, residual: Tensor?, relu: Bool
    ) -> Tensor {
        let s = ConvolutionShape(input: input.shape, weight: weight.shape, geometry: geometry)
        if let bias { check(bias.shape == [s.outputs], "conv2d: bias \(bias.shape) for weight \(weight.shape)") }
        let outputShape = [s.batch, s.outputs, s.outputHeight, s.outputWidth]
        if let residual { check(residual.shape == outputShape, "conv2d: residual \(residual.shape), output \(outputShape)") }
        let groups = geometry.groups
        let chunks = (s.outputHeight + s.chunkRows - 1) / s.chunkRows
        return input.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                (residual ?? input).withUnsafeBufferPointer { extra in
                    Tensor(shape: outputShape) { out in
                        let (x, w, out) = (SharedPointer(UnsafeMutablePointer(mutating: x.baseAddress!)),
                                           SharedPointer(UnsafeMutablePointer(mutating: w.baseAddress!)),
                                           SharedPointer(out.baseAddress!))
                        let extra = residual == nil ? nil : ReadPointer(extra)
                        let biasValues = bias?.scalars
                        Parallel.distribute(s.batch * chunks) { _, tasks in
                            let columns = UnsafeMutablePointer<Float>.allocate(capacity: s.patchLength * s.chunkRows * s.outputWidth)
                            defer { columns.deallocate() }
                            for task in tasks {
                                let (n, chunk) = task.quotientAndRemainder(dividingBy: chunks)
                                let first = chunk * s.chunkRows
                                let rows = first..<Swift.min(first + s.chunkRows, s.outputHeight)
                                let block = rows.count * s.outputWidth
                                for g in 0..<groups {
                                    let image = x.address + (n * s.channels + g * s.groupChannels) * s.height * s.width
                                    let target = out.address + (n * s.outputs + g * s.groupOutputs) * s.outputPlane
                                        + first * s.outputWidth
                                    for o in 0..<s.groupOutputs {
                                        (target + o * s.outputPlane).initialize(
                                            repeating: biasValues?[g * s.groupOutputs + o] ?? 0, count: block)
                                    }
                                    s.unfold(image, rows: rows, into: columns)
                                    BLAS.gemm(
                                        transposeA: false, transposeB: false, m: s.groupOutputs, n: block, k: s.patchLength,
                                        a: w.address + g * s.groupOutputs * s.patchLength, lda: s.patchLength,
                                        b: columns, ldb: block, beta: 1, c: target, ldc: s.outputPlane)
                                }
                                guard extra != nil || relu else { continue }
                                for o in 0..<s.outputs {
                                    let offset = (n * s.outputs + o) * s.outputPlane + first * s.outputWidth
                                    finish(out.address + offset, count: block, residual: extra.map { $0.address + offset }, relu: relu)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// y = relu?(y + residual) over `count` elements.
    private static func finish(_ y: UnsafeMutablePointer<Float>, count: Int, residual: UnsafePointer<Float>?, relu: Bool) {
        switch (residual, relu) {
        case (let r?, true): for i in 0..<count { y[i] = Swift.max(y[i] + r[i], 0) }
        case (let r?, false): for i in 0..<count { y[i] += r[i] }
        case (nil, true): for i in 0..<count { y[i] = Swift.max(y[i], 0) }
        case (nil, false): break
        }
    }

    /// Gradients of `conv2d` with respect to the input (when `needInput`), the weight and the bias:
    /// ∂W_g = Σ_n ∂Y_g·unfold(X_g)ᵀ, ∂X_g = fold(W_gᵀ·∂Y_g), ∂b = Σ ∂Y over batch and positions.
    public static func conv2dBackward(
        _ g: Tensor, input: Tensor, weight: Tensor, geometry: Convolution2DGeometry, needInput: Bool
    ) -> (input: Tensor?, weight: Tensor, bias: Tensor) {
        let s = ConvolutionShape(input: input.shape, weight: weight.shape, geometry: geometry)
        check(
            g.shape == [s.batch, s.outputs, s.outputHeight, s.outputWidth],
            "conv2dBackward: gradient \(g.shape) does not match the output of \(input.shape) and \(weight.shape)")
        let groups = geometry.groups
        let workers = Parallel.workerCount(for: s.batch)
        var partialWeights = [Float](repeating: 0, count: workers * weight.count)
        var gradInput = [Float](repeating: 0, count: needInput ? input.count : 0)
        input.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                g.withUnsafeBufferPointer { dy in
                    partialWeights.withUnsafeMutableBufferPointer { dw in
                        gradInput.withUnsafeMutableBufferPointer { dx in
                            let (x, w, dy, dw) = (
                                SharedPointer(UnsafeMutablePointer(mutating: x.baseAddress!)),
                                SharedPointer(UnsafeMutablePointer(mutating: w.baseAddress!)),
                                SharedPointer(UnsafeMutablePointer(mutating: dy.baseAddress!)), SharedPointer(dw.baseAddress!))
                            let dx = needInput ? SharedPointer(dx.baseAddress!) : nil
                            Parallel.distribute(s.batch) { worker, images in
                                let columns = UnsafeMutablePointer<Float>.allocate(capacity: s.patchLength * s.outputPlane)
                                defer { columns.deallocate() }
                                let dwWorker = dw.address + worker * weight.count
                                for n in images {
                                    for group in 0..<groups {
                                        let imageOffset = (n * s.channels + group * s.groupChannels) * s.height * s.width
                                        let gradOutput = dy.address + (n * s.outputs + group * s.groupOutputs) * s.outputPlane
                                        let weightOffset = group * s.groupOutputs * s.patchLength
                                        s.unfold(x.address + imageOffset, rows: 0..<s.outputHeight, into: columns)
                                        BLAS.gemm(  // ∂W_g += ∂Y_g · colsᵀ
                                            transposeA: false, transposeB: true, m: s.groupOutputs, n: s.patchLength, k: s.outputPlane,
                                            a: gradOutput, lda: s.outputPlane, b: columns, ldb: s.outputPlane,
                                            beta: 1, c: dwWorker + weightOffset, ldc: s.patchLength)
                                        guard let dx else { continue }
                                        BLAS.gemm(  // cols = W_gᵀ · ∂Y_g
                                            transposeA: true, transposeB: false, m: s.patchLength, n: s.outputPlane, k: s.groupOutputs,
                                            a: w.address + weightOffset, lda: s.patchLength, b: gradOutput, ldb: s.outputPlane,
                                            c: columns, ldc: s.outputPlane)
                                        s.fold(columns, into: dx.address + imageOffset)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var gradWeight = Array(partialWeights[0..<weight.count])
        for worker in 1..<workers {
            for i in 0..<weight.count { gradWeight[i] += partialWeights[worker * weight.count + i] }
        }
        return (needInput ? Tensor(shape: input.shape, scalars: gradInput) : nil,
                Tensor(shape: weight.shape, scalars: gradWeight), g.sum(alongAxes: [0, 2, 3]))
    }
}
