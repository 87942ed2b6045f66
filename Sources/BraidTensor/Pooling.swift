internal import CBraidKernels

/// The input range each output position of a pooling layer reads along one axis, and the count
/// an average divides by.
struct PoolingAxis {
    var starts: [Int]
    var ends: [Int]
    var paddedLengths: [Int]

    /// Sliding windows of `kernel` taps every `stride`, after `padding` on both sides (as PyTorch's
    /// pooling: a window reaches at most `padding` past the end).
    init(input: Int, kernel: Int, stride: Int, padding: Int) {
        check(kernel > 0 && stride > 0 && padding >= 0 && padding * 2 <= kernel,
                     "pool: kernel \(kernel), stride \(stride) and padding \(padding) are invalid (padding at most half the kernel)")
        let count = (input + 2 * padding - kernel) / stride + 1
        check(count > 0, "pool: kernel \(kernel) with padding \(padding) does not fit length \(input)")
        starts = []; ends = []; paddedLengths = []
        for o in 0..<count {
            let start = o * stride - padding
            let end = Swift.min(start + kernel, input + padding)
            paddedLengths.append(end - start)
            starts.append(Swift.max(start, 0))
            ends.append(Swift.min(end, input))
        }
    }

    /// Adaptive windows: output o reads ⌊o·in/out⌋ ..< ⌈(o+1)·in/out⌉ (`AdaptiveAvgPool2d`).
    init(input: Int, adaptiveOutput count: Int) {
        check(count > 0, "adaptive pool: output size \(count) must be positive")
        starts = (0..<count).map { $0 * input / count }
        ends = (0..<count).map { (($0 + 1) * input + count - 1) / count }
        paddedLengths = zip(starts, ends).map { $1 - $0 }
    }

    var count: Int { starts.count }
}

/// The windows of a 2-D pooling over `[N, C, H, W]`.
struct PoolingWindows {
    let rows: PoolingAxis
    let columns: PoolingAxis

    var outputPlane: Int { rows.count * columns.count }

    /// Calls `body(outputIndex, rowRange, columnRange, paddedArea)` for every output position of one plane.
    @inline(__always)
    func forEach(_ body: (Int, Range<Int>, Range<Int>, Int) -> Void) {
        for i in 0..<rows.count {
            for j in 0..<columns.count {
                body(i * columns.count + j, rows.starts[i]..<rows.ends[i], columns.starts[j]..<columns.ends[j],
                     rows.paddedLengths[i] * columns.paddedLengths[j])
            }
        }
    }
}

extension Tensor {
    /// The result of `maxPool2d`: the maxima and, per output, the flat in-plane index of the input
    /// it came from (for the gradient).
    public struct MaxPoolResult: Sendable {
        /// `[N, C, Ho, Wo]`.
        public var output: Tensor
        /// Row-major index within the `[H, W]` plane of each maximum.
        public var indices: IntTensor
    }

    private func poolingPlanes(_ op: String) -> (planes: Int, height: Int, width: Int) {
        check(rank == 4, "\(op): input \(shape) must be [N, C, H, W]")
        return (shape[0] * shape[1], shape[2], shape[3])
    }

