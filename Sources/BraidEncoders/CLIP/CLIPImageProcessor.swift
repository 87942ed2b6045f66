import BraidData
import BraidTensor

/// CLIP's image preprocessing, as transformers' `CLIPImageProcessor` does it with
/// `openai/clip-vit-base-patch32`'s settings: convert to RGB, resize so that the shorter side is
/// ``shortestEdge`` with PIL's bicubic filter (`Bitmap.resized(width:height:filter:)`, which
/// reproduces PIL's fixed-point resampler sample for sample), crop the centre ``cropSize`` ×
/// ``cropSize``, scale to [0, 1] and normalise each channel by CLIP's mean and standard deviation.
///
/// ```swift
/// let pixels = CLIPImageProcessor()([try Bitmap.read(contentsOf: "cat.jpg")])   // [1, 3, 224, 224]
/// ```
public struct CLIPImageProcessor: Sendable {
    /// The length the shorter side is resized to (`size["shortest_edge"]`).
    public var shortestEdge: Int
    /// The side of the centre crop (`crop_size`), at most ``shortestEdge``.
    public var cropSize: Int
    /// Each channel's mean (`image_mean`).
    public var mean: [Float]
    /// Each channel's standard deviation (`image_std`).
    public var standardDeviation: [Float]

    /// CLIP's mean, the training set's (OpenAI): 0.48145466, 0.4578275, 0.40821073.
    public static let clipMean: [Float] = [0.48145466, 0.4578275, 0.40821073]
    /// CLIP's standard deviation: 0.26862954, 0.26130258, 0.27577711.
    public static let clipStandardDeviation: [Float] = [0.26862954, 0.26130258, 0.27577711]

    /// A processor; the defaults are CLIP's.
    public init(
        shortestEdge: Int = 224, cropSize: Int = 224, mean: [Float] = clipMean, standardDeviation: [Float] = clipStandardDeviation
    ) {
        check(cropSize > 0 && cropSize <= shortestEdge, "CLIPImageProcessor: crop \(cropSize) must be in 1...\(shortestEdge), the shortest edge")
        check(mean.count == 3 && standardDeviation.count == 3 && standardDeviation.allSatisfy { $0 > 0 },
              "CLIPImageProcessor: mean \(mean) and standard deviation \(standardDeviation) need 3 values, the deviations positive")
        (self.shortestEdge, self.cropSize, self.mean, self.standardDeviation) = (shortestEdge, cropSize, mean, standardDeviation)
    }

    /// The resized and cropped RGB image, before scaling: `[cropSize, cropSize, 3]` bytes.
    public func cropped(_ image: Bitmap) -> Bitmap {
        let rgb = image.convertedToRGB()
        // transformers' get_resize_output_image_size: the longer side scaled and truncated.
        let (short, long) = (min(rgb.width, rgb.height), max(rgb.width, rgb.height))
        let scaledLong = Int(Double(shortestEdge * long) / Double(short))
        let (width, height) = rgb.width <= rgb.height ? (shortestEdge, scaledLong) : (scaledLong, shortestEdge)
        let resized = rgb.resized(width: width, height: height, filter: .bicubic)
        return resized.cropped(left: (width - cropSize) / 2, top: (height - cropSize) / 2, width: cropSize, height: cropSize)
    }

    /// The pixel values `[3, cropSize, cropSize]` of one image (`pixel_values[0]`).
    public func callAsFunction(_ image: Bitmap) -> Tensor {
        let crop = cropped(image)
        let area = cropSize * cropSize
        var values = [Float](repeating: 0, count: 3 * area)
        for i in 0..<area {
            for c in 0..<3 {
                // transformers rescales in double precision, then normalises in single.
                let scaled = Float(Double(crop.pixels[3 * i + c]) * (1.0 / 255.0))
                values[c * area + i] = (scaled - mean[c]) / standardDeviation[c]
            }
        }
        return Tensor(shape: [3, cropSize, cropSize], scalars: values)
    }

    /// The pixel values `[B, 3, cropSize, cropSize]` of `images`, which must not be empty.
    public func callAsFunction(_ images: [Bitmap]) -> Tensor {
        check(!images.isEmpty, "CLIPImageProcessor: no images")
        return Tensor.stack(images.map { self($0) })
    }
}
