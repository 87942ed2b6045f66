import Braid

/// Which attributes of a scene a caption gets right: the check behind the captioning example's
/// attribute accuracy. ``ShapeScene/checkCaption(_:)`` makes one.
///
/// Mentions (see ``ParsedSceneCaption``) are matched to objects by colour and shape, which are
/// unique within a scene. With the multiset of the scene's objects on one side and the
/// caption's mentions on the other:
/// - `shapes`: the mentioned shapes are exactly the scene's shapes, as many of each;
/// - `colours`: every mention has a colour, and they are exactly the scene's colours;
/// - `pairings`: the mentioned (colour, shape) pairs are exactly the scene's, each object named
///   once and nothing else named: the binding of colour to shape, which `shapes` and `colours`
///   alone do not test ("a blue circle and a red square" for a red circle and a blue square
///   passes both);
/// - `sizes`: every size the caption gives belongs to a mention matched to an object of that
///   size (true when it gives none);
/// - `relations`: every stated relation links two mentions matched to different objects, and
///   holds between them (true when it states none; `statedRelations` tells how many).
public struct SceneCaptionCheck: Sendable, Equatable {
    /// Whether the mentioned shapes are the scene's.
    public var shapes: Bool
    /// Whether the mentioned colours are the scene's.
    public var colours: Bool
    /// Whether the mentioned colour–shape pairs are the scene's.
    public var pairings: Bool
    /// Whether every size given is right.
    public var sizes: Bool
    /// Whether every stated relation holds.
    public var relations: Bool
    /// How many relations the caption states.
    public var statedRelations: Int

    /// Whether everything checked is right: pairings (so shapes and colours), sizes and relations.
    public var isCorrect: Bool { pairings && sizes && relations }
}

extension ShapeScene {
    /// Checks `caption` (words) against the scene by the rules of ``SceneCaptionCheck``.
    public func checkCaption(_ caption: [String]) -> SceneCaptionCheck {
        let parsed = ParsedSceneCaption(caption)
        let bound = parsed.mentions.map { mention in mention.colour.flatMap { index(of: ColouredShape($0, mention.shape)) } }
        let colours = parsed.mentions.compactMap(\.colour)
        let pairings = parsed.mentions.compactMap { m in m.colour.map { ColouredShape($0, m.shape) } }
        let sizes = zip(parsed.mentions, bound).allSatisfy { mention, object in
            mention.size == nil || object.map { objects[$0].size == mention.size } == true
        }
        let relations = parsed.statements.allSatisfy { statement in
            guard let s = statement.subject.flatMap({ bound[$0] }), let o = statement.object.flatMap({ bound[$0] }), s != o else {
                return false
            }
            return relation(of: s, to: o) == statement.relation
        }
        return SceneCaptionCheck(
            shapes: parsed.mentions.map(\.shape).sorted() == objects.map(\.shape).sorted(),
            colours: colours.count == parsed.mentions.count && colours.sorted() == objects.map(\.colour).sorted(),
            pairings: pairings.count == parsed.mentions.count && pairings.sorted() == objects.map(\.colouredShape).sorted(),
            sizes: sizes, relations: relations, statedRelations: parsed.statements.count)
    }
}
