import BraidTensor

/// Weight initialisers matching `torch.nn.init`. Fans follow PyTorch: for a weight of shape
/// `[out, in, k…]`, fanIn = in·Πk and fanOut = out·Πk.
public enum Initialization {
    /// Which fan a Kaiming initialiser preserves the variance of.
    public enum FanMode: Sendable { case fanIn, fanOut }

    /// (fanIn, fanOut) of a weight shape, as `torch.nn.init._calculate_fan_in_and_fan_out`.
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        check(shape.count >= 2, "fans: weight shape \(shape) needs at least two dimensions")
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// The gain for leaky ReLU with negative slope `a` (`calculate_gain('leaky_relu', a)`); a = 0 is ReLU.
    public static func leakyReLUGain(_ a: Float) -> Float { (2 / (1 + a * a)).squareRoot() }

    /// U(−b, b) with b = gain·√(3/fan) (`kaiming_uniform_`).
    public static func kaimingUniform(
        _ shape: [Int], a: Float = 0, mode: FanMode = .fanIn, generator: inout RandomGenerator
    ) -> Tensor {
        let bound = leakyReLUGain(a) * (3 / Float(fan(shape, mode))).squareRoot()
        return Tensor.randomUniform(shape, lowerBound: -bound, upperBound: bound, generator: &generator)
    }

    /// N(0, (gain/√fan)²) (`kaiming_normal_`).
    public static func kaimingNormal(
        _ shape: [Int], a: Float = 0, mode: FanMode = .fanIn, generator: inout RandomGenerator
    ) -> Tensor {
        let std = leakyReLUGain(a) / Float(fan(shape, mode)).squareRoot()
        return Tensor.randomNormal(shape, standardDeviation: std, generator: &generator)
    }

    /// U(−b, b) with b = gain·√(6/(fanIn + fanOut)) (`xavier_uniform_`).
    public static func xavierUniform(_ shape: [Int], gain: Float = 1, generator: inout RandomGenerator) -> Tensor {
        let (fanIn, fanOut) = fans(shape)
        let bound = gain * (6 / Float(fanIn + fanOut)).squareRoot()
        return Tensor.randomUniform(shape, lowerBound: -bound, upperBound: bound, generator: &generator)
    }

    /// N(0, gain²·2/(fanIn + fanOut)) (`xavier_normal_`).
    public static func xavierNormal(_ shape: [Int], gain: Float = 1, generator: inout RandomGenerator) -> Tensor {
        let (fanIn, fanOut) = fans(shape)
        let std = gain * (2 / Float(fanIn + fanOut)).squareRoot()
        return Tensor.randomNormal(shape, standardDeviation: std, generator: &generator)
    }

    private static func fan(_ shape: [Int], _ mode: FanMode) -> Int {
        let (fanIn, fanOut) = fans(shape)
        return mode == .fanIn ? fanIn : fanOut
    }
}
