"""A PyTorch IterableDataset over the encrypted-samples topic."""

import logging
import time

import numpy as np
import torch
import torch.nn.functional as F
from confluent_kafka import Consumer, KafkaError, TopicPartition

from .codec import DecodeError, SampleCodec, pixel_array, pixel_problem

log = logging.getLogger(__name__)


def soft_label_cross_entropy(logits, soft_labels):
    """The scheme's loss: mean over the batch of sum_c -t_c * log_softmax(z)_c.

    Cross-dataset labels sum to the private slots' weight, not to 1: use this, not
    ``F.cross_entropy`` with probabilities, which expects rows that sum to 1 in older PyTorch.
    """
    return -(soft_labels * F.log_softmax(logits, dim=1)).sum(dim=1).mean()


class EncryptedSampleDataset(torch.utils.data.IterableDataset):
    """Yields ``(features [C, H, W] float32, soft_label [classes] float32)`` from Kafka.

    Reads ``read_committed``: only samples the job's checkpoints committed. A stream has no
    end, so one iteration (an *epoch*) stops after ``max_samples`` samples or when nothing
    arrived for ``idle_timeout_s`` seconds; the next iteration continues where it stopped.
    The first sample fixes the shape, class count and normalisation; records that do not decode,
    do not match, or hold non-finite values are skipped and counted in ``skipped``.

    Call ``commit()`` after saving your model: a restarted trainer in the same ``group_id``
    resumes after the last sample handed out. Use ``DataLoader(num_workers=0)`` (decoding is
    cheap): each worker process would open its own consumer, which ``commit()`` cannot reach.
    """

    def __init__(
        self,
        bootstrap_servers,
        topic="encrypted-samples",
        group_id="instahide-torch",
        max_samples=None,
        idle_timeout_s=None,
        consumer_config=None,
        schema_dir=None,
        schema_registry=None,
    ):
        super().__init__()
        self.schema_registry = schema_registry
        self.topic = topic
        self.max_samples = max_samples
        self.idle_timeout_s = idle_timeout_s
        self.config = {
            "bootstrap.servers": bootstrap_servers,
            "group.id": group_id,
            "isolation.level": "read_committed",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            **(consumer_config or {}),
        }
        self.schema_dir = schema_dir
        self.skipped = 0
        self.shape = None
        self.classes = None
        self.scheme = None
        self._consumer = None
        self._codec = None
        self._handed_out = {}

    def _open(self):
        if self._consumer is None:
            self._codec = SampleCodec(self.schema_dir, registry_url=self.schema_registry)
            self._consumer = Consumer(self.config)
            self._consumer.subscribe([self.topic])

    def _problem(self, sample):
        shape = (sample["channels"], sample["height"], sample["width"])
        classes = len(sample["softLabel"])
        if self.shape is None:
            self.shape, self.classes, self.scheme = shape, classes, sample["scheme"]
        if shape != self.shape or classes != self.classes:
            return f"shape {shape} with {classes} classes, the stream has {self.shape}, {self.classes}"
        if sample["scheme"]["normalization"] != self.scheme["normalization"]:
            return "normalisation differs from the stream's"
        return pixel_problem(sample)

    def _next_sample(self):
        """The next good sample, or None when nothing arrived for idle_timeout_s."""
        deadline = None if self.idle_timeout_s is None else time.monotonic() + self.idle_timeout_s
        while deadline is None or time.monotonic() < deadline:
            message = self._consumer.poll(0.2)
            if message is None:
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise RuntimeError(f"Kafka error: {message.error()}")
            key = (message.topic(), message.partition())
            self._handed_out[key] = message.offset() + 1
            try:
                sample = self._codec.decode(message.value())
                problem = self._problem(sample)
            except DecodeError as e:
                problem = f"not an EncryptedSample ({e})"
            pixels = None
            if problem is None:
                pixels = pixel_array(sample)
                if not np.isfinite(pixels).all():
                    problem = "non-finite pixel values"
            if problem is not None:
                self.skipped += 1
                log.warning("Skipped %s offset %d: %s", key, message.offset(), problem)
                continue
            features = torch.from_numpy(pixels.reshape(self.shape))
            label = torch.tensor(sample["softLabel"], dtype=torch.float32)
            return features, label
        return None

    def __iter__(self):
        self._open()
        count = 0
        while self.max_samples is None or count < self.max_samples:
            item = self._next_sample()
            if item is None:
                return
            count += 1
            yield item

    def commit(self):
        """Stores the position after the last sample handed out, for this consumer group."""
        if self._consumer is not None and self._handed_out:
            offsets = [TopicPartition(t, p, o) for (t, p), o in self._handed_out.items()]
            self._consumer.commit(offsets=offsets, asynchronous=False)

    def close(self):
        if self._consumer is not None:
            self._consumer.close()
            self._consumer = None
