import BraidTensor

/// Image preprocessing on `[N, C, H, W]` (or `[C, H, W]`) Float tensors.
public enum ImagePreprocessing {
    /// Bilinear resampling to `size` (height, width), as `F.interpolate(mode="bilinear",
    /// align_corners=False)` without antialiasing: output pixel centres map to
    /// (o + 0.5)·in/out − 0.5 in the input, clamped at 0, and read from the 2×2 neighbours.
    public static func resizeBilinear(_ images: Tensor, to size: (height: Int, width: Int)) -> Tensor {
        check(images.rank == 3 || images.rank == 4, "resizeBilinear: images \(images.shape) must be [N, C, H, W] or [C, H, W]")
        check(size.height > 0 && size.width > 0, "resizeBilinear: size \(size) must be positive")
        let batched = images.rank == 4 ? images : images.unsqueezed(0)
        let (planes, height, width) = (batched.shape[0] * batched.shape[1], batched.shape[2], batched.shape[3])
        let rows = interpolation(from: height, to: size.height), columns = interpolation(from: width, to: size.width)
        let result = batched.withUnsafeBufferPointer { x in
            Tensor(shape: [batched.shape[0], batched.shape[1], size.height, size.width]) { out in
                for plane in 0..<planes {
                    let source = x.baseAddress! + plane * height * width
                    let target = out.baseAddress! + plane * size.height * size.width
                    for (i, row) in rows.enumerated() {
                        let (top, bottom) = (source + row.lower * width, source + row.upper * width)
                        for (j, column) in columns.enumerated() {
                            let upper = top[column.lower] * (1 - column.weight) + top[column.upper] * column.weight
                            let lower = bottom[column.lower] * (1 - column.weight) + bottom[column.upper] * column.weight
                            target[i * size.width + j] = upper * (1 - row.weight) + lower * row.weight
                        }
                    }
                }
            }
        }
        return images.rank == 4 ? result : result.squeezed(0)
    }

    /// (x − mean_c) / std_c per channel (torchvision's `Normalize`); the channel axis is 1 for
    /// `[N, C, H, W]` and 0 for `[C, H, W]`.
    public static func normalize(_ images: Tensor, mean: [Float], standardDeviation: [Float]) -> Tensor {
        let axis = images.rank == 4 ? 1 : 0
        check(
            images.rank >= 3 && mean.count == images.shape[axis] && standardDeviation.count == images.shape[axis],
            "normalize: \(mean.count) means and \(standardDeviation.count) deviations for images \(images.shape)")
        var shape = [Int](repeating: 1, count: images.rank)
        shape[axis] = mean.count
        return (images - Tensor(shape: shape, scalars: mean)) / Tensor(shape: shape, scalars: standardDeviation)
    }

    /// ImageNet's channel means, as torchvision's pretrained models expect.
    public static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    /// ImageNet's channel standard deviations.
    public static let imageNetStandardDeviation: [Float] = [0.229, 0.224, 0.225]

    /// For each output index: the two input indices it blends and the weight of the upper one.
    private static func interpolation(from input: Int, to output: Int) -> [(lower: Int, upper: Int, weight: Float)] {
        let scale = Float(input) / Float(output)
        return (0..<output).map { o in
            let source = Swift.max((Float(o) + 0.5) * scale - 0.5, 0)
            let lower = Swift.min(Int(source), input - 1)
            return (lower, Swift.min(lower + 1, input - 1), source - Float(lower))
        }
    }
}
