"""Generate the PyTorch reference fixtures used by Braid's tests.

Writes five files (float32 everywhere, int64 only for class targets):
  layers.safetensors      forward values and gradients of Linear, LayerNorm,
                          activations, softmax/log_softmax and losses
  optimizers.safetensors  3 steps of SGD/Adam/AdamW on a small MLP, gradient
                          clipping, and learning-rate schedules
  attention.safetensors   forward values, weights and gradients of
                          nn.MultiheadAttention (mha_self, mha_cross, mha_causal),
                          nn.TransformerEncoderLayer (tel_post, tel_pre) and a
                          2-layer nn.TransformerEncoder (encoder)
  vision.safetensors      forward values and gradients of nn.Conv2d (strides, padding,
                          dilation, groups), nn.BatchNorm2d in train and eval mode
                          (with running statistics before and after), nn.MaxPool2d,
                          nn.AvgPool2d (with and without count_include_pad) and
                          nn.AdaptiveAvgPool2d; <case>.x, .upstream, .y, .grad_x,
                          .param.<name>, .grad.<name>; and F.interpolate(bilinear,
                          align_corners=False) of resize.x to resize.up and resize.down
  decoder.safetensors     forward values and gradients of nn.TransformerDecoderLayer
                          (dec_post: post-norm, ReLU; dec_pre: pre-norm, GELU) and a
                          2-layer nn.TransformerDecoder with a final LayerNorm (decoder),
                          with causal self-attention, target and memory key padding;
                          inputs tgt and memory, .upstream, .y, .grad_tgt, .grad_memory,
                          parameters under PyTorch's own names (packed in_proj_weight)
                          as .param.<name> and their gradients as .grad.<name>
  resnet18.safetensors    a torchvision-layout resnet18 in eval mode with weights from a
                          counter hash (hashed_tensor; the Swift test rebuilds them, writes
                          them as a safetensors checkpoint and loads it): logits y [2, 1000]
                          and the input gradient grad_x for a 2x3x64x64 batch

In attention.safetensors "upstream" is a fixed random tensor g shaped like the
output y, and every gradient is of (y * g).sum(). Masks are float32: key padding
masks are 1.0 where a key is padding (PyTorch's True) and 0.0 elsewhere; attention
masks are additive (0.0 or -inf). Modules are batch_first, dropout 0, in train mode.
MultiheadAttention parameters are stored under PyTorch's names
(<case>.state.*, <case>.grad.*); encoder-layer parameters under BERT-style names
(<case>.param.*, <case>.grad.*, encoder.param.layer.<i>.*), with in_proj split
into attention.self.{query,key,value}.

Run from the repository root:
  python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0 safetensors numpy
  /opt/braid-venv/bin/python Scripts/make-fixtures.py [OUTPUT_DIR [NAME...]]
OUTPUT_DIR defaults to Tests/Fixtures in the repository root; NAMEs (e.g. decoder)
limit the run to those files.

PyTorch is only a tool for this script: it is never a dependency of the
Braid library or of its tests, which read the committed fixture files.
"""

import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn

REPO_ROOT = Path(__file__).resolve().parent.parent


def leaf(*shape, scale=1.0, shift=0.0):
    """A random normal float32 tensor that records gradients."""
    return (torch.randn(*shape) * scale + shift).requires_grad_()


def store(out, prefix, **tensors):
    for name, t in tensors.items():
        out[f"{prefix}.{name}"] = t.detach().clone().contiguous()


def grads(output, inputs, upstream=None):
    """Gradients of (output * upstream).sum(), or of output itself if scalar."""
    loss = output if upstream is None else (output * upstream).sum()
    return torch.autograd.grad(loss, inputs)


# ---------------------------------------------------------------- layers

def linear_case(out, prefix, x_shape):
    x, w, b = leaf(*x_shape), leaf(3, 5), leaf(3)
    y = F.linear(x, w, b)
    g = torch.randn_like(y)
    gx, gw, gb = grads(y, (x, w, b), g)
    store(out, prefix, x=x, weight=w, bias=b, upstream=g, y=y,
          grad_x=gx, grad_weight=gw, grad_bias=gb)


