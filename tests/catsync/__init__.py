"""Tests of the Catalog Sync programs (catsync): export, macros, reports, staging format."""
