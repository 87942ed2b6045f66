import BraidTensor

extension Bitmap {
    /// The resampling filters of ``resized(width:height:filter:)``, as PIL defines them.
    public enum ResamplingFilter: Sendable {
        /// Triangle filter, support 1 (`Image.Resampling.BILINEAR`).
        case bilinear
        /// Keys' cubic with a = −0.5, support 2 (`Image.Resampling.BICUBIC`, what CLIP's
        /// preprocessing uses).
        case bicubic

        /// The filter's support in input pixels at scale 1.
        var support: Double {
            switch self {
            case .bilinear: 1
            case .bicubic: 2
            }
        }

        /// The filter's weight at distance `x`.
        func weight(_ x: Double) -> Double {
            let x = Swift.abs(x)
            switch self {
            case .bilinear:
                return x < 1 ? 1 - x : 0
            case .bicubic:
                let a = -0.5
                if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
                if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
                return 0
            }
        }
    }

    /// The image resized to `width` × `height` exactly as PIL's `Image.resize((width, height),
    /// filter)` resizes 8-bit images, sample for sample: a separable pass over rows, then over
    /// columns (each only when that size changes), each output sample a weighted sum of the
    /// inputs within the filter's support, widened by the scale when shrinking (so shrinking
    /// antialiases), the weights normalised to sum to 1, turned into 22-bit fixed point, and the
    /// sum rounded and clamped to 0...255 after each pass. Every channel, alpha included, is
    /// filtered alike (PIL premultiplies RGBA first; convert to RGB to compare with it).
    public func resized(width newWidth: Int, height newHeight: Int, filter: ResamplingFilter = .bicubic) -> Bitmap {
        check(newWidth > 0 && newHeight > 0, "Bitmap: cannot resize to \(newWidth)×\(newHeight)")
        let stride = channels.rawValue
        var image = self
        if newWidth != width {
            let taps = ResamplingTaps(inputSize: width, outputSize: newWidth, filter: filter)
            var out = [UInt8](repeating: 0, count: newWidth * height * stride)
            for y in 0..<height {
                taps.apply(from: pixels, offset: y * width * stride, step: stride, to: &out, outputOffset: y * newWidth * stride,
                           outputStep: stride, channels: stride)
            }
            image = Bitmap(width: newWidth, height: height, channels: channels, pixels: out)
        }
        if newHeight != height {
            let taps = ResamplingTaps(inputSize: height, outputSize: newHeight, filter: filter)
            let rowLength = image.width * stride
            var out = [UInt8](repeating: 0, count: image.width * newHeight * stride)
            for x in 0..<image.width {
                taps.apply(from: image.pixels, offset: x * stride, step: rowLength, to: &out, outputOffset: x * stride,
                           outputStep: rowLength, channels: stride)
            }
            image = Bitmap(width: image.width, height: newHeight, channels: channels, pixels: out)
        }
        return image
    }

    /// The `width` × `height` part whose top-left pixel is (`left`, `top`); it must lie inside the image.
    public func cropped(left: Int, top: Int, width cropWidth: Int, height cropHeight: Int) -> Bitmap {
        check(
            left >= 0 && top >= 0 && cropWidth > 0 && cropHeight > 0 && left + cropWidth <= width && top + cropHeight <= height,
            "Bitmap: a \(cropWidth)×\(cropHeight) crop at (\(left), \(top)) does not fit a \(width)×\(height) image")
        let stride = channels.rawValue
        var out: [UInt8] = []
        out.reserveCapacity(cropWidth * cropHeight * stride)
        for y in top..<(top + cropHeight) {
            let start = (y * width + left) * stride
            out += pixels[start..<(start + cropWidth * stride)]
        }
        return Bitmap(width: cropWidth, height: cropHeight, channels: channels, pixels: out)
    }
}

/// The fixed-point weights of one resampling pass, as PIL's `precompute_coeffs` and
/// `normalize_coeffs_8bpc` compute them.
private struct ResamplingTaps {
    /// Fractional bits of the weights (PIL's PRECISION_BITS).
    static let precisionBits = 22
    /// Weights per output sample (the widest window).
    let size: Int
    /// For each output sample, its first input and how many follow.
    let bounds: [(first: Int, count: Int)]
    /// `size` weights per output sample.
    let weights: [Int32]

    init(inputSize: Int, outputSize: Int, filter: Bitmap.ResamplingFilter) {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let inverseScale = 1 / filterScale
        size = Int(support.rounded(.up)) * 2 + 1
        var bounds: [(Int, Int)] = []
        var weights = [Int32](repeating: 0, count: outputSize * size)
        for output in 0..<outputSize {
            let center = (Double(output) + 0.5) * scale
            // C's (int) casts, which truncate toward zero.
            let first = max(Int(center - support + 0.5), 0)
            let count = min(Int(center + support + 0.5), inputSize) - first
            var raw = (0..<count).map { filter.weight((Double($0 + first) - center + 0.5) * inverseScale) }
            let total = raw.reduce(0, +)
            if total != 0 { raw = raw.map { $0 / total } }
            for (i, w) in raw.enumerated() {
                let scaled = w * Double(1 << Self.precisionBits)
                weights[output * size + i] = Int32(w < 0 ? -0.5 + scaled : 0.5 + scaled)
            }
            bounds.append((first, count))
        }
        (self.bounds, self.weights) = (bounds, weights)
    }

    /// Resamples one line: input sample i of channel c at `input[offset + i·step + c]`, output
    /// sample j at `output[outputOffset + j·outputStep + c]`.
    func apply(
        from input: [UInt8], offset: Int, step: Int, to output: inout [UInt8], outputOffset: Int, outputStep: Int, channels: Int
    ) {
        let half = 1 << (Self.precisionBits - 1)
        for (j, bound) in bounds.enumerated() {
            for c in 0..<channels {
                var sum = half
                for i in 0..<bound.count {
                    sum += Int(input[offset + (bound.first + i) * step + c]) * Int(weights[j * size + i])
                }
                output[outputOffset + j * outputStep + c] = UInt8(clamping: sum >> Self.precisionBits)
            }
        }
    }
}
