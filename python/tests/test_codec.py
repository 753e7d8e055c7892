"""The registry-free decoder on its own: released writer schemas and strictness (no broker)."""

import http.server
import io
import json
import os
import shutil
import struct
import tempfile
import threading
import unittest

import avro.io

from instahide_stream.codec import DecodeError, SampleCodec, load_schema, single_object_header

SCHEMA_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "schemas", "src", "main", "avro")


def _sample(schema):
    return {
        "sampleId": "s-1",
        "channels": 1,
        "height": 1,
        "width": 2,
        "pixels": b"\x00\x00\x80\x3f\x00\x00\x00\xc0",
        "softLabel": [0.25, 0.75],
        "scheme": {
            "schemeVersion": "instahide-1",
            "k": 4,
            "privateSlots": 2,
            "upper": 0.65,
            "dom": 0.3,
            "masked": True,
            "normalization": {"name": "MNIST", "mean": [0.1307], "std": [0.3081]},
            "pixelFormat": "FLOAT32",
        },
    }


def _encode(schema, record):
    out = io.BytesIO()
    avro.io.DatumWriter(schema).write(record, avro.io.BinaryEncoder(out))
    return single_object_header(schema) + out.getvalue()


class CodecTest(unittest.TestCase):
    def test_a_record_of_a_released_writer_schema_decodes(self):
        # A release whose EncryptedSample carried one more (later dropped) field: its
        # fingerprint differs, and a reader of today's schema resolves it.
        history = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, history)
        release = os.path.join(history, "v1")
        shutil.copytree(SCHEMA_DIR, release)
        path = os.path.join(release, "EncryptedSample.avsc")
        with open(path, encoding="utf-8") as f:
            schema_json = json.load(f)
        schema_json["fields"].append({"name": "legacyNote", "type": "string", "default": ""})
        with open(path, "w", encoding="utf-8") as f:
            json.dump(schema_json, f)
        old = load_schema("EncryptedSample", release)
        record = dict(_sample(old), legacyNote="written by an old job")

        codec = SampleCodec(history_dir=history)
        self.assertNotEqual(single_object_header(old), codec.header)
        decoded = codec.decode(_encode(old, record))

        self.assertEqual(decoded["sampleId"], "s-1")
        self.assertNotIn("legacyNote", decoded)
        with self.assertRaises(DecodeError):
            SampleCodec(history_dir=tempfile.gettempdir() + "/none").decode(_encode(old, record))

    def test_bytes_after_the_record_make_it_malformed(self):
        codec = SampleCodec()
        value = _encode(codec.schema, _sample(codec.schema))
        self.assertEqual(codec.decode(value)["softLabel"], [0.25, 0.75])
        with self.assertRaisesRegex(DecodeError, "follow the record"):
            codec.decode(value + b"garbage")


class _Registry(http.server.BaseHTTPRequestHandler):
    """``GET /schemas/ids/{id}`` of a Confluent-compatible registry holding ``schemas``."""

    schemas = {}
    lookups = []

    def do_GET(self):
        schema_id = int(self.path.rsplit("/", 1)[1])
        type(self).lookups.append(schema_id)
        text = type(self).schemas.get(schema_id)
        body = json.dumps({"schema": text} if text else {"error_code": 40403}).encode()
        self.send_response(200 if text else 404)
        self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class RegistryFramingTest(unittest.TestCase):
    def setUp(self):
        self.server = http.server.HTTPServer(("127.0.0.1", 0), _Registry)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        _Registry.lookups = []
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def test_the_confluent_wire_format_and_single_object_records_both_decode(self):
        codec = SampleCodec(registry_url=self.url)
        _Registry.schemas = {7: str(codec.schema)}
        out = io.BytesIO()
        avro.io.DatumWriter(codec.schema).write(_sample(codec.schema), avro.io.BinaryEncoder(out))
        framed = b"\x00" + struct.pack(">I", 7) + out.getvalue()

        for _ in range(2):
            self.assertEqual(codec.decode(framed)["softLabel"], [0.25, 0.75])
        self.assertEqual(_Registry.lookups, [7], "one lookup per id")
        self.assertEqual(
            codec.decode(_encode(codec.schema, _sample(codec.schema)))["sampleId"], "s-1"
        )
        with self.assertRaisesRegex(DecodeError, "follow the record"):
            codec.decode(framed + b"x")

    def test_an_unknown_id_or_no_registry_is_a_decode_error(self):
        codec = SampleCodec(registry_url=self.url)
        _Registry.schemas = {}
        framed = b"\x00" + struct.pack(">I", 99) + b"\x02"
        for _ in range(2):
            with self.assertRaisesRegex(DecodeError, "no schema 99"):
                codec.decode(framed)
        self.assertEqual(_Registry.lookups, [99])
        with self.assertRaisesRegex(DecodeError, "--schema-registry"):
            SampleCodec().decode(framed)


if __name__ == "__main__":
    unittest.main()
