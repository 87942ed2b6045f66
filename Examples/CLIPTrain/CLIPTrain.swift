import ArgumentParser

/// clip-train: a small CLIP trained from scratch on the compositional shape scenes and their
/// captions, tested on retrieval and on zero-shot colour–shape classification of held-out pairings.
///
/// A ViT over 8×8 patches and a causal text transformer over the scene grammar's words, each
/// projected into one space, are trained with CLIP's symmetric InfoNCE loss and learnable
/// temperature (the logit scale clamped at 100, as CLIP does) on one reference caption per scene
/// per step.
@main
struct CLIPTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clip-train",
        abstract: "Train a small CLIP on compositional shape scenes; test retrieval and zero-shot classification of held-out pairings.",
        discussion: """
            Trains a CLIP model (a ViT and a text transformer with a joint embedding space) with the symmetric \
            contrastive loss on the shape scenes and their captions. Prints image-to-text and text-to-image \
            Recall@1/5/10 on the test scenes beside chance, and zero-shot accuracy of colour, shape and their \
            pairing on the single-object test scenes from text prompts alone, for seen and for held-out pairings; \
            writes a JSON report, an SVG of the training curves and an SVG heat map of test similarities.
            """)

    @OptionGroup var options: CLIPTrainOptions

    func run() throws {
        try CLIPTrainRun(options: options).run()
    }
}
