"""Fills a PDF form from a JSON file of field values (example script of the pdf-forms skill)."""
import json
import sys

if __name__ == "__main__":
    form, data = sys.argv[1], sys.argv[2]
    values = json.load(open(data))
    print(f"would fill {len(values)} fields of {form}")
