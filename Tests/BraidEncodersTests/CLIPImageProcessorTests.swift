import BraidData
import BraidEncoders
import BraidTensor
import BraidTestSupport
import Testing

/// CLIP's preprocessing against transformers' `CLIPImageProcessor` (PIL's bicubic resize,
/// centre crop, CLIP's mean and std; `Tests/Fixtures/images/`, `Scripts/make-image-fixtures.py`).
@Suite struct CLIPImageProcessorTests {
    /// A 300×200 picture (shrunk) and a 50×40 one (enlarged) give transformers' pixel values;
    /// the reference is stored in half precision, so the tolerance is half-precision rounding.
    @Test(arguments: ["wide", "small"]) func pixelValuesMatchTransformers(_ name: String) throws {
        let expected = try Fixtures.open("images/expected.safetensors").tensor("clip." + name)
        let image = try Bitmap.read(contentsOf: Fixtures.path("images/clip/\(name).png"))
        let pixels = CLIPImageProcessor()([image])
        #expect(pixels.shape == [1, 3, 224, 224])
        expectClose(pixels.reshaped(to: [3, 224, 224]), expected, relative: 1e-3, absolute: 1e-3)
    }

    @Test func tallImagesAreCroppedAtTheirCentre() {
        let image = Bitmap(width: 2, height: 6, channels: .grey, pixels: [0, 0, 10, 10, 20, 20, 30, 30, 40, 40, 50, 50])
        let crop = CLIPImageProcessor(shortestEdge: 2, cropSize: 2).cropped(image)
        #expect(crop.width == 2 && crop.height == 2 && crop.channels == .rgb)
        #expect(crop.pixels == [20, 20, 20, 20, 20, 20, 30, 30, 30, 30, 30, 30])
    }
}
