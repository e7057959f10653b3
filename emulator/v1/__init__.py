"""Generated gRPC stubs: written by ``python -m harness.codegen``; do not edit."""
