/// A module that only groups other modules under names, so a layer can present a checkpoint's
/// nesting (BERT's `attention.output.dense`) without a class per level. It owns nothing: its
/// children belong to the layer that builds it.
public final class NamedModules: Module {
    /// The grouped modules by local name.
    public let children: [(name: String, module: any Module)]
    /// Mirrors the mode that `train()`/`eval()` set; the children get it directly.
    public var isTraining = true

    /// Groups `children` under their names.
    public init(_ children: [(name: String, module: any Module)]) { self.children = children }
}
