import Braid
import Foundation

/// Two interleaved spirals in the plane, one per class, with Gaussian noise.
struct TwoSpirals {
    /// Points, `[count, 2]`.
    var points: Tensor
    /// Class of each point, 0 or 1.
    var labels: IntTensor

    /// `pointsPerClass` points along each of two arms turning 1.75 times around the origin.
    init(pointsPerClass: Int, noise: Float, generator: inout RandomGenerator) {
        var coordinates: [Float] = [], classes: [Int] = []
        for arm in 0..<2 {
            for i in 0..<pointsPerClass {
                let t = Float(i) / Float(pointsPerClass) * 3.5 * .pi + 0.5
                let sign: Float = arm == 0 ? 1 : -1
                coordinates.append(sign * t * cos(t) / 10 + noise * generator.nextNormal())
                coordinates.append(sign * t * sin(t) / 10 + noise * generator.nextNormal())
                classes.append(arm)
            }
        }
        points = Tensor(shape: [classes.count, 2], scalars: coordinates)
        labels = IntTensor(classes)
    }

    init(points: Tensor, labels: IntTensor) {
        self.points = points
        self.labels = labels
    }

    /// The points at `indices`.
    func subset(_ indices: [Int]) -> TwoSpirals {
        TwoSpirals(points: points.indexSelect(axis: 0, indices: indices), labels: IntTensor(indices.map { labels.scalars[$0] }))
    }

    /// A random split into training and held-out points.
    func split(heldOutFraction: Double, generator: inout RandomGenerator) -> (TwoSpirals, TwoSpirals) {
        let order = Array(0..<labels.count).shuffled(using: &generator)
        let heldOut = Int(Double(order.count) * heldOutFraction)
        return (subset(Array(order[heldOut...])), subset(Array(order[..<heldOut])))
    }

    /// Shuffled mini-batches of at most `size` points.
    func batches(size: Int, generator: inout RandomGenerator) -> [(Tensor, IntTensor)] {
        let order = Array(0..<labels.count).shuffled(using: &generator)
        return stride(from: 0, to: order.count, by: size).map { start in
            let batch = subset(Array(order[start..<min(start + size, order.count)]))
            return (batch.points, batch.labels)
        }
    }
}

extension Sequential {
    /// The fraction of `data` whose most likely class is the label.
    func accuracy(on data: TwoSpirals) -> Float {
        let predictions = withoutGradients { self(Variable(data.points)).value.argmax(alongAxis: 1) }
        let correct = zip(predictions.scalars, data.labels.scalars).filter { $0 == $1 }.count
        return Float(correct) / Float(data.labels.count)
    }
}