    /// Maximum over `kernelSize` windows every `stride` with implicit −inf `padding` (`F.max_pool2d`).
    public func maxPool2d(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> MaxPoolResult {
        let (planes, height, width) = poolingPlanes("maxPool2d")
        let stride = stride ?? kernelSize
        let windows = PoolingWindows(
            rows: PoolingAxis(input: height, kernel: kernelSize.0, stride: stride.0, padding: padding.0),
            columns: PoolingAxis(input: width, kernel: kernelSize.1, stride: stride.1, padding: padding.1))
        var indices = [Int](repeating: 0, count: planes * windows.outputPlane)
        let output = withUnsafeBufferPointer { x in
            Tensor(shape: [shape[0], shape[1], windows.rows.count, windows.columns.count]) { out in
                indices.withUnsafeMutableBufferPointer { argmax in
                    let (x, out, argmax) = (SharedPointer(UnsafeMutablePointer(mutating: x.baseAddress!)),
                                            SharedPointer(out.baseAddress!), SharedPointer(argmax.baseAddress!))
                    Parallel.distribute(planes) { _, planeTasks in
                        for plane in planeTasks {
                            let source = x.address + plane * height * width
                            let (best, bestIndex) = (out.address + plane * windows.outputPlane,
                                                     argmax.address + plane * windows.outputPlane)
                            windows.forEach { o, rows, columns, _ in
                                (best[o], bestIndex[o]) = Self.windowMaximum(source, width: width, rows: rows, columns: columns)
                            }
                        }
                    }
                }
            }
        }
        return MaxPoolResult(output: output, indices: IntTensor(shape: output.shape, scalars: indices))
    }

    /// The largest value in a window of a plane and its row-major index: the first maximum, or the
    /// first NaN, as PyTorch picks.
    @inline(__always)
    private static func windowMaximum(
        _ source: UnsafePointer<Float>, width: Int, rows: Range<Int>, columns: Range<Int>
    ) -> (Float, Int) {
        var best = -Float.infinity, bestIndex = rows.lowerBound * width + columns.lowerBound
        for r in rows {
            for c in columns where source[r * width + c] > best || source[r * width + c].isNaN {
                best = source[r * width + c]
                bestIndex = r * width + c
                if best.isNaN { return (best, bestIndex) }
            }
        }
        return (best, bestIndex)
    }

    /// The maxima of `maxPool2d` without their indices, for inference: separable passes (rows, then
    /// columns) that vectorise, planes in parallel; a plane holding NaN is recomputed the exact way
    /// so NaN propagates as in PyTorch.
    public func maxPool2dValues(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Tensor {
        let (planes, height, width) = poolingPlanes("maxPool2d")
        let stride = stride ?? kernelSize
        let rows = PoolingAxis(input: height, kernel: kernelSize.0, stride: stride.0, padding: padding.0)
        let columns = PoolingAxis(input: width, kernel: kernelSize.1, stride: stride.1, padding: padding.1)
        let outputPlane = rows.count * columns.count
        var nanPlanes = [Bool](repeating: false, count: planes)
        var output = withUnsafeBufferPointer { x in
            Tensor(shape: [shape[0], shape[1], rows.count, columns.count]) { out in
                nanPlanes.withUnsafeMutableBufferPointer { flags in
                    let (x, out, flags) = (SharedPointer(UnsafeMutablePointer(mutating: x.baseAddress!)),
                                           SharedPointer(out.baseAddress!), SharedPointer(flags.baseAddress!))
                    Parallel.distribute(planes) { _, planeTasks in
                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: height * columns.count)
                        defer { scratch.deallocate() }
                        for plane in planeTasks {
                            flags.address[plane] = braid_max_pool_values_plane(
                                x.address + plane * height * width, height, width, out.address + plane * outputPlane,
                                scratch, rows.count, columns.count, kernelSize.0, kernelSize.1, stride.0, stride.1,
                                padding.0, padding.1) != 0
                        }
                    }
                }
            }
        }
        if nanPlanes.contains(true) {
            let exact = maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding).output
            for plane in nanPlanes.indices where nanPlanes[plane] {
                for i in 0..<outputPlane { output[flat: plane * outputPlane + i] = exact[flat: plane * outputPlane + i] }
            }
        }
        return output
    }

    /// The gradient of `maxPool2d`: each output's gradient added at the input its maximum came from.
    public static func maxPool2dBackward(_ g: Tensor, indices: IntTensor, inputShape: [Int]) -> Tensor {
        check(g.shape == indices.shape, "maxPool2dBackward: gradient \(g.shape) and indices \(indices.shape) differ")
        let plane = inputShape[2] * inputShape[3], outputPlane = g.shape[2] * g.shape[3]
        var result = Tensor.zeros(inputShape)
        result.withUnsafeMutableBufferPointer { dx in
            for k in 0..<g.count { dx[k / outputPlane * plane + indices.scalars[k]] += g[flat: k] }
        }
        return result
    }

