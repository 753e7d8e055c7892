# Probe outside the pipeline (not part of the product): why does the sign mask cost so much on Fashion-MNIST?
# Run from the repository root after scripts/fetch-datasets.sh:
#   /usr/bin/python3 python/probes/fashion_mask.py [epochs, default 3]   (about a minute per row at 3 epochs on 2 cores)
# Trains the trainer's small CNN on InstaHide inside k=4 (on-the-fly, normalised half-normal lambdas,
# upper .65, fresh keys per epoch), Fashion-MNIST private, for a few epochs, with two normalisations:
#   centred:     (x - mean) / std   (the product's setting; the mask hides sign information)
#   uncentred:   x / std            (every value >= 0: |enc| keeps everything, the mask hides nothing)
# and Mixup (no mask, centred) as the reference.
import os, sys, time
import numpy as np, torch
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))
from instahide_stream.train import small_cnn, accuracy, cosine, set_learning_rate
from instahide_stream.dataset import soft_label_cross_entropy
from instahide_stream.idx import read_idx

torch.set_num_threads(2)
d = os.path.join(ROOT, ".cache", "datasets", "fashion-mnist")
xtr, ytr = read_idx(d, "train"); xte, yte = read_idx(d, "t10k")
xtr = torch.tensor(xtr.astype(np.float32) / 255).reshape(-1, 1, 28, 28)
xte = torch.tensor(xte.astype(np.float32) / 255).reshape(-1, 1, 28, 28)
ytr = torch.tensor(ytr.astype(np.int64)); yte = torch.tensor(yte.astype(np.int64))
MEAN, STD = 0.2860, 0.3530
EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 3

def lambdas(n, k, g):
    out = torch.empty(n, k)
    filled = 0
    while filled < n:
        l = torch.randn(n, k, generator=g).abs(); l = l / l.sum(1, keepdim=True)
        ok = l[(l.max(1).values <= 0.65)]
        take = min(len(ok), n - filled); out[filled:filled + take] = ok[:take]; filled += take
    return out

def run(name, centred, masked, k=4):
    g = torch.Generator().manual_seed(1); torch.manual_seed(1)
    norm = (lambda x: (x - MEAN) / STD) if centred else (lambda x: x / STD)
    tr, te = norm(xtr), norm(xte)
    model = small_cnn(1, 28, 28, 10); opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = len(tr); steps = EPOCHS * (n // 64); step = 0; t0 = time.time()
    onehot = torch.nn.functional.one_hot(ytr, 10).float()
    for epoch in range(EPOCHS):
        perms = [torch.arange(n)] + [torch.randperm(n, generator=g) for _ in range(k - 1)]
        lam = lambdas(n, k, g)
        order = torch.randperm(n, generator=g)
        model.train()
        for b in range(n // 64):
            idx = order[b * 64:(b + 1) * 64]
            x = sum(lam[idx, s].view(-1, 1, 1, 1) * tr[perms[s][idx]] for s in range(k))
            y = sum(lam[idx, s].view(-1, 1) * onehot[perms[s][idx]] for s in range(k))
            if masked:
                x = x * (torch.randint(0, 2, x.shape, generator=g) * 2 - 1)
            set_learning_rate(opt, cosine(1e-3, step, steps)); step += 1
            opt.zero_grad(); soft_label_cross_entropy(model(x), y).backward(); opt.step()
        model.eval()
        print(f"{name:32s} epoch {epoch + 1}: {100 * accuracy(model, te.numpy(), yte.numpy()):.2f} %  ({time.time() - t0:.0f} s)", flush=True)

run("InstaHide k=4, centred", True, True)
run("InstaHide k=4, uncentred (x/std)", False, True)
run("Mixup k=4, centred", True, False)
