import Braid

/// The attribute accuracy of captions over many scenes: the fraction of captions whose
/// ``SceneCaptionCheck`` passes each test. Relation accuracy counts only the captions that
/// state a relation.
public struct SceneCaptionAccuracy: Sendable, Equatable {
    /// The number of captions checked.
    public var count: Int
    /// The fraction with the right shapes.
    public var shapes: Double
    /// The fraction with the right colours.
    public var colours: Double
    /// The fraction with the right colour–shape pairs.
    public var pairings: Double
    /// The fraction whose given sizes are right.
    public var sizes: Double
    /// Among the captions that state a relation, the fraction whose relations all hold; 0 when
    /// none states one.
    public var relations: Double
    /// How many captions state at least one relation.
    public var captionsWithRelations: Int
    /// The fraction entirely right (``SceneCaptionCheck/isCorrect``).
    public var allCorrect: Double

    /// Checks `captions[i]` against `scenes[i]` for every i.
    public init(captions: [[String]], scenes: [ShapeScene]) {
        check(captions.count == scenes.count, "SceneCaptionAccuracy: \(captions.count) captions for \(scenes.count) scenes")
        let checks = zip(captions, scenes).map { $1.checkCaption($0) }
        func fraction(_ passes: (SceneCaptionCheck) -> Bool, among subset: [SceneCaptionCheck]? = nil) -> Double {
            let all = subset ?? checks
            return all.isEmpty ? 0 : Double(all.filter(passes).count) / Double(all.count)
        }
        let stating = checks.filter { $0.statedRelations > 0 }
        count = checks.count
        shapes = fraction(\.shapes)
        colours = fraction(\.colours)
        pairings = fraction(\.pairings)
        sizes = fraction(\.sizes)
        relations = fraction(\.relations, among: stating)
        captionsWithRelations = stating.count
        allCorrect = fraction(\.isCorrect)
    }
}
