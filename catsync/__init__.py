"""The product under test: the Catalog Sync export and import programs, deployed on emulated nodes. It talks to
the platform only through the gRPC stubs of `emulator.v1` and `catsync.v1`."""


class CatsyncError(Exception):
    """Root of the Catalog Sync programs' errors."""


__all__ = ["CatsyncError"]
