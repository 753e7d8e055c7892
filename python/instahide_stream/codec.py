"""Decoding of EncryptedSample records: Avro single-object encoding (no registry), and the
Confluent wire format when a schema registry URL is given.

A record is ``C3 01``, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema's
parsing canonical form, then the Avro binary body. The schemas are the project's own
``schemas/src/main/avro/*.avsc`` (found next to this package in a checkout, or through the
``INSTAHIDE_SCHEMA_DIR`` environment variable); records written with any released schema
(``schemas/src/main/resources/io/instahide/schemas/avro-history/<release>/``, or
``INSTAHIDE_SCHEMA_HISTORY_DIR``) are read too, resolved to the current one, as the Java
decoders do.

The Confluent wire format (the job's output with ``kafka.schema-registry.url`` set) is a ``0``
byte, the writer schema's registry id (4 bytes, big-endian), then the Avro binary body; the
writer schema comes from the registry's ``GET /schemas/ids/{id}``, once per id.
"""

import io
import json
import os
import re
import struct
import urllib.error
import urllib.request

import avro.io
import avro.schema
import numpy as np

_EMPTY = 0xC15D213AA4D7A795


def _fingerprint_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (_EMPTY & -(fp & 1))
        table.append(fp)
    return table


_TABLE = _fingerprint_table()


def crc64_avro(data: bytes) -> int:
    """The Rabin fingerprint Avro uses for single-object encoding."""
    fp = _EMPTY
    for byte in data:
        fp = (fp >> 8) ^ _TABLE[(fp ^ byte) & 0xFF]
    return fp


class DecodeError(ValueError):
    """A record that is not an EncryptedSample this code can read."""


# scheme.pixelFormat -> numpy dtype of the pixels bytes (little-endian). Records written before
# the field existed resolve to its default, FLOAT32.
PIXEL_DTYPES = {"FLOAT32": np.dtype("<f4"), "FLOAT16": np.dtype("<f2")}


def pixel_problem(sample):
    """Why the sample's pixel bytes do not hold C*H*W values of its format, or None."""
    fmt = sample["scheme"].get("pixelFormat", "FLOAT32")
    dtype = PIXEL_DTYPES.get(fmt)
    if dtype is None:
        return f"unknown pixel format {fmt}"
    count = sample["channels"] * sample["height"] * sample["width"]
    if len(sample["pixels"]) != dtype.itemsize * count:
        return f"{len(sample['pixels'])} pixel bytes for {count} {fmt} values"
    return None


def pixel_array(sample):
    """The sample's values as a flat float32 array (float16 widens exactly)."""
    dtype = PIXEL_DTYPES[sample["scheme"].get("pixelFormat", "FLOAT32")]
    return np.frombuffer(sample["pixels"], dtype=dtype).astype(np.float32)


def _schema_dir():
    configured = os.environ.get("INSTAHIDE_SCHEMA_DIR")
    if configured:
        return configured
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, "..", "..", "schemas", "src", "main", "avro")


def _history_dir():
    configured = os.environ.get("INSTAHIDE_SCHEMA_HISTORY_DIR")
    if configured:
        return configured
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(
        here, "..", "..", "schemas", "src", "main", "resources", "io", "instahide", "schemas",
        "avro-history",
    )


def released_schema_dirs(history_dir=None):
    """The directories of every released version of the schemas, oldest first."""
    history_dir = history_dir or _history_dir()
    if not os.path.isdir(history_dir):
        return []
    releases = [d for d in os.listdir(history_dir) if os.path.isdir(os.path.join(history_dir, d))]
    releases.sort(key=lambda r: int(r[1:]) if r[1:].isdigit() else r)
    return [os.path.join(history_dir, r) for r in releases]


_ANNOTATED_PRIMITIVE = re.compile(
    r'\{"type":"(null|boolean|int|long|float|double|bytes|string)"\}'
)


