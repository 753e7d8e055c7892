"""Trains a small CNN (or, with --arch resnet, a small residual network) on the encrypted-samples topic and evaluates it on clean test images.

    python3 -m instahide_stream.train --bootstrap-servers localhost:9092 --test-idx DIR

One epoch is ``--samples-per-epoch`` samples from the stream (the job re-encrypts every image it
receives with a fresh key, so re-published images give fresh encryptions each epoch). After each
epoch the model is evaluated on the clean test set, saved, and the consumer offsets committed.
"""

import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn

from .dataset import EncryptedSampleDataset, soft_label_cross_entropy
from .idx import clean_test_set


def small_cnn(channels, height, width, classes):
    """The same model as the Java trainer's SmallCnn."""
    side_h = ((height - 4) // 2 - 4) // 2
    side_w = ((width - 4) // 2 - 4) // 2
    return nn.Sequential(
        nn.Conv2d(channels, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * side_h * side_w, 128), nn.ReLU(),
        nn.Linear(128, classes),
    )


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with batch normalisation and a shortcut, as in the ResNets the
    InstaHide reference trains; a 1x1 projection where the shape changes."""

    def __init__(self, inputs, outputs, stride):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(inputs, outputs, 3, stride, 1, bias=False), nn.BatchNorm2d(outputs),
            nn.ReLU(),
            nn.Conv2d(outputs, outputs, 3, 1, 1, bias=False), nn.BatchNorm2d(outputs),
        )
        self.shortcut = (
            nn.Identity()
            if stride == 1 and inputs == outputs
            else nn.Sequential(
                nn.Conv2d(inputs, outputs, 1, stride, bias=False), nn.BatchNorm2d(outputs)
            )
        )

    def forward(self, x):
        return torch.relu(self.body(x) + self.shortcut(x))


def small_resnet(channels, height, width, classes, base=16):
    """A CPU-sized residual network (about 0.2M weights): a stem and three stages of two basic
    blocks at base, 2x and 4x channels, the last two halving the side, then global average
    pooling. Any input side: the pooling adapts."""
    del height, width
    stages, inputs = [], base
    for i, outputs in enumerate((base, 2 * base, 4 * base)):
        stride = 1 if i == 0 else 2
        stages += [BasicBlock(inputs, outputs, stride), BasicBlock(outputs, outputs, 1)]
        inputs = outputs
    return nn.Sequential(
        nn.Conv2d(channels, base, 3, 1, 1, bias=False), nn.BatchNorm2d(base), nn.ReLU(),
        *stages,
        nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(inputs, classes),
    )


ARCHITECTURES = {"small-cnn": small_cnn, "resnet": small_resnet}


def augment(features, mode, generator):
    """Random translations by up to 2 pixels (zero fill), and with ``shift-flip`` random horizontal
    flips, drawn per sample. Applied to encrypted samples: shifting or flipping a mix of images
    with its sign mask is the mix of the shifted or flipped images with the shifted or flipped
    mask, an encryption of the same kind."""
    if mode == "none":
        return features
    n, _, h, w = features.shape
    padded = torch.nn.functional.pad(features, (2, 2, 2, 2))
    dy = torch.randint(0, 5, (n,), generator=generator)
    dx = torch.randint(0, 5, (n,), generator=generator)
    rows = (dy[:, None] + torch.arange(h)[None, :])[:, None, :, None]
    cols = (dx[:, None] + torch.arange(w)[None, :])[:, None, None, :]
    batch = torch.arange(n)[:, None, None, None]
    channel = torch.arange(features.shape[1])[None, :, None, None]
    shifted = padded[batch, channel, rows, cols]
    if mode == "shift-flip":
        flip = torch.rand(n, generator=generator) < 0.5
        shifted[flip] = shifted[flip].flip(-1)
    return shifted


def accuracy(model, features, labels, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(labels), batch):
            x = torch.from_numpy(features[i : i + batch])
            correct += (model(x).argmax(dim=1).numpy() == labels[i : i + batch]).sum()
    model.train()
    return correct / len(labels)


def cosine(base, step, steps):
    """Cosine decay from ``base`` at step 0 to 0 at ``steps``."""
    return base * 0.5 * (1 + math.cos(math.pi * min(step, steps) / steps))


def set_learning_rate(optimizer, rate):
    for group in optimizer.param_groups:
        group["lr"] = rate


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--bootstrap-servers", required=True)
    p.add_argument("--topic", default="encrypted-samples")
    p.add_argument("--group-id", default="instahide-torch")
    p.add_argument("--test-idx", required=True, help="folder with clean IDX test images")
    p.add_argument("--test-prefix", default="t10k")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--samples-per-epoch", type=int, default=60000)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--learning-rate", type=float, default=1e-3)
    p.add_argument(
        "--lr-schedule",
        choices=["cosine", "constant"],
        default="cosine",
        help="cosine: decays to 0 over this run's --epochs (a resumed run starts a new cycle);"
        " constant: for endless training",
    )
    p.add_argument(
        "--arch",
        choices=sorted(ARCHITECTURES),
        default="small-cnn",
        help="small-cnn: two convolutions (the Java trainer's SmallCnn); resnet: a small residual"
        " network with batch normalisation (docs/training.md compares them)",
    )
    p.add_argument(
        "--augment",
        choices=["none", "shift", "shift-flip"],
        default="none",
        help="random shifts by up to 2 pixels (and horizontal flips) of each training sample",
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: PyTorch's default)")
    p.add_argument("--idle-timeout-s", type=float, default=300)
    p.add_argument("--model", default="torch-model.pt", help="saved each epoch, resumed from")
    p.add_argument("--json", action="store_true", help="one JSON line per epoch on stdout")
    p.add_argument(
        "--schema-registry",
        metavar="URL",
        help="the job's kafka.schema-registry.url, to read its Confluent wire format",
    )
    p.add_argument(
        "--kafka-property",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra librdkafka consumer setting, repeatable (TLS, SASL: see docs/kafka-security.md)",
    )
    return p.parse_args(argv)


def kafka_properties(pairs):
    """``NAME=VALUE`` strings as a confluent-kafka configuration dict."""
    config = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise SystemExit(f"--kafka-property wants NAME=VALUE, got {pair!r}")
        config[name.strip()] = value
    return config


def main(argv=None):
    args = parse(argv)
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    samples = EncryptedSampleDataset(
        args.bootstrap_servers,
        args.topic,
        args.group_id,
        max_samples=args.samples_per_epoch,
        idle_timeout_s=args.idle_timeout_s,
        consumer_config=kafka_properties(args.kafka_property),
        schema_registry=args.schema_registry,
    )
    loader = torch.utils.data.DataLoader(samples, batch_size=args.batch)
    generator = torch.Generator().manual_seed(args.seed)
    model = optimizer = test = None
    steps = args.epochs * -(-args.samples_per_epoch // args.batch)
    step = 0
    log = sys.stderr if args.json else sys.stdout
    for epoch in range(1, args.epochs + 1):
        start = time.monotonic()
        seen, loss_sum = 0, 0.0
        for features, soft_labels in loader:
            if model is None:
                channels, height, width = samples.shape
                model = ARCHITECTURES[args.arch](channels, height, width, samples.classes)
                optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
                if os.path.exists(args.model):
                    state = torch.load(args.model)
                    if state.get("arch", "small-cnn") != args.arch:
                        raise SystemExit(
                            f"{args.model} holds a {state.get('arch', 'small-cnn')} model, not"
                            f" --arch {args.arch}: pass that --arch or another --model"
                        )
                    model.load_state_dict(state["model"])
                    optimizer.load_state_dict(state["optimizer"])
                    print(f"Resumed from {args.model}", file=log)
                test = clean_test_set(
                    args.test_idx, samples.scheme["normalization"], args.test_prefix
                )
            if args.lr_schedule == "cosine":
                set_learning_rate(optimizer, cosine(args.learning_rate, step, steps))
            step += 1
            optimizer.zero_grad()
            loss = soft_label_cross_entropy(
                model(augment(features, args.augment, generator)), soft_labels
            )
            loss.backward()
            optimizer.step()
            seen += len(features)
            loss_sum += loss.item() * len(features)
        if seen == 0:
            print(f"No samples arrived within {args.idle_timeout_s} s; stopping.", file=log)
            return 1
        train_seconds = time.monotonic() - start
        acc = accuracy(model, *test)
        torch.save(
            {"arch": args.arch, "model": model.state_dict(), "optimizer": optimizer.state_dict()},
            args.model,
        )
        samples.commit()
        record = {
            "epoch": epoch,
            "samples": seen,
            "loss": loss_sum / seen,
            "accuracy": float(acc),
            "seconds": train_seconds,
            "skipped": samples.skipped,
        }
        if args.json:
            print(json.dumps(record), flush=True)
        print(
            f"epoch {epoch}: {seen} samples, loss {record['loss']:.4f}, clean accuracy "
            f"{acc:.4f}, {seen / train_seconds:.0f} samples/s, skipped {samples.skipped}",
            file=log,
            flush=True,
        )
    samples.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