    /// Average over `kernelSize` windows every `stride` after zero `padding` (`F.avg_pool2d`); the
    /// divisor counts padding when `countIncludePadding` (PyTorch's default).
    public func averagePool2d(
        kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), countIncludePadding: Bool = true
    ) -> Tensor {
        let (_, height, width) = poolingPlanes("averagePool2d")
        let stride = stride ?? kernelSize
        return averagePool(PoolingWindows(
            rows: PoolingAxis(input: height, kernel: kernelSize.0, stride: stride.0, padding: padding.0),
            columns: PoolingAxis(input: width, kernel: kernelSize.1, stride: stride.1, padding: padding.1)),
            countIncludePadding: countIncludePadding)
    }

    /// The gradient of `averagePool2d`.
    public static func averagePool2dBackward(
        _ g: Tensor, inputShape: [Int], kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
        countIncludePadding: Bool = true
    ) -> Tensor {
        let stride = stride ?? kernelSize
        return averagePoolBackward(g, inputShape: inputShape, windows: PoolingWindows(
            rows: PoolingAxis(input: inputShape[2], kernel: kernelSize.0, stride: stride.0, padding: padding.0),
            columns: PoolingAxis(input: inputShape[3], kernel: kernelSize.1, stride: stride.1, padding: padding.1)),
            countIncludePadding: countIncludePadding)
    }

    /// Average over adaptive windows giving `outputSize` (`F.adaptive_avg_pool2d`).
    public func adaptiveAveragePool2d(outputSize: (Int, Int)) -> Tensor {
        let (_, height, width) = poolingPlanes("adaptiveAveragePool2d")
        return averagePool(PoolingWindows(
            rows: PoolingAxis(input: height, adaptiveOutput: outputSize.0),
            columns: PoolingAxis(input: width, adaptiveOutput: outputSize.1)), countIncludePadding: false)
    }

    /// The gradient of `adaptiveAveragePool2d`.
    public static func adaptiveAveragePool2dBackward(_ g: Tensor, inputShape: [Int]) -> Tensor {
        averagePoolBackward(g, inputShape: inputShape, windows: PoolingWindows(
            rows: PoolingAxis(input: inputShape[2], adaptiveOutput: g.shape[2]),
            columns: PoolingAxis(input: inputShape[3], adaptiveOutput: g.shape[3])), countIncludePadding: false)
    }

    private func averagePool(_ windows: PoolingWindows, countIncludePadding: Bool) -> Tensor {
        let (planes, height, width) = poolingPlanes("averagePool")
        return withUnsafeBufferPointer { x in
            Tensor(shape: [shape[0], shape[1], windows.rows.count, windows.columns.count]) { out in
                for plane in 0..<planes {
                    let source = x.baseAddress! + plane * height * width
                    windows.forEach { o, rows, columns, paddedArea in
                        var total: Float = 0
                        for r in rows { for c in columns { total += source[r * width + c] } }
                        let divisor = countIncludePadding ? paddedArea : rows.count * columns.count
                        out[plane * windows.outputPlane + o] = total / Float(divisor)
                    }
                }
            }
        }
    }

    private static func averagePoolBackward(
        _ g: Tensor, inputShape: [Int], windows: PoolingWindows, countIncludePadding: Bool
    ) -> Tensor {
        let (height, width) = (inputShape[2], inputShape[3])
        var result = Tensor.zeros(inputShape)
        result.withUnsafeMutableBufferPointer { dx in
            for plane in 0..<(inputShape[0] * inputShape[1]) {
                let target = dx.baseAddress! + plane * height * width
                windows.forEach { o, rows, columns, paddedArea in
                    let divisor = countIncludePadding ? paddedArea : rows.count * columns.count
                    let share = g[flat: plane * windows.outputPlane + o] / Float(divisor)
                    for r in rows { for c in columns { target[r * width + c] += share } }
                }
            }
        }
        return result
    }
}
