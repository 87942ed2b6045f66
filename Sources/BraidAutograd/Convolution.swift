import BraidTensor

extension Variable {
    /// 2-D cross-correlation (`F.conv2d`): `[N, C, H, W]` with weight `[O, C/groups, kH, kW]` and
    /// optional bias `[O]`. Gradients flow to all three (see `Tensor.conv2dBackward`).
    public static func conv2d(
        _ input: Variable, weight: Variable, bias: Variable?, geometry: Convolution2DGeometry = .init()
    ) -> Variable {
        let y = Tensor.conv2d(input.value, weight: weight.value, bias: bias?.value, geometry: geometry)
        return Variable(y, inputs: [input, weight] + (bias.map { [$0] } ?? [])) { g in
            let grads = Tensor.conv2dBackward(
                g, input: input.value, weight: weight.value, geometry: geometry, needInput: input.requiresGrad)
            return [grads.input, grads.weight] + (bias == nil ? [] : [grads.bias])
        }
    }
}
