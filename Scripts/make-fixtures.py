"""Generate the PyTorch reference fixtures used by Braid's tests.

Writes two files (float32 everywhere, int64 only for class targets):
  layers.safetensors      forward values and gradients of Linear, LayerNorm,
                          activations, softmax/log_softmax and losses
  optimizers.safetensors  3 steps of SGD/Adam/AdamW on a small MLP, gradient
                          clipping, and learning-rate schedules

Run from the repository root:
  python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0 safetensors numpy
  /opt/braid-venv/bin/python Scripts/make-fixtures.py [OUTPUT_DIR]
OUTPUT_DIR defaults to Tests/Fixtures in the repository root.

PyTorch is only a tool for this script: it is never a dependency of the
Braid library or of its tests, which read the committed fixture files.
"""

import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

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


def main():
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT / "Tests" / "Fixtures"
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, tensors in (("layers", make_layers()), ("optimizers", make_optimizers())):
        for key, t in tensors.items():
            assert t.dtype in (torch.float32, torch.int64), (key, t.dtype)
        save_file(tensors, str(out_dir / f"{name}.safetensors"))
        print(f"wrote {out_dir / name}.safetensors ({len(tensors)} tensors)")


if __name__ == "__main__":
    main()
