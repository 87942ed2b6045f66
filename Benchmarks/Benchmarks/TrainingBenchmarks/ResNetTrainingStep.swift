import Braid

/// resnet18 (random weights, training mode: batch statistics), SGD with momentum 0.9 at lr 0.01,
/// and one fixed batch of 224×224 images with random labels of 1000 classes.
final class ResNetTrainingStep: @unchecked Sendable {
    let batch: Int
    let model: ResNet
    let optimizer: SGD
    let images: Variable
    let labels: IntTensor

    init(batch: Int) {
        self.batch = batch
        var generator = RandomGenerator(seed: 22)
        model = ResNet(.resnet18, generator: &generator)
        model.train()
        optimizer = SGD(parameters: model.parameters(), learningRate: 0.01, momentum: 0.9)
        images = Variable(Tensor.randomNormal([batch, 3, 224, 224], generator: &generator))
        labels = IntTensor((0..<batch).map { _ in Int(generator.next() % 1000) })
    }

    /// One training step (zero grad, forward, cross-entropy, backward, update); returns the loss.
    func run() -> Float {
        optimizer.zeroGrad()
        let loss = crossEntropy(logits: model(images), targets: labels)
        loss.backward()
        optimizer.step()
        return loss.value.scalar
    }
}
