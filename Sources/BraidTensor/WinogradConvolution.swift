internal import CBraidKernels

/// A 3×3 convolution's weight `[O, C, 3, 3]` transformed for Winograd F(4×4, 3×3): the 36
/// matrices U_ξ = (G g Gᵀ)_ξ `[O, C]`, computed once in double. Four times the weight's memory.
package struct WinogradWeight: Sendable {
    /// Output channels.
    package let outputs: Int
    /// Input channels.
    package let channels: Int
    /// `[36, outputs, channels]`.
    let transformed: [Float]

    /// Whether a convolution with a `kernel`-shaped weight (`[O, C/groups, kH, kW]`) and this
    /// geometry is one Winograd F(4×4, 3×3) computes: 3×3, stride 1, padding 1, no dilation, one
    /// group (the output has the input's height and width).
    package static func applies(kernel: [Int], geometry g: Convolution2DGeometry) -> Bool {
        kernel.count == 4 && kernel[2] == 3 && kernel[3] == 3 && g.stride == (1, 1) && g.padding == (1, 1)
            && g.dilation == (1, 1) && g.groups == 1
    }

    /// The 4×4 output blocks (tiles) of a batch `[N, C, H, W]`: N·⌈H/4⌉·⌈W/4⌉.
    package static func tiles(of shape: [Int]) -> Int {
        check(shape.count == 4, "WinogradWeight: input \(shape) must be [N, C, H, W]")
        return shape[0] * ((shape[2] + 3) / 4) * ((shape[3] + 3) / 4)
    }

    /// `weight` `[O, C, 3, 3]` transformed.
    package init(_ weight: Tensor) {
        check(weight.rank == 4 && weight.shape[2] == 3 && weight.shape[3] == 3,
              "WinogradWeight: weight \(weight.shape) must be [O, C, 3, 3]")
        (outputs, channels) = (weight.shape[0], weight.shape[1])
        let (outputs, channels) = (self.outputs, self.channels)
        transformed = weight.withUnsafeBufferPointer { w in
            [Float](unsafeUninitializedCapacity: 36 * outputs * channels) { buffer, initialized in
                braid_winograd_weight(w.baseAddress!, outputs, channels, buffer.baseAddress!)
                initialized = 36 * outputs * channels
            }
        }
    }
}

extension Tensor {
    /// Floats of transformed input and products held at once by default: 12 MB, so that a chunk
    /// of tiles stays in the last-level cache between its transforms and its 36 products.
    package static let winogradChunkFloats = 3 << 20

    /// relu?(conv2d(x, w, padding 1) + bias + residual) for x `[N, C, H, W]` by Winograd
    /// F(4×4, 3×3): each 4×4 output block is Aᵀ[U ⊙ (Bᵀ d B)]A for its 6×6 input window d, and the
    /// element-wise products over all blocks and channels are 36 matrix products U_ξ·V_ξ, which
    /// need a quarter of the direct convolution's multiply-adds. Tiles run in chunks that stay in
    /// cache; in each, the cores split the channels, then the 36 products, then the outputs. The
    /// bias, the residual (`[N, O, H, W]`) and the ReLU are applied as the output transform writes.
    /// `chunkFloats` bounds a chunk's scratch (at least 16 tiles).
    package static func winogradConv2d(
        _ input: Tensor, weight: WinogradWeight, bias: [Float]?, residual: Tensor?, relu: Bool,
        chunkFloats: Int = winogradChunkFloats
    ) -> Tensor {
        check(input.rank == 4 && input.shape[1] == weight.channels,
              "winogradConv2d: input \(input.shape) must be [N, \(weight.channels), H, W]")
        let (batch, channels, height, width, outputs) = (input.shape[0], weight.channels, input.shape[2], input.shape[3],
                                                         weight.outputs)
        let outputShape = [batch, outputs, height, width]
        if let bias { check(bias.count == outputs, "winogradConv2d: \(bias.count) biases for \(outputs) outputs") }
        if let residual { check(residual.shape == outputShape, "winogradConv2d: residual \(residual.shape), output \(outputShape)") }
        let tiles = WinogradWeight.tiles(of: input.shape)
        let chunk = Swift.max(16, Swift.min(tiles, chunkFloats / (36 * (channels + outputs))))
        let transformed = UnsafeMutablePointer<Float>.allocate(capacity: 36 * channels * chunk)
        let products = UnsafeMutablePointer<Float>.allocate(capacity: 36 * outputs * chunk)
        defer { transformed.deallocate(); products.deallocate() }
        let (v, m) = (SharedPointer(transformed), SharedPointer(products))
        let channelBlock = 8, outputBlock = 8
        return input.withUnsafeBufferPointer { x in
            weight.transformed.withUnsafeBufferPointer { u in
                (residual ?? input).withUnsafeBufferPointer { extra in
                    (bias ?? []).withUnsafeBufferPointer { biasValues in
                        Tensor(shape: outputShape) { out in
                            let (x, u, y) = (ReadPointer(x), ReadPointer(u), SharedPointer(out.baseAddress!))
                            let extra = residual == nil ? nil : ReadPointer(extra)
                            let bias = bias == nil ? nil : ReadPointer(biasValues)
                            for first in stride(from: 0, to: tiles, by: chunk) {
                                let count = Swift.min(chunk, tiles - first)
                                Parallel.distribute((channels + channelBlock - 1) / channelBlock) { _, blocks in
                                    for block in blocks {
                                        let start = block * channelBlock
                                        braid_winograd_input(x.address, channels, height, width, first, count, start,
                                                             Swift.min(channelBlock, channels - start), v.address)
                                    }
                                }
                                Parallel.distribute(36) { _, positions in
                                    for p in positions {
                                        BLAS.gemm(
                                            transposeA: false, transposeB: false, m: outputs, n: count, k: channels,
                                            a: u.address + p * outputs * channels, lda: channels,
                                            b: v.address + p * channels * count, ldb: count,
                                            c: m.address + p * outputs * count, ldc: count)
                                    }
                                }
                                Parallel.distribute((outputs + outputBlock - 1) / outputBlock) { _, blocks in
                                    for block in blocks {
                                        let start = block * outputBlock
                                        braid_winograd_output(
                                            m.address, outputs, count, first, height, width, start,
                                            Swift.min(outputBlock, outputs - start), bias?.address, extra?.address,
                                            relu ? 1 : 0, y.address)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
