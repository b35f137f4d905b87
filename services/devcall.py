"""Call one gRPC method of a running service by hand, with JSON in and out and a signed
identity, using the platform's own generated stubs (no grpcurl needed):

    .venv/bin/python -m services.devcall incubation ListCases '{"overdue": true}' --roles operator
    .venv/bin/python -m services.devcall incubation ApplyStation '{"name": "天津合作站", ...}' \\
        --subject u1 --organisation org-tj-station --region TIANJIN --roles station

The address is <SERVICE>_ADDR when set, else the usual `make run` port (50051–50053); the
identity token is signed like services.devtoken (INTERNAL_AUTH_KEY or the key in DEV_DATA_DIR)."""

import argparse
import importlib
import os
import sys

import grpc
from google.protobuf import json_format

from services import devtoken
from services.common import internal_auth
from services.common.identity import Principal

USUAL = {"registry": 50051, "procurement": 50052, "incubation": 50053}


def call(service: str, method: str, body: str, who: Principal) -> str:
    module = importlib.import_module(f"bth.{service}.v1.{service}_service_pb2")
    descriptor = module.DESCRIPTOR.services_by_name[f"{service.capitalize()}Service"]
    rpc = descriptor.methods_by_name.get(method)
    if rpc is None:
        raise SystemExit(f"{service} has no method {method}; it has: {', '.join(sorted(descriptor.methods_by_name))}")
    request_type = _message_class(rpc.input_type)
    reply_type = _message_class(rpc.output_type)
    address = os.environ.get(f"{service.upper()}_ADDR", f"127.0.0.1:{USUAL[service]}")
    with grpc.insecure_channel(address) as channel:
        stub = channel.unary_unary(f"/{descriptor.full_name}/{method}",
                                   request_serializer=request_type.SerializeToString,
                                   response_deserializer=reply_type.FromString)
        metadata = internal_auth.metadata(who, internal_auth.require_key(devtoken.key()))
        try:
            reply = stub(json_format.Parse(body, request_type()), metadata=metadata, timeout=10)
        except grpc.RpcError as exc:
            raise SystemExit(f"{exc.code().name}: {exc.details()}") from None
    return json_format.MessageToJson(reply, ensure_ascii=False, indent=None, preserving_proto_field_name=True)


def _message_class(descriptor):
    module = importlib.import_module(descriptor.file.name.removesuffix(".proto").replace("/", ".") + "_pb2")
    return getattr(module, descriptor.name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.devcall")
    parser.add_argument("service", choices=sorted(USUAL))
    parser.add_argument("method")
    parser.add_argument("body", nargs="?", default="{}")
    parser.add_argument("--subject", default="devcall")
    parser.add_argument("--organisation", default="org-platform")
    parser.add_argument("--region", default="BEIJING")
    parser.add_argument("--roles", default="operator", help="comma-separated, e.g. operator or institution")
    args = parser.parse_args(argv)
    who = Principal(args.subject, args.organisation, args.region, frozenset(r for r in args.roles.split(",") if r))
    print(call(args.service, args.method, args.body, who))


if __name__ == "__main__":
    sys.exit(main())
