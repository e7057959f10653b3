"""gRPC adapters: each servicer parses a request, calls a domain object and builds the response."""
