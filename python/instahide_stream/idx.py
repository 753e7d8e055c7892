"""Clean (unmixed, unmasked) test images in the IDX format of MNIST and Fashion-MNIST."""

import gzip
import os
import struct

import numpy as np


def _open(path):
    if os.path.exists(path):
        return open(path, "rb")
    if os.path.exists(path + ".gz"):
        return gzip.open(path + ".gz", "rb")
    raise FileNotFoundError(f"{path}[.gz] not found")


def read_idx(directory, prefix="t10k", limit=None):
    """Returns (images uint8 [n, h, w], labels int64 [n]) from <prefix>-images/labels files."""
    with _open(os.path.join(directory, prefix + "-images-idx3-ubyte")) as f:
        magic, count, height, width = struct.unpack(">IIII", f.read(16))
        if magic != 0x803:
            raise ValueError(f"{directory}/{prefix}: not an IDX image file")
        count = count if limit is None else min(count, limit)
        images = np.frombuffer(f.read(count * height * width), dtype=np.uint8)
    with _open(os.path.join(directory, prefix + "-labels-idx1-ubyte")) as f:
        magic, label_count = struct.unpack(">II", f.read(8))
        if magic != 0x801 or label_count < count:
            raise ValueError(f"{directory}/{prefix}: bad IDX label file")
        labels = np.frombuffer(f.read(count), dtype=np.uint8)
    return images.reshape(count, height, width), labels.astype(np.int64)


def normalize(images, normalization):
    """Applies a sample's ``scheme.normalization`` to uint8 images [n, h, w] -> [n, 1, h, w]."""
    if normalization["name"] == "SYMMETRIC":
        table = np.arange(256, dtype=np.float32) / np.float32(127.5) - np.float32(1)
    else:
        mean = np.float32(normalization["mean"][0])
        std = np.float32(normalization["std"][0])
        table = (np.arange(256, dtype=np.float32) / np.float32(255) - mean) / std
    return table[images][:, None, :, :]


def clean_test_set(directory, normalization, prefix="t10k", limit=None):
    """(features float32 [n, 1, h, w], labels int64 [n]) normalised as the stream's samples."""
    images, labels = read_idx(directory, prefix, limit)
    return normalize(images, normalization), labels
