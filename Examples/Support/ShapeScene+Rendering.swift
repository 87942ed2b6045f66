import Braid
import Foundation

extension ShapeScene {
    /// The grey level of the background, before noise.
    public static let background: Float = 0.1

    /// The image of the scene, `[3, 64, 64]` (channels red, green, blue; rows; columns) in 0…1.
    ///
    /// Each pixel is the background blended with the colour of the shape covering it, by the
    /// fraction of a 4×4 grid of points in the pixel that the shape covers (so edges are
    /// anti-aliased), plus noise of standard deviation `noise` added to every channel of every
    /// pixel independently, then clamped to 0…1. The noise is the sum of four uniform draws,
    /// scaled to unit variance (close to Gaussian), from ``noiseSeed``: the same scene always gives
    /// the same pixels.
    public func render(noise: Float = ShapeSceneConfiguration.defaultNoise) -> Tensor {
        Tensor(shape: [3, Self.side, Self.side]) { draw(into: $0.baseAddress!, noise: noise) }
    }

    /// Draws the image into the 3 × 64 × 64 floats at `pixels`, channel-major.
    func draw(into pixels: UnsafeMutablePointer<Float>, noise: Float) {
        let plane = Self.side * Self.side
        var coverage = [Float](repeating: 0, count: plane)
        var colours = [SceneColour?](repeating: nil, count: plane)
        let grid: Float = 4, step = 1 / grid
        for object in objects {
            let reach = object.size.radius + 1
            let columns = max(0, Int((object.x - reach).rounded(.down)))...min(Self.side - 1, Int((object.x + reach).rounded(.up)))
            let rows = max(0, Int((object.y - reach).rounded(.down)))...min(Self.side - 1, Int((object.y + reach).rounded(.up)))
            for row in rows {
                for column in columns {
                    var inside = 0
                    for i in 0..<Int(grid) {
                        for j in 0..<Int(grid) {
                            let px = Float(column) + (Float(j) + 0.5) * step, py = Float(row) + (Float(i) + 0.5) * step
                            if object.contains(x: px, y: py) { inside += 1 }
                        }
                    }
                    guard inside > 0 else { continue }
                    coverage[row * Self.side + column] = Float(inside) / (grid * grid)
                    colours[row * Self.side + column] = object.colour
                }
            }
        }
        var generator = RandomGenerator(seed: noiseSeed)
        let scale = noise * Float(3).squareRoot() / 65536
        // Four 16-bit uniforms: their sum has mean 2 · 65536 − 2 and variance about 65536² / 3.
        func noisy(_ base: Float) -> Float {
            let bits = generator.next()
            let sum = Float(bits & 0xFFFF) + Float((bits >> 16) & 0xFFFF) + Float((bits >> 32) & 0xFFFF) + Float(bits >> 48)
            return min(1, max(0, base + scale * (sum - (2 * 65536 - 2))))
        }
        for p in 0..<plane {
            var (red, green, blue) = (Self.background, Self.background, Self.background)
            if let colour = colours[p] {
                let (c, rgb) = (coverage[p], colour.rgb)
                let b = Self.background * (1 - c)
                (red, green, blue) = (b + c * rgb.red, b + c * rgb.green, b + c * rgb.blue)
            }
            pixels[p] = noisy(red)
            pixels[plane + p] = noisy(green)
            pixels[2 * plane + p] = noisy(blue)
        }
    }
}

extension SceneObject {
    /// Whether the point (`x`, `y`), in pixels, lies inside the shape.
    func contains(x px: Float, y py: Float) -> Bool {
        let (dx, dy, r) = (px - x, py - y, size.radius)
        switch shape {
        case .circle:
            return dx * dx + dy * dy <= r * r
        case .square:
            return abs(dx) <= 0.85 * r && abs(dy) <= 0.85 * r
        case .diamond:
            return abs(dx) + abs(dy) <= r
        case .triangle:
            // Apex (0, −r), base corners (±r·√3/2, r/2): the half-width grows as (dy + r)/√3.
            return dy <= r / 2 && abs(dx) * Float(3).squareRoot() <= dy + r
        case .star:
            return Self.starContains(dx / r, dy / r)
        }
    }

    /// The ten corners of a unit star pointing up: outer radius 1, inner 0.45, y downwards.
    static let starCorners: [(x: Float, y: Float)] = (0..<10).map { k in
        let angle = (-90 + 36 * Double(k)) * Double.pi / 180, radius = k % 2 == 0 ? 1.0 : 0.45
        return (Float(radius * cos(angle)), Float(radius * sin(angle)))
    }

    /// Whether (x, y) lies inside the unit star: an odd number of its edges cross the ray to the right.
    static func starContains(_ x: Float, _ y: Float) -> Bool {
        var inside = false
        var previous = starCorners[9]
        for corner in starCorners {
            if (corner.y > y) != (previous.y > y) {
                let crossing = corner.x + (y - corner.y) * (previous.x - corner.x) / (previous.y - corner.y)
                if x < crossing { inside.toggle() }
            }
            previous = corner
        }
        return inside
    }
}