def layernorm_case(out):
    x, w, b = leaf(4, 6, scale=3, shift=1), leaf(6, shift=1), leaf(6)
    y = F.layer_norm(x, (6,), w, b, eps=1e-5)
    g = torch.randn_like(y)
    gx, gw, gb = grads(y, (x, w, b), g)
    store(out, "layernorm", x=x, weight=w, bias=b, upstream=g, y=y,
          grad_x=gx, grad_weight=gw, grad_bias=gb)


def elementwise_cases(out, prefix, x, functions):
    """Several functions sharing one input and one upstream tensor."""
    g = torch.randn_like(x)
    store(out, prefix, x=x, upstream=g)
    for name, fn in functions.items():
        y = fn(x)
        store(out, name, y=y, grad_x=grads(y, (x,), g)[0])


def cross_entropy_cases(out):
    logits = leaf(6, 5)
    targets_all = torch.randint(0, 5, (6,))
    targets = targets_all.clone()
    targets[1] = targets[4] = -100
    store(out, "cross_entropy", logits=logits, targets=targets, targets_all=targets_all)
    configs = {
        "plain": (targets_all, {}),
        "ignore": (targets, dict(ignore_index=-100)),
        "smooth": (targets_all, dict(label_smoothing=0.1)),
        "smooth_ignore": (targets, dict(ignore_index=-100, label_smoothing=0.2)),
        "sum": (targets_all, dict(reduction="sum")),
    }
    for name, (t, kwargs) in configs.items():
        loss = F.cross_entropy(logits, t, **kwargs)
        store(out, f"cross_entropy.{name}", loss=loss, grad_logits=grads(loss, (logits,))[0])


def regression_losses(out):
    logits, targets = leaf(4, 3), torch.rand(4, 3)
    loss = F.binary_cross_entropy_with_logits(logits, targets)
    store(out, "bce", logits=logits, targets=targets, loss=loss,
          grad_logits=grads(loss, (logits,))[0])

    inp, target = leaf(4, 3), torch.randn(4, 3)
    loss = F.mse_loss(inp, target)
    store(out, "mse", input=inp, target=target, loss=loss,
          grad_input=grads(loss, (inp,))[0])


def make_layers():
    torch.manual_seed(0)
    out = {}
    linear_case(out, "linear", (4, 5))
    linear_case(out, "linear3d", (2, 4, 5))
    layernorm_case(out)
    elementwise_cases(out, "gelu", leaf(64, scale=3), {
        "gelu": F.gelu,
        "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
        "silu": F.silu,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
    })
    elementwise_cases(out, "softmax", leaf(4, 7, scale=4), {
        "softmax": lambda x: F.softmax(x, dim=-1),
        "log_softmax": lambda x: F.log_softmax(x, dim=-1),
    })
    cross_entropy_cases(out)
    regression_losses(out)
    return out


# ------------------------------------------------------------ optimizers

OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01),
    "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, dampening=0),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8),
    "adam_l2": lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
}


def make_mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))


def store_params(out, prefix, named):
    for name, t in named:
        out[f"{prefix}.{name}"] = t.detach().clone().contiguous()


def lr_trace(make_scheduler, epochs=12, lr=0.1):
    """The learning rate in effect at each epoch, read before scheduler.step()."""
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = make_scheduler(opt)
    lrs = []
    for _ in range(epochs):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return torch.tensor(lrs, dtype=torch.float32)


def warmup_cosine(step, warmup=3, total=12):
    # Braid's warm-up/cosine schedule must match this formula exactly:
    #   factor(s) = s / warmup                                   if s < warmup
    #             = 0.5 * (1 + cos(pi * (s - warmup) / (total - warmup)))  otherwise
    # lr(s) = 0.1 * factor(s): linear from 0 to 0.1 over 3 steps, then cosine to 0 at step 12.
    if step < warmup:
        return step / warmup
    return 0.5 * (1 + math.cos(math.pi * (step - warmup) / (total - warmup)))


