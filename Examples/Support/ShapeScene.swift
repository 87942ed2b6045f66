import Braid

/// A shape a ``ShapeScene`` can hold.
public enum SceneShape: String, CaseIterable, Sendable, Hashable, Comparable {
    /// A filled disc of the object's radius.
    case circle
    /// An axis-aligned square of side 1.7 × radius.
    case square
    /// An equilateral triangle pointing up, inscribed in the object's circle.
    case triangle
    /// A five-pointed star pointing up, outer radius the object's, inner radius 0.45 of it.
    case star
    /// A square standing on a corner, its corners on the object's circle.
    case diamond

    /// Declaration order.
    public static func < (a: SceneShape, b: SceneShape) -> Bool { a.index < b.index }

    /// The shape's position in `allCases`.
    var index: Int { Self.allCases.firstIndex(of: self)! }
}

/// A colour a ``SceneObject`` is painted in.
public enum SceneColour: String, CaseIterable, Sendable, Hashable, Comparable {
    /// Red, green, blue, yellow, purple, orange and white; ``rgb`` gives each one's values.
    case red, green, blue, yellow, purple, orange, white

    /// The colour's red, green and blue intensities in 0…1.
    public var rgb: (red: Float, green: Float, blue: Float) {
        switch self {
        case .red: (0.90, 0.10, 0.10)
        case .green: (0.10, 0.75, 0.20)
        case .blue: (0.15, 0.35, 1.00)
        case .yellow: (1.00, 0.90, 0.10)
        case .purple: (0.60, 0.20, 0.80)
        case .orange: (1.00, 0.50, 0.00)
        case .white: (0.95, 0.95, 0.95)
        }
    }

    /// Declaration order.
    public static func < (a: SceneColour, b: SceneColour) -> Bool { a.index < b.index }

    /// The colour's position in `allCases`.
    var index: Int { Self.allCases.firstIndex(of: self)! }
}

/// The two sizes of a ``SceneObject``.
public enum SceneSize: String, CaseIterable, Sendable, Hashable {
    /// Radius 6 pixels.
    case small
    /// Radius 11 pixels.
    case large

    /// The radius of the object's circle in pixels.
    public var radius: Float { self == .small ? 6 : 11 }
}

/// A colour–shape pairing such as "green triangle", the unit that ``ShapeSceneConfiguration``
/// holds out of the training split.
public struct ColouredShape: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The colour.
    public var colour: SceneColour
    /// The shape.
    public var shape: SceneShape

    /// The pairing of `colour` and `shape`.
    public init(_ colour: SceneColour, _ shape: SceneShape) { (self.colour, self.shape) = (colour, shape) }

    /// Every pairing, colours outer and shapes inner, in declaration order (35).
    public static var all: [ColouredShape] {
        SceneColour.allCases.flatMap { colour in SceneShape.allCases.map { ColouredShape(colour, $0) } }
    }

    /// By colour, then shape, in declaration order.
    public static func < (a: ColouredShape, b: ColouredShape) -> Bool { (a.colour, a.shape) < (b.colour, b.shape) }

    /// "colour shape", for example "green triangle".
    public var description: String { "\(colour.rawValue) \(shape.rawValue)" }
}

/// Where one object lies relative to another, on the axis along which they are further apart.
public enum SpatialRelation: String, CaseIterable, Sendable, Hashable {
    /// Smaller column: the horizontal distance is the larger.
    case leftOf = "left of"
    /// Larger column: the horizontal distance is the larger.
    case rightOf = "right of"
    /// Smaller row (images count rows downwards): the vertical distance is the larger.
    case above
    /// Larger row: the vertical distance is the larger.
    case below

    /// Whether the relation is along the horizontal axis (left of, right of).
    public var isHorizontal: Bool { self == .leftOf || self == .rightOf }

    /// The relation seen from the other object: left of ↔ right of, above ↔ below.
    public var inverse: SpatialRelation {
        switch self {
        case .leftOf: .rightOf
        case .rightOf: .leftOf
        case .above: .below
        case .below: .above
        }
    }
}

/// One shape of a scene: what it is and where. Coordinates are in pixels from the image's
/// top-left corner, x to the right (columns) and y downwards (rows).
public struct SceneObject: Hashable, Sendable {
    /// The shape.
    public var shape: SceneShape
    /// The colour.
    public var colour: SceneColour
    /// The size.
    public var size: SceneSize
    /// The column of the centre.
    public var x: Float
    /// The row of the centre.
    public var y: Float

    /// An object of `size`, `colour` and `shape` centred at (`x`, `y`).
    public init(shape: SceneShape, colour: SceneColour, size: SceneSize, x: Float, y: Float) {
        (self.shape, self.colour, self.size, self.x, self.y) = (shape, colour, size, x, y)
    }

    /// Its colour and shape.
    public var colouredShape: ColouredShape { ColouredShape(colour, shape) }
}

/// A 64×64 scene of one to three shapes at non-overlapping places, each of its own colour–shape
/// pairing, and the seed of its pixel noise: the structured ground truth behind an image and
/// its captions. ``ShapeSceneDataset`` samples them; ``render(noise:)`` draws one.
public struct ShapeScene: Hashable, Sendable {
    /// The side of the square image in pixels.
    public static let side = 64

    /// The objects, in the order they were placed.
    public var objects: [SceneObject]
    /// The seed of the image's pixel noise, so an image is a pure function of its scene.
    public var noiseSeed: UInt64

    /// A scene of `objects` whose noise comes from `noiseSeed`. Two objects may not share a
    /// colour–shape pairing, which is how captions name them.
    public init(objects: [SceneObject], noiseSeed: UInt64) {
        check(Set(objects.map(\.colouredShape)).count == objects.count,
              "ShapeScene: two objects share a colour and shape: \(objects.map(\.colouredShape))")
        (self.objects, self.noiseSeed) = (objects, noiseSeed)
    }

    /// Where `objects[first]` lies relative to `objects[second]`: left or right of it when their
    /// centres are further apart horizontally than vertically, above or below otherwise
    /// (a tie counts as horizontal). The sampler keeps every pair at least
    /// ``ShapeSceneDataset/relationMargin`` pixels from a tie, so the relation is plain to see.
    public func relation(of first: Int, to second: Int) -> SpatialRelation {
        let (a, b) = (objects[first], objects[second])
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        if abs(dx) >= abs(dy) { return dx > 0 ? .leftOf : .rightOf }
        return dy > 0 ? .above : .below
    }

    /// The index of the object of `pairing`, if the scene has one.
    public func index(of pairing: ColouredShape) -> Int? {
        objects.firstIndex { $0.colouredShape == pairing }
    }
}
