"""A fake AWS Price List API (``AWSPriceListService.GetProducts``, JSON 1.1) on 127.0.0.1, for tests.

Products are real-shaped Price List documents (product attributes + OnDemand terms with priceDimensions),
filtered with TERM_MATCH on their attributes and paged with NextToken, as the real service does.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def product(service: str, family: str, price: float, unit: str = "Hrs", **attributes: str) -> dict[str, Any]:
    sku = hashlib.sha1(json.dumps([service, attributes], sort_keys=True).encode()).hexdigest()[:16].upper()
    term = f"{sku}.JRTCKXETXF"
    return {
        "product": {
            "productFamily": family,
            "attributes": {"servicecode": service, **attributes},
            "sku": sku,
        },
        "serviceCode": service,
        "terms": {
            "OnDemand": {
                term: {
                    "priceDimensions": {
                        f"{term}.6YS6EN2CT7": {
                            "unit": unit,
                            "endRange": "Inf",
                            "description": f"${price} per unit",
                            "appliesTo": [],
                            "rateCode": f"{term}.6YS6EN2CT7",
                            "beginRange": "0",
                            "pricePerUnit": {"USD": f"{price:.10f}"},
                        }
                    },
                    "sku": sku,
                    "effectiveDate": "2025-06-01T00:00:00Z",
                    "offerTermCode": "JRTCKXETXF",
                    "termAttributes": {},
                }
            }
        },
        "version": "20250601000000",
        "publicationDate": "2025-06-01T00:00:00Z",
    }


def _matches(item: dict[str, Any], service: str, filters: list[dict[str, str]]) -> bool:
    if item["serviceCode"] != service:
        return False
    fields = {"productFamily": item["product"]["productFamily"], **item["product"]["attributes"]}
    return all(f.get("Type") == "TERM_MATCH" and fields.get(f["Field"]) == f["Value"] for f in filters)


@contextlib.contextmanager
def pricing_api(
    products: list[dict[str, Any]], page_size: int = 2, deny: bool = False
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Serve ``products``; yields (endpoint URL, the requests received). ``deny`` answers AccessDenied."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
            target = self.headers.get("X-Amz-Target", "")
            received.append({"target": target, **body})
            if deny:
                message = "User is not authorized to perform: pricing:GetProducts"
                self._send(400, {"__type": "AccessDeniedException", "Message": message})
                return
            if target != "AWSPriceListService.GetProducts":
                self._send(400, {"__type": "InvalidParameterException", "Message": f"unknown target {target}"})
                return
            hits = [p for p in products if _matches(p, body.get("ServiceCode", ""), body.get("Filters", []))]
            start = int(body.get("NextToken") or 0)
            page = hits[start : start + page_size]
            out: dict[str, Any] = {"FormatVersion": "aws_v1", "PriceList": [json.dumps(p) for p in page]}
            if start + page_size < len(hits):
                out["NextToken"] = str(start + page_size)
            self._send(200, out)

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