def make_optimizers():
    out = {}
    initial = make_mlp().state_dict()
    torch.manual_seed(1)
    x = torch.randn(5, 4)
    targets = torch.tensor([0, 2, 1, 1, 0])  # every class appears
    out["mlp.x"], out["mlp.targets"] = x, targets
    store_params(out, "mlp.initial", initial.items())

    for name, make_opt in OPTIMIZERS.items():
        model = make_mlp()
        model.load_state_dict(initial)
        opt = make_opt(model.parameters())
        for k in range(1, 4):
            opt.zero_grad()
            loss = F.cross_entropy(model(x), targets)
            loss.backward()
            opt.step()
            out[f"{name}.loss{k}"] = loss.detach().clone()
            store_params(out, f"{name}.step{k}", model.named_parameters())

    model = make_mlp()
    model.load_state_dict(initial)
    F.cross_entropy(model(x), targets).backward()
    out["clip.total_norm"] = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5).detach().clone()
    store_params(out, "clip", ((n, p.grad) for n, p in model.named_parameters()))

    out["schedule.step_lr"] = lr_trace(
        lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5))
    out["schedule.cosine_warmup"] = lr_trace(
        lambda opt: torch.optim.lr_scheduler.LambdaLR(opt, warmup_cosine))
    return out


# ------------------------------------------------------------- attention

def padding_mask(length, pads):
    """Key padding mask: 1.0 on the last pads[b] positions of batch row b."""
    mask = torch.zeros(len(pads), length)
    for row, pad in enumerate(pads):
        mask[row, length - pad:] = 1.0
    return mask


def causal_mask(length):
    """Additive attention mask: -inf where key j > query i, 0.0 elsewhere."""
    return torch.full((length, length), -math.inf).triu(1)