def parsing_canonical_form(schema) -> str:
    """Avro's Parsing Canonical Form, as Java computes it. Python's avro leaves a primitive that
    carried a logical type as ``{"type":"long"}``; the specification strips the attribute and
    writes the bare name (``"long"``), so the fingerprint of ImageRecord (timestamp-millis)
    matches the Java producers' only after this repair."""
    return _ANNOTATED_PRIMITIVE.sub(r'"\1"', schema.canonical_form)


def single_object_header(schema) -> bytes:
    """``C3 01`` and the schema's fingerprint: how every record written with it starts."""
    canonical = parsing_canonical_form(schema).encode("utf-8")
    return b"\xc3\x01" + struct.pack("<Q", crc64_avro(canonical))


def load_schema(name, directory=None, parts=("Normalization", "SchemeParameters")):
    """Parses ``name``.avsc after the types it names (``parts``: by default those of
    EncryptedSample)."""
    directory = directory or _schema_dir()
    names = avro.schema.Names()
    parsed = None
    for part in (*parts, name):
        path = os.path.join(directory, part + ".avsc")
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"Avro schema {path} not found: run from a checkout of the project or set "
                "INSTAHIDE_SCHEMA_DIR to the folder holding the .avsc files"
            )
        with open(path, encoding="utf-8") as f:
            parsed = avro.schema.make_avsc_object(json.load(f), names)
    return parsed


class SampleCodec:
    """Decodes the job's EncryptedSample records: single-object encoding, and the Confluent wire
    format when ``registry_url`` names a Confluent-compatible schema registry."""

    def __init__(self, schema_dir=None, history_dir=None, registry_url=None, timeout_s=10.0):
        self.registry_url = registry_url.rstrip("/") if registry_url else None
        self.timeout_s = timeout_s
        self._registry_readers = {}
        self.schema = load_schema("EncryptedSample", schema_dir)
        self.header = single_object_header(self.schema)
        # Writer schema by header: the current one, then every released one, resolved to current.
        self._readers = {self.header: avro.io.DatumReader(self.schema)}
        for release in released_schema_dirs(history_dir):
            writer = load_schema("EncryptedSample", release)
            self._readers.setdefault(
                single_object_header(writer), avro.io.DatumReader(writer, self.schema)
            )

    def decode(self, value: bytes) -> dict:
        if value is not None and len(value) >= 5 and value[0] == 0:
            return self._read(self._registry_reader(struct.unpack(">I", value[1:5])[0]), value, 5)
        if value is None or len(value) < 10:
            raise DecodeError("empty or truncated record")
        if value[:2] != b"\xc3\x01":
            raise DecodeError("not Avro single-object encoded (no C3 01 header)")
        reader = self._readers.get(bytes(value[:10]))
        if reader is None:
            raise DecodeError(
                "unknown writer schema fingerprint (written by a newer or unrelated producer?)"
            )
        return self._read(reader, value, 10)

    def _registry_reader(self, schema_id):
        if schema_id in self._registry_readers:
            reader = self._registry_readers[schema_id]
            if reader is None:
                raise DecodeError(f"the schema registry has no schema {schema_id}")
            return reader
        if self.registry_url is None:
            raise DecodeError(
                f"Confluent wire format (schema id {schema_id}): give the schema registry's URL "
                "(--schema-registry) to read it"
            )
        url = f"{self.registry_url}/schemas/ids/{schema_id}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as response:
                text = json.load(response)["schema"]
        except urllib.error.HTTPError as e:
            if e.code != 404:
                raise
            self._registry_readers[schema_id] = None
            raise DecodeError(f"the schema registry has no schema {schema_id}") from e
        writer = avro.schema.parse(text)
        reader = avro.io.DatumReader(writer, self.schema)
        self._registry_readers[schema_id] = reader
        return reader

    def _read(self, reader, value, offset):
        body = io.BytesIO(value[offset:])
        try:
            record = reader.read(avro.io.BinaryDecoder(body))
        except Exception as e:  # avro raises assorted errors on truncated bodies
            raise DecodeError(f"malformed Avro body: {e}") from e
        if body.tell() != len(value) - offset:
            raise DecodeError(
                f"{len(value) - offset - body.tell()} bytes follow the record: a record is one datum"
            )
        return record
