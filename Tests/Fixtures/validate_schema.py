"""Validates a YAML or JSON document against a JSON Schema; prints each error; exit 1 if any."""
import json
import sys

import jsonschema
import yaml

schema_path, document_path = sys.argv[1], sys.argv[2]
with open(schema_path) as f:
    schema = json.load(f)
with open(document_path) as f:
    document = yaml.safe_load(f)
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.path))
for error in errors:
    print("/".join(str(p) for p in error.path) or "(root)", ":", error.message)
sys.exit(1 if errors else 0)