def perturb(module):
    """Add 0.1 * randn to attention biases and LayerNorm parameters, which PyTorch
    initialises to 0 (and 1), so that bias and LayerNorm bugs show."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.MultiheadAttention):
                params = (m.in_proj_bias, m.out_proj.bias)
            elif isinstance(m, nn.LayerNorm):
                params = (m.weight, m.bias)
            else:
                continue
            for p in params:
                p.add_(torch.randn_like(p) * 0.1)


def run_case(out, prefix, module, inputs, masks, forward):
    """Run forward() -> (y, weights or None) in train mode and store the inputs,
    masks, upstream, y, weights and grad_<input>; return the parameter
    gradients by PyTorch name."""
    module.train()
    y, weights = forward()
    g = torch.randn_like(y)
    params = dict(module.named_parameters())
    gs = grads(y, (*inputs.values(), *params.values()), g)
    store(out, prefix, **inputs, **masks, upstream=g, y=y,
          **{f"grad_{name}": gi for name, gi in zip(inputs, gs)})
    if weights is not None:
        store(out, prefix, weights=weights)
    return dict(zip(params, gs[len(inputs):]))


def mha_case(out, prefix, mha, inputs, masks, **kwargs):
    """MultiheadAttention on query/key/value inputs, or on a single x used as all
    three; also stores its state dict and parameter gradients."""
    qkv = list(inputs.values()) * (3 if len(inputs) == 1 else 1)
    perturb(mha)
    param_grads = run_case(out, prefix, mha, inputs, masks, lambda: mha(*qkv, **kwargs))
    store_params(out, f"{prefix}.state", mha.state_dict().items())
    store_params(out, f"{prefix}.grad", param_grads.items())


def mha_self(out):
    mask = padding_mask(5, pads=(0, 2))
    mha_case(out, "mha_self",
             nn.MultiheadAttention(16, 4, dropout=0.0, batch_first=True),
             dict(x=leaf(2, 5, 16)), dict(key_padding_mask=mask),
             key_padding_mask=mask.bool(), need_weights=True, average_attn_weights=True)


def mha_cross(out):
    mask = padding_mask(6, pads=(1, 3))
    mha_case(out, "mha_cross",
             nn.MultiheadAttention(16, 2, dropout=0.0, kdim=12, vdim=10, batch_first=True),
             dict(query=leaf(2, 4, 16), key=leaf(2, 6, 12), value=leaf(2, 6, 10)),
             dict(key_padding_mask=mask),
             key_padding_mask=mask.bool(), need_weights=True, average_attn_weights=True)


def mha_causal(out):
    mask = causal_mask(6)
    mha_case(out, "mha_causal",
             nn.MultiheadAttention(16, 4, dropout=0.0, batch_first=True),
             dict(x=leaf(2, 6, 16)), dict(attn_mask=mask),
             attn_mask=mask, need_weights=False)


BERT_NAMES = {
    "self_attn.out_proj": "attention.output.dense",
    "norm1": "attention.output.LayerNorm",
    "linear1": "intermediate.dense",
    "linear2": "output.dense",
    "norm2": "output.LayerNorm",
}


def bert_names(named):
    """(PyTorch name, tensor) pairs of one TransformerEncoderLayer, renamed
    BERT-style; the packed in_proj is split into query, key and value rows."""
    for name, t in named:
        module, kind = name.rsplit(".", 1)
        if kind.startswith("in_proj_"):
            kind = kind.removeprefix("in_proj_")
            for part, rows in zip(("query", "key", "value"), t.chunk(3)):
                yield f"attention.self.{part}.{kind}", rows
        else:
            yield f"{BERT_NAMES[module]}.{kind}", t


def encoder_layer(norm_first=False, activation="gelu"):
    return nn.TransformerEncoderLayer(
        d_model=16, nhead=4, dim_feedforward=32, dropout=0.0, activation=activation,
        batch_first=True, norm_first=norm_first, layer_norm_eps=1e-5)


def padded_sequence_case(out, prefix, model):
    """model on x [2,5,16] whose batch row 1 pads its last 2 positions."""
    perturb(model)
    x, mask = leaf(2, 5, 16), padding_mask(5, pads=(0, 2))
    return run_case(out, prefix, model, dict(x=x), dict(key_padding_mask=mask),
                    lambda: (model(x, src_key_padding_mask=mask.bool()), None))


def tel_case(out, prefix, **options):
    layer = encoder_layer(**options)
    param_grads = padded_sequence_case(out, prefix, layer)
    store_params(out, f"{prefix}.param", bert_names(layer.named_parameters()))
    store_params(out, f"{prefix}.grad", bert_names(param_grads.items()))


def encoder_case(out):
    encoder = nn.TransformerEncoder(encoder_layer(), num_layers=2, enable_nested_tensor=False)
    padded_sequence_case(out, "encoder", encoder)
    for i, layer in enumerate(encoder.layers):
        store_params(out, f"encoder.param.layer.{i}", bert_names(layer.named_parameters()))


def make_attention():
    out = {}
    cases = [
        mha_self,
        mha_cross,
        mha_causal,
        lambda out: tel_case(out, "tel_post", norm_first=False, activation="gelu"),
        lambda out: tel_case(out, "tel_pre", norm_first=True, activation="relu"),
        encoder_case,
    ]
    for seed, case in enumerate(cases):
        torch.manual_seed(seed)  # each case is independent of the others
        case(out)
    return out


# ---------------------------------------------------------------- decoder

def decoder_layer(norm_first=False, activation="relu"):
    return nn.TransformerDecoderLayer(
        d_model=16, nhead=4, dim_feedforward=24, dropout=0.0, activation=activation,
        batch_first=True, norm_first=norm_first, layer_norm_eps=1e-5)


def decoder_case(out, prefix, model):
    """model on tgt [2,6,16] (row 1 pads its last position) attending to memory [2,7,16]
    (row 1 pads its last 3), causal; stores parameters and gradients by PyTorch name."""
    perturb(model)
    tgt, memory = leaf(2, 6, 16), leaf(2, 7, 16)
    tgt_pad, memory_pad = padding_mask(6, pads=(0, 1)), padding_mask(7, pads=(0, 3))
    causal = torch.ones(6, 6, dtype=torch.bool).triu(1)
    forward = lambda: (model(tgt, memory, tgt_mask=causal, tgt_is_causal=True,
                             tgt_key_padding_mask=tgt_pad.bool(),
                             memory_key_padding_mask=memory_pad.bool()), None)
    param_grads = run_case(out, prefix, model, dict(tgt=tgt, memory=memory),
                           dict(tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=memory_pad), forward)
    store_params(out, f"{prefix}.param", model.named_parameters())
    store_params(out, f"{prefix}.grad", param_grads.items())


def make_decoder():
    out = {}
    cases = [
        lambda out: decoder_case(out, "dec_post", decoder_layer()),
        lambda out: decoder_case(out, "dec_pre", decoder_layer(norm_first=True, activation="gelu")),
        lambda out: decoder_case(out, "decoder", nn.TransformerDecoder(
            decoder_layer(), num_layers=2, norm=nn.LayerNorm(16))),
    ]
    for seed, case in enumerate(cases):
        torch.manual_seed(100 + seed)
        case(out)
    return out


# ---------------------------------------------------------------- vision layers

def module_case(out, prefix, module, x):
    """Forward and gradients of a module on x: input, output, parameter gradients."""
    y = module(x)
    g = torch.randn_like(y)
    params = dict(module.named_parameters())
    gradients = grads(y, [x, *params.values()], g)
    store(out, prefix, x=x, upstream=g, y=y, grad_x=gradients[0])
    store(out, prefix + ".param", **params)
    store(out, prefix + ".grad", **dict(zip(params, gradients[1:])))


def make_vision():
    out = {}
    convolutions = {
        "conv_plain": (dict(in_channels=3, out_channels=4, kernel_size=3), (2, 3, 7, 6)),
        "conv_strided": (dict(in_channels=4, out_channels=6, kernel_size=(3, 2), stride=(2, 1), padding=(1, 2)), (2, 4, 8, 7)),
        "conv_dilated": (dict(in_channels=2, out_channels=4, kernel_size=3, padding=2, dilation=2), (2, 2, 9, 9)),
        "conv_groups": (dict(in_channels=4, out_channels=6, kernel_size=3, stride=2, padding=1, groups=2, bias=False), (3, 4, 7, 8)),
    }
    for i, (name, (options, shape)) in enumerate(convolutions.items()):
        torch.manual_seed(100 + i)
        module_case(out, name, torch.nn.Conv2d(**options), leaf(*shape))

    for i, training in enumerate((True, False)):
        torch.manual_seed(200 + i)
        bn = torch.nn.BatchNorm2d(3)
        with torch.no_grad():
            bn.weight.copy_(1 + 0.1 * torch.randn(3))
            bn.bias.copy_(0.1 * torch.randn(3))
            bn.running_mean.copy_(torch.randn(3))
            bn.running_var.copy_(1 + torch.rand(3))
        name = "bn_train" if training else "bn_eval"
        store(out, name, running_mean_before=bn.running_mean, running_var_before=bn.running_var)
        bn.train(training)
        module_case(out, name, bn, leaf(4, 3, 5, 5, scale=2, shift=1))
        store(out, name, running_mean_after=bn.running_mean, running_var_after=bn.running_var)

    pools = {
        "maxpool": (torch.nn.MaxPool2d(3, stride=2, padding=1), (2, 3, 9, 8)),
        "avgpool": (torch.nn.AvgPool2d(3, stride=2, padding=1), (2, 3, 9, 8)),
        "avgpool_exclude": (torch.nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), (2, 3, 9, 8)),
        "adaptive": (torch.nn.AdaptiveAvgPool2d((3, 2)), (2, 3, 7, 5)),
    }
    for i, (name, (module, shape)) in enumerate(pools.items()):
        torch.manual_seed(300 + i)
        module_case(out, name, module, leaf(*shape))

    torch.manual_seed(400)
    image = torch.rand(2, 3, 7, 9)
    out["resize.x"] = image
    for name, size in (("up", (12, 5)), ("down", (4, 4))):
        out[f"resize.{name}"] = F.interpolate(image, size=size, mode="bilinear", align_corners=False)
    return out


# ---------------------------------------------------------------- resnet18

def hashed_uniform(count, stream):
    """Uniform [0, 1) float32 values from a counter hash (murmur3's finaliser), the same function
    as the Swift tests' `HashedValues`, so both sides build identical weights without a 47 MB
    checkpoint in the repository."""
    x = (np.arange(count, dtype=np.uint64) * 0x9E3779B1 + stream * 0x85EBCA77 + 0x165667B1) & 0xFFFFFFFF
    x = x.astype(np.uint32)
    for shift, factor in ((16, 0x85EBCA6B), (13, 0xC2B2AE35)):
        x ^= x >> np.uint32(shift)
        x *= np.uint32(factor)
    x ^= x >> np.uint32(16)
    return (x >> np.uint32(8)).astype(np.float32) * np.float32(2.0 ** -24)


def hashed_tensor(name, shape, stream):
    """The deterministic value of state-dict entry `name` (rules shared with the Swift test)."""
    u = hashed_uniform(int(np.prod(shape, dtype=np.int64)), stream).reshape(shape)
    centered = u * np.float32(2) - np.float32(1)
    if name.endswith("num_batches_tracked"):
        return torch.zeros(shape, dtype=torch.int64)
    if name.endswith("running_var"):
        values = np.float32(1) + np.float32(0.5) * u
    elif name.endswith("running_mean") or (len(shape) == 1 and name.endswith(".bias") and not name.startswith("fc.")):
        values = centered * np.float32(0.1)
    elif len(shape) == 1 and name.endswith(".weight"):
        values = np.float32(1) + centered * np.float32(0.1)
    else:
        fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else 512
        values = centered * np.float32(math.sqrt((6.0 if len(shape) == 4 else 1.0) / fan_in))
    return torch.from_numpy(np.ascontiguousarray(values, dtype=np.float32))


class BasicBlock(torch.nn.Module):
    """torchvision's BasicBlock, written out in plain torch.nn with the same names."""

    def __init__(self, inputs, width, stride):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(inputs, width, 3, stride, 1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(width)
        self.conv2 = torch.nn.Conv2d(width, width, 3, 1, 1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(width)
        self.downsample = None
        if stride != 1 or inputs != width:
            self.downsample = torch.nn.Sequential(
                torch.nn.Conv2d(inputs, width, 1, stride, bias=False), torch.nn.BatchNorm2d(width))

    def forward(self, x):
        y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet18(torch.nn.Module):
    """torchvision's resnet18 layout and parameter names in plain torch.nn."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(64)
        self.maxpool = torch.nn.MaxPool2d(3, 2, 1)
        channels = 64
        for index, width in enumerate((64, 128, 256, 512)):
            stride = 1 if index == 0 else 2
            setattr(self, f"layer{index + 1}", torch.nn.Sequential(
                BasicBlock(channels, width, stride), BasicBlock(width, width, 1)))
            channels = width
        self.fc = torch.nn.Linear(512, 1000)

    def forward(self, x):
        x = self.maxpool(torch.relu(self.bn1(self.conv1(x))))
        for index in range(4):
            x = getattr(self, f"layer{index + 1}")(x)
        return self.fc(torch.flatten(torch.nn.functional.adaptive_avg_pool2d(x, 1), 1))


def make_resnet():
    model = ResNet18().eval()
    names = sorted(model.state_dict())
    state = {name: hashed_tensor(name, tuple(model.state_dict()[name].shape), stream)
             for stream, name in enumerate(names)}
    model.load_state_dict(state)
    x = hashed_tensor("input", (2, 3, 64, 64), 100000).requires_grad_()
    y = model(x)
    g = hashed_tensor("upstream", (2, 1000), 100001)
    (grad_x,) = grads(y, (x,), g)
    out = {}
    store(out, "resnet18", y=y, grad_x=grad_x, conv1_weight_head=state["conv1.weight"].flatten()[:8])
    return out


def main():
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT / "Tests" / "Fixtures"
    only = set(sys.argv[2:])
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, make in (("layers", make_layers), ("optimizers", make_optimizers),
                       ("attention", make_attention), ("decoder", make_decoder),
                       ("vision", make_vision), ("resnet18", make_resnet)):
        if only and name not in only:
            continue
        tensors = make()
        for key, t in tensors.items():
            assert t.dtype in (torch.float32, torch.int64), (key, t.dtype)
        save_file(tensors, str(out_dir / f"{name}.safetensors"))
        print(f"wrote {out_dir / name}.safetensors ({len(tensors)} tensors)")


if __name__ == "__main__":
    main()
