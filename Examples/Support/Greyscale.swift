import Braid

/// Colour removed from chosen images of a batch, as SimCLR's colour augmentation does.
public enum Greyscale {
    /// `images` `[B, 3, H, W]` with the images at `indices` made grey: each pixel's luma
    /// (0.299 R + 0.587 G + 0.114 B, ITU-R BT.601) in every channel.
    public static func apply(to images: Tensor, at indices: [Int]) -> Tensor {
        check(images.rank == 4 && images.shape[1] == 3, "Greyscale: images \(images.shape) must be [B, 3, H, W]")
        if let bad = indices.first(where: { !(0..<images.shape[0]).contains($0) }) {
            checkFailed("Greyscale: image \(bad) is outside the batch of \(images.shape[0])")
        }
        var images = images
        let plane = images.shape[2] * images.shape[3]
        images.withUnsafeMutableBufferPointer { pixels in
            for index in indices {
                let red = index * 3 * plane
                for p in red..<red + plane {
                    let luma = 0.299 * pixels[p] + 0.587 * pixels[p + plane] + 0.114 * pixels[p + 2 * plane]
                    (pixels[p], pixels[p + plane], pixels[p + 2 * plane]) = (luma, luma, luma)
                }
            }
        }
        return images
    }
}
