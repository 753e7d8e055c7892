"""Consume InstaHide-encrypted training samples from Kafka in PyTorch.

    from instahide_stream import EncryptedSampleDataset
    samples = EncryptedSampleDataset("localhost:9092", topic="encrypted-samples")
    loader = torch.utils.data.DataLoader(samples, batch_size=64)
    for features, soft_labels in loader:   # [64, C, H, W] float32, [64, classes] float32
        loss = soft_label_cross_entropy(model(features), soft_labels)

See README.md in this folder; `python3 -m instahide_stream.train --help` trains a small CNN.
"""

from .codec import SampleCodec, DecodeError
from .dataset import EncryptedSampleDataset, soft_label_cross_entropy
from .idx import clean_test_set, read_idx

__all__ = [
    "SampleCodec",
    "DecodeError",
    "EncryptedSampleDataset",
    "soft_label_cross_entropy",
    "clean_test_set",
    "read_idx",
]
